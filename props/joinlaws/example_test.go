package joinlaws_test

import (
	"fmt"

	"github.com/gochord/chord/props"
	"github.com/gochord/chord/props/joinlaws"
)

// The join laws read a trace that a test harness records around its calls:
// Sent before each Send, Returned after it, Fired after a select
// over patterns returns (with what each part took: Values and Which), and
// Idle when every goroutine is blocked (synctest.Wait). Here pattern 0,
// join.All(join.Each(c0, c1)), is broken: it took m0 from c0 before m1 had
// arrived on c1, so when the program went idle m0 was neither pending nor
// taken by a firing.
func ExampleProperties() {
	spec := joinlaws.Spec{
		Cap:      []int{joinlaws.Sync, joinlaws.Sync},
		Patterns: []joinlaws.Shape{{{Chans: []int{0, 1}, Count: 1, Of: 2}}},
	}
	trace := []joinlaws.Event{
		{Kind: joinlaws.Sent, Msg: 0, Chan: 0},
		{Kind: joinlaws.Returned, Msg: 0},
		{Kind: joinlaws.Idle, Pending: []int{0, 0}, Stored: []int{0, 0}, Waiting: []int{0}},
	}
	for _, v := range props.CheckAll(trace, joinlaws.Properties(spec)...) {
		fmt.Println(v)
	}
	// Output:
	// property "join/conservation" violated: on c0, 1 sent ≠ 0 taken + 0 failed + 0 pending
	// 	sent m0 on c0
	// 	send of m0 returned
	// 	idle: pending per channel [0 0] (stored [0 0]), waiting patterns [0]
}
