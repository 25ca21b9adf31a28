package join_test

import (
	"fmt"
	"sync"
	"time"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/join"
	"github.com/gochord/chord/selectx"
)

// A barrier that opens when any 3 of 5 workers have reported: AnyOf(3, …).
// A worker's Send returns only when the barrier has taken its report, so
// each of the three is released by the same firing.
func ExampleAnyOf() {
	workers := make([]*chanop.Chan[string], 5)
	reports := make([]chanop.Source[string], len(workers))
	for i := range workers {
		workers[i] = chanop.New[string]()
		reports[i] = workers[i]
	}
	quorum := join.AnyOf(3, reports...)
	barrier := join.All(quorum)

	var wg sync.WaitGroup
	for _, i := range []int{4, 1, 3} { // three of the five finish
		wg.Go(func() {
			if err := workers[i].Send(fmt.Sprintf("worker %d done", i)); err != nil {
				fmt.Println(err)
			}
		})
	}
	if err := barrier.Wait(); err != nil {
		fmt.Println(err)
		return
	}
	wg.Wait()
	fmt.Println("quorum of", quorum.Which())
	for _, r := range quorum.Values() {
		fmt.Println(r)
	}
	// Output:
	// quorum of [1 3 4]
	// worker 1 done
	// worker 3 done
	// worker 4 done
}

// Santa Claus, in miniature: Santa waits for all 9 reindeer or any 3 of 10
// elves, and when both groups are waiting the reindeer go first
// (PriSelect). The example waits until both are ready before Santa looks,
// to show the priority.
func Example_santa() {
	deer := make([]chanop.Source[int], 9)
	elves := make([]chanop.Source[int], 10)
	var wg sync.WaitGroup
	for i := range deer {
		c := chanop.New[int]()
		deer[i] = c
		wg.Go(func() { c.Send(i) }) // back from holiday
	}
	for i := range elves {
		c := chanop.New[int]()
		elves[i] = c
		if i == 2 || i == 5 || i == 7 {
			wg.Go(func() { c.Send(i) }) // needs help
		}
	}
	team := join.Each(deer...)
	group := join.AnyOf(3, elves...)
	reindeer, helpers := join.All(team), join.All(group)

	for !reindeer.Ready() || !helpers.Ready() {
		time.Sleep(time.Millisecond)
	}
	for range 2 {
		g, err := selectx.PriSelect(reindeer, helpers)
		if err != nil {
			fmt.Println(err)
			return
		}
		switch g {
		case reindeer:
			fmt.Println("deliver toys with reindeer", team.Values())
		case helpers:
			fmt.Println("consult with elves", group.Which())
		}
	}
	wg.Wait()
	// Output:
	// deliver toys with reindeer [0 1 2 3 4 5 6 7 8]
	// consult with elves [2 5 7]
}
