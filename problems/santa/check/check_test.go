package check

// Property tests of the Santa Claus solution (package santa), negative
// controls that the checkers must catch, and unit tests of the checkers on
// hand-made traces. Every identifier here starts with santa: this is the
// internal test package, shared with other problems' tests.

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"pgregory.net/rapid"

	"github.com/gochord/chord/internal/checktest"
	"github.com/gochord/chord/internal/testkit"
	"github.com/gochord/chord/problems/santa"
	"github.com/gochord/chord/props"
	"github.com/gochord/chord/selectx"
)

// santaChecks is the least number of rapid cases of each Santa property
// test (rapid's default is 100).
const santaChecks = 500

func santaMillis(t *rapid.T, label string, lo, hi int) time.Duration {
	return time.Duration(rapid.IntRange(lo, hi).Draw(t, label)) * time.Millisecond
}

func santaSpan(t *rapid.T, label string, lo, hi, spread int) santa.Span {
	min := santaMillis(t, label+".Min", lo, hi)
	return santa.Span{Min: min, Max: min + santaMillis(t, label+".Max-Min", 0, spread)}
}

// santaDrawConfig draws a small problem: up to 9 reindeer and 10 elves, a
// few deliveries and consultations, and durations of a few milliseconds of
// fake time, drawn so that Santa is often busy while both a team and a
// group line up.
func santaDrawConfig(t *rapid.T) santa.Config {
	cfg := santa.Config{
		Reindeer:   rapid.IntRange(1, 9).Draw(t, "Reindeer"),
		Elves:      rapid.IntRange(1, 10).Draw(t, "Elves"),
		Deliveries: rapid.IntRange(0, 3).Draw(t, "Deliveries"),
		ElfVisits:  rapid.IntRange(0, 5).Draw(t, "ElfVisits"),
		Seed:       rapid.Uint64().Draw(t, "Seed"),
	}
	cfg.ElfGroup = rapid.IntRange(1, cfg.Elves).Draw(t, "ElfGroup")
	cfg.Holiday = santaSpan(t, "Holiday", 0, 4, 4)
	cfg.Work = santaSpan(t, "Work", 0, 4, 4)
	cfg.Delivery = santaSpan(t, "Delivery", 0, 6, 2)
	cfg.Consultation = santaSpan(t, "Consultation", 0, 6, 2)
	return cfg
}

// santaContested counts the decisions of a trace at which a full team and
// a full group of elves were both certainly waiting (in the sense of
// ReindeerPriority) with both kinds of work still due: the decisions
// where priority is put to the test.
func santaContested(cfg santa.Config, tr []santa.Event) int {
	q := santaAnalyse(tr)
	n, deliveries, visits := 0, 0, 0
	for i, e := range tr {
		if e.Kind != santa.WakeDeer && e.Kind != santa.WakeElves {
			continue
		}
		if deliveries < cfg.Deliveries && visits < cfg.ElfVisits &&
			len(q.certainlyWaiting(tr, i, true)) == cfg.Reindeer &&
			len(q.certainlyWaiting(tr, i, false)) >= cfg.ElfGroup {
			n++
		}
		if e.Kind == santa.WakeDeer {
			deliveries++
		} else {
			visits++
		}
	}
	return n
}

// TestSantaSolutionHasEveryProperty runs the join-pattern solution over
// random problems and schedules, each in a synctest bubble (a deadlock, or
// a goroutine left behind, would be reported and shrunk), and checks every
// Santa property of its trace. It also checks that the runs put reindeer
// priority to the test: some decisions had both groups waiting.
func TestSantaSolutionHasEveryProperty(t *testing.T) {
	testkit.SetRapidFlag(t, "rapid.checks", strconv.Itoa(santaChecks), true)
	var runs, contested, events int
	start := time.Now()
	rapid.Check(t, func(t *rapid.T) {
		rapid.SyncTest(t, func(t *rapid.T) {
			cfg := santaDrawConfig(t)
			defer checktest.Schedule(t, 64)()
			res, err := santa.Run(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			santaFail(t, props.CheckAll(res.Events, Properties(cfg)...))
			st := res.Stats
			if st.Deliveries != cfg.Deliveries || st.Consultations != cfg.ElfVisits {
				t.Errorf("Stats: %d deliveries, %d consultations; want %d, %d", st.Deliveries, st.Consultations, cfg.Deliveries, cfg.ElfVisits)
			}
			runs++
			events += len(res.Events)
			contested += santaContested(cfg, res.Events)
		})
	})
	t.Logf("%d runs, %d events, in %v; %d decisions with a team and a group of elves both waiting", runs, events, time.Since(start).Round(time.Millisecond), contested)
	if runs >= santaChecks && contested == 0 {
		t.Errorf("in %d runs no decision had both groups waiting: the priority property was never put to the test", runs)
	}
}

// TestSantaCancelledRunStops checks that a cancelled run returns the
// context's error promptly and leaves no goroutine behind (the bubble
// would report one), and that its partial trace still keeps the rules
// that do not depend on finishing the work.
func TestSantaCancelledRunStops(t *testing.T) {
	testkit.SetRapidFlag(t, "rapid.checks", "200", true) // properties run on these partial traces too
	rapid.Check(t, func(t *rapid.T) {
		rapid.SyncTest(t, func(t *rapid.T) {
			cfg := santaDrawConfig(t)
			cfg.Deliveries, cfg.ElfVisits = 1000, 1000
			after := santaMillis(t, "cancel after", 0, 20)
			ctx, cancel := context.WithTimeout(context.Background(), after)
			defer cancel()
			res, err := santa.Run(ctx, cfg)
			if err != context.DeadlineExceeded {
				t.Fatalf("Run = %v; want context.DeadlineExceeded", err)
			}
			for _, p := range []props.Property[santa.Event]{
				Groups(cfg), Membership(cfg), ServedOnce(cfg), OneAtATime(cfg),
				Sleigh(cfg), StudyTurns(cfg), StudyCapacity(cfg), ReindeerPriority(cfg),
			} {
				if v := p.Check(res.Events); v != nil {
					santaFail(t, []*props.Violation{v})
				}
			}
		})
	})
}

// santaFail logs the violations with their counterexamples and fails the
// case with a message that names only the properties. rapid shrinks a
// failing case only to smaller cases that fail with the same message, and
// the counterexample changes with every case: in the message it would stop
// rapid from shrinking at all.
func santaFail(t *rapid.T, vs []*props.Violation) {
	if len(vs) == 0 {
		return
	}
	var names []string
	for _, v := range vs {
		t.Log(v)
		names = append(names, v.Property)
	}
	t.Fatalf("violated: %s", strings.Join(names, ", "))
}

// santaFailTB is a testing.TB for rapid.Check that records failures
// instead of failing the test, so that a test can assert that a property
// check fails. Helper, Name and the rest pass through to the real test.
type santaFailTB struct {
	testing.TB
	mu     sync.Mutex
	failed bool
	log    strings.Builder
}

func (f *santaFailTB) record(fail bool, s string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failed = f.failed || fail
	f.log.WriteString(s)
	f.log.WriteByte('\n')
}

func (f *santaFailTB) Logf(format string, args ...any) {
	f.record(false, fmt.Sprintf(format, args...))
}

func (f *santaFailTB) Log(args ...any) { f.record(false, fmt.Sprint(args...)) }

func (f *santaFailTB) Errorf(format string, args ...any) {
	f.record(true, fmt.Sprintf(format, args...))
}

func (f *santaFailTB) Error(args ...any) { f.record(true, fmt.Sprint(args...)) }

func (f *santaFailTB) Fatalf(format string, args ...any) {
	f.record(true, fmt.Sprintf(format, args...))
}

func (f *santaFailTB) Fatal(args ...any) { f.record(true, fmt.Sprint(args...)) }
func (f *santaFailTB) Fail()             { f.record(true, "Fail") }
func (f *santaFailTB) FailNow()          { f.record(true, "FailNow") }

func (f *santaFailTB) Failed() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.failed
}

// santaNegativeControl runs rapid.Check over a broken variant of the
// solution (draw makes its configs) and the property p, which must fail.
// It returns the number of the case that first failed (1-based) and
// rapid's report of the shrunk counterexample.
//
// rapid.SyncTest needs the real *testing.T behind the rapid.T, which the
// recording TB is not; so each case opens its own bubble with
// synctest.Test on the real test, records the violation there, and fails
// the rapid case outside the bubble. A broken variant that deadlocked
// would fail the real test, loudly, which is also a catch.
func santaNegativeControl(t *testing.T, draw func(*rapid.T) santa.Config, p func(santa.Config) props.Property[santa.Event]) (first int, report string) {
	t.Helper()
	testkit.SetRapidFlag(t, "rapid.nofailfile", "true", false) // no testdata/rapid/… for an expected failure
	testkit.SetRapidFlag(t, "rapid.shrinktime", "10s", false)
	fake := &santaFailTB{TB: t}
	cases := 0
	rapid.Check(fake, func(rt *rapid.T) {
		cfg := draw(rt)
		stop := checktest.Schedule(rt, 64) // chord's choices for the bubble below
		var v *props.Violation
		synctest.Test(t, func(t *testing.T) {
			defer stop()
			res, err := santa.Run(context.Background(), cfg)
			if err == nil {
				v = p(cfg).Check(res.Events)
			} else {
				v = &props.Violation{Property: "santa.Run", Reason: err.Error()}
			}
		})
		cases++
		if v != nil {
			if first == 0 {
				first = cases
			}
			santaFail(rt, []*props.Violation{v})
		}
	})
	if !fake.Failed() {
		t.Fatalf("the broken variant passed %d cases of %s: a checker that cannot fail is a defect", cases, p(santa.Config{}).Name)
	}
	return first, fake.log.String()
}

// TestSantaWithoutPriorityIsCaught is a negative control: Santa choosing
// with selectx.Select instead of PriSelect takes elves while a whole team
// of reindeer is waiting, and ReindeerPriority must say so. Holidays
// and work are shorter than Santa's services, so both groups often line up
// while he is busy, and the check catches the variant within a few cases.
func TestSantaWithoutPriorityIsCaught(t *testing.T) {
	first, report := santaNegativeControl(t, func(t *rapid.T) santa.Config {
		cfg := santa.Config{
			Reindeer:   rapid.IntRange(1, 4).Draw(t, "Reindeer"),
			Elves:      rapid.IntRange(2, 6).Draw(t, "Elves"),
			Deliveries: rapid.IntRange(1, 4).Draw(t, "Deliveries"),
			ElfVisits:  rapid.IntRange(2, 6).Draw(t, "ElfVisits"),
			Seed:       rapid.Uint64().Draw(t, "Seed"),
			Choose:     selectx.Select, // the mistake
		}
		cfg.ElfGroup = rapid.IntRange(1, cfg.Elves/2).Draw(t, "ElfGroup") // spare elves queue while a group is in
		cfg.Holiday = santaSpan(t, "Holiday", 1, 3, 2)
		cfg.Work = santaSpan(t, "Work", 0, 2, 2)
		cfg.Delivery = santaSpan(t, "Delivery", 1, 3, 1)
		cfg.Consultation = santaSpan(t, "Consultation", 3, 5, 1)
		return cfg
	}, ReindeerPriority)
	t.Logf("caught at case %d; rapid's report, with the shrunk counterexample:\n%s", first, report)
	if first > 20 {
		t.Errorf("ReindeerPriority needed %d cases to catch Select; want at most 20", first)
	}
	if !strings.Contains(report, ReindeerPriorityName) {
		t.Errorf("the failure is not a violation of %s:\n%s", ReindeerPriorityName, report)
	}
}

// TestSantaFourthElfIsCaught is a negative control: a Santa who leaves
// each group of elves to consult on its own (Config.ConsultInBackground)
// shows the next group in before the last one is out, and
// StudyCapacity must catch more than ElfGroup elves in the study.
func TestSantaFourthElfIsCaught(t *testing.T) {
	first, report := santaNegativeControl(t, func(t *rapid.T) santa.Config {
		cfg := santa.Config{
			Reindeer:            rapid.IntRange(1, 4).Draw(t, "Reindeer"),
			Elves:               rapid.IntRange(6, 10).Draw(t, "Elves"),
			ElfGroup:            3, // so that the intruder is the fourth elf
			Deliveries:          rapid.IntRange(0, 2).Draw(t, "Deliveries"),
			ElfVisits:           rapid.IntRange(2, 5).Draw(t, "ElfVisits"),
			Seed:                rapid.Uint64().Draw(t, "Seed"),
			ConsultInBackground: true, // the mistake
		}
		cfg.Holiday = santaSpan(t, "Holiday", 1, 6, 2)
		cfg.Work = santaSpan(t, "Work", 0, 2, 2)
		cfg.Delivery = santaSpan(t, "Delivery", 1, 3, 1)
		cfg.Consultation = santaSpan(t, "Consultation", 3, 6, 1)
		return cfg
	}, StudyCapacity)
	t.Logf("caught at case %d; rapid's report, with the shrunk counterexample:\n%s", first, report)
	if first > 20 {
		t.Errorf("StudyCapacity needed %d cases to catch the background consultation; want at most 20", first)
	}
	if !strings.Contains(report, StudyCapacityName) {
		t.Errorf("the failure is not a violation of %s:\n%s", StudyCapacityName, report)
	}
}

// santaParse reads a hand-written trace, one event a line:
//
//	<ms> <Kind> [who] [g<group>]
//
// who defaults to Santa and group to 0; Seq is the line's position.
func santaParse(t *testing.T, text string) []santa.Event {
	t.Helper()
	kinds := map[string]santa.Kind{}
	for k := santa.DeerBack; k <= santa.Retire; k++ {
		kinds[k.String()] = k
	}
	var tr []santa.Event
	for line := range strings.Lines(text) {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		ms, err := strconv.Atoi(f[0])
		k, ok := kinds[f[1]]
		if err != nil || !ok {
			t.Fatalf("bad trace line %q", line)
		}
		e := santa.Event{Seq: len(tr) + 1, At: time.Duration(ms) * time.Millisecond, Kind: k, Who: santa.Santa}
		for _, x := range f[2:] {
			n, err := strconv.Atoi(strings.TrimPrefix(x, "g"))
			switch {
			case err != nil:
				t.Fatalf("bad trace line %q", line)
			case strings.HasPrefix(x, "g"):
				e.Group = n
			default:
				e.Who = n
			}
		}
		tr = append(tr, e)
	}
	return tr
}

// santaGoodTrace is a correct run of 2 reindeer, 3 elves in groups of 2,
// one delivery and one consultation; elf 1 is still waiting at the end.
// Reindeer 1 comes back during the consultation.
const santaGoodTrace = `
1 DeerBack 0
1 ElfAsks 0
2 ElfAsks 2
2 WakeElves g1
2 ShowIn 0 g1
2 ShowIn 2 g1
2 ConsultStart g1
3 DeerBack 1
5 ConsultEnd g1
5 ShowOut 0 g1
5 ShowOut 2 g1
5 WakeDeer g2
5 Harness 0 g2
5 Harness 1 g2
5 DeliveryStart g2
6 ElfAsks 1
9 DeliveryEnd g2
9 Unharness 0 g2
9 Unharness 1 g2
9 Retire
`

// santaOverlapTrace: a Santa who lets the second group (of one elf) in
// while the first is still in the study.
const santaOverlapTrace = `
0 ElfAsks 0
0 ElfAsks 1
0 WakeElves g1
0 ShowIn 0 g1
0 ConsultStart g1
0 WakeElves g2
0 ShowIn 1 g2
0 ConsultStart g2
3 ConsultEnd g1
3 ShowOut 0 g1
3 ConsultEnd g2
3 ShowOut 1 g2
3 Retire
`

// TestSantaCheckersRejectBadTraces shows that every checker can fail: each
// passes the correct hand-made trace and fails an edit of it that breaks
// its rule, and the priority checker does not blame Santa for a reindeer
// that arrived at the very instant he decided.
func TestSantaCheckersRejectBadTraces(t *testing.T) {
	cfg := santa.Config{Reindeer: 2, Elves: 3, ElfGroup: 2, Deliveries: 1, ElfVisits: 1}
	good := santaParse(t, santaGoodTrace)
	for _, v := range props.CheckAll(good, Properties(cfg)...) {
		t.Errorf("the good trace fails: %v", v)
	}
	edit := func(pairs ...string) string { return strings.NewReplacer(pairs...).Replace(santaGoodTrace) }
	for _, tc := range []struct {
		name  string
		cfg   santa.Config
		trace string
		fails string // the property that must fail; "" for none
	}{
		{"a team of one reindeer", cfg, edit("5 Harness 1 g2\n", ""), GroupsName},
		{"a group of three elves", cfg, edit("2 ShowIn 2 g1\n", "2 ShowIn 2 g1\n2 ShowIn 1 g1\n", "5 ShowOut 2 g1\n", "5 ShowOut 2 g1\n5 ShowOut 1 g1\n"), GroupsName},
		{"a reindeer back before it is unharnessed", cfg, edit("9 Unharness 0 g2\n", "9 DeerBack 0\n9 Unharness 0 g2\n"), MembershipName},
		{"an elf shown in before it asked", cfg, edit("1 ElfAsks 0\n", "", "2 ShowIn 0 g1\n", "2 ElfAsks 0\n2 ShowIn 0 g1\n"), MembershipName},
		{"a reindeer unharnessed twice", cfg, edit("9 Unharness 1 g2\n", "9 Unharness 1 g2\n9 Unharness 1 g2\n"), ServedOnceName},
		{"an elf never shown out", cfg, edit("5 ShowOut 2 g1\n", ""), ServedOnceName},
		{"Santa wakes for the reindeer before the elves are out", cfg, edit("5 WakeDeer g2\n", "", "5 ShowOut 2 g1\n", "5 WakeDeer g2\n5 ShowOut 2 g1\n"), OneAtATimeName},
		{"the sleigh leaves half-harnessed", cfg, edit("5 Harness 1 g2\n5 DeliveryStart g2\n", "5 DeliveryStart g2\n5 Harness 1 g2\n"), SleighName},
		{"a reindeer unharnessed in flight", cfg, edit("9 DeliveryEnd g2\n9 Unharness 0 g2\n", "9 Unharness 0 g2\n9 DeliveryEnd g2\n"), SleighName},
		{"an elf shown out mid-consultation", cfg, edit("5 ConsultEnd g1\n5 ShowOut 0 g1\n", "5 ShowOut 0 g1\n5 ConsultEnd g1\n"), StudyTurnsName},
		{"two groups in the study", santa.Config{Reindeer: 1, Elves: 2, ElfGroup: 1, ElfVisits: 2}, santaOverlapTrace, StudyCapacityName},
		{"two groups take turns badly", santa.Config{Reindeer: 1, Elves: 2, ElfGroup: 1, ElfVisits: 2}, santaOverlapTrace, StudyTurnsName},
		{"elves first while both reindeer wait", cfg, edit("3 DeerBack 1\n", "", "1 ElfAsks 0\n", "1 ElfAsks 0\n1 DeerBack 1\n"), ReindeerPriorityName},
		{"the last reindeer arrives as Santa decides", cfg, edit("3 DeerBack 1\n", "", "2 WakeElves g1\n", "2 DeerBack 1\n2 WakeElves g1\n"), ""},
		{"elves first when no delivery is due", santa.Config{Reindeer: 2, Elves: 3, ElfGroup: 2, Deliveries: 0, ElfVisits: 1}, edit("3 DeerBack 1\n", "", "1 ElfAsks 0\n", "1 ElfAsks 0\n1 DeerBack 1\n"), ""},
		{"no Retire", cfg, edit("9 Retire\n", ""), WorkloadName},
		{"one delivery short", santa.Config{Reindeer: 2, Elves: 3, ElfGroup: 2, Deliveries: 2, ElfVisits: 1}, santaGoodTrace, WorkloadName},
	} {
		t.Run(strings.ReplaceAll(tc.name, " ", "_"), func(t *testing.T) {
			tr := santaParse(t, tc.trace)
			var failed []string
			for _, p := range Properties(tc.cfg) {
				v := p.Check(tr)
				if v == nil {
					continue
				}
				failed = append(failed, p.Name)
				if p.Name == tc.fails {
					t.Logf("%v", v)
				}
				if tc.fails == "" && p.Name == ReindeerPriorityName {
					t.Errorf("false alarm: %v", v)
				}
			}
			if tc.fails != "" && !strings.Contains(strings.Join(failed, " "), tc.fails) {
				t.Errorf("%s passed; the trace breaks its rule (failed: %v)", tc.fails, failed)
			}
		})
	}
}
