package buffer_test

import (
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/buffer"
	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/join"
)

// A pattern waiting on a closed buffer that still holds a message can fire
// until somebody else takes that message; then it can never fire, and its
// owner must get ErrClosed rather than wait forever.
func TestPatternOnClosedBufferEndsWhenItsLastMessageIsTakenElsewhere(t *testing.T) {
	for name, take := range map[string]func(b *buffer.Buffer[int]){
		"Recv": func(b *buffer.Buffer[int]) { _, _ = b.Recv() },
		"RecvOp": func(b *buffer.Buffer[int]) {
			require.NoError(t, chanop.Wait(b.RecvOp()))
		},
		"another pattern": func(b *buffer.Buffer[int]) {
			require.NoError(t, join.All(join.From[int](b)).Wait())
		},
	} {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				b1, b2 := buffer.New[int](1), buffer.New[int](1)
				require.NoError(t, b1.Send(1))
				b1.Close()
				p := join.All(join.Each[int](b1, b2)) // b2 never gets a message
				done := make(chan error, 1)
				go func() { done <- p.Wait() }()
				synctest.Wait()
				take(b1)
				synctest.Wait()
				select {
				case err := <-done:
					require.ErrorIs(t, err, chanop.ErrClosed)
				default:
					t.Fatal("pattern still waiting on a closed, drained buffer")
				}
			})
		})
	}
}
