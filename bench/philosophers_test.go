package bench

import (
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gochord/chord/buffer"
	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/join"
)

// Dining philosophers: n philosophers around a table, one chopstick between
// each two neighbours; a philosopher eats with both of its chopsticks. Each
// eats its share of n meals in all, thinking (the work) before each meal.
// One op is one meal.

var tableSizes = []int{5, 16}

// chopCheck marks chopsticks in use; two neighbours eating at once are
// caught by the one that takes a chopstick second.
type chopCheck struct {
	inUse []atomic.Bool
	bad   atomic.Int64
}

func (c *chopCheck) take(i int) {
	if c != nil && !c.inUse[i].CompareAndSwap(false, true) {
		c.bad.Add(1)
	}
}

func (c *chopCheck) put(i int) {
	if c != nil {
		c.inUse[i].Store(false)
	}
}

// runPhilosophers runs the table; dine(i, eat) calls eat, philosopher i's
// meal, between taking and putting down its chopsticks. It returns the
// meals eaten by each.
func runPhilosophers(meals, n, work int, c *chopCheck, dine func(i int, eat func())) []int {
	eaten := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		l, r := i, (i+1)%n
		wg.Go(func() {
			eat := func() {
				c.take(l)
				c.take(r)
				eaten[i]++
				c.put(r)
				c.put(l)
			}
			var acc uint64
			for range share(meals, n, i) {
				acc += spin(work)
				dine(i, eat)
			}
			keep(acc)
		})
	}
	wg.Wait()
	return eaten
}

// chordPhilosophers: each chopstick is a token in a one-place buffer; a
// philosopher waits for the conjunction of its two chopsticks, which takes
// both atomically, and puts them back with two asynchronous sends.
func chordPhilosophers(meals, n, work int, c *chopCheck) ([]int, stats) {
	chop := make([]*buffer.Buffer[int], n)
	for i := range chop {
		chop[i] = buffer.New[int](1)
		if err := chop[i].Send(i); err != nil {
			panic(err)
		}
	}
	pats := make([]*join.Pattern, n)
	for i := range pats {
		pats[i] = join.All(join.Each[int](chop[i], chop[(i+1)%n]))
	}
	eaten := runPhilosophers(meals, n, work, c, func(i int, eat func()) {
		if err := pats[i].Wait(); err != nil {
			panic(err)
		}
		eat()
		l, r := chop[i], chop[(i+1)%n]
		if l.Send(i) != nil || r.Send((i+1)%n) != nil {
			panic(chanop.ErrClosed)
		}
	})
	var st stats
	for _, p := range pats {
		st.add(patternStats(p))
	}
	return eaten, st
}

// mutexPhilosophers: a sync.Mutex per chopstick, the lower-numbered one
// taken first (resource ordering), which rules out the deadlock.
func mutexPhilosophers(meals, n, work int, c *chopCheck) ([]int, stats) {
	chop := make([]sync.Mutex, n)
	eaten := runPhilosophers(meals, n, work, c, func(i int, eat func()) {
		lo, hi := i, (i+1)%n
		if lo > hi {
			lo, hi = hi, lo
		}
		chop[lo].Lock()
		chop[hi].Lock()
		eat()
		chop[hi].Unlock()
		chop[lo].Unlock()
	})
	return eaten, stats{}
}

var philosopherImpls = []struct {
	name string
	run  func(meals, n, work int, c *chopCheck) ([]int, stats)
}{
	{"chord", chordPhilosophers},
	{"mutex", mutexPhilosophers},
}

func TestPhilosophers(t *testing.T) {
	const meals = 4000
	for _, n := range []int{2, 5, 16} {
		var first []int
		for _, im := range philosopherImpls {
			for _, w := range testWorks {
				c := &chopCheck{inUse: make([]atomic.Bool, n)}
				var eaten []int
				within(t, testTimeout, func() { eaten, _ = im.run(meals, n, w, c) })
				if bad := c.bad.Load(); bad != 0 {
					t.Errorf("%s n=%d work=%d: neighbours ate together %d times", im.name, n, w, bad)
				}
				if first == nil {
					first = eaten
				}
				for i := range n {
					if eaten[i] != first[i] || eaten[i] != share(meals, n, i) {
						t.Errorf("%s n=%d work=%d: meals %v, want %v", im.name, n, w, eaten, first)
						break
					}
				}
			}
		}
	}
}

func BenchmarkPhilosophers(b *testing.B) {
	var impls []impl
	for _, im := range philosopherImpls {
		impls = append(impls, impl{im.name, func(meals, n, work int) stats {
			_, st := im.run(meals, n, work, nil)
			return st
		}})
	}
	benchImpls(b, "n", tableSizes, impls)
}
