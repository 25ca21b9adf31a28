package bench

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestRatioTable prints the table of bench/README.md from a benchmark
// output file named by $CHORD_BENCH (several -count runs, any -cpu list):
// for each workload, parameter set and GOMAXPROCS, the median ns/op of the
// chord version divided by the median ns/op of the fastest hand-written
// version (✗ where that misses the target), the same ratio of
// cpu-ns/op medians (chord against that same version), and the chord
// version's median wakeups/firing. Without $CHORD_BENCH it is skipped.
//
//	go test -run=NONE -bench=. -benchtime=100ms -cpu 1,2 -count=6 ./bench | tee new.txt
//	CHORD_BENCH=$PWD/new.txt go test -count=1 -run=RatioTable -v ./bench
func TestRatioTable(t *testing.T) {
	name := os.Getenv("CHORD_BENCH")
	if name == "" {
		t.Skip("set CHORD_BENCH to a benchmark output file")
	}
	rs, err := readBench(name)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Print(ratioTable(rs))
}

// TestRatioTableOfStoredRun checks the table tool on the run README.md
// shows (testdata), so that the tool does not rot.
func TestRatioTableOfStoredRun(t *testing.T) {
	rs, err := readBench("testdata/bench-5766520.txt")
	if err != nil {
		t.Fatal(err)
	}
	table := ratioTable(rs)
	for _, want := range []string{
		"| Lock/g=2/work=0 | ≤ 2 |",
		"| Santa/g=19/work=500 | ≤ 1.25 |",
		"| Philosophers/n=16/work=0 | ≤ 3 |",
		"| Barrier/g=2/work=0 | ≤ 2 |",
		"| Barrier/g=2/work=500 | ≤ 1.25 |",
		"| RWLock75/g=8/work=500 | ≤ 5 |",
		"mutex) |", "cond) |", "chan) |", "rwmutex) |",
	} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
	if rows := strings.Count(table, "\n"); rows != 2+48 {
		t.Errorf("table has %d lines, want %d:\n%s", rows, 2+48, table)
	}
}

func readBench(name string) (benchRuns, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return parseBench(f)
}

// benchKey identifies a row of the table: a workload, its parameters
// (g=…/work=…), and GOMAXPROCS.
type benchKey struct {
	workload, params string
	cpu              int
}

// benchRuns holds, per version, the ns/op and wakeups/firing of each run.
type benchRuns map[benchKey]map[string]*samples

type samples struct{ ns, cpu, wakeups []float64 }

// parseBench reads `go test -bench` output; benchmark names are
// Workload/version/params[-cpu].
func parseBench(f io.Reader) (benchRuns, error) {
	rs := benchRuns{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) < 4 || !strings.HasPrefix(fs[0], "Benchmark") {
			continue
		}
		full := strings.TrimPrefix(fs[0], "Benchmark")
		cpu := 1
		if i := strings.LastIndexByte(full, '-'); i > strings.LastIndexByte(full, '/') {
			if n, err := strconv.Atoi(full[i+1:]); err == nil {
				full, cpu = full[:i], n
			}
		}
		parts := strings.SplitN(full, "/", 3)
		if len(parts) != 3 {
			continue
		}
		k := benchKey{parts[0], parts[2], cpu}
		if rs[k] == nil {
			rs[k] = map[string]*samples{}
		}
		s := rs[k][parts[1]]
		if s == nil {
			s = &samples{}
			rs[k][parts[1]] = s
		}
		for i := 2; i+1 < len(fs); i += 2 {
			v, err := strconv.ParseFloat(fs[i], 64)
			if err != nil {
				return nil, fmt.Errorf("%q: %v", sc.Text(), err)
			}
			switch fs[i+1] {
			case "ns/op":
				s.ns = append(s.ns, v)
			case "cpu-ns/op":
				s.cpu = append(s.cpu, v)
			case "wakeups/firing":
				s.wakeups = append(s.wakeups, v)
			}
		}
	}
	return rs, sc.Err()
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(xs))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// targets are the issues' limits on chord time / best hand-written time:
// per workload, and where the second round set its own limit without work
// between synchronizations, that one for work=0.
var targets = map[string]float64{
	"Lock": 2, "Semaphore": 2, "Rendezvous": 2, "RendezvousReply": 2, "ProdCons": 2, "Philosophers": 2,
	"Santa": 1.25, "Barrier": 1.25, "BarrierPeer": 1.25, "RWLock50": 5, "RWLock75": 5,
	// csync against sync (csync_test.go): ≤ 2 everywhere.
	"CsyncMutex": 2, "CsyncMutexContended": 2, "CsyncRWMutex": 2, "CsyncRWMutexRead": 2,
	"CsyncWaitGroup": 2, "CsyncWaitGroupAddDone": 2, "CsyncOnce": 2,
}

var targetsNoWork = map[string]float64{
	"Lock": 2, "Philosophers": 3, "Santa": 2, "Barrier": 2, "BarrierPeer": 2,
}

// target returns the limit for a row of the table.
func target(workload, params string) (float64, bool) {
	if strings.HasSuffix(params, "work=0") {
		if x, ok := targetsNoWork[workload]; ok {
			return x, true
		}
	}
	x, ok := targets[workload]
	return x, ok
}

// ratioTable formats rs as one Markdown table: a row per workload and
// parameters, a column per GOMAXPROCS.
func ratioTable(rs benchRuns) string {
	type row struct{ workload, params string }
	var rows []row
	var cpus []int
	seen := map[row]bool{}
	for k := range rs {
		r := row{k.workload, k.params}
		if !seen[r] {
			seen[r] = true
			rows = append(rows, r)
		}
		if !slices.Contains(cpus, k.cpu) {
			cpus = append(cpus, k.cpu)
		}
	}
	order := []string{"Lock", "Semaphore", "Barrier", "BarrierPeer", "Rendezvous", "RendezvousReply", "ProdCons", "RWLock50", "RWLock75", "Philosophers", "Santa"}
	rank := func(w string) int {
		if i := slices.Index(order, w); i >= 0 {
			return i
		}
		return len(order)
	}
	slices.SortFunc(rows, func(a, b row) int {
		return cmp.Or(cmp.Compare(rank(a.workload), rank(b.workload)), cmp.Compare(a.workload, b.workload), cmpParams(a.params, b.params))
	})
	slices.Sort(cpus)

	var sb strings.Builder
	sb.WriteString("| workload | target |")
	for _, c := range cpus {
		fmt.Fprintf(&sb, " -cpu %d: chord / best, ns/op | cpu-ns/op | wakeups/firing |", c)
	}
	sb.WriteString("\n|---|---|")
	for range cpus {
		sb.WriteString("---|---|---|")
	}
	sb.WriteString("\n")
	for _, r := range rows {
		limit := "–"
		x, hasTarget := target(r.workload, r.params)
		if hasTarget {
			limit = "≤ " + strconv.FormatFloat(x, 'f', -1, 64)
		}
		fmt.Fprintf(&sb, "| %s/%s | %s |", r.workload, r.params, limit)
		for _, c := range cpus {
			vs := rs[benchKey{r.workload, r.params, c}]
			chord := vs["chord"]
			if chord == nil {
				chord = vs["csync"] // csync_test.go's workloads: csync against sync
			}
			bestName := ""
			var best *samples
			for name, s := range vs {
				if name == "chord" || name == "csync" || len(s.ns) == 0 {
					continue
				}
				if best == nil || median(s.ns) < median(best.ns) || (median(s.ns) == median(best.ns) && name < bestName) {
					best, bestName = s, name
				}
			}
			if chord == nil || best == nil {
				sb.WriteString(" | | |")
				continue
			}
			ratio := median(chord.ns) / median(best.ns)
			mark := ""
			if hasTarget && ratio > x {
				mark = " ✗"
			}
			fmt.Fprintf(&sb, " **%.2f**%s (%s / %s %s) |", ratio, mark, nsString(median(chord.ns)), nsString(median(best.ns)), bestName)
			if len(chord.cpu) > 0 && len(best.cpu) > 0 {
				fmt.Fprintf(&sb, " %.2f |", median(chord.cpu)/median(best.cpu))
			} else {
				sb.WriteString(" |")
			}
			if len(chord.wakeups) > 0 {
				fmt.Fprintf(&sb, " %.2f |", median(chord.wakeups))
			} else {
				sb.WriteString(" |")
			}
		}
		sb.WriteString("\n")
	}
	return sb.String()
}

// cmpParams orders "g=2/work=0" before "g=8/work=500" numerically.
func cmpParams(a, b string) int {
	as, bs := strings.Split(a, "/"), strings.Split(b, "/")
	for i := 0; i < len(as) && i < len(bs); i++ {
		x, errx := strconv.Atoi(as[i][strings.IndexByte(as[i], '=')+1:])
		y, erry := strconv.Atoi(bs[i][strings.IndexByte(bs[i], '=')+1:])
		if errx == nil && erry == nil && x != y {
			return cmp.Compare(x, y)
		}
		if c := cmp.Compare(as[i], bs[i]); errx != nil && c != 0 {
			return c
		}
	}
	return cmp.Compare(len(as), len(bs))
}

func nsString(ns float64) string {
	if ns >= 10000 {
		return fmt.Sprintf("%.1fµs", ns/1000)
	}
	return fmt.Sprintf("%.0fns", ns)
}
