package buffer_test

import (
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/buffer"
	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/join"
)

// A FromN(b, 3) part on a closed buffer is dead as soon as fewer than 3
// messages remain (Part.dead), not only when b is empty. A take that leaves
// 1 or 2 messages in the closed buffer must tell the pattern, or its owner
// waits forever.
func TestReviewFromNOnClosedBufferEndsWhenTooFewMessagesRemain(t *testing.T) {
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
				b := buffer.New[int](4)
				for i := range 3 {
					require.NoError(t, b.Send(i))
				}
				b.Close()
				c := chanop.New[int]() // never gets a message
				p := join.All(join.FromN[int](b, 3), join.From[int](c))
				done := make(chan error, 1)
				go func() { done <- p.Wait() }()
				synctest.Wait()
				select {
				case err := <-done:
					t.Fatalf("pattern returned %v before the take; want it waiting", err)
				default:
				}
				take(b) // 2 left: FromN(b, 3) can never be satisfied
				synctest.Wait()
				select {
				case err := <-done:
					require.ErrorIs(t, err, chanop.ErrClosed)
				default:
					c.Close() // release the owner so the bubble can end
					<-done
					t.Fatal("pattern still waiting on a closed buffer holding fewer messages than FromN needs")
				}
			})
		})
	}
}
