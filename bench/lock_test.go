package bench

import (
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gochord/chord/buffer"
)

// Lock: g goroutines increment a shared counter n times in all, each
// increment in a critical section; the work is done outside it. One op is
// one critical section.

// holders counts the goroutines inside a critical section and remembers
// the most it saw: the tests' check of mutual exclusion (and of a
// semaphore's limit). A nil *holders checks nothing.
type holders struct {
	in, max atomic.Int64
}

func (h *holders) enter() {
	if h == nil {
		return
	}
	in := h.in.Add(1)
	for {
		m := h.max.Load()
		if in <= m || h.max.CompareAndSwap(m, in) {
			return
		}
	}
}

func (h *holders) exit() {
	if h != nil {
		h.in.Add(-1)
	}
}

// runLock runs the workload with lock and unlock and returns the counter.
func runLock(n, g, work int, h *holders, lock, unlock func()) int {
	counter := 0
	var wg sync.WaitGroup
	for i := range g {
		wg.Go(func() {
			var acc uint64
			for range share(n, g, i) {
				lock()
				h.enter()
				counter++
				h.exit()
				unlock()
				acc += spin(work)
			}
			keep(acc)
		})
	}
	wg.Wait()
	return counter
}

// chordLock is a lock made of a token in a one-place buffer: Lock receives
// the token, Unlock puts it back. (The join calculus' lock() & free() with
// an asynchronous free() message is the same thing: the pattern has one
// message, so a receive is the whole match.)
func chordLock(n, g, work int, h *holders) (int, stats) {
	tok := buffer.New[struct{}](1)
	if err := tok.Send(struct{}{}); err != nil {
		panic(err)
	}
	c := runLock(n, g, work, h, func() {
		if _, err := tok.Recv(); err != nil {
			panic(err)
		}
	}, func() {
		if err := tok.Send(struct{}{}); err != nil {
			panic(err)
		}
	})
	return c, stats{}
}

func mutexLock(n, g, work int, h *holders) (int, stats) {
	var mu sync.Mutex
	return runLock(n, g, work, h, mu.Lock, mu.Unlock), stats{}
}

// chanLock is the same token lock with a buffered Go channel: not what an
// experienced Go programmer picks for mutual exclusion, but it shows what
// the token design costs whatever the library.
func chanLock(n, g, work int, h *holders) (int, stats) {
	tok := make(chan struct{}, 1)
	return runLock(n, g, work, h, func() { tok <- struct{}{} }, func() { <-tok }), stats{}
}

var lockImpls = []struct {
	name string
	run  func(n, g, work int, h *holders) (int, stats)
}{
	{"chord", chordLock},
	{"mutex", mutexLock},
	{"chan", chanLock},
}

func TestLock(t *testing.T) {
	const n = 5000
	for _, im := range lockImpls {
		for _, g := range []int{1, 3, 8} {
			for _, w := range testWorks {
				h := &holders{}
				var got int
				within(t, testTimeout, func() { got, _ = im.run(n, g, w, h) })
				if got != n {
					t.Errorf("%s g=%d work=%d: counter = %d, want %d", im.name, g, w, got, n)
				}
				if m := h.max.Load(); m != 1 {
					t.Errorf("%s g=%d work=%d: %d goroutines in the critical section at once", im.name, g, w, m)
				}
			}
		}
	}
}

func BenchmarkLock(b *testing.B) {
	var impls []impl
	for _, im := range lockImpls {
		impls = append(impls, impl{im.name, func(n, g, work int) stats {
			_, st := im.run(n, g, work, nil)
			return st
		}})
	}
	benchImpls(b, "g", goroutineCounts, impls)
}
