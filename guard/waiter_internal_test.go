package guard

import (
	"errors"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var errTest = errors.New("test error")

// parkCall runs w.park in a goroutine and reports its outcome.
type parkCall struct {
	done chan struct{}
	e    *Entry
	err  error
}

func goPark(w *Waiter) *parkCall {
	p := &parkCall{done: make(chan struct{})}
	go func() { p.e, p.err = w.park(); close(p.done) }()
	return p
}

func (p *parkCall) returned() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

func TestWaiterLifecycleClaimCompleteWakePark(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var w Waiter
		e := &Entry{W: &w}
		assert.False(t, w.Done(), "zero Waiter is waiting")
		require.True(t, w.Claim())
		assert.False(t, w.Done(), "claimed is not done")
		w.Complete(e, errTest)
		assert.True(t, w.Done())
		assert.False(t, w.Claim(), "a completed waiter cannot be claimed")
		w.Wake()
		got, err := w.park()
		assert.Same(t, e, got)
		assert.ErrorIs(t, err, errTest)
		// Park again: still the same outcome, no blocking.
		got, err = w.park()
		assert.Same(t, e, got)
		assert.ErrorIs(t, err, errTest)
	})
}

// TestWaiterParkWaitsForWakeEvenAfterComplete: the owner returns only
// once the completer has called Wake, its last touch of the waiter, so
// that the owner may recycle the waiter at once (a Wake landing on a
// recycled waiter would release its next select early).
func TestWaiterParkWaitsForWakeEvenAfterComplete(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := new(Waiter)
		e := &Entry{W: w}
		require.True(t, w.Claim())
		w.Complete(e, nil)
		p := goPark(w) // the partner has not called Wake yet
		synctest.Wait()
		assert.False(t, p.returned(), "Park returned before Wake")
		w.Wake()
		synctest.Wait()
		require.True(t, p.returned())
		assert.Same(t, e, p.e)
		assert.NoError(t, p.err)
	})
}

func TestWaiterParkBlocksDurablyUntilCompletedAndWoken(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := new(Waiter)
		e := &Entry{W: w}
		p := goPark(w)
		synctest.Wait() // returns only if Park is durably blocked
		assert.False(t, p.returned())

		require.True(t, w.Claim())
		w.Complete(e, errTest)
		synctest.Wait()
		assert.False(t, p.returned(), "a parked owner waits for Wake")

		w.Wake()
		synctest.Wait()
		require.True(t, p.returned())
		assert.Same(t, e, p.e)
		assert.ErrorIs(t, p.err, errTest)
	})
}
