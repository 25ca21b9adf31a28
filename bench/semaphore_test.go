package bench

import (
	"sync"
	"testing"

	"github.com/gochord/chord/buffer"
)

// Semaphore: g goroutines share permits(g) permits; each acquires one,
// holds it for an empty critical section, releases it and works. One op is
// one acquire/release pair.

// permits is the semaphore's size for g goroutines: half of them can hold
// a permit at once.
func permits(g int) int { return max(1, g/2) }

// runSemaphore runs the workload; it returns the number of critical
// sections.
func runSemaphore(n, g, work int, h *holders, acquire, release func()) int {
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	for i := range g {
		wg.Go(func() {
			var acc uint64
			k := share(n, g, i)
			for range k {
				acquire()
				h.enter()
				h.exit()
				release()
				acc += spin(work)
			}
			keep(acc)
			mu.Lock()
			total += k
			mu.Unlock()
		})
	}
	wg.Wait()
	return total
}

// chordSemaphore holds its permits as tokens in a buffer of that capacity:
// acquire receives a token, release sends it back.
func chordSemaphore(n, g, work int, h *holders) int {
	p := permits(g)
	sem := buffer.New[struct{}](p)
	for range p {
		if err := sem.Send(struct{}{}); err != nil {
			panic(err)
		}
	}
	return runSemaphore(n, g, work, h, func() {
		if _, err := sem.Recv(); err != nil {
			panic(err)
		}
	}, func() {
		if err := sem.Send(struct{}{}); err != nil {
			panic(err)
		}
	})
}

// chanSemaphore is Go's idiom: a buffered channel whose capacity is the
// number of permits; acquire sends, release receives.
func chanSemaphore(n, g, work int, h *holders) int {
	sem := make(chan struct{}, permits(g))
	return runSemaphore(n, g, work, h, func() { sem <- struct{}{} }, func() { <-sem })
}

var semaphoreImpls = []struct {
	name string
	run  func(n, g, work int, h *holders) int
}{
	{"chord", chordSemaphore},
	{"chan", chanSemaphore},
}

func TestSemaphore(t *testing.T) {
	const n = 5000
	for _, im := range semaphoreImpls {
		for _, g := range []int{1, 4, 8} {
			for _, w := range testWorks {
				h := &holders{}
				var got int
				within(t, testTimeout, func() { got = im.run(n, g, w, h) })
				if got != n {
					t.Errorf("%s g=%d work=%d: %d critical sections, want %d", im.name, g, w, got, n)
				}
				if m := h.max.Load(); m > int64(permits(g)) {
					t.Errorf("%s g=%d work=%d: %d holders at once, permits %d", im.name, g, w, m, permits(g))
				}
			}
		}
	}
}

func BenchmarkSemaphore(b *testing.B) {
	var impls []impl
	for _, im := range semaphoreImpls {
		impls = append(impls, impl{im.name, func(n, g, work int) stats {
			im.run(n, g, work, nil)
			return stats{}
		}})
	}
	benchImpls(b, "g", goroutineCounts, impls)
}
