package props_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/buffer"
	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/problems/philosophers"
	"github.com/gochord/chord/problems/santa"
	"github.com/gochord/chord/props"
	"github.com/gochord/chord/selectx"
)

// failOn fails r with the first violation, quoting its counterexample.
func failOn(r *props.Run, vs []*props.Violation) {
	if len(vs) > 0 {
		r.T.Fatalf("%v", vs[0])
	}
}

// TestExplorePhilosophers runs the join solution for three philosophers,
// one meal each, under every schedule with up to two preemptions.
func TestExplorePhilosophers(t *testing.T) {
	cfg := philosophers.Config{N: 3, Meals: 1}
	res := props.Explore(t, props.Bound{Preemptions: 2}, func(r *props.Run) {
		out, err := philosophers.Run(context.Background(), cfg)
		require.NoError(r.T, err)
		failOn(r, props.CheckAll(out.Events, props.PhilosopherProperties(cfg)...))
	})
	assert.True(t, res.Exhaustive)
	assert.Greater(t, res.Schedules, 10)
}

// TestExploreSanta runs Santa with two reindeer, three elves in groups of
// two, one delivery and one consultation, under every schedule with up to
// one preemption.
func TestExploreSanta(t *testing.T) {
	cfg := santa.Config{Reindeer: 2, Elves: 3, ElfGroup: 2, Deliveries: 1, ElfVisits: 1}
	res := props.Explore(t, props.Bound{Preemptions: 1, Delays: 2}, func(r *props.Run) {
		out, err := santa.Run(context.Background(), cfg)
		require.NoError(r.T, err)
		failOn(r, props.CheckAll(out.Events, props.SantaProperties(cfg)...))
	})
	assert.True(t, res.Exhaustive)
	assert.Greater(t, res.Schedules, 10)
}

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

// TestExploreFindsSantaWithoutPriority is a negative control: with Select
// instead of PriSelect, Santa may serve the elves while the whole team of
// reindeer waits, and exploration finds a schedule where he does. The
// reindeer come back during the first consultation, so that the checker
// sees them waiting (in fake time) when Santa next decides, each at its
// own instant: goroutines woken by timers at the same instant would run in
// the Go scheduler's order, which the controller does not decide.
func TestExploreFindsSantaWithoutPriority(t *testing.T) {
	ms := time.Millisecond
	cfg := santa.Config{
		Reindeer: 2, Elves: 3, ElfGroup: 2, Deliveries: 1, ElfVisits: 2,
		Holiday:      santa.Span{Min: ms, Max: 1900 * time.Microsecond},
		Consultation: santa.Span{Min: 2 * ms, Max: 2 * ms},
		Choose:       selectx.Select, // the mistake
	}
	out := props.ExpectFailure(t, "santa without priority", func(t *testing.T) {
		props.Explore(t, props.Bound{Preemptions: 1, Delays: 2}, func(r *props.Run) {
			res, err := santa.Run(context.Background(), cfg)
			require.NoError(r.T, err)
			failOn(r, props.CheckAll(res.Events, props.SantaReindeerPriority(cfg)))
		})
	})
	assert.Contains(t, out, "santa/reindeer-priority")
}
