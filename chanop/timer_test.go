package chanop_test

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/selectx"
)

// TestTimerTicksOnce: a timer's tick comes once its duration has elapsed,
// and waits to be received.
func TestTimerTicksOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		tm := chanop.NewTimer(time.Second)
		g, err := selectx.Select(tm.Op())
		require.NoError(t, err)
		assert.Equal(t, tm.Op(), g)
		assert.Equal(t, time.Second, time.Since(start))
		g, _ = selectx.PriSelect(tm.Op(), chanop.Skip())
		assert.NotEqual(t, tm.Op(), g, "a second tick")
	})
}

// TestTimerStopAndReset has time.Timer's pre-Go 1.23 results: Stop reports
// whether it stopped a pending timer, and neither Stop nor Reset takes
// away a tick not yet received.
func TestTimerStopAndReset(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tm := chanop.NewTimer(time.Second)
		assert.True(t, tm.Stop())
		assert.False(t, tm.Stop())
		time.Sleep(2 * time.Second)
		g, _ := selectx.PriSelect(tm.Op(), chanop.Skip())
		assert.NotEqual(t, tm.Op(), g, "a stopped timer ticked")

		assert.False(t, tm.Reset(time.Second))
		time.Sleep(2 * time.Second)
		assert.False(t, tm.Stop(), "an expired timer")
		assert.False(t, tm.Reset(time.Second))
		g, _ = selectx.PriSelect(tm.Op(), chanop.Skip())
		assert.Equal(t, tm.Op(), g, "the tick of the first expiry stays")
		assert.True(t, tm.Reset(time.Minute), "reset while pending")
		start := time.Now()
		_, _ = selectx.Select(tm.Op())
		assert.Equal(t, time.Minute, time.Since(start))
	})
}
