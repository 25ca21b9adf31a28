package join_test

import (
	"fmt"
	"sync"
	"time"

	"github.com/gochord/chord/buffer"
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

// Santa Claus, in miniature, as the package documentation shows it: Santa
// waits for all 9 reindeer or any 3 of 10 elves, and when both groups are
// waiting the reindeer go first (PriSelect). The example waits until both
// are ready before Santa looks, to show the priority.
func Example_santa() {
	deer := make([]*chanop.Chan[int], 9)   // one channel per reindeer
	elves := make([]*chanop.Chan[int], 10) // one channel per elf
	var wg sync.WaitGroup
	for i := range deer {
		deer[i] = chanop.New[int]()
		wg.Go(func() { deer[i].Send(i) }) // back from holiday
	}
	for i := range elves {
		elves[i] = chanop.New[int]()
		if i == 2 || i == 5 || i == 7 {
			wg.Go(func() { elves[i].Send(i) }) // needs help
		}
	}
	waitParked(deer...)
	waitParked(elves[2], elves[5], elves[7])

	team := join.Each(chanop.Sources(deer...)...)       // one message from each of the 9
	group := join.AnyOf(3, chanop.Sources(elves...)...) // one from each of any 3 of the 10
	reindeer, helpers := join.All(team), join.All(group)
	g, err := selectx.PriSelect(reindeer, helpers) // a disjunction: reindeer first
	if g == reindeer && err == nil {
		fmt.Println("deliver toys with reindeer", team.Values())
	}
	g, err = selectx.PriSelect(reindeer, helpers)
	if g == helpers && err == nil {
		fmt.Println("consult with elves", group.Which())
	}
	wg.Wait()
	// Output:
	// deliver toys with reindeer [0 1 2 3 4 5 6 7 8]
	// consult with elves [2 5 7]
}

// waitParked returns once a sender waits on each of cs.
func waitParked(cs ...*chanop.Chan[int]) {
	for _, c := range cs {
		for c.Len() == 0 {
			time.Sleep(time.Millisecond)
		}
	}
}

// Separate arguments need no conversion: Each infers T from them, whatever
// their Source types.
func ExampleEach() {
	left, right := chanop.New[string](), buffer.Unbounded[string]()
	go left.Send("left chopstick")
	right.Send("right chopstick")
	both := join.Each(left, right)
	if err := join.All(both).Wait(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(both.Values())
	// Output: [left chopstick right chopstick]
}
