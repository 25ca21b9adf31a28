package props_test

import (
	"fmt"

	"github.com/gochord/chord/props"
)

// The join laws read a trace that a test harness records around its calls:
// JoinSent before each Send, JoinReturned after it, JoinFired after a select
// over patterns returns (with what each part took: Values and Which), and
// JoinIdle when every goroutine is blocked (synctest.Wait). Here pattern 0,
// join.All(join.Each(c0, c1)), is broken: it took m0 from c0 before m1 had
// arrived on c1, so when the program went idle m0 was neither pending nor
// taken by a firing.
func ExampleJoinProperties() {
	spec := props.JoinSpec{
		Cap:      []int{props.JoinSync, props.JoinSync},
		Patterns: []props.JoinShape{{{Chans: []int{0, 1}, Count: 1, Of: 2}}},
	}
	trace := []props.JoinEvent{
		{Kind: props.JoinSent, Msg: 0, Chan: 0},
		{Kind: props.JoinReturned, Msg: 0},
		{Kind: props.JoinIdle, Pending: []int{0, 0}, Stored: []int{0, 0}, Waiting: []int{0}},
	}
	for _, v := range props.CheckAll(trace, props.JoinProperties(spec)...) {
		fmt.Println(v)
	}
	// Output:
	// property "join/conservation" violated: on c0, 1 sent ≠ 0 taken + 0 failed + 0 pending
	// 	sent m0 on c0
	// 	send of m0 returned
	// 	idle: pending per channel [0 0] (stored [0 0]), waiting patterns [0]
}
