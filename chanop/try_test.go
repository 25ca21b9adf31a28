package chanop_test

import (
	"runtime"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/internal/testkit"
	"github.com/gochord/chord/join"
	"github.com/gochord/chord/selectx"
)

func TestTryRecvTakesAParkedSenderAndReleasesIt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := chanop.New[int]()
		v, ok, err := c.TryRecv()
		assert.Equal(t, 0, v)
		assert.False(t, ok, "no sender")
		assert.NoError(t, err)

		sent := goErr(func() error { return c.Send(7) })
		synctest.Wait()
		v, ok, err = c.TryRecv()
		require.NoError(t, err)
		assert.True(t, ok)
		assert.Equal(t, 7, v)
		synctest.Wait()
		assert.True(t, sent.Returned(), "the sender is released")
		assert.NoError(t, sent.Err)
		assert.Zero(t, c.Len())
	})
}

func TestTrySendHandsToAParkedSelectAndCompletesThatGuard(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, b := chanop.New[string](), chanop.New[string]()
		ok, err := b.TrySend("lost")
		assert.False(t, ok, "no receiver")
		assert.NoError(t, err)

		ra, rb := a.RecvOp(), b.RecvOp()
		done := make(chan chanop.Guard, 1)
		go func() {
			g, err := selectx.Select(ra, rb)
			assert.NoError(t, err)
			done <- g
		}()
		synctest.Wait()
		ok, err = b.TrySend("hi")
		require.NoError(t, err)
		assert.True(t, ok)
		assert.Same(t, rb, <-done)
		assert.Equal(t, "hi", rb.Value())
	})
}

func TestTryOnAClosedChanReturnsErrClosed(t *testing.T) {
	c := chanop.New[int]()
	c.Close()
	_, ok, err := c.TryRecv()
	assert.False(t, ok)
	assert.ErrorIs(t, err, chanop.ErrClosed)
	ok, err = c.TrySend(1)
	assert.False(t, ok)
	assert.ErrorIs(t, err, chanop.ErrClosed)
}

func TestTryOnANilChanIsNeverReady(t *testing.T) {
	var c *chanop.Chan[int]
	v, ok, err := c.TryRecv()
	assert.Equal(t, 0, v)
	assert.False(t, ok)
	assert.NoError(t, err)
	ok, err = c.TrySend(1)
	assert.False(t, ok)
	assert.NoError(t, err)
}

// A join pattern takes only the messages of senders that wait; TrySend
// does not wait, so a pattern waiting on c leaves it undelivered, as
// PriSelect(c.SendOp(v), Skip()) does.
func TestTrySendIsNotTakenByAWaitingPattern(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := chanop.New[int]()
		part := join.From(c)
		fired := goErr(join.All(part).Wait)
		synctest.Wait()

		ok, err := c.TrySend(1)
		assert.False(t, ok)
		assert.NoError(t, err)
		send := c.SendOp(1)
		g, err := selectx.PriSelect(send, chanop.Skip())
		assert.NoError(t, err)
		assert.False(t, g == chanop.Guard(send), "the poll does not deliver either")
		synctest.Wait()
		assert.False(t, fired.Returned())

		require.NoError(t, c.Send(2)) // a waiting sender is taken
		synctest.Wait()
		assert.True(t, fired.Returned())
		assert.Equal(t, []int{2}, part.Values())
	})
}

func TestTryAllocatesNothing(t *testing.T) {
	c := chanop.New[int]()
	assert.Zero(t, testkit.AllocsWithin(t, func() {
		_, _, _ = c.TryRecv()
		_, _ = c.TrySend(1)
	}), "Try that finds no partner")

	// A receiver that parks again and again (its blocks recycled), and a
	// TrySend that retries until it finds it parked.
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			if _, err := c.Recv(); err != nil {
				return
			}
		}
	})
	defer wg.Wait()
	defer c.Close()
	assert.Zero(t, testkit.AllocsWithin(t, func() {
		for {
			if ok, _ := c.TrySend(1); ok {
				return
			}
			runtime.Gosched()
		}
	}), "TrySend that finds a partner, with the partner's parking")
}
