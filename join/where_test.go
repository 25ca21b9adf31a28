package join_test

import (
	"errors"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/buffer"
	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/join"
	"github.com/gochord/chord/selectx"
)

func even(v int) bool { return v%2 == 0 }

// sendInOrder starts one blocked sender per value of vs on c, in that
// order (each is queued before the next starts). Inside a bubble.
func sendInOrder(c *chanop.Chan[int], vs ...int) {
	for _, v := range vs {
		go func() { _ = c.Send(v) }()
		synctest.Wait()
	}
}

// TestWhereTakesTheOldestMatchingMessage: of the senders waiting on a
// synchronous channel, the part takes the oldest whose message satisfies
// the predicate, and the others stay queued in order for a plain Recv.
func TestWhereTakesTheOldestMatchingMessage(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := chanop.New[int]()
		sendInOrder(c, 1, 2, 3, 4, 5, 6)
		part := join.From(c).Where(even)
		p := join.All(part)
		for _, want := range []int{2, 4, 6} {
			require.NoError(t, p.Wait())
			assert.Equal(t, []int{want}, part.Values())
		}
		for _, want := range []int{1, 3, 5} {
			v, err := c.Recv()
			require.NoError(t, err)
			assert.Equal(t, want, v)
		}
	})
}

// TestWhereWakesOnAMatchBehindNonMatches: a parked owner is not woken by
// messages its predicate rejects, and is fired by the first one it
// accepts, though the rejected ones are older and still there.
func TestWhereWakesOnAMatchBehindNonMatches(t *testing.T) {
	for _, buffered := range []bool{false, true} {
		synctest.Test(t, func(t *testing.T) {
			var src chanop.Source[int]
			var send func(int)
			var recv func() int
			if buffered {
				b := buffer.New[int](8)
				src, send = b, func(v int) { require.NoError(t, b.Send(v)) }
				recv = func() int { v, err := b.Recv(); require.NoError(t, err); return v }
			} else {
				c := chanop.New[int]()
				src, send = c, func(v int) { sendInOrder(c, v) }
				recv = func() int { v, err := c.Recv(); require.NoError(t, err); return v }
			}
			part := join.From(src).Where(even)
			p := join.All(part)
			done := goWait(p)
			synctest.Wait()
			send(1)
			send(3)
			synctest.Wait()
			require.Empty(t, done, "fired on messages its predicate rejects")
			_, wakeups := p.Stats()
			assert.Zero(t, wakeups)
			send(4)
			synctest.Wait()
			require.NoError(t, <-done)
			assert.Equal(t, []int{4}, part.Values())
			assert.Equal(t, 1, recv())
			assert.Equal(t, 3, recv())
		})
	}
}

// TestWhereTakesFromTheMiddleOfABuffer: the ring is wrapped around (its
// head is not slot 0), the part takes matching messages from its middle,
// and the rest stay in order; then from blocked senders of a full buffer.
func TestWhereTakesFromTheMiddleOfABuffer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := buffer.New[int](4)
		for v := range 3 {
			require.NoError(t, b.Send(100+v))
		}
		for range 3 {
			_, err := b.Recv()
			require.NoError(t, err)
		}
		for _, v := range []int{1, 2, 3, 5} { // wraps: slots 3, 0, 1, 2
			require.NoError(t, b.Send(v))
		}
		go func() { _ = b.Send(6) }() // blocked: the buffer is full
		synctest.Wait()
		go func() { _ = b.Send(8) }()
		synctest.Wait()
		part := join.FromN(b, 2).Where(even)
		p := join.All(part)
		require.NoError(t, p.Wait())
		assert.Equal(t, []int{2, 6}, part.Values(), "2 from the ring, 6 from a blocked sender")
		synctest.Wait()
		var rest []int
		for b.Len() > 0 {
			v, err := b.Recv()
			require.NoError(t, err)
			rest = append(rest, v)
		}
		assert.Equal(t, []int{1, 3, 5, 8}, rest)
	})
}

// TestWhereWithEachAndAnyOf: every part kind filters each of its sources.
func TestWhereWithEachAndAnyOf(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, b, c := buffer.New[int](4), buffer.New[int](4), buffer.New[int](4)
		for _, v := range []int{1, 2} {
			require.NoError(t, a.Send(v))
		}
		for _, v := range []int{3, 5} {
			require.NoError(t, b.Send(v))
		}
		for _, v := range []int{7, 10} {
			require.NoError(t, c.Send(v))
		}
		each := join.Each(chanop.Sources(a, b, c)...).Where(even)
		pe := join.All(each)
		assert.False(t, pe.Ready(), "b has no even message")
		any2 := join.AnyOf(2, chanop.Sources(a, b, c)...).Where(even)
		pa := join.All(any2)
		require.NoError(t, pa.Wait())
		assert.Equal(t, []int{2, 10}, any2.Values())
		assert.Equal(t, []int{0, 2}, any2.Which())
		done := goWait(pe)
		require.NoError(t, a.Send(4))
		require.NoError(t, c.Send(12))
		synctest.Wait()
		require.Empty(t, done)
		require.NoError(t, b.Send(6))
		synctest.Wait()
		require.NoError(t, <-done)
		assert.Equal(t, []int{4, 6, 12}, each.Values())
		for src, want := range map[*buffer.Buffer[int]][]int{a: {1}, b: {3, 5}, c: {7}} {
			var got []int
			for src.Len() > 0 {
				v, _ := src.Recv()
				got = append(got, v)
			}
			assert.Equal(t, want, got)
		}
	})
}

// TestWhereWithAPlainPartInOnePattern: a selective part and a plain one
// fire together, and the pattern waits for a match on the selective side.
func TestWhereWithAPlainPartInOnePattern(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		data, token := chanop.New[int](), buffer.New[string](1)
		require.NoError(t, token.Send("tok"))
		d := join.From(data).Where(func(v int) bool { return v > 10 })
		tk := join.From(token)
		p := join.All(d, tk)
		done := goWait(p)
		sendInOrder(data, 5, 7)
		require.Empty(t, done)
		sendInOrder(data, 11)
		require.NoError(t, <-done)
		assert.Equal(t, []int{11}, d.Values())
		assert.Equal(t, []string{"tok"}, tk.Values())
		data.Close() // releases the senders of 5 and 7
	})
}

// TestWhereOnACall: the predicate sees each caller's argument through
// Request.Value, and the callers it rejects stay queued.
func TestWhereOnACall(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := join.NewCall[int, int]()
		big := goCall(c, 100)
		synctest.Wait()
		small := goCall(c, 3)
		synctest.Wait()
		limit := 10
		part := join.From(c).Where(func(rq *join.Request[int, int]) bool { return rq.Value() <= limit })
		p := join.All(part)
		require.NoError(t, p.Wait())
		rq := part.Values()[0]
		assert.Equal(t, 3, rq.Value())
		assert.True(t, rq.Reply(-3))
		assert.Equal(t, callResult{-3, nil}, <-small)
		assert.True(t, pending(big))
		assert.Equal(t, 1, c.Len())
		limit = 1000 // between selects: the next select sees it
		require.NoError(t, p.Wait())
		assert.True(t, part.Values()[0].Reply(-100))
		assert.Equal(t, callResult{-100, nil}, <-big)
	})
}

// TestWhereRequestIsNotTakenYet: the Request a predicate sees cannot be
// answered: Reply panics, since no firing took it.
func TestWhereRequestIsNotTakenYet(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := join.NewCall[int, int]()
		r := goCall(c, 1)
		synctest.Wait()
		var seen *join.Request[int, int]
		part := join.From(c).Where(func(rq *join.Request[int, int]) bool { seen = rq; return false })
		p := join.All(part)
		assert.False(t, p.Ready())
		require.NotNil(t, seen)
		assert.Panics(t, func() { seen.Reply(0) })
		c.Close()
		assert.Equal(t, chanop.ErrClosed, (<-r).err)
	})
}

// TestWherePredicateChangesBetweenSelects: whether a closed source can
// still satisfy a selective part depends on the predicate, which may change
// between selects: a pattern found alive in one select (its closed buffer
// held a message the predicate accepted) is dead in the next if the
// predicate now rejects it, and the select returns ErrClosed instead of
// waiting forever.
func TestWherePredicateChangesBetweenSelects(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b, c := buffer.New[int](2), chanop.New[int]()
		require.NoError(t, b.Send(1))
		b.Close()
		least := 0
		part := join.From(b).Where(func(v int) bool { return v >= least })
		p := join.All(part, join.From(c))
		assert.False(t, p.Ready(), "c has no message; b's is acceptable: alive")
		least = 5
		assert.True(t, errors.Is(p.Wait(), chanop.ErrClosed))
		least = 0
		sendInOrder(c, 7)
		require.NoError(t, p.Wait())
		assert.Equal(t, []int{1}, part.Values())
	})
}

// TestWherePanics: misuse is reported at once.
func TestWherePanics(t *testing.T) {
	c := chanop.New[int]()
	assert.PanicsWithValue(t, "join: Where with a nil predicate", func() { join.From(c).Where(nil) })
	part := join.From(c)
	join.All(part)
	assert.PanicsWithValue(t, "join: Where on a part already in a pattern", func() { part.Where(even) })
	assert.PanicsWithValue(t, "join: Where twice on one part", func() { join.From(c).Where(even).Where(even) })
}

// TestWherePredicateReadsOwnerStateRaceFree demonstrates the predicate
// rule under -race: the owner changes, between its Waits, a variable the
// predicate reads with no synchronisation of its own, while senders'
// Notifies run the predicate in their goroutines. The source locks order
// the owner's writes before every evaluation.
func TestWherePredicateReadsOwnerStateRaceFree(t *testing.T) {
	const senders, each = 4, 300
	c := buffer.New[int](4)
	want := 0 // the owner's state: the residue it prefers next
	part := join.From(c).Where(func(v int) bool { return v%3 == want })
	p := join.All(part)
	anyPart := join.From(c)
	q := join.All(anyPart) // when nothing preferred is there
	var wg sync.WaitGroup
	for s := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				if c.Send(s*each+i) != nil {
					return
				}
			}
		}()
	}
	seen := make(map[int]bool)
	preferred := 0
	for len(seen) < senders*each {
		g, err := selectx.PriSelect(p, q)
		require.NoError(t, err)
		var v int
		if g == p {
			v = part.Values()[0]
			require.Equal(t, want, v%3, "took a message its predicate rejects")
			preferred++
		} else {
			v = anyPart.Values()[0]
		}
		require.False(t, seen[v], "message %d taken twice", v)
		seen[v] = true
		want = (want + 1) % 3 // between selects, unsynchronised
	}
	c.Close()
	wg.Wait()
	t.Logf("%d of %d taken by the selective pattern", preferred, senders*each)
}

// TestWhereWithTheExhaustiveMatcher: a select sender offers on both
// sources of an Each, so first-fit gives it to the first source and
// fails; the exhaustive matcher must then use only messages the predicate
// accepts: a rejected sender on the first source is no substitute.
func TestWhereWithTheExhaustiveMatcher(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, b := chanop.New[int](), chanop.New[int]()
		both := make(chan chanop.Guard, 1)
		go func() {
			g, _ := selectx.Select(a.SendOp(2), b.SendOp(4)) // even on both
			both <- g
		}()
		synctest.Wait()
		sendInOrder(a, 3) // odd: rejected
		each := join.Each(a, b).Where(even)
		p := join.All(each)
		assert.False(t, p.Ready(), "a's only other message is odd")
		sendInOrder(a, 8)
		require.True(t, p.Ready())
		require.NoError(t, p.Wait())
		assert.Equal(t, []int{8, 4}, each.Values())
		<-both
		v, err := a.Recv()
		require.NoError(t, err)
		assert.Equal(t, 3, v)
	})
}
