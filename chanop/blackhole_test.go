package chanop_test

import (
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/selectx"
)

func TestBlackHole(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := chanop.BlackHole[int]()
		for i := range 3 {
			require.NoError(t, h.Send(i))
			ok, err := h.TrySend(i)
			require.True(t, ok)
			require.NoError(t, err)
		}
		s := h.SendOp(1)
		idle := chanop.New[int]()
		for range 20 {
			g, err := selectx.Select(idle.RecvOp(), s)
			require.NoError(t, err)
			require.Same(t, s, g, "a black hole's send is always ready")
		}
		assert.Equal(t, 0, h.Len())
		_, ok, err := h.TryRecv()
		assert.False(t, ok)
		assert.NoError(t, err)
		recv := goCall(h.Recv)
		synctest.Wait()
		assert.False(t, recv.Returned(), "a receive from a black hole got something")
		h.Close()
		synctest.Wait()
		require.True(t, recv.Returned())
		assert.ErrorIs(t, recv.Err, chanop.ErrClosed)
		assert.ErrorIs(t, h.Send(1), chanop.ErrClosed)
		g, err := selectx.Select(idle.RecvOp(), s)
		assert.Same(t, s, g)
		assert.ErrorIs(t, err, chanop.ErrClosed)
	})
}

// TestPoisonStopsCommstime: closing any one of commstime's four channels,
// at any point, ends all three processes of the ring (and the consumer),
// each of which closes its channels when it meets ErrClosed.
func TestPoisonStopsCommstime(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		a, b, c, d := chanop.New[int](), chanop.New[int](), chanop.New[int](), chanop.New[int]()
		chans := []*chanop.Chan[int]{a, b, c, d}
		var wg sync.WaitGroup
		wg.Go(func() {
			defer a.Close()
			defer c.Close()
			for v, err := 0, error(nil); err == nil; v, err = c.Recv() {
				if a.Send(v) != nil {
					return
				}
			}
		})
		wg.Go(func() {
			defer a.Close()
			defer b.Close()
			defer d.Close()
			for v, err := a.Recv(); err == nil; v, err = a.Recv() {
				if b.Send(v) != nil || d.Send(v) != nil {
					return
				}
			}
		})
		wg.Go(func() {
			defer b.Close()
			defer c.Close()
			for v, err := b.Recv(); err == nil; v, err = b.Recv() {
				if c.Send(v+1) != nil {
					return
				}
			}
		})
		n := rng.IntN(20)
		wg.Go(func() {
			defer d.Close()
			for i := 0; ; i++ {
				v, err := d.Recv()
				if err != nil {
					return
				}
				if v != i {
					panic("commstime miscounted")
				}
			}
		})
		poison := chans[rng.IntN(4)]
		for range n {
			runtime.Gosched()
		}
		poison.Close()
		wg.Wait() // the test's deadline catches a process left behind
	}
}
