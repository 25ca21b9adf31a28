package chanop_test

import (
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/chanop"
)

func TestAllReceivesInOrderUntilClose(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := chanop.New[int]()
		go func() {
			for v := range 5 {
				_ = c.Send(v)
			}
			c.Close()
		}()
		var got []int
		for v := range c.All() {
			got = append(got, v)
		}
		assert.Equal(t, []int{0, 1, 2, 3, 4}, got)
	})
}

// Breaking out of the loop leaves no goroutine (the bubble would report
// it) and no queued receive: the next sender stays parked, a TrySend finds
// no receiver, and ranging again resumes with the next message.
func TestAllBreakLeavesNothingBehind(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := chanop.New[int]()
		go func() {
			for v := range 4 {
				_ = c.Send(v)
			}
		}()
		seq := c.All()
		for v := range seq {
			if v == 1 {
				break
			}
		}
		synctest.Wait()
		assert.Equal(t, 1, c.Len(), "the sender of 2 is parked, not taken")
		ok, err := c.TrySend(-1)
		assert.NoError(t, err)
		assert.False(t, ok, "no receive is left queued")

		var rest []int
		for v := range seq {
			rest = append(rest, v)
			if v == 3 {
				break
			}
		}
		assert.Equal(t, []int{2, 3}, rest)
		synctest.Wait()
		assert.Zero(t, c.Len())
	})
}

func TestAllOnAClosedChanYieldsNothing(t *testing.T) {
	c := chanop.New[int]()
	c.Close()
	for v := range c.All() {
		t.Fatalf("yielded %d", v)
	}
}

func TestAllOnANilChanPanics(t *testing.T) {
	var c *chanop.Chan[int]
	assertPanicsWithPrefix(t, "chanop: All on nil *Chan", func() { c.All() }, "All")
}

func TestAllIsUnblockedByClose(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := chanop.New[int]()
		done := make(chan int)
		go func() {
			n := 0
			for range c.All() {
				n++
			}
			done <- n
		}()
		require.NoError(t, c.Send(1))
		synctest.Wait()
		c.Close()
		assert.Equal(t, 1, <-done)
	})
}
