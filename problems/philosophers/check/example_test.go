package check_test

import (
	"fmt"
	"sync"

	"github.com/gochord/chord/buffer"
	"github.com/gochord/chord/problems/philosophers"
	"github.com/gochord/chord/problems/philosophers/check"
)

// To check your own dining philosophers, record your solution's steps with
// a philosophers.Recorder (or build the []philosophers.Event yourself) and
// run check.Properties over the trace. Here the solution is a
// butler who lets one philosopher at a time pick up his chopsticks — a
// global lock. Its traces have every per-trace property, but MaxEating
// shows that it never lets two philosophers eat at once, which a join
// pattern solution does with four or more. In a test, run the solution
// under props.Check or props.Explore, so that a deadlock is reported and
// shrunk.
func ExampleProperties() {
	cfg := philosophers.Config{N: 4, Meals: 2}
	trace := globalLockDinner(cfg)

	for _, p := range check.Properties(cfg) {
		if v := p.Check(trace); v != nil {
			fmt.Println(v) // the property, the reason, and the events that show it
			continue
		}
		fmt.Println(p.Name, "holds")
	}
	fmt.Println("most philosophers eating at once:", check.MaxEating(trace))
	// Output:
	// philosophers/lifecycle holds
	// philosophers/chopstick-exclusive holds
	// philosophers/neighbours-apart holds
	// philosophers/all-meals-eaten holds
	// philosophers/chopsticks-returned holds
	// most philosophers eating at once: 1
}

// globalLockDinner is a solution to check: a butler (one mutex) seats one
// philosopher at a time, who then takes both his chopsticks.
func globalLockDinner(cfg philosophers.Config) []philosophers.Event {
	n := cfg.N
	rec := philosophers.NewRecorder(n, nil)
	sticks := make([]*buffer.Buffer[int], n)
	for c := range sticks {
		sticks[c] = buffer.New[int](1)
		_ = sticks[c].Send(c)
	}
	var butler sync.Mutex
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			left, right := sticks[philosophers.Left(i, n)], sticks[philosophers.Right(i, n)]
			for meal := 1; meal <= cfg.Meals; meal++ {
				rec.Record(philosophers.Event{Kind: philosophers.Thinking, Who: i})
				rec.Record(philosophers.Event{Kind: philosophers.Hungry, Who: i, Meal: meal})
				butler.Lock()
				l, _ := left.Recv()
				r, _ := right.Recv()
				rec.Record(philosophers.Event{Kind: philosophers.Eating, Who: i, Meal: meal, Chopsticks: []int{l, r}})
				rec.Record(philosophers.Event{Kind: philosophers.Released, Who: i, Meal: meal, Chopsticks: []int{l, r}})
				_ = left.Send(l)
				_ = right.Send(r)
				butler.Unlock()
			}
			rec.Record(philosophers.Event{Kind: philosophers.Finished, Who: i})
		})
	}
	wg.Wait()
	for _, s := range sticks {
		c, _ := s.Recv()
		rec.Record(philosophers.Event{Kind: philosophers.OnTable, Who: -1, Chopsticks: []int{c}})
	}
	return rec.Result().Events
}

// A checker quotes the events that break it. Here two neighbours, P0 and
// P1, eat at the same time.
func ExampleNeighboursApart() {
	trace := []philosophers.Event{
		{Seq: 0, Kind: philosophers.Eating, Who: 0, Meal: 1, Chopsticks: []int{0, 1}},
		{Seq: 1, Kind: philosophers.Eating, Who: 1, Meal: 1, Chopsticks: []int{1, 2}},
	}
	fmt.Println(check.NeighboursApart(3).Check(trace))
	// Output:
	// property "philosophers/neighbours-apart" violated: neighbours P0 and P1 eat at the same time
	// 	#0 +0s P0 eating meal 1 [0 1] after 0s
	// 	#1 +0s P1 eating meal 1 [1 2] after 0s
}
