package buffer_test

import (
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/buffer"
	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/internal/testkit"
	"github.com/gochord/chord/join"
)

func TestTrySendStoresUntilFullAndTryRecvTakesOldestFirst(t *testing.T) {
	b := buffer.New[int](2)
	for v := range 3 {
		ok, err := b.TrySend(v)
		require.NoError(t, err)
		assert.Equal(t, v < 2, ok, "TrySend(%d) on New(2)", v)
	}
	for want := range 2 {
		v, ok, err := b.TryRecv()
		require.NoError(t, err)
		assert.True(t, ok)
		assert.Equal(t, want, v)
	}
	v, ok, err := b.TryRecv()
	assert.NoError(t, err)
	assert.False(t, ok, "empty")
	assert.Zero(t, v)
}

func TestTrySendOnUnboundedNeverFails(t *testing.T) {
	u := buffer.Unbounded[int]()
	for v := range 1000 {
		ok, err := u.TrySend(v)
		require.NoError(t, err)
		require.True(t, ok)
	}
	assert.Equal(t, 1000, u.Len())
}

func TestTryRecvOnAFullBufferReleasesTheOldestBlockedSender(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := buffer.New[int](1)
		require.NoError(t, b.Send(1))
		blocked := goAsync(func() error { return b.Send(2) })
		synctest.Wait()
		mustBeBlocked(t, blocked, "Send(2) on a full buffer")

		v, ok, err := b.TryRecv()
		require.NoError(t, err)
		assert.True(t, ok)
		assert.Equal(t, 1, v)
		synctest.Wait()
		assert.NoError(t, mustBeDone(t, blocked, "Send(2) after TryRecv made room"))
		assert.Equal(t, 1, b.Len(), "2 moved into the room")
		ok, err = b.TrySend(3)
		assert.NoError(t, err)
		assert.False(t, ok, "full again")
	})
}

func TestTrySendHandsToAParkedReceiver(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := buffer.New[string](1)
		got := goAsync(func() strResult { v, err := b.Recv(); return strResult{v, err} })
		synctest.Wait()
		ok, err := b.TrySend("hi")
		require.NoError(t, err)
		assert.True(t, ok)
		synctest.Wait()
		assert.Equal(t, strResult{"hi", nil}, mustBeDone(t, got, "Recv"))
		assert.Zero(t, b.Len())
	})
}

type strResult struct {
	v   string
	err error
}

// Unlike a synchronous channel's, a buffer's TrySend stores the message,
// so a pattern waiting on the buffer fires.
func TestTrySendWakesAPatternWaitingOnTheBuffer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := buffer.Unbounded[int]()
		part := join.FromN(b, 2)
		fired := goAsync(join.All(part).Wait)
		synctest.Wait()
		for v := range 2 {
			ok, err := b.TrySend(v)
			require.NoError(t, err)
			require.True(t, ok)
		}
		synctest.Wait()
		assert.NoError(t, mustBeDone(t, fired, "pattern"))
		assert.Equal(t, []int{0, 1}, part.Values())
	})
}

func TestTryOnAClosedBufferDrainsThenReturnsErrClosed(t *testing.T) {
	b := buffer.New[int](2)
	require.NoError(t, b.Send(5))
	b.Close()
	ok, err := b.TrySend(6)
	assert.False(t, ok)
	assert.ErrorIs(t, err, chanop.ErrClosed)
	v, ok, err := b.TryRecv()
	assert.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, 5, v)
	_, ok, err = b.TryRecv()
	assert.False(t, ok)
	assert.ErrorIs(t, err, chanop.ErrClosed)
}

func TestTryOnANilBufferIsNeverReady(t *testing.T) {
	var b *buffer.Buffer[int]
	v, ok, err := b.TryRecv()
	assert.Zero(t, v)
	assert.False(t, ok)
	assert.NoError(t, err)
	ok, err = b.TrySend(1)
	assert.False(t, ok)
	assert.NoError(t, err)
}

func TestTryOnAZeroBufferPanics(t *testing.T) {
	var b buffer.Buffer[int]
	mustPanic(t, "buffer: TryRecv on zero Buffer; make one with New or Unbounded", func() { b.TryRecv() })
	mustPanic(t, "buffer: TrySend on zero Buffer; make one with New or Unbounded", func() { b.TrySend(1) })
}

func TestTryAllocatesNothing(t *testing.T) {
	b := buffer.New[int](4)
	assert.Zero(t, testkit.AllocsWithin(t, func() {
		_, _ = b.TrySend(1)
		_, _, _ = b.TryRecv()
		_, _, _ = b.TryRecv()
	}))
}
