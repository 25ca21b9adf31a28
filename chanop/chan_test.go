package chanop_test

import (
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/guard"
	"github.com/gochord/chord/internal/testkit"
)

func TestNilChanMethodsPanicWithChanopMessage(t *testing.T) {
	var c *chanop.Chan[int]
	cases := map[string]func(){
		"Send":  func() { _ = c.Send(1) },
		"Recv":  func() { _, _ = c.Recv() },
		"Close": func() { c.Close() },
		"Len":   func() { _ = c.Len() },
	}
	for name, f := range cases {
		assertPanicsWithPrefix(t, "chanop: ", f, "(*Chan)(nil)."+name)
	}
	assert.PanicsWithValue(t, "chanop: Send on nil *Chan", func() { _ = c.Send(1) })
}

func TestZeroValueChanIsUsable(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var c chanop.Chan[string]
		defer c.Close()
		assert.Equal(t, 0, c.Len())
		s := goErr(func() error { return c.Send("zero") })
		synctest.Wait()
		assert.Equal(t, 1, c.Len())
		v, err := c.Recv()
		require.NoError(t, err)
		assert.Equal(t, "zero", v)
		synctest.Wait()
		require.True(t, s.Returned())
		assert.NoError(t, s.Err)

		// And through guards.
		r := c.RecvOp()
		s = goErr(func() error { return guard.Wait(c.SendOp("op")) })
		require.NoError(t, guard.Wait(r))
		assert.Equal(t, "op", r.Value())
		synctest.Wait()
		require.True(t, s.Returned())
		assert.NoError(t, s.Err)
	})
}

func TestNewChanIsOpenAndEmpty(t *testing.T) {
	c := chanop.New[int]()
	require.NotNil(t, c)
	assert.Equal(t, 0, c.Len())
	assert.False(t, c.SourceOps().Closed())
	assert.NotSame(t, c, chanop.New[int](), "New must return a fresh channel")
}

func TestSendBlocksUntilReceiverTakesValue(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := chanop.New[int]()
		defer c.Close()
		s := goErr(func() error { return c.Send(7) })
		synctest.Wait()
		assert.False(t, s.Returned(), "Send on a synchronous channel returned with no receiver")
		assert.Equal(t, 1, c.Len())

		v, err := c.Recv()
		require.NoError(t, err)
		assert.Equal(t, 7, v)
		synctest.Wait()
		require.True(t, s.Returned(), "Send still blocked after its value was received")
		assert.NoError(t, s.Err)
		assert.Equal(t, 0, c.Len())
	})
}

func TestRecvBlocksUntilSenderArrives(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := chanop.New[int]()
		defer c.Close()
		r := goCall(c.Recv)
		synctest.Wait()
		assert.False(t, r.Returned(), "Recv returned with no sender")
		assert.Equal(t, 0, c.Len(), "Len counts waiting senders, not receivers")

		require.NoError(t, c.Send(8), "Send with a waiting receiver")
		synctest.Wait()
		require.True(t, r.Returned())
		assert.NoError(t, r.Err)
		assert.Equal(t, 8, r.V)
	})
}

func TestWaitingSendersAreServedFirstComeFirstServed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := chanop.New[int]()
		defer c.Close()
		const n = 5
		senders := make([]*testkit.Probe[struct{}], n)
		for i := range n {
			senders[i] = goErr(func() error { return c.Send(i) })
			synctest.Wait() // sender i parks before sender i+1 starts
		}
		assert.Equal(t, n, c.Len())
		for i := range n {
			v, err := c.Recv()
			require.NoError(t, err)
			assert.Equal(t, i, v, "receive %d", i)
			synctest.Wait()
			assert.True(t, senders[i].Returned(), "the sender whose value was taken returned")
			if i+1 < n {
				assert.False(t, senders[i+1].Returned(), "a later sender returned early")
			}
		}
	})
}

func TestWaitingReceiversAreServedFirstComeFirstServed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := chanop.New[int]()
		defer c.Close()
		const n = 4
		recvs := make([]*testkit.Probe[int], n)
		for i := range n {
			recvs[i] = goCall(c.Recv)
			synctest.Wait()
		}
		for i := range n {
			require.NoError(t, c.Send(100+i))
			synctest.Wait()
			require.True(t, recvs[i].Returned(), "receiver %d", i)
			assert.Equal(t, 100+i, recvs[i].V)
		}
	})
}

func TestRecvOnClosedReturnsErrClosed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := chanop.New[int]()
		c.Close()
		v, err := c.Recv()
		assert.ErrorIs(t, err, chanop.ErrClosed)
		assert.Zero(t, v)
		// Again: closed stays closed.
		_, err = c.Recv()
		assert.ErrorIs(t, err, chanop.ErrClosed)

		r := c.RecvOp()
		assert.ErrorIs(t, guard.Wait(r), chanop.ErrClosed)
		assert.Zero(t, r.Value())
	})
}

func TestSendOnClosedReturnsErrClosed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := chanop.New[int]()
		c.Close()
		assert.ErrorIs(t, c.Send(1), chanop.ErrClosed)
		assert.ErrorIs(t, guard.Wait(c.SendOp(2)), chanop.ErrClosed)
		assert.Equal(t, 0, c.Len(), "a refused send must not stay queued")
	})
}

func TestErrClosedMessageNamesPackage(t *testing.T) {
	assert.Contains(t, chanop.ErrClosed.Error(), "chanop")
	assert.NotErrorIs(t, chanop.ErrClosed, guard.ErrNoGuards)
}

func TestCloseTwiceIsNoOp(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := chanop.New[int]()
		c.Close()
		assert.NotPanics(t, c.Close)
		assert.NotPanics(t, c.Close)
		assert.ErrorIs(t, c.Send(1), chanop.ErrClosed)
		_, err := c.Recv()
		assert.ErrorIs(t, err, chanop.ErrClosed)
	})
}

func TestCloseReleasesBlockedSenderWithErrClosed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := chanop.New[int]()
		plain := goErr(func() error { return c.Send(1) })
		viaOp := goErr(func() error { return guard.Wait(c.SendOp(2)) })
		synctest.Wait()
		require.False(t, plain.Returned())
		require.False(t, viaOp.Returned())
		assert.Equal(t, 2, c.Len())

		c.Close()
		synctest.Wait()
		require.True(t, plain.Returned(), "blocked Send not released by Close")
		require.True(t, viaOp.Returned(), "blocked Wait(SendOp) not released by Close")
		assert.ErrorIs(t, plain.Err, chanop.ErrClosed)
		assert.ErrorIs(t, viaOp.Err, chanop.ErrClosed)
		assert.Equal(t, 0, c.Len())

		// Nothing was delivered, so nothing can be received afterwards.
		_, err := c.Recv()
		assert.ErrorIs(t, err, chanop.ErrClosed)
	})
}

func TestCloseReleasesBlockedReceiverWithErrClosed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := chanop.New[int]()
		plain := goCall(c.Recv)
		r := c.RecvOp()
		viaOp := goErr(func() error { return guard.Wait(r) })
		synctest.Wait()
		require.False(t, plain.Returned())
		require.False(t, viaOp.Returned())

		c.Close()
		synctest.Wait()
		require.True(t, plain.Returned(), "blocked Recv not released by Close")
		require.True(t, viaOp.Returned(), "blocked Wait(RecvOp) not released by Close")
		assert.ErrorIs(t, plain.Err, chanop.ErrClosed)
		assert.Zero(t, plain.V)
		assert.ErrorIs(t, viaOp.Err, chanop.ErrClosed)
		assert.Zero(t, r.Value())
	})
}

func TestLenCountsOnlyWaitingSenders(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := chanop.New[int]()
		defer c.Close()
		assert.Equal(t, 0, c.Len())
		for i := range 3 {
			goErr(func() error { return c.Send(i) })
			synctest.Wait()
			assert.Equal(t, i+1, c.Len())
		}
		_, err := c.Recv()
		require.NoError(t, err)
		assert.Equal(t, 2, c.Len())
		c.Close()
		synctest.Wait()
		assert.Equal(t, 0, c.Len(), "Close released every sender")
	})
}

func TestSendOpAndRecvOpReportTheirChannel(t *testing.T) {
	c := chanop.New[int]()
	s := c.SendOp(1)
	r := c.RecvOp()
	assert.Same(t, c, s.GuardOps().(guard.OnChannel).Channel())
	assert.Same(t, c, r.GuardOps().(guard.OnChannel).Channel())
	// Their lock is the channel's lock, the same slice every time.
	require.Len(t, s.GuardOps().Locks(), 1)
	require.Len(t, r.GuardOps().Locks(), 1)
	assert.Same(t, c.SourceOps().SourceLock(), s.GuardOps().Locks()[0])
	assert.Same(t, c.SourceOps().SourceLock(), r.GuardOps().Locks()[0])
	assert.Same(t, &s.GuardOps().Locks()[0], &s.GuardOps().Locks()[0])
	assert.True(t, guard.Enabled(s.GuardOps()))
	assert.True(t, guard.Enabled(r.GuardOps()))
}

func TestWaitOnRecvOpStoresValue(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := chanop.New[[]string]()
		defer c.Close()
		r := c.RecvOp()
		for i, want := range [][]string{{"a"}, {"b", "c"}} {
			s := goErr(func() error { return c.Send(want) })
			if i == 1 {
				synctest.Wait() // second round: the sender is already parked
			}
			require.NoError(t, guard.Wait(r))
			assert.Equal(t, want, r.Value(), "round %d", i)
			synctest.Wait()
			assert.True(t, s.Returned())
		}
	})
}

func TestGuardProtocolOfRecvOpByHand(t *testing.T) {
	// Drive a RecvOp through the protocol the way a select does (pass 1).
	synctest.Test(t, func(t *testing.T) {
		c := chanop.New[int]()
		defer c.Close()
		r := c.RecvOp()
		ls := r.GuardOps().Locks()

		guard.LockAll(ls)
		assert.False(t, r.GuardOps().Poll(), "no sender: not ready")
		ok, err := r.GuardOps().Commit()
		assert.False(t, ok, "Commit without a sender must fail")
		assert.NoError(t, err)
		guard.UnlockAll(ls)

		s := goErr(func() error { return c.Send(5) })
		synctest.Wait()

		guard.LockAll(ls)
		require.True(t, r.GuardOps().Poll(), "a parked sender makes RecvOp ready")
		ok, err = r.GuardOps().Commit()
		guard.UnlockAll(ls)
		require.True(t, ok)
		require.NoError(t, err)
		assert.Equal(t, 5, r.Value())
		synctest.Wait()
		assert.False(t, s.Returned(), "the partner is woken by AfterUnlock, not by Commit")
		r.GuardOps().AfterUnlock()
		synctest.Wait()
		assert.True(t, s.Returned())
		assert.NoError(t, s.Err)
	})
}

func TestGuardProtocolOfSendOpByHand(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := chanop.New[int]()
		defer c.Close()
		s := c.SendOp(9)
		ls := s.GuardOps().Locks()

		guard.LockAll(ls)
		assert.False(t, s.GuardOps().Poll())
		guard.UnlockAll(ls)

		r := goCall(c.Recv)
		synctest.Wait()

		guard.LockAll(ls)
		require.True(t, s.GuardOps().Poll())
		ok, err := s.GuardOps().Commit()
		guard.UnlockAll(ls)
		require.True(t, ok)
		require.NoError(t, err)
		s.GuardOps().AfterUnlock()
		synctest.Wait()
		require.True(t, r.Returned())
		assert.Equal(t, 9, r.V)

		c.Close()
		guard.LockAll(ls)
		assert.True(t, s.GuardOps().Poll(), "a closed channel makes SendOp ready")
		ok, err = s.GuardOps().Commit()
		guard.UnlockAll(ls)
		assert.True(t, ok)
		assert.ErrorIs(t, err, chanop.ErrClosed)
		s.GuardOps().AfterUnlock()
	})
}

func TestEnqueueingAnOpTwicePanics(t *testing.T) {
	c := chanop.New[int]()
	s, r := c.SendOp(1), c.RecvOp()
	var w guard.Waiter
	e1 := &guard.Entry{W: &w, G: s.GuardOps()}
	e2 := &guard.Entry{W: &w, G: s.GuardOps()}
	e3 := &guard.Entry{W: &w, G: r.GuardOps()}
	e4 := &guard.Entry{W: &w, G: r.GuardOps()}

	c.SourceOps().SourceLock().Lock()
	s.GuardOps().Enqueue(e1)
	assertPanicsWithPrefix(t, "chanop: ", func() { s.GuardOps().Enqueue(e2) }, "SendOp.Enqueue twice")
	r.GuardOps().Enqueue(e3)
	assertPanicsWithPrefix(t, "chanop: ", func() { r.GuardOps().Enqueue(e4) }, "RecvOp.Enqueue twice")
	assert.True(t, e1.Queued())
	assert.True(t, e3.Queued())
	s.GuardOps().Dequeue(e1)
	r.GuardOps().Dequeue(e3)
	assert.False(t, e1.Queued())
	assert.False(t, e3.Queued())
	// Dequeue tolerates an entry that is no longer queued.
	assert.NotPanics(t, func() { s.GuardOps().Dequeue(e1); r.GuardOps().Dequeue(e3) })
	c.SourceOps().SourceLock().Unlock()

	// After Dequeue the ops are usable again.
	c.SourceOps().SourceLock().Lock()
	assert.NotPanics(t, func() { s.GuardOps().Enqueue(e2); s.GuardOps().Dequeue(e2) })
	c.SourceOps().SourceLock().Unlock()
	assert.Equal(t, 0, c.Len())
}

// recordingListener counts the notifications a listener entry receives.
type recordingListener struct {
	n    atomic.Int64
	last atomic.Pointer[guard.Entry]
}

func (l *recordingListener) Notify(e *guard.Entry) {
	l.last.Store(e)
	l.n.Add(1)
}

func TestChanAsJoinSource(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := chanop.New[string]()
		defer c.Close()
		var src chanop.Source[string] = c
		mu := src.SourceOps().SourceLock()
		assert.Same(t, c.RecvOp().GuardOps().Locks()[0], mu)
		assert.Equal(t, 0, src.SourceOps().Buffered(), "a synchronous channel buffers nothing")
		assertPanicsWithPrefix(t, "chanop: ", func() { src.SourceOps().TakeBuffered() }, "TakeBuffered on a Chan")
		assert.NotPanics(t, src.SourceOps().Settle)

		l := &recordingListener{}
		le := &guard.Entry{W: new(guard.Waiter), L: l}
		mu.Lock()
		src.SourceOps().Listen(le)
		mu.Unlock()
		assert.True(t, le.Queued())

		s := goErr(func() error { return c.Send("msg") })
		synctest.Wait()
		assert.Equal(t, int64(1), l.n.Load(), "a parked sender notifies listeners")
		assert.Same(t, le, l.last.Load())

		// Take the sender's message the way a join pattern does.
		mu.Lock()
		q := src.SourceOps().Senders()
		require.Equal(t, 1, q.Len())
		e := q.Front()
		require.NotNil(t, e)
		require.True(t, guard.ClaimAll([]*guard.Waiter{e.W}))
		v := src.SourceOps().TakeSender(e)
		e.W.Complete(e, nil)
		assert.Equal(t, 0, q.Len(), "TakeSender removes the entry")
		assert.False(t, src.SourceOps().Closed())
		mu.Unlock()
		e.W.Wake()
		assert.Equal(t, "msg", v)
		synctest.Wait()
		require.True(t, s.Returned())
		assert.NoError(t, s.Err)

		// A SendOp parked by a select notifies listeners too.
		s = goErr(func() error { return guard.Wait(c.SendOp("op")) })
		synctest.Wait()
		assert.Equal(t, int64(2), l.n.Load())

		c.Close()
		synctest.Wait()
		assert.True(t, src.SourceOps().Closed())
		assert.Equal(t, int64(3), l.n.Load(), "Close notifies listeners")
		require.True(t, s.Returned())
		assert.ErrorIs(t, s.Err, chanop.ErrClosed)

		mu.Lock()
		src.SourceOps().Unlisten(le)
		mu.Unlock()
		assert.False(t, le.Queued())
	})
}
