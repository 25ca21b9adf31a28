package check_test

import (
	"fmt"
	"time"

	"github.com/gochord/chord/problems/santa"
	"github.com/gochord/chord/problems/santa/check"
	"github.com/gochord/chord/props"
)

// ExampleProperties checks the trace of somebody's own Santa: any
// solution that records santa.Events can be checked, here a hand-written
// trace. Two reindeer were back at 1ms; at 2ms this Santa woke for the
// elves anyway. Record arrivals before the member sends and Santa's
// decision right after his select returns, and run the solution in a
// testing/synctest bubble, so that the priority check is sound (see
// ReindeerPriority).
func ExampleProperties() {
	cfg := santa.Config{Reindeer: 2, Elves: 2, ElfGroup: 2, Deliveries: 1, ElfVisits: 1}
	var trace []santa.Event
	ev := func(ms int, k santa.Kind, who, group int) {
		trace = append(trace, santa.Event{
			Seq: len(trace) + 1, At: time.Duration(ms) * time.Millisecond,
			Kind: k, Who: who, Group: group,
		})
	}
	ev(1, santa.DeerBack, 0, 0)
	ev(1, santa.DeerBack, 1, 0)
	ev(1, santa.ElfAsks, 0, 0)
	ev(1, santa.ElfAsks, 1, 0)
	ev(2, santa.WakeElves, santa.Santa, 1) // the reindeer should have gone first
	ev(2, santa.ShowIn, 0, 1)
	ev(2, santa.ShowIn, 1, 1)
	ev(2, santa.ConsultStart, santa.Santa, 1)
	ev(5, santa.ConsultEnd, santa.Santa, 1)
	ev(5, santa.ShowOut, 0, 1)
	ev(5, santa.ShowOut, 1, 1)
	ev(5, santa.WakeDeer, santa.Santa, 2)
	ev(5, santa.Harness, 0, 2)
	ev(5, santa.Harness, 1, 2)
	ev(5, santa.DeliveryStart, santa.Santa, 2)
	ev(9, santa.DeliveryEnd, santa.Santa, 2)
	ev(9, santa.Unharness, 0, 2)
	ev(9, santa.Unharness, 1, 2)
	ev(9, santa.Retire, santa.Santa, 0)

	vs := props.CheckAll(trace, check.Properties(cfg)...)
	fmt.Println(len(vs), "violation(s)")
	for _, v := range vs {
		fmt.Println(v)
	}
	// Output:
	// 1 violation(s)
	// property "santa/reindeer-priority" violated: Santa takes elves (group 1) at 2ms while the whole team (2 reindeer) waits, every one back before he decided
	// 	#1 1ms DeerBack reindeer 0
	// 	#2 1ms DeerBack reindeer 1
	// 	#5 2ms WakeElves (group 1)
	// 	#6 2ms ShowIn elf 0 (group 1)
	// 	#7 2ms ShowIn elf 1 (group 1)
}
