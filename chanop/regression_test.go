package chanop_test

import (
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/guard"
)

// TestRecvOpValueIsZeroAfterReceiveMeetsClose: a RecvOp that completes with
// ErrClosed received no message, so Value must not report one — and it
// must not depend on whether the receive found the channel already closed
// or was waiting when Close came (a timing accident the caller cannot
// see). Recv returns the zero value in both cases; RecvOp must agree.
//
// Regression test: before commit cfe1a31, Close (the loop over c.recvq in
// (*Chan).Close) completed a waiting receiver's entry with ErrClosed but
// left its RecvOp's value as it was, so Value still returned the message of
// the guard's previous completion, while the ready path ((*RecvOp).Commit
// via takeSender) stored the zero value.
func TestRecvOpValueIsZeroAfterReceiveMeetsClose(t *testing.T) {
	for _, when := range []string{"closed before the receive", "closed while the receive waits"} {
		t.Run(when, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				c := chanop.New[int]()
				r := c.RecvOp()
				go func() { _ = c.Send(5) }()
				require.NoError(t, guard.Wait(r))
				require.Equal(t, 5, r.Value())

				var err error
				if when == "closed before the receive" {
					c.Close()
					err = guard.Wait(r)
				} else {
					p := goErr(func() error { return guard.Wait(r) })
					synctest.Wait()
					require.False(t, p.Returned())
					c.Close()
					synctest.Wait()
					require.True(t, p.Returned())
					err = p.Err
				}
				require.ErrorIs(t, err, chanop.ErrClosed)
				assert.Zero(t, r.Value(),
					"RecvOp completed with ErrClosed but Value still reports the previous message")
			})
		})
	}
}
