package buffer_test

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/buffer"
	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/join"
	"github.com/gochord/chord/selectx"
)

var (
	_ chanop.Guard       = (*buffer.SendOp[int])(nil)
	_ chanop.Guard       = (*buffer.RecvOp[int])(nil)
	_ chanop.Source[int] = (*buffer.Buffer[int])(nil)
)

func TestMisusePanicsWithBufferMessage(t *testing.T) {
	mustPanic(t, "buffer: New(0): capacity must be at least 1 (chanop.New makes a synchronous channel)",
		func() { buffer.New[int](0) })
	mustPanic(t, "buffer: New(-3): capacity must be at least 1 (chanop.New makes a synchronous channel)",
		func() { buffer.New[int](-3) })
	var nilb *buffer.Buffer[int]
	mustPanic(t, "buffer: Send on nil *Buffer", func() { nilb.Send(1) })
	mustPanic(t, "buffer: Recv on nil *Buffer", func() { nilb.Recv() })
	mustPanic(t, "buffer: Close on nil *Buffer", func() { nilb.Close() })
	mustPanic(t, "buffer: All on nil *Buffer", func() { nilb.All() })
	var zero buffer.Buffer[int]
	mustPanic(t, "buffer: Send on zero Buffer; make one with New or Unbounded", func() { zero.Send(1) })
	mustPanic(t, "buffer: Len on zero Buffer; make one with New or Unbounded", func() { zero.Len() })
	mustPanic(t, "buffer: SourceOps on zero Buffer; make one with New or Unbounded", func() { zero.SourceOps() })
}

func TestCapReportsCapacityAndZeroForUnbounded(t *testing.T) {
	require.Equal(t, 1, buffer.New[int](1).Cap())
	require.Equal(t, 5000, buffer.New[int](5000).Cap())
	require.Equal(t, 0, buffer.Unbounded[int]().Cap())
}

func TestBoundedSendBlocksOnlyWhileFullAndStaysFIFO(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := buffer.New[int](3)
		for i := range 3 {
			require.NoError(t, b.Send(i)) // never blocks: room
			require.Equal(t, i+1, b.Len())
		}
		s3 := goAsync(func() error { return b.Send(3) })
		synctest.Wait()
		mustBeBlocked(t, s3, "Send on a full buffer")
		s4 := goAsync(func() error { return b.Send(4) })
		synctest.Wait()
		mustBeBlocked(t, s4, "second Send on a full buffer")
		require.Equal(t, 3, b.Len(), "Len counts stored messages only")

		v, err := b.Recv()
		require.NoError(t, err)
		require.Equal(t, 0, v)
		synctest.Wait()
		require.NoError(t, mustBeDone(t, s3, "oldest blocked Send after a Recv made room"))
		mustBeBlocked(t, s4, "younger blocked Send")
		require.Equal(t, 3, b.Len())

		for want := 1; want <= 4; want++ {
			v, err := b.Recv()
			require.NoError(t, err)
			require.Equal(t, want, v)
		}
		synctest.Wait()
		require.NoError(t, mustBeDone(t, s4, "last blocked Send"))
		require.Equal(t, 0, b.Len())
		require.NoError(t, b.CheckSettled())
	})
}

func TestUnboundedSendNeverBlocks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		u := buffer.Unbounded[string]()
		const n = 10000
		for i := range n {
			require.NoError(t, u.Send(string(rune('a'+i%26))))
		}
		require.Equal(t, n, u.Len())
		for i := range n {
			v, err := u.Recv()
			require.NoError(t, err)
			require.Equal(t, string(rune('a'+i%26)), v)
		}
		require.Equal(t, 0, u.Len())
	})
}

func TestRecvBlocksWhileEmptyAndSendHandsToOldestReceiver(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := buffer.New[int](2)
		recv := func() recvResult { v, err := b.Recv(); return recvResult{v, err} }
		r1 := goAsync(recv)
		synctest.Wait()
		r2 := goAsync(recv)
		synctest.Wait()
		mustBeBlocked(t, r1, "Recv on an empty buffer")
		mustBeBlocked(t, r2, "Recv on an empty buffer")

		require.NoError(t, b.Send(10))
		synctest.Wait()
		require.Equal(t, recvResult{10, nil}, mustBeDone(t, r1, "oldest receiver"))
		mustBeBlocked(t, r2, "younger receiver")
		require.Equal(t, 0, b.Len(), "a message handed to a receiver is not stored")

		require.NoError(t, b.Send(11))
		synctest.Wait()
		require.Equal(t, recvResult{11, nil}, mustBeDone(t, r2, "younger receiver"))
		require.NoError(t, b.CheckSettled())
	})
}

func TestCloseKeepsStoredMessagesThenReturnsErrClosed(t *testing.T) {
	for _, b := range []*buffer.Buffer[int]{buffer.New[int](3), buffer.Unbounded[int]()} {
		require.NoError(t, b.Send(1))
		require.NoError(t, b.Send(2))
		b.Close()
		b.Close() // idempotent
		require.ErrorIs(t, b.Send(3), chanop.ErrClosed)
		require.Equal(t, 2, b.Len())
		for want := 1; want <= 2; want++ {
			v, err := b.Recv()
			require.NoError(t, err)
			require.Equal(t, want, v)
		}
		for range 2 {
			_, err := b.Recv()
			require.ErrorIs(t, err, chanop.ErrClosed)
		}
	}
}

func TestCloseReleasesBlockedSendersWithoutDeliveringTheirMessages(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := buffer.New[int](1)
		require.NoError(t, b.Send(1))
		s2 := goAsync(func() error { return b.Send(2) })
		sel := b.SendOp(3)
		s3 := goAsync(func() error { _, err := selectx.Select(sel); return err })
		synctest.Wait()
		mustBeBlocked(t, s2, "Send on a full buffer")
		mustBeBlocked(t, s3, "select over a send on a full buffer")

		b.Close()
		synctest.Wait()
		require.ErrorIs(t, mustBeDone(t, s2, "blocked Send after Close"), chanop.ErrClosed)
		require.ErrorIs(t, mustBeDone(t, s3, "blocked SendOp after Close"), chanop.ErrClosed)
		v, err := b.Recv()
		require.NoError(t, err)
		require.Equal(t, 1, v, "the message stored before Close is still received")
		_, err = b.Recv()
		require.ErrorIs(t, err, chanop.ErrClosed, "the blocked senders' messages were not delivered")
	})
}

func TestCloseReleasesWaitingReceivers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := buffer.Unbounded[int]()
		op := b.RecvOp()
		require.NoError(t, b.Send(5))
		_, err := selectx.Select(op)
		require.NoError(t, err)
		require.Equal(t, 5, op.Value())

		r1 := goAsync(func() recvResult { v, err := b.Recv(); return recvResult{v, err} })
		r2 := goAsync(func() error { _, err := selectx.Select(op); return err })
		synctest.Wait()
		b.Close()
		synctest.Wait()
		require.ErrorIs(t, mustBeDone(t, r1, "Recv after Close").err, chanop.ErrClosed)
		require.ErrorIs(t, mustBeDone(t, r2, "RecvOp after Close"), chanop.ErrClosed)
		require.Zero(t, op.Value(), "a receive that got ErrClosed received nothing, not the previous message")
	})
}

func TestGuardsAreReadyExactlyWhenTheyCanComplete(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := buffer.New[int](1)
		skip := chanop.Skip()

		recv := b.RecvOp()
		g, err := selectx.PriSelect(recv, skip)
		require.NoError(t, err)
		require.Equal(t, skip, g, "receive on an empty buffer is not ready")

		send := b.SendOp(7)
		g, err = selectx.PriSelect(send, skip)
		require.NoError(t, err)
		require.Equal(t, chanop.Guard(send), g, "send with room is ready")

		g, err = selectx.PriSelect(b.SendOp(8), skip)
		require.NoError(t, err)
		require.Equal(t, skip, g, "send on a full buffer is not ready")

		g, err = selectx.PriSelect(recv, skip)
		require.NoError(t, err)
		require.Equal(t, chanop.Guard(recv), g)
		require.Equal(t, 7, recv.Value())

		// A send guard on a full buffer against a timeout: the timeout.
		require.NoError(t, b.Send(9))
		timeout := chanop.After(time.Second)
		start := time.Now()
		g, err = selectx.Select(b.SendOp(10), timeout)
		require.NoError(t, err)
		require.Equal(t, timeout, g)
		require.Equal(t, time.Second, time.Since(start))
		require.Equal(t, 1, b.Len())
		require.NoError(t, b.CheckSettled())
	})
}

func TestSendAndRecvGuardsOfOneBufferInOneSelect(t *testing.T) {
	b := buffer.New[int](1)
	send, recv := b.SendOp(1), b.RecvOp()
	g, err := selectx.Select(send, recv) // empty: only the send is ready
	require.NoError(t, err)
	require.Equal(t, chanop.Guard(send), g)
	g, err = selectx.Select(send, recv) // full: only the receive is ready
	require.NoError(t, err)
	require.Equal(t, chanop.Guard(recv), g)
	require.Equal(t, 1, recv.Value())

	u := buffer.Unbounded[int]()
	for i := range 100 {
		g, err := selectx.PriSelect(u.SendOp(i), chanop.Skip())
		require.NoError(t, err)
		require.NotEqual(t, chanop.Skip(), g, "an unbounded buffer's send is always ready")
	}
	require.Equal(t, 100, u.Len())
}

// chosen returns the guard a select chose, or nil if it failed.
func chosen(g chanop.Guard, err error) chanop.Guard {
	if err != nil {
		return nil
	}
	return g
}

func TestSelectMixesBufferAndChanopGuards(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := buffer.New[int](1)
		c := chanop.New[int]()
		br, cr := b.RecvOp(), c.RecvOp()
		// Run in goroutines: errors are reported as a nil guard, since only
		// the test's goroutine may stop the test.
		sel := func() chanop.Guard { return chosen(selectx.Select(br, cr)) }

		// Nothing ready: the select waits on both, and a message on the
		// synchronous channel completes it.
		got := goAsync(sel)
		synctest.Wait()
		mustBeBlocked(t, got, "select over an empty buffer and an idle channel")
		require.NoError(t, c.Send(1)) // returns once the select took it
		require.Equal(t, chanop.Guard(cr), <-got)
		require.Equal(t, 1, cr.Value())

		// Again; now a Send on the buffer completes it. The message is handed
		// over, not stored.
		got = goAsync(sel)
		synctest.Wait()
		require.NoError(t, b.Send(2))
		synctest.Wait()
		require.Equal(t, chanop.Guard(br), mustBeDone(t, got, "select"))
		require.Equal(t, 2, br.Value())
		require.Equal(t, 0, b.Len())

		// A stored message is ready at once; the guards are reusable.
		require.NoError(t, b.Send(3))
		require.Equal(t, chanop.Guard(br), sel())
		require.Equal(t, 3, br.Value())

		// A send guard blocked on a full buffer, beside a receive from c:
		// a Recv on the buffer makes room and completes the send, in order.
		require.NoError(t, b.Send(4))
		bs := b.SendOp(5)
		sent := goAsync(func() chanop.Guard { return chosen(selectx.Select(bs, c.RecvOp())) })
		synctest.Wait()
		mustBeBlocked(t, sent, "select over a send on a full buffer")
		v, err := b.Recv()
		require.NoError(t, err)
		require.Equal(t, 4, v)
		synctest.Wait()
		require.Equal(t, chanop.Guard(bs), mustBeDone(t, sent, "select after room was made"))
		require.Equal(t, 1, b.Len())
		v, err = b.Recv()
		require.NoError(t, err)
		require.Equal(t, 5, v)

		// After Close, stored messages come first, then ErrClosed with the guard.
		require.NoError(t, b.Send(6))
		b.Close()
		g, err := selectx.Select(br)
		require.NoError(t, err)
		require.Equal(t, chanop.Guard(br), g)
		require.Equal(t, 6, br.Value())
		g, err = selectx.Select(br, cr)
		require.ErrorIs(t, err, chanop.ErrClosed)
		require.Equal(t, chanop.Guard(br), g)
		c.Close()
		require.NoError(t, b.CheckSettled())
	})
}

func TestSelectChoosesAmongReadyBuffersAtRandom(t *testing.T) {
	a, b := buffer.Unbounded[int](), buffer.Unbounded[int]()
	for i := range 1000 {
		require.NoError(t, a.Send(i))
		require.NoError(t, b.Send(i))
	}
	ar, br := a.RecvOp(), b.RecvOp()
	counts := map[chanop.Guard]int{}
	for range 1000 {
		g, err := selectx.Select(ar, br)
		require.NoError(t, err)
		counts[g]++
	}
	// Binomial(1000, 1/2): below 400 with probability about 1e-10.
	require.Greater(t, counts[ar], 400)
	require.Greater(t, counts[br], 400)
	// FIFO per buffer.
	va, _ := a.Recv()
	vb, _ := b.Recv()
	require.Equal(t, counts[ar], va)
	require.Equal(t, counts[br], vb)
}

// TestNoMessageLostOrDuplicatedUnderContention streams messages through a
// small buffer from several senders (plain Send and SendOp selects that
// also offer to an unused channel) to several receivers (plain Recv,
// RecvOp selects, and join patterns taking two at a time), then closes
// it: every message sent without error is received exactly once, in each
// sender's order.
func TestNoMessageLostOrDuplicatedUnderContention(t *testing.T) {
	noLeak(t)
	synctest.Test(t, func(t *testing.T) {
		const senders, perSender = 4, 300
		b := buffer.New[int](2)
		idle := chanop.New[int]()
		sent := make(chan error, senders)
		for s := range senders {
			go func() {
				for i := range perSender {
					v := s*perSender + i
					var err error
					if i%2 == 0 {
						err = b.Send(v)
					} else {
						_, err = selectx.Select(b.SendOp(v), idle.RecvOp())
					}
					if err != nil {
						sent <- err
						return
					}
				}
				sent <- nil
			}()
		}
		results := make(chan []int, 3)
		go func() { // plain Recv
			var vs []int
			for {
				v, err := b.Recv()
				if err != nil {
					results <- vs
					return
				}
				vs = append(vs, v)
			}
		}()
		go func() { // RecvOp in a select
			var vs []int
			r := b.RecvOp()
			for {
				if _, err := selectx.Select(r, idle.RecvOp()); err != nil {
					results <- vs
					return
				}
				vs = append(vs, r.Value())
			}
		}()
		go func() { // a join pattern taking two messages at a time
			var vs []int
			part := join.FromN(b, 2)
			p := join.All(part)
			for p.Wait() == nil {
				vs = append(vs, part.Values()...)
			}
			results <- vs
		}()
		for range senders {
			require.NoError(t, <-sent)
		}
		b.Close()
		seen := make(map[int]bool)
		var leftover []int
		for range 3 {
			// Each receiver takes the oldest message each time, so it sees
			// every sender's messages in the order they were sent.
			last := make([]int, senders)
			for _, v := range <-results {
				require.False(t, seen[v], "message %d received twice", v)
				seen[v] = true
				s, i := v/perSender, v%perSender
				require.Greater(t, i+1, last[s], "sender %d's message %d overtook %d", s, i, last[s]-1)
				last[s] = i + 1
			}
		}
		for {
			v, err := b.Recv()
			if err != nil {
				break
			}
			leftover = append(leftover, v)
		}
		for _, v := range leftover {
			require.False(t, seen[v], "message %d received twice", v)
			seen[v] = true
		}
		require.Len(t, seen, senders*perSender, "every message sent is received")
		idle.Close()
	})
}
