package bench

import (
	"runtime"
	"sync"
	"testing"

	"github.com/gochord/chord/csync"
)

// csync against sync: package csync's Mutex, RWMutex, WaitGroup and Once
// (the standard library's method sets, built on chord so that props
// schedules them) timed beside sync's, outside props. Benchmark names are
// Csync<Workload>/<version>/<params> with version csync or sync, so that
// `-bench=Csync` selects them all and TestRatioTable reads csync as the
// chord version:
//
//   - CsyncMutex/…/g=1: Lock and Unlock in one goroutine (uncontended).
//   - CsyncMutexContended/…/g=…/work=…: the Lock workload (a counter
//     incremented in a critical section by g goroutines).
//   - CsyncRWMutex/…/g=…/work=…: the RWLock workload with 90% reads.
//   - CsyncRWMutexRead/…/g=1: RLock and RUnlock in one goroutine.
//   - CsyncWaitGroup/…/g=1: Add(1), Done and Wait in one goroutine.
//   - CsyncWaitGroupAddDone/…/g=…/work=…: g goroutines Add(1) and Done on
//     one WaitGroup, which is then waited for.
//   - CsyncOnce/…/g=1: Once.Do once done (the fast path).

// csyncReadPct is the read share of CsyncRWMutex: read-mostly.
const csyncReadPct = 90

func csyncMutexLock(n, g, work int, h *holders) int {
	var mu csync.Mutex
	return runLock(n, g, work, h, mu.Lock, mu.Unlock)
}

func syncMutexLock(n, g, work int, h *holders) int {
	var mu sync.Mutex
	return runLock(n, g, work, h, mu.Lock, mu.Unlock)
}

func csyncRWLock(n, g, work, readPct int, c *rwChecker) int64 {
	rw := new(csync.RWMutex)
	return runRWLock(n, g, work, readPct, c, func() rwLocker { return rw })
}

func syncRWLock(n, g, work, readPct int, c *rwChecker) int64 {
	rw := new(sync.RWMutex)
	return runRWLock(n, g, work, readPct, c, func() rwLocker { return rw })
}

// waitGroup is what csync.WaitGroup and sync.WaitGroup have in common.
type waitGroup interface {
	Add(int)
	Done()
	Wait()
}

// runAddDone has g goroutines each Add(1) and Done their share of n tasks
// on wg, with work between, then waits for wg; it returns the tasks done.
func runAddDone(n, g, work int, wg waitGroup) int {
	var mu sync.Mutex
	total := 0
	var all sync.WaitGroup
	for i := range g {
		all.Go(func() {
			var acc uint64
			k := share(n, g, i)
			for range k {
				wg.Add(1)
				acc += spin(work)
				wg.Done()
			}
			keep(acc)
			mu.Lock()
			total += k
			mu.Unlock()
		})
	}
	all.Wait()
	wg.Wait()
	return total
}

// TestCsync checks the csync versions of the workloads as the suite checks
// every workload: the counters reach their totals, no two holders of a
// lock overlap.
func TestCsync(t *testing.T) {
	const n = 4000
	for _, g := range []int{1, 3, 8} {
		for _, w := range testWorks {
			h := &holders{}
			var got int
			within(t, testTimeout, func() { got = csyncMutexLock(n, g, w, h) })
			if got != n || h.max.Load() != 1 {
				t.Errorf("Mutex g=%d work=%d: counter %d of %d, %d holders at once", g, w, got, n, h.max.Load())
			}
			c := &rwChecker{}
			var writes int64
			within(t, testTimeout, func() { writes = csyncRWLock(n, g, w, csyncReadPct, c) })
			if want := rwWrites(n, g, csyncReadPct); writes != want || c.bad.Load() != 0 {
				t.Errorf("RWMutex g=%d work=%d: %d writes of %d, %d overlaps", g, w, writes, want, c.bad.Load())
			}
			var wg csync.WaitGroup
			within(t, testTimeout, func() { got = runAddDone(n, g, w, &wg) })
			if got != n {
				t.Errorf("WaitGroup g=%d work=%d: %d tasks of %d", g, w, got, n)
			}
		}
	}
}

// benchLoop runs each version as name/g=1, reporting cpu-ns/op as
// benchImpls does; run does n ops.
func benchLoop(b *testing.B, versions map[string]func(n int)) {
	for _, name := range []string{"csync", "sync"} {
		run := versions[name]
		b.Run(name+"/g=1", func(b *testing.B) {
			runtime.GC()
			cpu0, okCPU := cpuTime()
			b.ResetTimer()
			run(b.N)
			b.StopTimer()
			if cpu1, ok := cpuTime(); ok && okCPU {
				b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), "cpu-ns/op")
			}
		})
	}
}

func BenchmarkCsyncMutex(b *testing.B) {
	benchLoop(b, map[string]func(int){
		"csync": func(n int) {
			var mu csync.Mutex
			for range n {
				mu.Lock()
				mu.Unlock() //lint:ignore SA2001 the lock is what is timed
			}
		},
		"sync": func(n int) {
			var mu sync.Mutex
			for range n {
				mu.Lock()
				mu.Unlock() //lint:ignore SA2001 the lock is what is timed
			}
		},
	})
}

func BenchmarkCsyncMutexContended(b *testing.B) {
	benchImpls(b, "g", goroutineCounts, []impl{
		{"csync", func(n, g, work int) stats { csyncMutexLock(n, g, work, nil); return stats{} }},
		{"sync", func(n, g, work int) stats { syncMutexLock(n, g, work, nil); return stats{} }},
	})
}

func BenchmarkCsyncRWMutex(b *testing.B) {
	benchImpls(b, "g", goroutineCounts, []impl{
		{"csync", func(n, g, work int) stats { csyncRWLock(n, g, work, csyncReadPct, nil); return stats{} }},
		{"sync", func(n, g, work int) stats { syncRWLock(n, g, work, csyncReadPct, nil); return stats{} }},
	})
}

func BenchmarkCsyncRWMutexRead(b *testing.B) {
	benchLoop(b, map[string]func(int){
		"csync": func(n int) {
			var rw csync.RWMutex
			for range n {
				rw.RLock()
				rw.RUnlock() //lint:ignore SA2001 the lock is what is timed
			}
		},
		"sync": func(n int) {
			var rw sync.RWMutex
			for range n {
				rw.RLock()
				rw.RUnlock() //lint:ignore SA2001 the lock is what is timed
			}
		},
	})
}

func BenchmarkCsyncWaitGroup(b *testing.B) {
	benchLoop(b, map[string]func(int){
		"csync": func(n int) {
			var wg csync.WaitGroup
			for range n {
				wg.Add(1)
				wg.Done()
				wg.Wait()
			}
		},
		"sync": func(n int) {
			var wg sync.WaitGroup
			for range n {
				wg.Add(1)
				wg.Done()
				wg.Wait()
			}
		},
	})
}

func BenchmarkCsyncWaitGroupAddDone(b *testing.B) {
	benchImpls(b, "g", goroutineCounts, []impl{
		{"csync", func(n, g, work int) stats { runAddDone(n, g, work, new(csync.WaitGroup)); return stats{} }},
		{"sync", func(n, g, work int) stats { runAddDone(n, g, work, new(sync.WaitGroup)); return stats{} }},
	})
}

func BenchmarkCsyncOnce(b *testing.B) {
	f := func() {}
	benchLoop(b, map[string]func(int){
		"csync": func(n int) {
			var once csync.Once
			for range n {
				once.Do(f)
			}
		},
		"sync": func(n int) {
			var once sync.Once
			for range n {
				once.Do(f)
			}
		},
	})
}
