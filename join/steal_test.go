package join_test

import (
	"runtime"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/buffer"
	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/join"
	"github.com/gochord/chord/selectx"
)

// TestStealStoredMessage: a message stored on a buffer that a parked
// owner's pattern waits for wakes the owner to fire the pattern itself
// (guard.ErrRetry); the storing party may take the message back first.
// Either way the message is taken exactly once, and an owner that lost it
// stays parked until the next message, which it then takes.
//
// With one processor the woken owner waits for the storing goroutine to
// block, so the steal is what happens; with several, either may.
func TestStealStoredMessage(t *testing.T) {
	steals := 0
	defer func() { t.Logf("%d steals in 100 runs", steals) }()
	for i := range 100 {
		if i == 0 {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
		}
		if i == 50 {
			runtime.GOMAXPROCS(2)
		}
		synctest.Test(t, func(t *testing.T) {
			b := buffer.New[int](1)
			part := join.From[int](b)
			p := join.All(part)
			w := goWait(p)
			synctest.Wait() // the owner is parked
			require.NoError(t, b.Send(1))
			v, stole, err := b.TryRecv() // the thief, racing the woken owner
			require.NoError(t, err)
			if !stole {
				require.NoError(t, <-w)
				assert.Equal(t, []int{1}, part.Values())
				return
			}
			assert.Equal(t, 1, v)
			steals++
			synctest.Wait()
			done, _ := waitReturned(w)
			require.False(t, done, "the owner fired without a message")
			require.NoError(t, b.Send(2))
			require.NoError(t, <-w)
			assert.Equal(t, []int{2}, part.Values())
			assert.Equal(t, 0, b.Len())
		})
	}
}

// TestStealRetriedBySelects: the owner woken to look again is a select over
// the pattern and another guard (selectx.Select), or a Selector; either
// returns the pattern, fired, and never surfaces the retry.
func TestStealRetriedBySelects(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := buffer.New[int](1)
		other := chanop.New[int]()
		part := join.From[int](b)
		p := join.All(part)
		r := make(chan error, 1)
		go func() {
			g, err := selectx.Select(p, other.RecvOp())
			if err == nil && g != p {
				err = assert.AnError
			}
			r <- err
		}()
		synctest.Wait()
		require.NoError(t, b.Send(7))
		require.NoError(t, <-r)
		assert.Equal(t, []int{7}, part.Values())

		s := selectx.NewSelector(p, other.RecvOp())
		defer s.Close()
		go func() {
			g, err := s.Select()
			if err == nil && g != p {
				err = assert.AnError
			}
			r <- err
		}()
		synctest.Wait()
		require.NoError(t, b.Send(8))
		require.NoError(t, <-r)
		assert.Equal(t, []int{8}, part.Values())
	})
}
