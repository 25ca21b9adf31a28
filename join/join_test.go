package join_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/join"
	"github.com/gochord/chord/selectx"
)

// panicMessage runs f and returns what it panicked with, as a string, or ""
// if it returned normally.
func panicMessage(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
		}
	}()
	f()
	return ""
}

func chans(n int) []*chanop.Chan[int] {
	cs := make([]*chanop.Chan[int], n)
	for i := range cs {
		cs[i] = chanop.New[int]()
	}
	return cs
}

func sources(cs []*chanop.Chan[int]) []chanop.Source[int] {
	ss := make([]chanop.Source[int], len(cs))
	for i, c := range cs {
		ss[i] = c
	}
	return ss
}

func closeAll(cs []*chanop.Chan[int]) {
	for _, c := range cs {
		c.Close()
	}
}

// A sendResult is what a Send returned, reported on a channel so a test
// can see, after synctest.Wait, whether the sender is still blocked.
type sendResult struct {
	v   int
	err error
}

// goSend starts c.Send(v) and returns where its result will appear.
func goSend(c *chanop.Chan[int], v int) <-chan sendResult {
	r := make(chan sendResult, 1)
	go func() { r <- sendResult{v, c.Send(v)} }()
	return r
}

// returned reports, without blocking, whether the send behind r returned,
// and its error.
func returned(r <-chan sendResult) (bool, error) {
	select {
	case x := <-r:
		return true, x.err
	default:
		return false, nil
	}
}

// goWait starts p.Wait and returns where its error will appear.
func goWait(p *join.Pattern) <-chan error {
	r := make(chan error, 1)
	go func() { r <- p.Wait() }()
	return r
}

func waitReturned(r <-chan error) (bool, error) {
	select {
	case err := <-r:
		return true, err
	default:
		return false, nil
	}
}

func TestConstructionRefusesMisuse(t *testing.T) {
	a, b, c := chanop.New[int](), chanop.New[int](), chanop.New[int]()
	var nilChan *chanop.Chan[int]
	var nilPart *join.Part[int]
	used := join.From[int](c)
	join.All(used)

	cases := []struct {
		name string
		f    func()
		want string // a substring of the panic message, which starts "join: "
	}{
		{"AnyOf m > n", func() { join.AnyOf[int](3, a, b) }, "AnyOf(3, …) of 2 sources"},
		{"AnyOf m = 0", func() { join.AnyOf[int](0, a, b) }, "need 1 <= m <= n"},
		{"AnyOf m < 0", func() { join.AnyOf[int](-1, a) }, "need 1 <= m <= n"},
		{"AnyOf no sources", func() { join.AnyOf[int](1) }, "of 0 sources"},
		{"FromN n = 0", func() { join.FromN[int](a, 0) }, "FromN with n = 0"},
		{"FromN n < 0", func() { join.FromN[int](a, -2) }, "FromN with n = -2"},
		{"Each no sources", func() { join.Each[int]() }, "Each with no sources"},
		{"From nil interface", func() { join.From[int](nil) }, "From: source 0 is nil"},
		{"From typed nil *Chan", func() { join.From[int](nilChan) }, "From: source 0 is nil"},
		{"FromN typed nil *Chan", func() { join.FromN[int](nilChan, 2) }, "FromN: source 0 is nil"},
		{"Each typed nil *Chan", func() { join.Each[int](a, nilChan) }, "Each: source 1 is nil"},
		{"AnyOf typed nil *Chan", func() { join.AnyOf[int](1, a, b, nilChan) }, "AnyOf: source 2 is nil"},
		{"Each same source twice", func() { join.Each[int](a, b, a) }, "Each: source 2 appears twice"},
		{"AnyOf same source twice", func() { join.AnyOf[int](1, b, b) }, "AnyOf: source 1 appears twice"},
		{"All no parts", func() { join.All() }, "All with no parts"},
		{"All nil part", func() { join.All(nil) }, "All: part 0 is nil"},
		{"All typed nil part", func() { join.All(join.From[int](a), nilPart) }, "All: part 1 is nil"},
		{"same source in two parts", func() { join.All(join.From[int](a), join.Each[int](b, a)) }, "a source appears in two parts"},
		{"same source in From and FromN", func() { join.All(join.From[int](a), join.FromN[int](a, 2)) }, "a source appears in two parts"},
		{"part in two patterns", func() { join.All(used) }, "All: part 0 is already in a pattern"},
		{"part twice in one pattern", func() {
			p := join.From[int](a)
			join.All(p, p)
		}, "already in a pattern"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			msg := panicMessage(tc.f)
			require.NotEmpty(t, msg, "did not panic")
			assert.True(t, strings.HasPrefix(msg, "join: "), "panic %q does not start with %q", msg, "join: ")
			assert.Contains(t, msg, tc.want)
		})
	}

	// Valid edge cases are accepted.
	assert.NotPanics(t, func() { join.AnyOf[int](2, a, b) })
	assert.NotPanics(t, func() { join.AnyOf[int](1, a) })
	assert.NotPanics(t, func() { join.FromN[int](a, 1) })
	assert.NotPanics(t, func() { join.All(join.From[int](a), join.Each[int](b)) })
}

func TestFromTakesOneMessage(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a := chanop.New[int]()
		part := join.From[int](a)
		p := join.All(part)
		s := goSend(a, 42)
		require.NoError(t, p.Wait())
		assert.Equal(t, []int{42}, part.Values())
		assert.Equal(t, []int{0}, part.Which())
		synctest.Wait()
		ok, err := returned(s)
		assert.True(t, ok, "sender still blocked after its message was taken")
		assert.NoError(t, err)
	})
}

func TestFromNTakesInArrivalOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a := chanop.New[int]()
		var rs []<-chan sendResult
		for _, v := range []int{30, 10, 20, 40} {
			rs = append(rs, goSend(a, v))
			synctest.Wait() // fixes the arrival order
		}
		part := join.FromN[int](a, 3)
		p := join.All(part)
		require.NoError(t, p.Wait())
		assert.Equal(t, []int{30, 10, 20}, part.Values(), "the oldest 3, in arrival order")
		assert.Equal(t, []int{0, 0, 0}, part.Which())
		synctest.Wait()
		for i, r := range rs[:3] {
			ok, err := returned(r)
			assert.True(t, ok, "sender %d not released", i)
			assert.NoError(t, err)
		}
		ok, _ := returned(rs[3])
		assert.False(t, ok, "the fourth sender was released, but its message was not taken")
		assert.Equal(t, 1, a.Len())
		a.Close()
		synctest.Wait()
		ok, err := returned(rs[3])
		assert.True(t, ok)
		assert.ErrorIs(t, err, chanop.ErrClosed)
	})
}

func TestFromNWaitsForAllItsMessages(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a := chanop.New[int]()
		part := join.FromN[int](a, 3)
		p := join.All(part)
		w := goWait(p)
		r1, r2 := goSend(a, 1), goSend(a, 2)
		synctest.Wait()
		done, _ := waitReturned(w)
		assert.False(t, done, "FromN(a, 3) fired with 2 messages")
		for _, r := range []<-chan sendResult{r1, r2} {
			ok, _ := returned(r)
			assert.False(t, ok, "a sender was released before the pattern fired")
		}
		r3 := goSend(a, 3)
		synctest.Wait()
		done, err := waitReturned(w)
		require.True(t, done)
		require.NoError(t, err)
		assert.ElementsMatch(t, []int{1, 2, 3}, part.Values())
		for _, r := range []<-chan sendResult{r1, r2, r3} {
			ok, err := returned(r)
			assert.True(t, ok)
			assert.NoError(t, err)
		}
	})
}

func TestEachTakesOnePerSourceInSourceOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cs := chans(3)
		part := join.Each(sources(cs)...)
		p := join.All(part)
		// Arrive in reverse order.
		var rs []<-chan sendResult
		for i := 2; i >= 0; i-- {
			rs = append(rs, goSend(cs[i], 100+i))
			synctest.Wait()
		}
		require.NoError(t, p.Wait())
		assert.Equal(t, []int{100, 101, 102}, part.Values())
		assert.Equal(t, []int{0, 1, 2}, part.Which())
		synctest.Wait()
		for _, r := range rs {
			ok, err := returned(r)
			assert.True(t, ok)
			assert.NoError(t, err)
		}
	})
}

func TestAnyOfTakesExactlyMDistinctSources(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const n, m, perSource = 5, 3, 6
		cs := chans(n)
		part := join.AnyOf(m, sources(cs)...)
		p := join.All(part)
		var senders sync.WaitGroup
		var mu sync.Mutex
		released := map[int]bool{}
		for i, c := range cs {
			senders.Go(func() {
				for k := range perSource {
					if err := c.Send(i*100 + k); err != nil {
						return
					}
					mu.Lock()
					released[i*100+k] = true
					mu.Unlock()
				}
			})
		}
		seen := map[int]bool{}
		owner := make(chan struct{})
		go func() {
			defer close(owner)
			for p.Wait() == nil {
				which, vals := part.Which(), part.Values()
				assert.Len(t, which, m)
				assert.Len(t, vals, m)
				assert.True(t, slices.IsSorted(which) && len(slices.Compact(slices.Clone(which))) == m,
					"Which = %v, want %d distinct increasing indexes", which, m)
				for i, v := range vals {
					assert.Equal(t, which[i], v/100, "value %d does not come from source %d", v, which[i])
					assert.False(t, seen[v], "message %d taken twice", v)
					seen[v] = true
				}
			}
		}()
		synctest.Wait()
		// Idle: fewer than m sources have a sender waiting, and a sender
		// was released iff its message is in a firing.
		waiting := 0
		for _, c := range cs {
			if c.Len() > 0 {
				waiting++
			}
		}
		assert.Less(t, waiting, m, "%d sources have senders waiting and AnyOf(%d, …) did not fire", waiting, m)
		mu.Lock()
		for v := range released {
			assert.True(t, seen[v], "sender of %d released, but its message is in no firing", v)
		}
		for v := range seen {
			assert.True(t, released[v], "message %d taken, but its sender was not released", v)
		}
		mu.Unlock()
		closeAll(cs)
		<-owner
		senders.Wait()
	})
}

// TestAnyOfRotatesOverSources: with a sender always waiting on every
// source, successive AnyOf firings start after the source taken last, so
// every source is taken equally often.
func TestAnyOfRotatesOverSources(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const n, m, firings = 5, 3, 10
		cs := chans(n)
		part := join.AnyOf(m, sources(cs)...)
		p := join.All(part)
		var senders sync.WaitGroup
		for i, c := range cs {
			senders.Go(func() {
				for c.Send(i) == nil {
				}
			})
		}
		taken := make([]int, n)
		var got [][]int
		for range firings {
			synctest.Wait() // every source has a sender waiting
			require.NoError(t, p.Wait())
			got = append(got, slices.Clone(part.Which()))
			for _, i := range part.Which() {
				taken[i]++
			}
		}
		assert.Equal(t, []int{6, 6, 6, 6, 6}, taken, "firings took %v", got)
		assert.Equal(t, []int{0, 1, 2}, got[0])
		assert.Equal(t, []int{0, 3, 4}, got[1], "the second firing starts after source 2")
		closeAll(cs)
		senders.Wait()
	})
}

func TestAnyOfWaitsForMDistinctSources(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cs := chans(4)
		part := join.AnyOf(2, sources(cs)...)
		p := join.All(part)
		w := goWait(p)
		// Two messages on one source do not make 2 distinct sources.
		r1 := goSend(cs[1], 10)
		synctest.Wait()
		r2 := goSend(cs[1], 11)
		synctest.Wait()
		done, _ := waitReturned(w)
		require.False(t, done, "AnyOf(2, …) fired with messages from one source")
		r3 := goSend(cs[3], 30)
		synctest.Wait()
		done, err := waitReturned(w)
		require.True(t, done)
		require.NoError(t, err)
		assert.Equal(t, []int{1, 3}, part.Which())
		assert.Equal(t, []int{10, 30}, part.Values())
		ok1, _ := returned(r1)
		ok2, _ := returned(r2)
		ok3, _ := returned(r3)
		assert.True(t, ok1, "oldest sender on source 1 not released")
		assert.False(t, ok2, "second sender on source 1 released")
		assert.True(t, ok3)
		closeAll(cs)
	})
}

func TestMixedElementTypesInOnePattern(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ints := chanop.New[int]()
		strs := chanop.New[string]()
		one := join.From[int](ints)
		two := join.FromN[string](strs, 2)
		p := join.All(one, two)
		go ints.Send(7)
		go strs.Send("a")
		synctest.Wait()
		go strs.Send("b")
		require.NoError(t, p.Wait())
		assert.Equal(t, []int{7}, one.Values())
		assert.Equal(t, []string{"a", "b"}, two.Values())
		assert.Equal(t, []int{0, 0}, two.Which())
	})
}

func TestWaitBlocksUntilFired(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, b := chanop.New[int](), chanop.New[int]()
		pa, pb := join.From[int](a), join.From[int](b)
		p := join.All(pa, pb)
		w := goWait(p)
		synctest.Wait()
		done, _ := waitReturned(w)
		require.False(t, done)
		go a.Send(1)
		synctest.Wait()
		done, _ = waitReturned(w)
		require.False(t, done)
		go b.Send(2)
		synctest.Wait()
		done, err := waitReturned(w)
		require.True(t, done)
		require.NoError(t, err)
		assert.Equal(t, []int{1}, pa.Values())
		assert.Equal(t, []int{2}, pb.Values())
	})
}

func TestReadyIsAProbeThatTakesNothing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, b := chanop.New[int](), chanop.New[int]()
		part := join.Each[int](a, b)
		p := join.All(part)
		assert.False(t, p.Ready(), "ready with no messages")
		ra := goSend(a, 1)
		synctest.Wait()
		assert.False(t, p.Ready(), "ready with half a match")
		rb := goSend(b, 2)
		synctest.Wait()
		assert.True(t, p.Ready())
		assert.True(t, p.Ready(), "a second probe differs from the first")
		synctest.Wait()
		for _, r := range []<-chan sendResult{ra, rb} {
			ok, _ := returned(r)
			assert.False(t, ok, "Ready released a sender")
		}
		assert.Equal(t, 1, a.Len())
		assert.Equal(t, 1, b.Len())
		require.NoError(t, p.Wait())
		assert.Equal(t, []int{1, 2}, part.Values())
		assert.False(t, p.Ready(), "ready after the match was taken")
	})
}

func TestClosedSourceCompletesPatternAndTakesNothing(t *testing.T) {
	t.Run("closed before Wait", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			a, b := chanop.New[int](), chanop.New[int]()
			p := join.All(join.Each[int](a, b))
			ra := goSend(a, 1)
			synctest.Wait()
			b.Close()
			assert.ErrorIs(t, p.Wait(), chanop.ErrClosed)
			synctest.Wait()
			ok, _ := returned(ra)
			assert.False(t, ok, "the pattern took a's message although it could not fire")
			assert.Equal(t, 1, a.Len())
			a.Close()
			synctest.Wait()
			ok, err := returned(ra)
			assert.True(t, ok)
			assert.ErrorIs(t, err, chanop.ErrClosed)
		})
	})
	t.Run("closed while the owner waits", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			a, b := chanop.New[int](), chanop.New[int]()
			p := join.All(join.From[int](a), join.From[int](b))
			w := goWait(p)
			ra := goSend(a, 1)
			synctest.Wait()
			b.Close()
			synctest.Wait()
			done, err := waitReturned(w)
			require.True(t, done, "closing a source did not complete the waiting pattern")
			assert.ErrorIs(t, err, chanop.ErrClosed)
			ok, _ := returned(ra)
			assert.False(t, ok, "the pattern took a's message although it could not fire")
			a.Close()
			synctest.Wait()
			ok, err = returned(ra)
			assert.True(t, ok)
			assert.ErrorIs(t, err, chanop.ErrClosed)
		})
	})
	t.Run("AnyOf lives while m sources are open", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			cs := chans(3)
			part := join.AnyOf(2, sources(cs)...)
			p := join.All(part)
			cs[0].Close()
			w := goWait(p)
			synctest.Wait()
			done, _ := waitReturned(w)
			require.False(t, done, "AnyOf(2, …) of 3 gave up with 2 sources open")
			go cs[1].Send(1)
			go cs[2].Send(2)
			synctest.Wait()
			done, err := waitReturned(w)
			require.True(t, done)
			require.NoError(t, err)
			assert.Equal(t, []int{1, 2}, part.Which())
			cs[2].Close()
			assert.ErrorIs(t, p.Wait(), chanop.ErrClosed, "AnyOf(2, …) with one open source")
			cs[1].Close()
		})
	})
}

func TestAtomicTransferSenderReleasedOnlyWhenPatternFires(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, b := chanop.New[int](), chanop.New[int]()
		part := join.Each[int](a, b)
		p := join.All(part)
		w := goWait(p)
		ra := goSend(a, 1)
		synctest.Wait()
		ok, _ := returned(ra)
		require.False(t, ok, "sender on a returned while b has no sender: the pattern held a partial match")
		done, _ := waitReturned(w)
		require.False(t, done)
		assert.Equal(t, 1, a.Len(), "a's message is no longer pending")

		rb := goSend(b, 2)
		synctest.Wait()
		done, err := waitReturned(w)
		require.True(t, done)
		require.NoError(t, err)
		assert.Equal(t, []int{1, 2}, part.Values())
		for _, r := range []<-chan sendResult{ra, rb} {
			ok, err := returned(r)
			assert.True(t, ok, "a sender was not released by the firing")
			assert.NoError(t, err)
		}
	})
}

func TestAtomicTransferWithSelectSender(t *testing.T) {
	// A sender that offers on a and c at once gives its message to whoever
	// completes first; a pattern that cannot fire must not hold it.
	synctest.Test(t, func(t *testing.T) {
		a, b, c := chanop.New[int](), chanop.New[int](), chanop.New[int]()
		p := join.All(join.Each[int](a, b))
		w := goWait(p)
		sa, sc := a.SendOp(1), c.SendOp(3)
		got := make(chan chanop.Guard, 1)
		go func() {
			g, err := selectx.Select(sa, sc)
			assert.NoError(t, err)
			got <- g
		}()
		synctest.Wait()
		v, err := c.Recv()
		require.NoError(t, err)
		assert.Equal(t, 3, v)
		assert.Equal(t, chanop.Guard(sc), <-got)
		go b.Send(2)
		synctest.Wait()
		done, _ := waitReturned(w)
		assert.False(t, done, "the pattern fired with a message whose sender went elsewhere")
		closeAll([]*chanop.Chan[int]{a, b, c})
	})
}

func TestPriSelectPrefersFirstOfTwoReadyPatterns(t *testing.T) {
	for _, shared := range []bool{false, true} {
		t.Run(fmt.Sprintf("shared=%v", shared), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				a, b, c := chanop.New[int](), chanop.New[int](), chanop.New[int]()
				first := join.All(join.Each[int](a, b))
				var second *join.Pattern
				if shared {
					second = join.All(join.From[int](a)) // competes for a
				} else {
					second = join.All(join.From[int](c))
				}
				for i := range 200 {
					go a.Send(i)
					go b.Send(i)
					go c.Send(i)
					synctest.Wait()
					require.True(t, first.Ready())
					require.True(t, second.Ready())
					g, err := selectx.PriSelect(first, second)
					require.NoError(t, err)
					require.Same(t, first, g, "round %d: PriSelect chose the second of two ready patterns", i)
					// Drain c's sender so the next round starts clean.
					_, err = c.Recv()
					require.NoError(t, err)
				}
				f1, _ := first.Stats()
				f2, _ := second.Stats()
				assert.EqualValues(t, 200, f1)
				assert.EqualValues(t, 0, f2)
				closeAll([]*chanop.Chan[int]{a, b, c})
			})
		})
	}
}

func TestPatternMixesWithRecvOpAndAfter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, b, c := chanop.New[int](), chanop.New[int](), chanop.New[int]()
		part := join.Each[int](a, b)
		p := join.All(part)
		r := c.RecvOp()
		timeout := chanop.After(time.Second)

		// Nothing ready: the timeout wins, after exactly its duration.
		start := time.Now()
		g, err := selectx.Select(p, r, timeout)
		require.NoError(t, err)
		assert.Equal(t, timeout, g)
		assert.Equal(t, time.Second, time.Since(start))

		// Half a pattern is not ready; the plain receive is.
		ra := goSend(a, 1)
		go c.Send(3)
		synctest.Wait()
		g, err = selectx.Select(p, r, timeout)
		require.NoError(t, err)
		assert.Equal(t, chanop.Guard(r), g)
		assert.Equal(t, 3, r.Value())
		ok, _ := returned(ra)
		assert.False(t, ok, "the select released a's sender without firing the pattern")

		// The pattern completes while the select waits.
		type res struct {
			g   chanop.Guard
			err error
		}
		out := make(chan res, 1)
		start = time.Now()
		go func() {
			g, err := selectx.Select(p, r, timeout)
			out <- res{g, err}
		}()
		time.Sleep(500 * time.Millisecond)
		go b.Send(2)
		x := <-out
		require.NoError(t, x.err)
		assert.Equal(t, chanop.Guard(p), x.g)
		assert.Equal(t, 500*time.Millisecond, time.Since(start))
		assert.Equal(t, []int{1, 2}, part.Values())
		// The stopped timer does not fire later.
		time.Sleep(2 * time.Second)
		synctest.Wait()
		closeAll([]*chanop.Chan[int]{a, b, c})
	})
}

// TestSantaAndMrsClausShareElvesWithoutLossOrDuplication runs two consumers
// with their own patterns over the same channels: every message is consumed
// exactly once, and every firing takes 3 distinct elves (or 9 reindeer).
func TestSantaAndMrsClausShareElvesWithoutLossOrDuplication(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const nDeer, nElves, rounds = 9, 10, 6
		deer, elves := chans(nDeer), chans(nElves)

		var mu sync.Mutex
		consumed := map[int]string{} // message -> consumer
		var violations []string
		record := func(who string, vals []int) {
			mu.Lock()
			defer mu.Unlock()
			for _, v := range vals {
				if prev, ok := consumed[v]; ok {
					violations = append(violations, fmt.Sprintf("%d consumed by %s and %s", v, prev, who))
				}
				consumed[v] = who
			}
		}
		consumer := func(who string, withDeer bool) {
			team := join.Each(sources(deer)...)
			group := join.AnyOf(3, sources(elves)...)
			reindeer, helpers := join.All(team), join.All(group)
			gs := []chanop.Guard{reindeer, helpers}
			if !withDeer {
				gs = gs[1:]
			}
			for {
				g, err := selectx.PriSelect(gs...)
				if err != nil {
					assert.ErrorIs(t, err, chanop.ErrClosed)
					return
				}
				switch g {
				case reindeer:
					assert.Len(t, team.Values(), nDeer)
					record(who, team.Values())
				case helpers:
					w := group.Which()
					assert.Len(t, w, 3)
					assert.True(t, slices.IsSorted(w) && len(slices.Compact(slices.Clone(w))) == 3, "Which = %v", w)
					for i, v := range group.Values() {
						assert.Equal(t, 1000+w[i], v/100, "elf message %d from elf %d", v, w[i])
					}
					record(who, group.Values())
				}
			}
		}
		var consumers, senders sync.WaitGroup
		consumers.Go(func() { consumer("santa", true) })
		consumers.Go(func() { consumer("mrs claus", false) })

		delivered := map[int]bool{} // messages whose Send returned nil
		pending := map[int]int{}    // sender (deer i or 1000+elf i) -> messages not delivered
		send := func(who int, c *chanop.Chan[int]) {
			for k := range rounds {
				v := who*100 + k
				err := c.Send(v)
				mu.Lock()
				if err == nil {
					delivered[v] = true
				} else {
					pending[who] = rounds - k
				}
				mu.Unlock()
				if err != nil {
					assert.ErrorIs(t, err, chanop.ErrClosed)
					return
				}
			}
		}
		for i, c := range deer {
			senders.Go(func() { send(i, c) })
		}
		for i, c := range elves {
			senders.Go(func() { send(1000+i, c) })
		}
		synctest.Wait() // idle: everybody left is blocked
		mu.Lock()
		assert.Empty(t, violations)
		assert.Equal(t, len(delivered), len(consumed), "released senders vs consumed messages")
		for v := range delivered {
			assert.Contains(t, consumed, v, "sender of %d released but its message was not consumed", v)
		}
		mu.Unlock()
		closeAll(deer)
		closeAll(elves)
		senders.Wait()
		consumers.Wait()
		// Idle means no pattern could fire: fewer than 3 elves or 9
		// reindeer were still waiting.
		elvesWaiting, deerWaiting := 0, 0
		for who := range pending {
			if who >= 1000 {
				elvesWaiting++
			} else {
				deerWaiting++
			}
		}
		assert.Less(t, elvesWaiting, 3, "3 elves were waiting and no consumer fired")
		assert.Less(t, deerWaiting, nDeer, "all reindeer were waiting and Santa did not fire")
		assert.Equal(t, nDeer*rounds+nElves*rounds, len(consumed)+sumValues(pending))
	})
}

func sumValues(m map[int]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func TestStatsCountsOwnerWakeups(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, b := chanop.New[int](), chanop.New[int]()
		p := join.All(join.Each[int](a, b))
		// Owner parked first: the last sender fires the pattern and wakes it.
		w := goWait(p)
		go a.Send(1)
		synctest.Wait()
		go b.Send(2)
		require.NoError(t, <-w)
		f, wk := p.Stats()
		assert.EqualValues(t, 1, f)
		assert.EqualValues(t, 1, wk)
		// Messages first: the owner's select fires it, nobody is woken.
		go a.Send(3)
		go b.Send(4)
		synctest.Wait()
		require.NoError(t, p.Wait())
		f, wk = p.Stats()
		assert.EqualValues(t, 2, f)
		assert.EqualValues(t, 1, wk)
	})
}

// TestMatchReassignsSelectSenderAcrossSources: a sender that is a select
// offering on two sources of one pattern must be given to the source where
// a match needs it. First-fit, source by source, gives it to the first
// source and then misses the match (this was a lost wake-up before the
// exhaustive matcher, flow.go, was added).
//
// Scenario: S = selectx.Select(a.SendOp(1), b.SendOp(2)) waits first, then
// P = a.Send(3). All(Each(a, b)) (or AnyOf(2, a, b)) can fire with a←P (3),
// b←S (2), releasing both, whether its owner waited before or after them.
func TestMatchReassignsSelectSenderAcrossSources(t *testing.T) {
	scenario := func(t *testing.T, part *join.Part[int], p *join.Pattern, a, b *chanop.Chan[int], ownerFirst bool) {
		var w <-chan error
		if ownerFirst {
			w = goWait(p)
			synctest.Wait()
		}
		sa, sb := a.SendOp(1), b.SendOp(2)
		sel := make(chan chanop.Guard, 1)
		go func() {
			g, _ := selectx.Select(sa, sb)
			sel <- g
		}()
		synctest.Wait()
		rp := goSend(a, 3)
		synctest.Wait()
		if !ownerFirst {
			assert.True(t, p.Ready(), "Ready: the pattern can fire with a←3, b←2")
			w = goWait(p)
			synctest.Wait()
		}
		done, err := waitReturned(w)
		if assert.True(t, done, "pattern not fired although a←3 (plain sender) and b←2 (select sender) match it; all goroutines are idle") {
			assert.NoError(t, err)
			assert.ElementsMatch(t, []int{3, 2}, part.Values())
			select {
			case g := <-sel:
				assert.Equal(t, chanop.Guard(sb), g)
			default:
				t.Error("select sender not released")
			}
			ok, err := returned(rp)
			assert.True(t, ok, "plain sender not released")
			assert.NoError(t, err)
		}
		a.Close()
		b.Close()
	}
	for _, ownerFirst := range []bool{false, true} {
		t.Run(fmt.Sprintf("Each/ownerFirst=%v", ownerFirst), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				a, b := chanop.New[int](), chanop.New[int]()
				part := join.Each[int](a, b)
				scenario(t, part, join.All(part), a, b, ownerFirst)
			})
		})
		t.Run(fmt.Sprintf("AnyOf/ownerFirst=%v", ownerFirst), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				a, b := chanop.New[int](), chanop.New[int]()
				part := join.AnyOf[int](2, a, b)
				scenario(t, part, join.All(part), a, b, ownerFirst)
			})
		})
	}
}
