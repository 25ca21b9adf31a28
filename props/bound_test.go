package props_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/props"
	"github.com/gochord/chord/selectx"
)

// TestExploreDefaultTakesFirstReadyGuard: the default schedule of Explore
// takes a select's first ready guard, so a loop that ends when the first
// of two always-ready guards is taken ends at once; the other choice is
// explored too, within the bound.
func TestExploreDefaultTakesFirstReadyGuard(t *testing.T) {
	res := props.Explore(t, props.Bound{Schedules: 1}, func(r *props.Run) {
		stop, again := chanop.Skip(), chanop.Skip()
		n := 0
		for {
			n++
			g, err := selectx.Select(stop, again)
			require.NoError(r.T, err)
			if g == stop {
				break
			}
		}
		if n != 1 {
			r.T.Fatalf("the default schedule looped %d times; want 1", n)
		}
	})
	assert.Equal(t, 1, res.Schedules)

	var loops []int
	res = props.Explore(t, props.Bound{Delays: 2}, func(r *props.Run) {
		stop, again := chanop.Skip(), chanop.Skip()
		n := 0
		for {
			n++
			if g, _ := selectx.Select(stop, again); g == stop {
				break
			}
		}
		loops = append(loops, n)
	})
	assert.True(t, res.Exhaustive)
	assert.Equal(t, []int{1, 2, 3}, loops, "each delay takes the second guard once more")
}

// TestExplorePollingLoopIsReported is a negative control: a polling loop
// whose partner never gets to run under the non-preemptive schedule
// exceeds the step bound, and the report calls it a possible livelock
// and names the goroutine that spins.
func TestExplorePollingLoopIsReported(t *testing.T) {
	out := props.ExpectFailure(t, "polling", func(t *testing.T) {
		props.Explore(t, props.Bound{Preemptions: 1, Steps: 500}, func(r *props.Run) {
			c := chanop.New[int]()
			r.Go("sender", func() { _ = c.Send(1) })
			for {
				if _, ok, _ := c.TryRecv(); ok {
					return
				}
			}
		})
	})
	assert.Contains(t, out, "possible livelock: the run took 500 steps without ending")
	assert.Regexp(t, `main: \d+ of the last \d+ steps \(last at Chan.TryRecv at bound_test.go:\d+\)`, out)
	assert.Contains(t, out, "earlier steps")
	assert.Contains(t, out, `replay it alone with props.Bound{Replay: "0"}`, "the default schedule is not an empty Replay")
}

// TestReplayOfTheDefaultSchedule: Replay "0" runs the default schedule
// alone.
func TestReplayOfTheDefaultSchedule(t *testing.T) {
	runs := 0
	res := props.Explore(t, props.Bound{Preemptions: 2, Replay: "0"}, func(r *props.Run) {
		runs++
		c := chanop.New[int]()
		r.Go("sender", func() { _ = c.Send(1) })
		_, _ = c.Recv()
	})
	assert.Equal(t, 1, res.Schedules)
	assert.Equal(t, 1, runs)
}
