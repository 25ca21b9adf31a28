package bench

import (
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/join"
	"github.com/gochord/chord/selectx"
)

// Barrier: g parties, n phases; no party starts phase k+1 before all have
// finished phase k. One op is one phase. The work is done by every party
// before it arrives.

// barrierCheck counts arrivals to catch interleaved phases.
type barrierCheck struct {
	arrived atomic.Int64
	bad     atomic.Int64
}

// before is called by a party before it arrives at the barrier.
func (c *barrierCheck) before() {
	if c != nil {
		c.arrived.Add(1)
	}
}

// after is called by a party once it passed phase k (0-based) of a barrier
// of g parties: all g(k+1) arrivals up to phase k happened, and nobody
// arrived at phase k+2, which needs this party's arrival at k+1.
func (c *barrierCheck) after(g, k int) {
	if c == nil {
		return
	}
	a := c.arrived.Load()
	if a < int64(g*(k+1)) || a > int64(g*(k+1)+g-1) {
		c.bad.Add(1)
	}
}

// runBarrier runs g parties through n phases; await(i) is party i's
// arrival.
func runBarrier(n, g, work int, c *barrierCheck, await func(i int)) {
	var wg sync.WaitGroup
	for i := range g {
		wg.Go(func() {
			var acc uint64
			for k := range n {
				acc += spin(work)
				c.before()
				await(i)
				c.after(g, k)
			}
			keep(acc)
		})
	}
	wg.Wait()
}

// chordBarrier: each party sends on its own synchronous channel; a
// coordinator waits on the conjunction of all of them. Atomic transfer
// releases every sender at once, when the last one arrives.
func chordBarrier(n, g, work int, c *barrierCheck) stats {
	arrive := make([]*chanop.Chan[struct{}], g)
	srcs := make([]chanop.Source[struct{}], g)
	for i := range arrive {
		arrive[i] = chanop.New[struct{}]()
		srcs[i] = arrive[i]
	}
	all := join.All(join.Each(srcs...))
	coord := make(chan struct{})
	go func() {
		defer close(coord)
		for range n {
			if err := all.Wait(); err != nil {
				panic(err)
			}
		}
	}()
	runBarrier(n, g, work, c, func(i int) {
		if err := arrive[i].Send(struct{}{}); err != nil {
			panic(err)
		}
	})
	<-coord
	var st stats
	st.add(patternStats(all))
	return st
}

// peerBarrier is a chord barrier without a coordinator: every party
// selects between offering its arrival on the shared synchronous channel
// arrive and its own pattern All(FromN(arrive, g-1)), which takes the
// arrivals of the g-1 others. A party's pattern can fire only when g-1
// other parties offer, that is, when all g arrived (a waiter gives at most
// one message to a firing, and never to its own pattern); the party whose
// pattern fires releases the g-1 others at once (atomic transfer), and
// they, released through their offers, pass too. At g=2 the second party
// to arrive fires its pattern with the first one's offer: one wake-up per
// phase, as sync.Cond's Broadcast to one waiter.
type peerBarrier struct {
	arrive *chanop.Chan[struct{}]
	pats   []*join.Pattern // party i's pattern (a pattern is in one select at a time)
}

func newPeerBarrier(g int) *peerBarrier {
	b := &peerBarrier{arrive: chanop.New[struct{}]()}
	for range g {
		if g > 1 {
			b.pats = append(b.pats, join.All(join.FromN(b.arrive, g-1)))
		}
	}
	return b
}

func (b *peerBarrier) await(i int) {
	if len(b.pats) == 0 {
		return // a barrier of one party
	}
	if _, err := selectx.Select(b.arrive.SendOp(struct{}{}), b.pats[i]); err != nil {
		panic(err)
	}
}

func peerBarrierRun(n, g, work int, c *barrierCheck) stats {
	b := newPeerBarrier(g)
	runBarrier(n, g, work, c, b.await)
	var st stats
	for _, p := range b.pats {
		st.add(patternStats(p))
	}
	return st
}

// condBarrier is the textbook generation-counting barrier on sync.Cond.
type condBarrier struct {
	mu    sync.Mutex
	cond  sync.Cond
	n     int
	count int
	gen   uint64
}

func (b *condBarrier) await() {
	b.mu.Lock()
	gen := b.gen
	b.count++
	if b.count == b.n {
		b.count = 0
		b.gen++
		b.cond.Broadcast()
	} else {
		for gen == b.gen {
			b.cond.Wait()
		}
	}
	b.mu.Unlock()
}

func condBarrierRun(n, g, work int, c *barrierCheck) stats {
	b := &condBarrier{n: g}
	b.cond.L = &b.mu
	runBarrier(n, g, work, c, func(int) { b.await() })
	return stats{}
}

// chanBarrier counts arrivals under a mutex and releases a phase by closing
// that phase's channel: the woken parties need not retake the mutex.
type chanBarrier struct {
	mu      sync.Mutex
	n       int
	count   int
	release chan struct{}
}

func (b *chanBarrier) await() {
	b.mu.Lock()
	ch := b.release
	b.count++
	if b.count == b.n {
		b.count = 0
		b.release = make(chan struct{})
		b.mu.Unlock()
		close(ch)
		return
	}
	b.mu.Unlock()
	<-ch
}

func chanBarrierRun(n, g, work int, c *barrierCheck) stats {
	b := &chanBarrier{n: g, release: make(chan struct{})}
	runBarrier(n, g, work, c, func(int) { b.await() })
	return stats{}
}

var barrierImpls = []struct {
	name string
	run  func(n, g, work int, c *barrierCheck) stats
}{
	{"chord", chordBarrier},
	{"cond", condBarrierRun},
	{"chan", chanBarrierRun},
}

// barrierPeerImpls is the BarrierPeer workload: the same barrier, with the
// chord version that needs no coordinator goroutine (peerBarrier).
var barrierPeerImpls = []struct {
	name string
	run  func(n, g, work int, c *barrierCheck) stats
}{
	{"chord", peerBarrierRun},
	{"cond", condBarrierRun},
	{"chan", chanBarrierRun},
}

func TestBarrier(t *testing.T) {
	for _, im := range append(barrierImpls, barrierPeerImpls[0]) {
		for _, g := range []int{1, 2, 5} {
			for _, w := range testWorks {
				c := &barrierCheck{}
				within(t, testTimeout, func() { im.run(300, g, w, c) })
				if got, want := c.arrived.Load(), int64(300*g); got != want {
					t.Errorf("%s g=%d work=%d: %d arrivals, want %d", im.name, g, w, got, want)
				}
				if bad := c.bad.Load(); bad != 0 {
					t.Errorf("%s g=%d work=%d: %d parties saw interleaved phases", im.name, g, w, bad)
				}
			}
		}
	}
}

func BenchmarkBarrier(b *testing.B) {
	var impls []impl
	for _, im := range barrierImpls {
		impls = append(impls, impl{im.name, func(n, g, work int) stats { return im.run(n, g, work, nil) }})
	}
	benchImpls(b, "g", goroutineCounts, impls)
}

// BenchmarkBarrierPeer is Barrier with the coordinator-less chord barrier
// (peerBarrier).
func BenchmarkBarrierPeer(b *testing.B) {
	var impls []impl
	for _, im := range barrierPeerImpls {
		impls = append(impls, impl{im.name, func(n, g, work int) stats { return im.run(n, g, work, nil) }})
	}
	benchImpls(b, "g", goroutineCounts, impls)
}
