package selectx_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/guard"
	"github.com/gochord/chord/selectx"
)

// TestChannelStaysUsableAfterRecoveredMisusePanic: passing one SendOp or
// RecvOp twice to a blocking select (or running it in two selects at once)
// panics, as documented. A program that recovers from that panic (an
// HTTP server's per-request recover, say) must not be left with a channel
// whose lock is held forever: every later operation on it would block on a
// sync.Mutex, which testing/synctest does not count as durably blocked, so
// even inside a bubble the hang would not be reported as a deadlock.
//
// Regression test: before commit cfe1a31 (guard.EnqueueAll), selectx's
// block (pass 2) called g.Enqueue with the locks of every guard held, and
// (*RecvOp).Enqueue / (*SendOp).Enqueue panicked there without those locks
// being released; guard.Wait did the same. The first Enqueue of the pair
// also left in the channel's queue an entry of a waiter that never parks.
func TestChannelStaysUsableAfterRecoveredMisusePanic(t *testing.T) {
	cases := map[string]func(c *chanop.Chan[int]){
		"Select(r, r)": func(c *chanop.Chan[int]) {
			r := c.RecvOp()
			_, _ = selectx.Select(r, r)
		},
		"PriSelect(s, s)": func(c *chanop.Chan[int]) {
			s := c.SendOp(1)
			_, _ = selectx.PriSelect(s, s)
		},
		"Wait(s) while s waits in another select": func(c *chanop.Chan[int]) {
			s := c.SendOp(1)
			go func() { _ = guard.Wait(s) }() // released by Close below
			for c.Len() == 0 {
				time.Sleep(time.Millisecond)
			}
			_ = guard.Wait(s)
		},
	}
	for name, misuse := range cases {
		t.Run(name, func(t *testing.T) {
			c := chanop.New[int]()
			defer c.Close()
			require.NotNil(t, panicValue(func() { misuse(c) }), "misuse did not panic")

			// The channel's lock was released.
			lenc := make(chan int, 1)
			go func() { lenc <- c.Len() }()
			var n int
			select {
			case n = <-lenc:
			case <-time.After(500 * time.Millisecond):
				t.Errorf("Len still blocked 500ms after the recovered panic: the select's lock on the channel was never released")
				c.SourceOps().SourceLock().Unlock() // release the leaked lock so the goroutine ends
				n = <-lenc
			}

			// No entry of the aborted select was left behind: no phantom
			// sender is counted, and no phantom receiver swallows a message.
			want := 0
			if name == "Wait(s) while s waits in another select" {
				want = 1 // the legitimate first Wait
			}
			assert.Equal(t, want, n, "senders waiting after the recovered panic")
			sent := make(chan error, 1)
			go func() { sent <- c.Send(7) }()
			select {
			case err := <-sent:
				if err == nil {
					t.Errorf("Send(7) completed with no receiver: an entry of the aborted select took the message")
				}
			case <-time.After(20 * time.Millisecond): // blocked, as it should
				c.Close()
				require.ErrorIs(t, <-sent, chanop.ErrClosed)
			}
		})
	}
}
