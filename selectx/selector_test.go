package selectx_test

import (
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/buffer"
	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/guard"
	"github.com/gochord/chord/internal/testkit"
	"github.com/gochord/chord/selectx"
)

// fanIn returns n channels and a Selector over a receive from each.
func fanIn(n int) ([]*chanop.Chan[int], []*chanop.RecvOp[int], *selectx.Selector) {
	cs := make([]*chanop.Chan[int], n)
	rs := make([]*chanop.RecvOp[int], n)
	gs := make([]chanop.Guard, n)
	for i := range cs {
		cs[i] = chanop.New[int]()
		rs[i] = cs[i].RecvOp()
		gs[i] = rs[i]
	}
	return cs, rs, selectx.NewSelector(gs...)
}

func TestSelectorReturnsTheIndexAndMessageOfEachSender(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cs, rs, s := fanIn(8)
		defer s.Close()
		for _, want := range []int{3, 0, 7, 3} {
			go cs[want].Send(100 + want)
			synctest.Wait()
			i, err := s.SelectIndex()
			require.NoError(t, err)
			assert.Equal(t, want, i)
			assert.Equal(t, 100+want, rs[i].Value())
		}
	})
}

func TestSelectorBlocksUntilASenderArrives(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cs, rs, s := fanIn(4)
		defer s.Close()
		for round := range 3 {
			got := make(chan int, 1)
			go func() {
				i, err := s.SelectIndex()
				assert.NoError(t, err)
				got <- i
			}()
			synctest.Wait() // the Selector is parked
			require.NoError(t, cs[round].Send(round))
			assert.Equal(t, round, <-got)
			assert.Equal(t, round, rs[round].Value())
		}
	})
}

// Two guards ready at once: Select takes one, and the other is still seen
// by the next Select, though nothing new arrives to notify it.
func TestSelectorKeepsTheReadyGuardsItDidNotChoose(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		for _, pri := range []bool{false, true} {
			cs, _, s := fanIn(3)
			go cs[0].Send(0)
			go cs[2].Send(2)
			synctest.Wait()
			seen := map[int]bool{}
			for range 2 {
				sel := s.SelectIndex
				if pri {
					sel = s.PriSelectIndex
				}
				i, err := sel()
				require.NoError(t, err)
				seen[i] = true
			}
			assert.Equal(t, map[int]bool{0: true, 2: true}, seen)
			s.Close()
		}
	})
}

// A buffer holding several messages is notified as each arrives, perhaps
// before the Selector looks; the Selector must take them all.
func TestSelectorTakesEveryStoredMessageOfABuffer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := buffer.Unbounded[int]()
		for v := range 5 {
			require.NoError(t, b.Send(v))
		}
		r := b.RecvOp()
		s := selectx.NewSelector(r, chanop.Skip())
		defer s.Close()
		var got []int
		for range 5 {
			g, err := s.PriSelect()
			require.NoError(t, err)
			require.Same(t, r, g, "stored messages must not be missed")
			got = append(got, r.Value())
		}
		assert.Equal(t, []int{0, 1, 2, 3, 4}, got)
		g, err := s.Select()
		require.NoError(t, err)
		assert.NotSame(t, r, g, "empty: Skip")
	})
}

func TestSelectorPriSelectPrefersTheLowestIndex(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, b := buffer.Unbounded[string](), buffer.Unbounded[string]()
		ra, rb := a.RecvOp(), b.RecvOp()
		skip := chanop.Skip()
		s := selectx.NewSelector(rb, ra, skip)
		defer s.Close()
		require.NoError(t, a.Send("a"))
		require.NoError(t, b.Send("b"))
		for _, want := range []chanop.Guard{rb, ra, skip} {
			g, err := s.PriSelect()
			require.NoError(t, err)
			assert.Same(t, want, g)
		}
	})
}

func TestSelectorWithPlainGuards(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		in, out := chanop.New[int](), chanop.New[int]()
		r, w := in.RecvOp(), out.SendOp(42)
		timeout := chanop.After(time.Second)
		s := selectx.NewSelector(r, w, timeout)
		defer s.Close()

		got := make(chan int, 1)
		go func() { v, _ := out.Recv(); got <- v }()
		synctest.Wait()
		g, err := s.Select()
		require.NoError(t, err)
		assert.Same(t, w, g, "the send guard, with a receiver waiting")
		assert.Equal(t, 42, <-got)

		start := time.Now()
		g, err = s.Select()
		require.NoError(t, err)
		assert.Same(t, timeout, g, "nothing else: the timeout")
		assert.Equal(t, time.Second, time.Since(start))

		// Blocked on the watched receive, the plain send and the timeout:
		// a receiver for out arrives first.
		done := make(chan chanop.Guard, 1)
		go func() { g, _ := s.Select(); done <- g }()
		synctest.Wait()
		go func() { v, _ := out.Recv(); got <- v }()
		assert.Same(t, w, <-done)
		assert.Equal(t, 42, <-got)

		// And then a sender on in.
		go func() { g, _ := s.Select(); done <- g }()
		synctest.Wait()
		require.NoError(t, in.Send(7))
		assert.Same(t, r, <-done)
		assert.Equal(t, 7, r.Value())
	})
}

// Indices follow registration order and are never reused (issue 20: a
// reused index reshuffled PriSelect's priorities).
func TestSelectorRemoveNeverReusesAnIndex(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cs, rs, s := fanIn(3)
		defer s.Close()
		assert.True(t, s.Remove(rs[1]))
		assert.False(t, s.Remove(rs[1]), "twice")
		assert.Equal(t, 2, s.Len())

		go cs[1].Send(1) // nobody watches cs[1] any more
		synctest.Wait()
		skip := chanop.Skip()
		assert.Equal(t, 3, s.Add(skip), "the next index, not the freed one")
		i, err := s.SelectIndex()
		require.NoError(t, err)
		assert.Equal(t, 3, i, "Skip: the removed guard's sender is not taken")
		assert.Equal(t, 1, cs[1].Len())
		v, err := cs[1].Recv()
		require.NoError(t, err)
		assert.Equal(t, 1, v)

		assert.True(t, s.Remove(skip))
		assert.Equal(t, 4, s.Add(rs[1]), "re-registered: a new index, last in priority")
		go cs[1].Send(2)
		go cs[2].Send(3)
		synctest.Wait()
		i, err = s.PriSelectIndex()
		require.NoError(t, err)
		assert.Equal(t, 2, i, "cs[2], registered before the re-registered cs[1]")
		assert.Equal(t, 3, rs[2].Value())
		i, err = s.PriSelectIndex()
		require.NoError(t, err)
		assert.Equal(t, 4, i)
		assert.Equal(t, 2, rs[1].Value())
	})
}

func TestSelectorReportsErrClosedUntilRemoved(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cs, rs, s := fanIn(2)
		defer s.Close()
		cs[0].Close()
		for range 2 {
			g, err := s.Select()
			assert.Same(t, rs[0], g)
			assert.ErrorIs(t, err, chanop.ErrClosed)
		}
		s.Remove(rs[0])
		go cs[1].Send(1)
		synctest.Wait()
		g, err := s.Select()
		require.NoError(t, err)
		assert.Same(t, rs[1], g)
	})
}

// Closing a channel that a parked Selector watches wakes it.
func TestSelectorWakesWhenAWatchedChannelCloses(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := buffer.New[int](1)
		r := b.RecvOp()
		s := selectx.NewSelector(r)
		defer s.Close()
		done := make(chan error, 1)
		go func() { _, err := s.Select(); done <- err }()
		synctest.Wait()
		b.Close()
		assert.ErrorIs(t, <-done, chanop.ErrClosed)
	})
}

func TestSelectorWithoutEnabledGuardsReturnsErrNoGuards(t *testing.T) {
	var nc *chanop.Chan[int]
	for _, s := range []*selectx.Selector{
		selectx.NewSelector(),
		selectx.NewSelector(nc.RecvOp(), chanop.When(false, chanop.Skip())),
	} {
		i, err := s.SelectIndex()
		assert.Equal(t, -1, i)
		assert.ErrorIs(t, err, selectx.ErrNoGuards)
		g, err := s.PriSelect()
		assert.Nil(t, g)
		assert.ErrorIs(t, err, selectx.ErrNoGuards)
		s.Close()
	}
}

func TestSelectorMisusePanics(t *testing.T) {
	c := chanop.New[int]()
	r := c.RecvOp()
	s := selectx.NewSelector(r)
	assertPanicsWithPrefix(t, "selectx: Selector.Add of a guard already registered", func() { s.Add(r) }, "Add twice")
	assertPanicsWithPrefix(t, "selectx: Selector.Add of a nil guard", func() { s.Add(nil) }, "Add nil")
	s.Close()
	s.Close() // idempotent
	assertPanicsWithPrefix(t, "selectx: Select on a closed Selector", func() { s.Select() }, "Select after Close")
	assertPanicsWithPrefix(t, "selectx: Selector.Add on a closed Selector", func() { s.Add(c.RecvOp()) }, "Add after Close")
}

// countingRecv is a watched receive that counts how often a select looks
// at it.
type countingRecv struct {
	guard.Watchable
	looks *int
}

func newCountingRecv(r *chanop.RecvOp[int], looks *int) countingRecv {
	return countingRecv{r.GuardOps().(guard.Watchable), looks}
}

// GuardOps makes c a chanop.Guard whose protocol is c itself.
func (c countingRecv) GuardOps() guard.Guard { return c }

func (c countingRecv) Poll() bool {
	*c.looks++
	return c.Watchable.Poll()
}

func (c countingRecv) Commit() (bool, error) {
	*c.looks++
	return c.Watchable.Commit()
}

// The Selector's promise: a Select looks at the guards that became ready,
// not at every guard registered.
func TestSelectorLooksOnlyAtGuardsThatBecameReady(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const n = 1000
		looks := 0
		cs := make([]*chanop.Chan[int], n)
		gs := make([]chanop.Guard, n)
		for i := range cs {
			cs[i] = chanop.New[int]()
			gs[i] = newCountingRecv(cs[i].RecvOp(), &looks)
		}
		s := selectx.NewSelector(gs...)
		defer s.Close()
		// The first Select looks at every new guard once.
		go cs[1].Send(1)
		synctest.Wait()
		i, err := s.SelectIndex()
		require.NoError(t, err)
		require.Equal(t, 1, i)
		for _, k := range []int{999, 0, 500} {
			go cs[k].Send(k)
			synctest.Wait()
			looks = 0
			i, err := s.SelectIndex()
			require.NoError(t, err)
			assert.Equal(t, k, i)
			assert.LessOrEqual(t, looks, 4, "looks for one ready guard of %d", n)
		}
	})
}

func TestSelectorReadyPathAllocatesNothing(t *testing.T) {
	b := buffer.Unbounded[int]()
	s := selectx.NewSelector(b.RecvOp(), chanop.New[int]().RecvOp(), chanop.Skip())
	defer s.Close()
	assert.Zero(t, testkit.AllocsWithin(t, func() {
		_ = b.Send(1)
		_, _ = s.Select()
		_, _ = s.PriSelect()
	}))
}

// Many senders on many channels, one Selector: every message is received
// exactly once (run under -race).
func TestSelectorFanInDeliversEveryMessageOnce(t *testing.T) {
	const n, per = 64, 50
	cs, rs, s := fanIn(n)
	defer s.Close()
	defer watchdog(t, func() {
		for _, c := range cs {
			c.Close()
		}
	})()
	var wg sync.WaitGroup
	for i := range cs {
		wg.Go(func() {
			for k := range per {
				if err := cs[i].Send(i*per + k); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	got := make([]bool, n*per)
	for range n * per {
		i, err := s.SelectIndex()
		require.NoError(t, err)
		v := rs[i].Value()
		require.Equal(t, i, v/per, "message of channel %d came from %d", v/per, i)
		require.False(t, got[v], "%d received twice", v)
		got[v] = true
	}
	wg.Wait()
}

// Watched guards (receives from chans and buffers) and a plain one (a
// send) in one Selector, with partners racing the Selector's arming and
// parking: every message is received once and every send delivered once.
func TestSelectorMixedGuardsUnderContention(t *testing.T) {
	const n, per, sends = 8, 40, 200
	cs := make([]*chanop.Chan[int], n)
	bs := make([]*buffer.Buffer[int], n)
	s := selectx.NewSelector()
	defer s.Close()
	recvs := map[int]func() int{}
	for i := range n {
		cs[i], bs[i] = chanop.New[int](), buffer.New[int](2)
		r, q := cs[i].RecvOp(), bs[i].RecvOp()
		recvs[s.Add(r)] = r.Value
		recvs[s.Add(q)] = q.Value
	}
	out := chanop.New[int]()
	send := out.SendOp(-1)
	sendAt := s.Add(send)
	defer watchdog(t, func() {
		for i := range n {
			cs[i].Close()
			bs[i].Close()
		}
		out.Close()
	})()

	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			for k := range per {
				_ = cs[i].Send(i*per + k)
			}
		})
		wg.Go(func() {
			for k := range per {
				_ = bs[i].Send(n*per + i*per + k)
			}
		})
	}
	delivered := 0
	wg.Go(func() {
		for range sends {
			if _, err := out.Recv(); err == nil {
				delivered++
			}
		}
	})
	got := make([]bool, 2*n*per)
	received, sent := 0, 0
	for received < 2*n*per || sent < sends {
		if sent == sends && s.Remove(send) {
			continue
		}
		i, err := s.SelectIndex()
		require.NoError(t, err)
		if i == sendAt && sent < sends {
			sent++
			continue
		}
		v := recvs[i]()
		require.False(t, got[v], "%d received twice", v)
		got[v] = true
		received++
	}
	wg.Wait()
	assert.Equal(t, sends, delivered)
}

// A Selector with a send and a receive on one channel never meets itself
// and does not wake itself up (see TestSelectorDeadlockInBubbleIsReported,
// whose parked Selector is such a one): it completes whichever a partner
// makes ready.
func TestSelectorWithASendAndAReceiveOnOneChannel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := chanop.New[int]()
		r, w := c.RecvOp(), c.SendOp(1)
		s := selectx.NewSelector(r, w)
		defer s.Close()
		for range 3 {
			done := make(chan chanop.Guard, 1)
			go func() { g, _ := s.Select(); done <- g }()
			synctest.Wait()
			v, err := c.Recv()
			require.NoError(t, err)
			assert.Equal(t, 1, v)
			assert.Same(t, w, <-done)

			go func() { g, _ := s.Select(); done <- g }()
			synctest.Wait()
			require.NoError(t, c.Send(2))
			assert.Same(t, r, <-done)
			assert.Equal(t, 2, r.Value())
		}
		// Removing the send makes the receive watched again only for new
		// registrations; this one keeps working as a plain guard.
		s.Remove(w)
		go c.Send(3)
		synctest.Wait()
		g, err := s.Select()
		require.NoError(t, err)
		assert.Same(t, r, g)
	})
}

// watchdog fails t and calls release if the test is still running after a
// minute: a test outside a synctest bubble whose Selector lost a wake-up
// would otherwise hang. release closes the channels, so that the blocked
// Select returns ErrClosed and the test ends by report. Call the returned
// function when the test is over.
func watchdog(t *testing.T, release func()) (stop func()) {
	tm := time.AfterFunc(time.Minute, func() {
		t.Errorf("still running after a minute: a lost wake-up? closing the channels")
		release()
	})
	return func() { tm.Stop() }
}

// A parked Selector listens; it is not queued as a receiver. A TrySend on
// a watched channel therefore fails, and a Send is served.
func TestSelectorIsNotAWaitingReceiverForTrySend(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cs, rs, s := fanIn(2)
		defer s.Close()
		done := make(chan int, 1)
		go func() { i, _ := s.SelectIndex(); done <- i }()
		synctest.Wait()
		ok, err := cs[1].TrySend(5)
		require.NoError(t, err)
		assert.False(t, ok)
		require.NoError(t, cs[1].Send(6))
		assert.Equal(t, 1, <-done)
		assert.Equal(t, 6, rs[1].Value())
	})
}
