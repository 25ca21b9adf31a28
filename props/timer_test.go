package props_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/props"
	"github.com/gochord/chord/selectx"
)

// stopAndDrain is a worker that waits for a message or its timer, then
// stops and drains the timer before resetting it, the pre-Go 1.23 way.
// drain is how it drains: the classic mistake blocks on the tick, which
// the select may already have taken.
func stopAndDrain(r *props.Run, drain func(t *chanop.Timer)) {
	in := chanop.New[int]()
	r.Go("producer", func() {
		for i := range 2 {
			_ = in.Send(i)
		}
	})
	t := chanop.NewTimer(time.Second)
	got := 0
	for got < 2 {
		g, err := selectx.Select(in.RecvOp(), t.Op())
		require.NoError(r.T, err)
		if g != t.Op() {
			got++
		}
		if !t.Stop() {
			drain(t)
		}
		t.Reset(time.Second)
	}
}

// TestTimerStopAndDrainMistakeIsFound is a negative control: the timer's
// expiry is a scheduling choice, so Check finds the run where the select
// takes the tick and the drain then waits for a tick that never comes.
func TestTimerStopAndDrainMistakeIsFound(t *testing.T) {
	out := props.ExpectViolation(t, "blocking drain", func(r *props.Run) {
		stopAndDrain(r, func(t *chanop.Timer) { _, _ = selectx.Select(t.Op()) })
	})
	assert.Regexp(t, `main: blocked in selectx.Select over \[a chanop.Timer's tick\] at timer_test.go:\d+`, out)
	assert.Regexp(t, `timer \d+\s+fires \(armed at timer_test.go:\d+\)`, out)
}

// TestTimerStopAndDrainFixed: draining without blocking holds under
// every schedule Explore tries with one preemption (or early expiry).
func TestTimerStopAndDrainFixed(t *testing.T) {
	res := props.Explore(t, props.Bound{Preemptions: 2}, func(r *props.Run) {
		stopAndDrain(r, func(t *chanop.Timer) { _, _ = selectx.PriSelect(t.Op(), chanop.Skip()) })
	})
	assert.True(t, res.Exhaustive)
}

// TestTimerExpiryIsAChoice is a negative control: a timer may fire while
// a goroutine that would have beaten it can still run, as if that
// goroutine were slow; Explore finds it with one preemption.
func TestTimerExpiryIsAChoice(t *testing.T) {
	out := props.ExpectFailure(t, "early", func(t *testing.T) {
		props.Explore(t, props.Bound{Preemptions: 1}, func(r *props.Run) {
			c := chanop.New[int]()
			tm := chanop.NewTimer(time.Hour)
			r.Go("worker", func() { _ = c.Send(1) })
			g, _ := selectx.Select(c.RecvOp(), tm.Op())
			if g == tm.Op() {
				r.T.Fatalf("timed out")
			}
		})
	})
	assert.Contains(t, out, "timed out")
	assert.Regexp(t, `\*\s*timer 0\s+fires`, out)
}

// TestSimultaneousExpiriesFireInOrder: timers due at the same instant
// fire one at a time, in the order they were armed, at that instant.
func TestSimultaneousExpiriesFireInOrder(t *testing.T) {
	props.Explore(t, props.Bound{}, func(r *props.Run) {
		start := time.Now()
		a, b := chanop.NewTimer(time.Second), chanop.NewTimer(time.Second)
		ga, gb := a.Op(), b.Op()
		g, err := selectx.Select(gb, ga)
		require.NoError(r.T, err)
		if g != ga {
			r.T.Fatalf("the timer armed second fired first")
		}
		g, _ = selectx.Select(gb, ga)
		if g != gb {
			r.T.Fatalf("the second tick was lost")
		}
		if d := time.Since(start); d != time.Second {
			r.T.Fatalf("the ticks came after %v; want 1s", d)
		}
	})
}
