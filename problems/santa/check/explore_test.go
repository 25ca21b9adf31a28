package check_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/internal/checktest"
	"github.com/gochord/chord/problems/santa"
	"github.com/gochord/chord/problems/santa/check"
	"github.com/gochord/chord/props"
	"github.com/gochord/chord/selectx"
)

// TestExploreSanta runs Santa with two reindeer, three elves in groups of
// two, one delivery and one consultation, under every schedule with up to
// one preemption.
func TestExploreSanta(t *testing.T) {
	cfg := santa.Config{Reindeer: 2, Elves: 3, ElfGroup: 2, Deliveries: 1, ElfVisits: 1}
	res := props.Explore(t, props.Bound{Preemptions: 1, Delays: 2}, func(r *props.Run) {
		out, err := santa.Run(context.Background(), cfg)
		require.NoError(r.T, err)
		checktest.FailOn(r, props.CheckAll(out.Events, check.Properties(cfg)...))
	})
	assert.True(t, res.Exhaustive)
	assert.Greater(t, res.Schedules, 10)
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
			checktest.FailOn(r, props.CheckAll(res.Events, check.ReindeerPriority(cfg)))
		})
	})
	assert.Contains(t, out, "santa/reindeer-priority")
}
