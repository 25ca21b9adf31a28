package selectx_test

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/selectx"
)

// These tests run in synctest bubbles: time is fake, so "exactly d" is
// checked exactly and a test never waits for real time.

func TestSelectAfterFiresAfterExactlyD(t *testing.T) {
	for name, sel := range selects() {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				c := chanop.New[int]()
				defer c.Close()
				for _, d := range []time.Duration{time.Nanosecond, 250 * time.Millisecond, time.Hour} {
					a := chanop.After(d)
					start := time.Now()
					g, err := sel(c.RecvOp(), a)
					require.NoError(t, err)
					assert.Equal(t, a, g, "After(%v)", d)
					assert.Equal(t, d, time.Since(start), "After(%v) fired late or early", d)
					assert.Equal(t, 0, c.Len())
				}
			})
		})
	}
}

func TestSelectAfterZeroIsReadyAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		idle := chanop.New[int]()
		a := chanop.After(0)
		g, err := selectx.PriSelect(idle.RecvOp(), a)
		require.NoError(t, err)
		assert.Equal(t, a, g)
		assert.Zero(t, time.Since(start))
	})
}

func TestReusedAfterGuardRestartsItsClockForEachSelect(t *testing.T) {
	for name, sel := range selects() {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				c := chanop.New[int]()
				defer c.Close()
				r := c.RecvOp()
				timeout := chanop.After(10 * time.Second)

				// 1st select: a message at 3 s beats the timeout.
				go func() {
					time.Sleep(3 * time.Second)
					_ = c.Send(1)
				}()
				start := time.Now()
				g, err := sel(r, timeout)
				require.NoError(t, err)
				assert.Same(t, r, g)
				assert.Equal(t, 3*time.Second, time.Since(start))

				// 2nd select with the same After: 10 s from now (t=13 s),
				// not 10 s from the first select (t=10 s).
				second := time.Now()
				g, err = sel(r, timeout)
				require.NoError(t, err)
				assert.Equal(t, timeout, g)
				assert.Equal(t, 10*time.Second, time.Since(second))

				// 3rd: the same again after an idle pause longer than d.
				time.Sleep(time.Minute)
				third := time.Now()
				g, err = sel(r, timeout)
				require.NoError(t, err)
				assert.Equal(t, timeout, g)
				assert.Equal(t, 10*time.Second, time.Since(third))
			})
		})
	}
}

func TestSelectReturnsChannelGuardWhenReadyBeforeTimeout(t *testing.T) {
	for name, sel := range selects() {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				c := chanop.New[string]()
				defer c.Close()
				go func() {
					time.Sleep(2 * time.Second)
					_ = c.Send("in time")
				}()
				r, a := c.RecvOp(), chanop.After(5*time.Second)
				start := time.Now()
				g, err := sel(a, r)
				require.NoError(t, err)
				assert.Same(t, r, g)
				assert.Equal(t, "in time", r.Value())
				assert.Equal(t, 2*time.Second, time.Since(start))

				// The timeout of the finished select must not fire into
				// anything later: wait past it, then check the channel works.
				time.Sleep(10 * time.Second)
				s := goErr(func() error { return c.Send("later") })
				synctest.Wait()
				assert.False(t, s.Returned())
				v, err := c.Recv()
				require.NoError(t, err)
				assert.Equal(t, "later", v)
			})
		})
	}
}

func TestSelectTimeoutLeavesNoEntryBehind(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := chanop.New[int]()
		defer c.Close()
		a := chanop.After(time.Second)
		g, err := selectx.Select(c.SendOp(1), c.RecvOp(), a)
		require.NoError(t, err)
		assert.Equal(t, a, g)
		assert.Equal(t, 0, c.Len(), "the timed-out SendOp is still offered")
		// Nor is the timed-out RecvOp still waiting: a sender blocks.
		s := goErr(func() error { return c.Send(2) })
		synctest.Wait()
		assert.False(t, s.Returned())
		assert.Equal(t, 1, c.Len())
	})
}

func TestSelectDoneReturnsContextCanceled(t *testing.T) {
	for name, sel := range selects() {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				c := chanop.New[int]()
				defer c.Close()
				ctx, cancel := context.WithCancel(context.Background())
				go func() {
					time.Sleep(4 * time.Second)
					cancel()
				}()
				d := chanop.Done(ctx)
				start := time.Now()
				g, err := sel(c.RecvOp(), d)
				assert.Equal(t, d, g)
				assert.ErrorIs(t, err, context.Canceled)
				assert.Equal(t, err, ctx.Err())
				assert.Equal(t, 4*time.Second, time.Since(start))
				assert.Equal(t, 0, c.Len())
			})
		})
	}
}

func TestSelectDoneReturnsDeadlineExceeded(t *testing.T) {
	for name, sel := range selects() {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				c := chanop.New[int]()
				defer c.Close()
				ctx, cancel := context.WithTimeout(context.Background(), 6*time.Second)
				defer cancel()
				d := chanop.Done(ctx)
				start := time.Now()
				g, err := sel(d, c.SendOp(1))
				assert.Equal(t, d, g)
				assert.ErrorIs(t, err, context.DeadlineExceeded)
				assert.Equal(t, 6*time.Second, time.Since(start))
				assert.Equal(t, 0, c.Len(), "the SendOp of the cancelled select is still offered")
			})
		})
	}
}

func TestSelectDoneOnAlreadyCanceledContextReturnsAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		for name, sel := range selects() {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			d := chanop.Done(ctx)
			idle := chanop.New[int]()
			g, err := sel(idle.RecvOp(), d)
			assert.Equal(t, d, g, name)
			assert.ErrorIs(t, err, context.Canceled, name)
		}
	})
}

func TestSelectDoneUnusedLeavesContextClean(t *testing.T) {
	// A Done guard that loses must leave nothing armed in its context: cancelling
	// the context later completes nothing and wakes nobody.
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		c := chanop.New[int]()
		defer c.Close()
		d := chanop.Done(ctx)
		r := c.RecvOp()
		go func() { _ = c.Send(1) }()
		g, err := selectx.Select(r, d)
		require.NoError(t, err)
		assert.Same(t, r, g)
		cancel()
		synctest.Wait()
		// Reuse the guard: now it is ready at once.
		g, err = selectx.Select(r, d)
		assert.Equal(t, d, g)
		assert.ErrorIs(t, err, context.Canceled)
	})
}

func TestPriSelectOrdersTimeoutAgainstReadyChannel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := chanop.New[int]()
		defer c.Close()
		go func() { _ = c.Send(1) }()
		synctest.Wait()
		r, a := c.RecvOp(), chanop.After(0)
		// Both ready: PriSelect takes the first in argument order.
		g, err := selectx.PriSelect(a, r)
		require.NoError(t, err)
		assert.Equal(t, a, g)
		assert.Equal(t, 1, c.Len(), "the sender was not served")
		g, err = selectx.PriSelect(r, a)
		require.NoError(t, err)
		assert.Same(t, r, g)
		assert.Equal(t, 1, r.Value())
	})
}

// TestReusedAfterGuardNeverFiresEarly: one After guard, re-armed by each
// select, loses most of them to a partner; a callback of an earlier
// arming that its Stop missed must never time out a later select early.
// Real time, so that late callbacks do happen.
func TestReusedAfterGuardNeverFiresEarly(t *testing.T) {
	const d = 200 * time.Microsecond
	n := 3000
	if testing.Short() {
		n = 300
	}
	c := chanop.New[int]()
	defer c.Close()
	go func() {
		for i := 0; ; i++ {
			if i%3 == 0 {
				time.Sleep(d / 2)
			}
			if c.Send(i) != nil {
				return
			}
		}
	}()
	a, r := chanop.After(d), c.RecvOp()
	timeouts := 0
	for range n {
		start := time.Now()
		g, err := selectx.Select(r, a)
		require.NoError(t, err)
		if g == a {
			timeouts++
			require.GreaterOrEqual(t, time.Since(start), d, "After(%v) fired early", d)
		}
	}
	t.Logf("%d of %d selects timed out", timeouts, n)
}

// TestReusedDoneGuardSeesCancelBetweenSelects: a Done guard whose context
// callback is registered by an earlier select is cancelled while the next
// select runs — before it polls, between its poll and its enqueue, or
// while it is parked — and that select must return ctx's error, never
// block.
func TestReusedDoneGuardSeesCancelBetweenSelects(t *testing.T) {
	n := 2000
	if testing.Short() {
		n = 200
	}
	idle := chanop.New[int]()
	for range n {
		ctx, cancel := context.WithCancel(context.Background())
		d := chanop.Done(ctx)
		c := chanop.New[int]()
		go func() { _ = c.Send(1) }()
		g, err := selectx.Select(c.RecvOp(), d) // blocks or not; registers d's callback if it blocks
		require.NoError(t, err)
		require.NotEqual(t, d, g)
		go cancel()
		g, err = selectx.Select(idle.RecvOp(), d)
		require.Equal(t, d, g)
		require.ErrorIs(t, err, context.Canceled)
	}
}
