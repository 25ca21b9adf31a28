package selectx_test

import (
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/buffer"
	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/selectx"
)

// Issue 20, item 4a: registering a plain guard on a channel that two
// watched receives share made both plain while ranging over the list
// that unwatching shrank, and dereferenced the nil it left behind.
func TestSelectorTwoReceivesAndASendOnOneChannel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := chanop.New[int]()
		r1, r2, w := c.RecvOp(), c.RecvOp(), c.SendOp(5)
		s := selectx.NewSelector(r1, r2, w)
		defer s.Close()
		go c.Send(1)
		synctest.Wait()
		g, err := s.Select()
		require.NoError(t, err)
		require.True(t, g == r1 || g == r2, "a receive completes: %v", g)
		assert.Equal(t, 1, g.(*chanop.RecvOp[int]).Value())

		got := make(chan int, 1)
		go func() { v, _ := c.Recv(); got <- v }()
		synctest.Wait()
		g, err = s.Select()
		require.NoError(t, err)
		assert.Same(t, w, g)
		assert.Equal(t, 5, <-got)
	})
}

// The same with a buffer, whose receives a send on it turns plain.
func TestSelectorTwoReceivesAndASendOnOneBuffer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := buffer.New[int](1)
		r1, r2 := b.RecvOp(), b.RecvOp()
		s := selectx.NewSelector(r1, r2, b.SendOp(7))
		defer s.Close()
		for range 10 {
			i, err := s.SelectIndex()
			require.NoError(t, err)
			require.Contains(t, []int{0, 1, 2}, i)
		}
	})
}

// Issue 20, item 4b: every disabled guard is the same comparable value, so
// a Selector over several panicked as "already registered" where Select
// accepts the same list.
func TestSelectorAcceptsSeveralDisabledGuards(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, b := chanop.New[int](), chanop.New[int]()
		d1, d2 := chanop.When(false, a.RecvOp()), chanop.When(false, b.RecvOp())
		r := b.RecvOp()
		s := selectx.NewSelector(d1, d2, r)
		defer s.Close()
		assert.Equal(t, 3, s.Len())
		go b.Send(3)
		synctest.Wait()
		i, err := s.SelectIndex()
		require.NoError(t, err)
		assert.Equal(t, 2, i)

		// Remove of a disabled guard ends one registration of an equal
		// value, the earliest; all of them are alike.
		assert.True(t, s.Remove(d2))
		assert.Equal(t, 2, s.Len())
		assert.True(t, s.Remove(d1))
		assert.False(t, s.Remove(d1), "none left")
		assert.Equal(t, 1, s.Len())

		// Nothing enabled: ErrNoGuards, however many disabled guards.
		s2 := selectx.NewSelector(d1, d2, chanop.When(false, chanop.Skip()))
		defer s2.Close()
		i, err = s2.SelectIndex()
		assert.Equal(t, -1, i)
		assert.ErrorIs(t, err, selectx.ErrNoGuards)
	})
}
