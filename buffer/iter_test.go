package buffer_test

import (
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/buffer"
)

func TestAllYieldsWhatWasStoredBeforeCloseThenEnds(t *testing.T) {
	b := buffer.Unbounded[int]()
	for v := range 3 {
		require.NoError(t, b.Send(v))
	}
	b.Close()
	var got []int
	for v := range b.All() {
		got = append(got, v)
	}
	assert.Equal(t, []int{0, 1, 2}, got)
}

// Breaking out of the loop leaves no goroutine (the bubble would report
// it), no queued receive, and the rest of the messages in the buffer.
func TestAllBreakLeavesTheRestInTheBuffer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := buffer.New[int](2)
		go func() {
			for v := range 5 {
				_ = b.Send(v)
			}
			b.Close()
		}()
		seq := b.All()
		for v := range seq {
			if v == 1 {
				break
			}
		}
		synctest.Wait()
		assert.Equal(t, 2, b.Len(), "2 and 3 stored, 4 waiting for room")

		var rest []int
		for v := range seq {
			rest = append(rest, v)
		}
		assert.Equal(t, []int{2, 3, 4}, rest)
	})
}

func TestAllBlocksUntilAMessageOrClose(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := buffer.New[string](1)
		got := goAsync(func() []string {
			var vs []string
			for v := range b.All() {
				vs = append(vs, v)
			}
			return vs
		})
		synctest.Wait()
		mustBeBlocked(t, got, "ranging over an empty buffer")
		require.NoError(t, b.Send("x"))
		synctest.Wait()
		mustBeBlocked(t, got, "ranging after one message")
		b.Close()
		synctest.Wait()
		assert.Equal(t, []string{"x"}, mustBeDone(t, got, "ranging after Close"))
	})
}

func TestAllOnANilBufferPanics(t *testing.T) {
	var b *buffer.Buffer[int]
	mustPanic(t, "buffer: All on nil *Buffer", func() { b.All() })
}
