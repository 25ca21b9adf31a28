package bench

import (
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gochord/chord/guard"
	"github.com/gochord/chord/join"
)

// works are the amounts of simulated work between two synchronizations,
// in iterations of spin: none, and about half a microsecond.
var works = []int{0, 500}

// goroutineCounts are the numbers of competing goroutines. They do not
// depend on the number of CPUs: the suite runs at every -cpu setting.
var goroutineCounts = []int{2, 4, 8}

// spin is the simulated work: n dependent multiply-adds (a 64-bit LCG step),
// about 0.9 ns each on the machine of README.md. It returns the result so
// that the loop is not optimised away; callers accumulate it in a local
// variable and publish it once with keep.
//
//go:noinline
func spin(n int) uint64 {
	x := uint64(n)
	for range n {
		x = x*6364136223846793005 + 1442695040888963407
	}
	return x
}

var sink atomic.Uint64

// keep publishes the result of a goroutine's spins.
func keep(x uint64) { sink.Add(x) }

// share is goroutine i's part of n operations split among g goroutines.
func share(n, g, i int) int {
	s := n / g
	if i < n%g {
		s++
	}
	return s
}

// stats is what a join version reports about its patterns.
type stats struct {
	firings, wakeups int64
}

func (s *stats) add(f, w int64) {
	s.firings += f
	s.wakeups += w
}

// impl is one version of a workload: run performs n operations with g
// goroutines and the given work, and returns the join statistics (zero for
// versions without patterns).
type impl struct {
	name string
	run  func(n, g, work int) stats
}

// benchImpls runs every impl as Workload/impl/<gkey>=g/work=w. Besides
// ns/op (wall-clock time) it reports cpu-ns/op, the CPU time the whole
// process used per op (all goroutines, the collector included): with
// -cpu 1 it equals ns/op on an idle machine, and unlike ns/op it does not
// count time the machine gave to other processes, so it is the steadier
// figure on a shared machine. With more than one CPU it is the total work
// done, spinning included, per op.
func benchImpls(b *testing.B, gkey string, gs []int, impls []impl) {
	for _, im := range impls {
		b.Run(im.name, func(b *testing.B) {
			for _, g := range gs {
				b.Run(fmt.Sprintf("%s=%d", gkey, g), func(b *testing.B) {
					for _, w := range works {
						b.Run(fmt.Sprintf("work=%d", w), func(b *testing.B) {
							runtime.GC()
							cpu0, okCPU := cpuTime()
							b.ResetTimer()
							st := im.run(b.N, g, w)
							b.StopTimer()
							if cpu1, ok := cpuTime(); ok && okCPU {
								b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), "cpu-ns/op")
							}
							if st.firings > 0 {
								b.ReportMetric(float64(st.wakeups)/float64(st.firings), "wakeups/firing")
							}
						})
					}
				})
			}
		})
	}
}

// within runs f and fails the test if it has not returned after d, with
// every goroutine's stack: a deadlocked version fails instead of hanging.
func within(t *testing.T, d time.Duration, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(d):
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		t.Fatalf("not done after %v; goroutines:\n%s", d, buf)
	}
}

// testTimeout bounds each check; the whole package's tests take a few
// seconds under -race.
const testTimeout = 15 * time.Second

// testWorks are the work amounts the tests use: none, and a little, which
// changes the interleavings.
var testWorks = []int{0, 50}

// patternStats returns p's firings and the wakeups of its owner among
// them, through the pattern's guard protocol (guard.Counter).
func patternStats(p *join.Pattern) (firings, wakeups int64) {
	return p.GuardOps().(guard.Counter).Stats()
}
