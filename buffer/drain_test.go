package buffer_test

import (
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/buffer"
	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/guard"
	"github.com/gochord/chord/join"
)

// A pattern waiting on a closed buffer can fire while the buffer holds
// enough messages for it. Once somebody else takes one and too few remain —
// none for From, fewer than n for FromN(b, n) (Part.dead) — it can never
// fire, and its owner must get ErrClosed rather than wait forever.
func TestPatternOnClosedBufferEndsWhenTooFewMessagesRemain(t *testing.T) {
	shapes := map[string]struct {
		stored int
		// pattern needs b and c; c never gets a message.
		pattern func(b *buffer.Buffer[int], c *chanop.Chan[int]) *join.Pattern
	}{
		"From, last message taken": {1, func(b *buffer.Buffer[int], c *chanop.Chan[int]) *join.Pattern {
			return join.All(join.From[int](b), join.From[int](c))
		}},
		"FromN(3), two left": {3, func(b *buffer.Buffer[int], c *chanop.Chan[int]) *join.Pattern {
			return join.All(join.FromN[int](b, 3), join.From[int](c))
		}},
	}
	takes := map[string]func(t *testing.T, b *buffer.Buffer[int]){
		"Recv": func(t *testing.T, b *buffer.Buffer[int]) { _, _ = b.Recv() },
		"RecvOp": func(t *testing.T, b *buffer.Buffer[int]) {
			require.NoError(t, guard.Wait(b.RecvOp()))
		},
		"another pattern": func(t *testing.T, b *buffer.Buffer[int]) {
			require.NoError(t, join.All(join.From[int](b)).Wait())
		},
	}
	for sname, shape := range shapes {
		for tname, take := range takes {
			t.Run(sname+"/"+tname, func(t *testing.T) {
				synctest.Test(t, func(t *testing.T) {
					b := buffer.New[int](4)
					for i := range shape.stored {
						require.NoError(t, b.Send(i))
					}
					b.Close()
					c := chanop.New[int]()
					p := shape.pattern(b, c)
					done := make(chan error, 1)
					go func() { done <- p.Wait() }()
					synctest.Wait()
					select {
					case err := <-done:
						t.Fatalf("pattern returned %v before the take; want it waiting", err)
					default:
					}
					take(t, b)
					synctest.Wait()
					select {
					case err := <-done:
						require.ErrorIs(t, err, chanop.ErrClosed)
					default:
						c.Close() // release the owner so the bubble can end
						<-done
						t.Fatal("pattern still waiting on a closed buffer holding too few messages for it")
					}
				})
			})
		}
	}
}
