package chanop

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gochord/chord/guard"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var errLate = errors.New("late callback")

// TestLateTimerNeverCompletesARecycledWaiter: a timer or context callback
// holds no lock, so Dequeue's Stop can lose the race with a callback that
// has already started; the waiter may meanwhile be recycled for the next
// select of its goroutine. The callback claims only in the generation it
// recorded at Enqueue, so it leaves the recycled waiter alone. (With a
// plain Claim it would complete the next select with the old entry.)
func TestLateTimerNeverCompletesARecycledWaiter(t *testing.T) {
	var p guard.Parking
	w := p.Waiter()
	e := &guard.Entry{W: w}
	gen := w.Gen()

	// The select completes through a partner and the owner recycles w.
	require.True(t, w.Claim())
	w.Complete(e, nil)
	w.Wake()
	_, err := p.Park(nil)
	require.NoError(t, err)
	require.NotEqual(t, gen, w.Gen(), "reuse starts a new generation")

	// The callback of the old select runs late.
	completeAlone(w, gen, e, errLate)
	assert.False(t, w.Done(), "a late callback completed a recycled waiter")
	require.True(t, w.Claim(), "the recycled waiter is still waiting, unclaimed")
	w.Release()
}

// TestTimerAndContextCallbacksRecordTheirGeneration: the After and Done
// guards' callbacks are bound to the generation of the waiter they were
// enqueued for.
func TestTimerAndContextCallbacksRecordTheirGeneration(t *testing.T) {
	for name, g := range map[string]Guard{
		"After": After(time.Millisecond),
		"Done":  Done(canceledSoon(t)),
	} {
		g := g.GuardOps()
		var p guard.Parking
		w := p.Waiter()
		// Recycle once so that the generation is not zero.
		require.True(t, w.Claim())
		w.Complete(&guard.Entry{W: w}, nil)
		w.Wake()
		_, _ = p.Park(nil)
		require.NotZero(t, w.Gen())

		if tg, ok := g.(guard.Timed); ok {
			tg.Begin(time.Now())
		}
		gs := []guard.Guard{g}
		p.Enqueue(gs, func() {})
		i, err := p.Park(gs) // completed by the callback, in this generation
		assert.Equal(t, 0, i, name)
		if name == "Done" {
			assert.ErrorIs(t, err, context.Canceled, name)
		}
	}
}

func canceledSoon(t *testing.T) context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	time.AfterFunc(time.Millisecond, cancel)
	return ctx
}
