package props_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/gochord/chord/buffer"
	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/props"
)

// TestExploreFindsLeftThenRightDeadlock is a negative control: three
// philosophers who take the left chopstick, then the right one, with two
// receives. Exploration finds the schedule where each holds his left one.
func TestExploreFindsLeftThenRightDeadlock(t *testing.T) {
	out := props.ExpectFailure(t, "left then right", func(t *testing.T) {
		props.Explore(t, props.Bound{Preemptions: 2}, func(r *props.Run) {
			const n = 3
			sticks := make([]*buffer.Buffer[int], n)
			for i := range sticks {
				sticks[i] = buffer.New[int](1)
				_ = sticks[i].Send(i)
			}
			done := chanop.New[int]()
			for i := range n {
				r.Go(fmt.Sprintf("philosopher %d", i), func() {
					left, right := sticks[i], sticks[(i+1)%n]
					l, _ := left.Recv()
					rr, _ := right.Recv()
					_, _ = left.Send(l), right.Send(rr)
					_ = done.Send(i)
				})
			}
			for range n {
				_, _ = done.Recv()
			}
		})
	})
	assert.Contains(t, out, "deadlock: main, philosopher 0, philosopher 1 and philosopher 2 are blocked")
	assert.Regexp(t, `replay it alone with props.Bound\{Replay: "[0-9.]+"\}`, out)
}

// TestExploreDelaysAloneBoundPreemptionsToo is a negative control: a
// bound of delays alone does not mean no preemption (the deadlock needs
// two), it bounds them by the delays.
func TestExploreDelaysAloneBoundPreemptionsToo(t *testing.T) {
	out := props.ExpectFailure(t, "delays alone", func(t *testing.T) {
		props.Explore(t, props.Bound{Delays: 3}, func(r *props.Run) {
			const n = 3
			sticks := make([]*buffer.Buffer[int], n)
			for i := range sticks {
				sticks[i] = buffer.New[int](1)
				_ = sticks[i].Send(i)
			}
			done := chanop.New[int]()
			for i := range n {
				r.Go(fmt.Sprintf("philosopher %d", i), func() {
					left, right := sticks[i], sticks[(i+1)%n]
					l, _ := left.Recv()
					rr, _ := right.Recv()
					_, _ = left.Send(l), right.Send(rr)
					_ = done.Send(i)
				})
			}
			for range n {
				_, _ = done.Recv()
			}
		})
	})
	assert.Contains(t, out, "deadlock: main, philosopher 0, philosopher 1 and philosopher 2 are blocked")
}
