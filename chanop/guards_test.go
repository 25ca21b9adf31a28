package chanop_test

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/guard"
)

func TestSkipIsAlwaysReadyAndCompletesWithoutEffect(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := chanop.Skip()
		require.NotNil(t, s)
		assert.True(t, guard.Enabled(s.GuardOps()))
		assert.Empty(t, s.GuardOps().Locks())
		for range 3 {
			assert.True(t, s.GuardOps().Poll())
			ok, err := s.GuardOps().Commit()
			assert.True(t, ok)
			assert.NoError(t, err)
			s.GuardOps().AfterUnlock()
		}
		e := &guard.Entry{W: new(guard.Waiter), G: s.GuardOps()}
		assert.NotPanics(t, func() { s.GuardOps().Enqueue(e); s.GuardOps().Dequeue(e) })
		assert.False(t, e.Queued())
		_, timed := s.GuardOps().(guard.Timed)
		assert.False(t, timed)
		assert.NoError(t, guard.Wait(s))
	})
}

func TestWhenTrueReturnsTheGuardItself(t *testing.T) {
	c := chanop.New[int]()
	r := c.RecvOp()
	assert.Same(t, r, chanop.When(true, r))
	s := chanop.Skip()
	assert.Equal(t, s, chanop.When(true, s))
	assert.True(t, guard.Enabled(chanop.When(true, r).GuardOps()))
}

func TestWhenFalseReturnsADisabledGuard(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := chanop.New[int]()
		for name, g := range map[string]chanop.Guard{
			"RecvOp": c.RecvOp(),
			"SendOp": c.SendOp(1),
			"Skip":   chanop.Skip(),
			"After":  chanop.After(0),
			"Done":   chanop.Done(context.Background()),
		} {
			d := chanop.When(false, g)
			require.NotNil(t, d, name)
			assert.False(t, guard.Enabled(d.GuardOps()), name)
			assert.False(t, d.GuardOps().Poll(), "%s: a disabled guard is never ready", name)
			ok, err := d.GuardOps().Commit()
			assert.False(t, ok, name)
			assert.NoError(t, err, name)
			assert.Empty(t, d.GuardOps().Locks(), name)
			assert.ErrorIs(t, guard.Wait(d), guard.ErrNoGuards, name)
		}
	})
}

func TestWhenWithNilGuardPanics(t *testing.T) {
	assertPanicsWithPrefix(t, "chanop: ", func() { chanop.When(true, nil) }, "When(true, nil)")
	assertPanicsWithPrefix(t, "chanop: ", func() { chanop.When(false, nil) }, "When(false, nil)")
}

func TestEnabledIsTrueForEveryOrdinaryGuard(t *testing.T) {
	c := chanop.New[int]()
	for _, g := range []chanop.Guard{c.RecvOp(), c.SendOp(0), chanop.Skip(), chanop.After(time.Second), chanop.Done(context.Background())} {
		assert.True(t, guard.Enabled(g.GuardOps()), "%T", g.GuardOps())
	}
}

func TestDoneWithNilContextPanics(t *testing.T) {
	var ctx context.Context // nil
	assertPanicsWithPrefix(t, "chanop: ", func() { chanop.Done(ctx) }, "Done(nil)")
}

func TestAfterIsATimedGuardWithoutLocks(t *testing.T) {
	a := chanop.After(time.Second)
	_, ok := a.(guard.Timed)
	assert.True(t, ok, "After must implement Timed so that a select starts its clock")
	assert.Empty(t, a.GuardOps().Locks())
	assert.NotSame(t, a, chanop.After(time.Second), "each After is its own guard")
}

func TestWaitAfterFiresAfterExactlyD(t *testing.T) {
	for _, d := range []time.Duration{time.Nanosecond, time.Millisecond, 3 * time.Second, 24 * time.Hour} {
		synctest.Test(t, func(t *testing.T) {
			start := time.Now()
			require.NoError(t, guard.Wait(chanop.After(d)))
			assert.Equal(t, d, time.Since(start), "After(%v)", d)
		})
	}
}

func TestWaitAfterNonPositiveIsImmediate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		assert.NoError(t, guard.Wait(chanop.After(0)))
		assert.NoError(t, guard.Wait(chanop.After(-time.Hour)))
		assert.Equal(t, time.Duration(0), time.Since(start))
	})
}

func TestReusedAfterRestartsItsClockForEachWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a := chanop.After(5 * time.Second)
		start := time.Now()
		require.NoError(t, guard.Wait(a))
		assert.Equal(t, 5*time.Second, time.Since(start))
		time.Sleep(7 * time.Second) // longer than d: a stale clock would be ready at once
		mid := time.Now()
		require.NoError(t, guard.Wait(a))
		assert.Equal(t, 5*time.Second, time.Since(mid))
	})
}

func TestWaitDoneReturnsContextCanceled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		start := time.Now()
		go func() {
			time.Sleep(2 * time.Second)
			cancel()
		}()
		err := guard.Wait(chanop.Done(ctx))
		assert.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, 2*time.Second, time.Since(start))
	})
}

func TestWaitDoneReturnsDeadlineExceeded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		start := time.Now()
		err := guard.Wait(chanop.Done(ctx))
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, 3*time.Second, time.Since(start))
	})
}

func TestWaitDoneOnAlreadyDoneContextReturnsAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		d := chanop.Done(ctx)
		assert.True(t, d.GuardOps().Poll())
		assert.ErrorIs(t, guard.Wait(d), context.Canceled)
	})
}
