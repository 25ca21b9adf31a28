package buffer_test

import (
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/buffer"
	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/join"
	"github.com/gochord/chord/selectx"
)

// fill makes a buffer of capacity c holding c messages first, first+1, …
// and starts one blocked sender for each of the next senders messages; it
// returns the senders' result channels, oldest first. Call in a bubble.
func fill(t *testing.T, c, first, senders int) (*buffer.Buffer[int], []<-chan error) {
	t.Helper()
	b := buffer.New[int](c)
	for i := range c {
		require.NoError(t, b.Send(first+i))
	}
	var sent []<-chan error
	for i := range senders {
		v := first + c + i
		sent = append(sent, goAsync(func() error { return b.Send(v) }))
		synctest.Wait() // queue them in order
	}
	for i, s := range sent {
		mustBeBlocked(t, s, "sender "+itoa(i)+" on a full buffer")
	}
	return b, sent
}

func itoa(i int) string { return string(rune('0' + i)) }

func TestPatternFromTakesTheOldestStoredMessage(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := buffer.Unbounded[string]()
		require.NoError(t, b.Send("a"))
		require.NoError(t, b.Send("b"))
		part := join.From(b)
		p := join.All(part)
		require.NoError(t, p.Wait())
		require.Equal(t, []string{"a"}, part.Values())
		require.NoError(t, p.Wait())
		require.Equal(t, []string{"b"}, part.Values())
		require.Equal(t, 0, b.Len())

		// Nothing stored: the pattern waits, and the next Send fires it.
		done := goAsync(p.Wait)
		synctest.Wait()
		mustBeBlocked(t, done, "pattern over an empty buffer")
		require.NoError(t, b.Send("c")) // does not block: the buffer stores it
		synctest.Wait()
		require.NoError(t, mustBeDone(t, done, "pattern after a Send"))
		require.Equal(t, []string{"c"}, part.Values())
		require.Equal(t, 0, b.Len())
		require.NoError(t, b.CheckSettled())
	})
}

// TestPatternTakesStoredThenBlockedSendersAndSettleRefills: a pattern needs
// more messages than a full buffer stores, so it takes the blocked
// senders' messages too, in FIFO order, releasing exactly those senders;
// its Settle then moves the next blocked sender into the room made.
func TestPatternTakesStoredThenBlockedSendersAndSettleRefills(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b, sent := fill(t, 1, 0, 3) // stores 0; senders of 1, 2, 3 blocked
		part := join.FromN(b, 3)
		g, err := selectx.Select(join.All(part))
		require.NoError(t, err)
		require.NotNil(t, g)
		require.Equal(t, []int{0, 1, 2}, part.Values())
		synctest.Wait()
		require.NoError(t, mustBeDone(t, sent[0], "sender taken by the pattern"))
		require.NoError(t, mustBeDone(t, sent[1], "sender taken by the pattern"))
		require.NoError(t, mustBeDone(t, sent[2], "sender moved into the ring by Settle"))
		require.Equal(t, 1, b.Len())
		v, err := b.Recv()
		require.NoError(t, err)
		require.Equal(t, 3, v)
		require.NoError(t, b.CheckSettled())
	})
}

// TestNotifiedPatternSettlesTheBufferItTookFrom: a pattern waiting on a
// buffer and a synchronous channel is fired by the channel's sender (lazy
// matching); it takes the buffer's stored message, and its Settle lets the
// oldest blocked sender in.
func TestNotifiedPatternSettlesTheBufferItTookFrom(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b, sent := fill(t, 2, 0, 2) // stores 0, 1; senders of 2, 3 blocked
		trigger := chanop.New[string]()
		fromB, fromT := join.From(b), join.From(trigger)
		p := join.All(fromB, fromT)
		done := goAsync(p.Wait)
		synctest.Wait()
		mustBeBlocked(t, done, "pattern without its trigger")

		require.NoError(t, trigger.Send("go")) // returns when the pattern fired
		synctest.Wait()
		require.NoError(t, mustBeDone(t, done, "pattern"))
		require.Equal(t, []int{0}, fromB.Values())
		require.Equal(t, []string{"go"}, fromT.Values())
		require.NoError(t, mustBeDone(t, sent[0], "oldest sender, refilled by Settle"))
		mustBeBlocked(t, sent[1], "younger sender: the buffer is full again")
		require.Equal(t, 2, b.Len())
		require.NoError(t, b.CheckSettled())

		b.Close()
		synctest.Wait()
		require.ErrorIs(t, mustBeDone(t, sent[1], "sender after Close"), chanop.ErrClosed)
		for _, want := range []int{1, 2} {
			v, err := b.Recv()
			require.NoError(t, err)
			require.Equal(t, want, v)
		}
		trigger.Close()
	})
}

// TestPatternTakingOnlyStoredMessagesReleasesBlockedSender: a pattern that
// takes only stored messages from a full buffer completes no sender, yet
// must let a blocked sender into the room it made (Settle), as a Recv does.
func TestPatternTakingOnlyStoredMessagesReleasesBlockedSender(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b, sent := fill(t, 1, 0, 1) // stores 0; sender of 1 blocked
		part := join.From(b)
		_, err := selectx.Select(join.All(part))
		require.NoError(t, err)
		require.Equal(t, []int{0}, part.Values())
		synctest.Wait()
		require.NoError(t, mustBeDone(t, sent[0], "blocked sender after a pattern took the stored message"))
		require.Equal(t, 1, b.Len())
		require.NoError(t, b.CheckSettled())
	})
}

// TestNextOperationMovesBlockedSenderInBeforeSettle: between a pattern's
// taking stored messages and its Settle, the buffer has room and a blocked
// sender. Whatever touches the buffer then lets that sender in first, so
// FIFO order holds.
func TestNextOperationMovesBlockedSenderInBeforeSettle(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b, sent := fill(t, 3, 0, 1) // stores 0, 1, 2; sender of 3 blocked
		// Play a pattern's firing of FromN(b, 2) without its Settle.
		l := b.SourceOps().SourceLock()
		l.Lock()
		require.Equal(t, 0, b.SourceOps().TakeBuffered())
		require.Equal(t, 1, b.SourceOps().TakeBuffered())
		l.Unlock()
		require.Equal(t, 2, b.Len(), "the blocked sender counts as stored")
		require.NoError(t, b.Send(4)) // must not overtake the blocked sender's 3
		synctest.Wait()
		require.NoError(t, mustBeDone(t, sent[0], "blocked sender after the next Send"))
		for _, want := range []int{2, 3, 4} {
			v, err := b.Recv()
			require.NoError(t, err)
			require.Equal(t, want, v)
		}
		require.NoError(t, b.CheckSettled())
	})
}

func TestPatternEachTakesOneFromEveryBuffer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		left, right := buffer.New[int](1), buffer.New[int](1)
		part := join.Each(left, right)
		p := join.All(part)
		require.NoError(t, left.Send(1))
		done := goAsync(p.Wait)
		synctest.Wait()
		mustBeBlocked(t, done, "pattern with one of two chopsticks")
		require.Equal(t, 1, left.Len(), "a partial match holds nothing")

		require.NoError(t, right.Send(2))
		synctest.Wait()
		require.NoError(t, mustBeDone(t, done, "pattern with both chopsticks"))
		require.Equal(t, []int{1, 2}, part.Values())
		require.Equal(t, []int{0, 1}, part.Which())
		require.Equal(t, 0, left.Len()+right.Len())
	})
}

func TestPatternAnyOfTakesFromAnyMBuffers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		bs := []chanop.Source[int]{buffer.Unbounded[int](), buffer.Unbounded[int](), buffer.Unbounded[int]()}
		part := join.AnyOf(2, bs...)
		p := join.All(part)
		require.NoError(t, bs[0].(*buffer.Buffer[int]).Send(10))
		require.NoError(t, bs[0].(*buffer.Buffer[int]).Send(11))
		done := goAsync(p.Wait)
		synctest.Wait()
		mustBeBlocked(t, done, "AnyOf(2) with one source holding messages")

		require.NoError(t, bs[2].(*buffer.Buffer[int]).Send(30))
		synctest.Wait()
		require.NoError(t, mustBeDone(t, done, "AnyOf(2) with two sources holding messages"))
		require.Equal(t, []int{10, 30}, part.Values())
		require.Equal(t, []int{0, 2}, part.Which())
		require.Equal(t, 1, bs[0].(*buffer.Buffer[int]).Len())
	})
}

// TestPatternsAndReceiversShareABufferWithoutLossOrDuplication: two
// goroutines wait on patterns over one buffer while a third receives;
// every message is consumed exactly once.
func TestPatternsAndReceiversShareABufferWithoutLossOrDuplication(t *testing.T) {
	noLeak(t)
	synctest.Test(t, func(t *testing.T) {
		const n = 600
		b := buffer.New[int](3)
		out := make(chan []int, 3)
		for k := 1; k <= 2; k++ {
			go func() {
				part := join.FromN(b, k)
				p := join.All(part)
				var got []int
				for p.Wait() == nil {
					got = append(got, part.Values()...)
				}
				out <- got
			}()
		}
		go func() {
			var got []int
			for {
				v, err := b.Recv()
				if err != nil {
					out <- got
					return
				}
				got = append(got, v)
			}
		}()
		for i := range n {
			require.NoError(t, b.Send(i))
		}
		b.Close()
		seen := map[int]bool{}
		for range 3 {
			for _, v := range <-out {
				require.False(t, seen[v], "message %d consumed twice", v)
				seen[v] = true
			}
		}
		for v, err := b.Recv(); err == nil; v, err = b.Recv() {
			require.False(t, seen[v], "message %d consumed twice", v)
			seen[v] = true
		}
		require.Len(t, seen, n)
	})
}

func TestPatternOverClosedBuffer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := buffer.New[int](4)
		require.NoError(t, b.Send(1))
		b.Close()

		// A stored message can still be taken by a pattern…
		one := join.From(b)
		require.NoError(t, join.All(one).Wait())
		require.Equal(t, []int{1}, one.Values())
		// …and an exhausted buffer fails it.
		require.ErrorIs(t, join.All(join.From(b)).Wait(), chanop.ErrClosed)

		// A pattern needing more messages than a closed buffer holds can
		// never fire: it fails, and takes nothing.
		c := buffer.New[int](4)
		require.NoError(t, c.Send(1))
		c.Close()
		require.ErrorIs(t, join.All(join.FromN(c, 2)).Wait(), chanop.ErrClosed)
		require.Equal(t, 1, c.Len())

		// A waiting pattern is told about Close.
		d := buffer.New[int](4)
		require.NoError(t, d.Send(1))
		done := goAsync(join.All(join.FromN(d, 2)).Wait)
		synctest.Wait()
		mustBeBlocked(t, done, "FromN(2) over one message")
		d.Close()
		synctest.Wait()
		require.ErrorIs(t, mustBeDone(t, done, "pattern after Close"), chanop.ErrClosed)
		v, err := d.Recv()
		require.NoError(t, err)
		require.Equal(t, 1, v)
	})
}
