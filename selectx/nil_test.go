package selectx_test

import (
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/buffer"
	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/guard"
	"github.com/gochord/chord/internal/testkit"
	"github.com/gochord/chord/selectx"
)

// nilGuards returns the guards of a nil *Chan and a nil *Buffer.
func nilGuards() []chanop.Guard {
	var c *chanop.Chan[int]
	var b *buffer.Buffer[int]
	return []chanop.Guard{c.RecvOp(), c.SendOp(1), b.RecvOp(), b.SendOp(1)}
}

func TestNilChannelGuardsAreDisabled(t *testing.T) {
	for i, g := range nilGuards() {
		o := g.GuardOps()
		assert.False(t, guard.Enabled(o), "guard %d", i)
		assert.False(t, o.Poll(), "guard %d", i)
		assert.Empty(t, o.Locks(), "guard %d", i)
	}
	var c *chanop.Chan[int]
	assert.Equal(t, c, c.RecvOp().GuardOps().(guard.OnChannel).Channel())
	assert.True(t, guard.Enabled(chanop.New[int]().RecvOp().GuardOps()))
}

// Go blocks forever in a select whose channels are all nil; chord returns
// ErrNoGuards, as for a select whose guards are all When(false, …), since
// it never hangs.
func TestSelectOverOnlyNilChannelGuardsReturnsErrNoGuards(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		gs := nilGuards()
		for name, sel := range selects() {
			g, err := sel(gs...)
			assert.Nil(t, g, name)
			assert.ErrorIs(t, err, selectx.ErrNoGuards, name)
		}
		for name, sel := range indexSelects() {
			i, err := sel(gs...)
			assert.Equal(t, -1, i, name)
			assert.ErrorIs(t, err, selectx.ErrNoGuards, name)
		}
		for i, g := range gs {
			assert.ErrorIs(t, guard.Wait(g), guard.ErrNoGuards, "Wait on guard %d", i)
		}
	})
}

func TestNilChannelGuardsNeverCompleteBesideReadyOnes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := chanop.New[int]()
		b := buffer.Unbounded[int]()
		for name, sel := range selects() {
			go c.Send(1)
			synctest.Wait()
			r := c.RecvOp()
			// The nil guards come first: PriSelect must pass over them.
			g, err := sel(append(nilGuards(), r)...)
			require.NoError(t, err, name)
			assert.Same(t, r, g, name)

			require.NoError(t, b.Send(2))
			br := b.RecvOp()
			g, err = sel(append(nilGuards(), br)...)
			require.NoError(t, err, name)
			assert.Same(t, br, g, name)
			assert.Equal(t, 2, br.Value(), name)
		}
	})
}

func TestNilChannelGuardsInABlockingSelect(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := chanop.New[string]()
		for name, sel := range selects() {
			r := c.RecvOp()
			done := make(chan chanop.Guard, 1)
			go func() {
				g, err := sel(append(nilGuards(), r)...)
				assert.NoError(t, err, name)
				done <- g
			}()
			synctest.Wait() // parked on r only
			require.NoError(t, c.Send("x"))
			assert.Same(t, r, <-done, name)
		}
	})
}

// The idiom: When(c != nil, c.SendOp(v)) no longer panics when c
// is nil; neither does the plain c.SendOp(v).
func TestWhenWithANilChannelGuardDoesNotPanic(t *testing.T) {
	var c *chanop.Chan[int]
	_, err := selectx.Select(chanop.When(c != nil, c.SendOp(1)))
	assert.ErrorIs(t, err, selectx.ErrNoGuards)
	_, err = selectx.Select(c.SendOp(1))
	assert.ErrorIs(t, err, selectx.ErrNoGuards)
}

func TestSkipGuardsAreDistinct(t *testing.T) {
	a, b := chanop.Skip(), chanop.Skip()
	assert.NotSame(t, a, b)
	assert.False(t, a == b)
	g, err := selectx.PriSelect(a, b)
	require.NoError(t, err)
	assert.True(t, g == a, "PriSelect takes the first of two defaults")
	seen := map[chanop.Guard]bool{}
	for k := 0; k < 10000 && len(seen) < 2; k++ {
		g, err := selectx.Select(a, b)
		require.NoError(t, err)
		seen[g] = true
	}
	assert.Len(t, seen, 2, "Select tells the two defaults apart")
}

func TestSelectOverSkipAllocatesNothing(t *testing.T) {
	c := chanop.New[int]()
	r, skip := c.RecvOp(), chanop.Skip()
	nc := (*chanop.Chan[int])(nil)
	nr := nc.RecvOp()
	assert.Zero(t, testkit.AllocsWithin(t, func() {
		_, _ = selectx.PriSelect(r, skip)
		_, _ = selectx.Select(r, nr, skip)
		_, _ = selectx.PriSelectIndex(nr, r, skip)
	}))
}
