package chanop_test

import (
	"cmp"
	"errors"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/chanop"
)

func addr[T any](p *T) uintptr { return uintptr(unsafe.Pointer(p)) }

func TestMutexExcludes(t *testing.T) {
	var m chanop.Mutex
	n := 0
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 1000 {
				m.Lock()
				n++
				m.Unlock()
			}
		})
	}
	wg.Wait()
	assert.Equal(t, 4000, n)
}

func TestSortLocksOrdersByAddressDropsNilsAndDuplicates(t *testing.T) {
	ms := make([]*chanop.Mutex, 6)
	for i := range ms {
		ms[i] = new(chanop.Mutex)
	}
	for range 50 {
		var in []*chanop.Mutex
		for _, m := range ms {
			for range rand.IntN(3) { // 0, 1 or 2 copies
				in = append(in, m)
			}
		}
		in = append(in, nil, nil)
		rand.Shuffle(len(in), func(i, j int) { in[i], in[j] = in[j], in[i] })

		got := chanop.SortLocks(slices.Clone(in))
		for i := 1; i < len(got); i++ {
			assert.Less(t, addr(got[i-1]), addr(got[i]), "not strictly ascending at %d", i)
		}
		assert.NotContains(t, got, (*chanop.Mutex)(nil))
		for _, m := range ms {
			assert.Equal(t, slices.Contains(in, m), slices.Contains(got, m), "membership of a lock changed")
		}
		// Canonical: any permutation sorts the same.
		rev := slices.Clone(in)
		slices.Reverse(rev)
		assert.Equal(t, got, chanop.SortLocks(rev))
	}
	assert.Empty(t, chanop.SortLocks(nil))
	assert.Empty(t, chanop.SortLocks([]*chanop.Mutex{nil}))
}

func TestSortLocksSharesStorage(t *testing.T) {
	a, b := new(chanop.Mutex), new(chanop.Mutex)
	in := []*chanop.Mutex{b, a, b}
	got := chanop.SortLocks(in)
	require.Len(t, got, 2)
	assert.Same(t, &in[0], &got[0], "SortLocks returns a prefix of its argument")
}

func TestLockAllHoldsEveryLockUntilUnlockAll(t *testing.T) {
	ls := chanop.SortLocks([]*chanop.Mutex{new(chanop.Mutex), new(chanop.Mutex), new(chanop.Mutex)})
	chanop.LockAll(ls)
	got := make(chan int, len(ls))
	for i, m := range ls {
		go func() {
			m.Lock()
			got <- i
			m.Unlock()
		}()
	}
	select {
	case i := <-got:
		t.Fatalf("lock %d was acquired while LockAll held it", i)
	case <-time.After(20 * time.Millisecond):
	}
	chanop.UnlockAll(ls)
	for range ls {
		select {
		case <-got:
		case <-time.After(10 * time.Second):
			t.Fatal("a lock stayed held after UnlockAll")
		}
	}
	chanop.LockAll(nil) // no locks: nothing to do
	chanop.UnlockAll(nil)
}

var errTest = errors.New("test error")

func TestWaiterLifecycleClaimCompleteWakePark(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var w chanop.Waiter
		e := &chanop.Entry{W: &w}
		assert.False(t, w.Done(), "zero Waiter is waiting")
		require.True(t, w.Claim())
		assert.False(t, w.Done(), "claimed is not done")
		w.Complete(e, errTest)
		assert.True(t, w.Done())
		assert.False(t, w.Claim(), "a completed waiter cannot be claimed")
		w.Wake()
		got, err := w.Park()
		assert.Same(t, e, got)
		assert.ErrorIs(t, err, errTest)
		// Park again: still the same outcome, no blocking.
		got, err = w.Park()
		assert.Same(t, e, got)
		assert.ErrorIs(t, err, errTest)
	})
}

// TestWaiterParkWaitsForWakeEvenAfterComplete: the owner returns only
// once the completer has called Wake, its last touch of the waiter, so
// that the owner may recycle the waiter at once (a Wake landing on a
// recycled waiter would release its next select early).
func TestWaiterParkWaitsForWakeEvenAfterComplete(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := new(chanop.Waiter)
		e := &chanop.Entry{W: w}
		require.True(t, w.Claim())
		w.Complete(e, nil)
		p := goCall(w.Park) // the partner has not called Wake yet
		synctest.Wait()
		assert.False(t, p.Returned(), "Park returned before Wake")
		w.Wake()
		synctest.Wait()
		require.True(t, p.Returned())
		assert.Same(t, e, p.V)
		assert.NoError(t, p.Err)
	})
}

func TestWaiterReleaseMakesItClaimableAgain(t *testing.T) {
	var w chanop.Waiter
	require.True(t, w.Claim())
	w.Release()
	assert.False(t, w.Done())
	assert.True(t, w.Claim(), "a released waiter can be claimed again")
}

func TestWaiterParkBlocksDurablyUntilCompletedAndWoken(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := new(chanop.Waiter)
		e := &chanop.Entry{W: w}
		p := goCall(w.Park)
		synctest.Wait() // returns only if Park is durably blocked
		assert.False(t, p.Returned())

		require.True(t, w.Claim())
		w.Complete(e, errTest)
		synctest.Wait()
		assert.False(t, p.Returned(), "a parked owner waits for Wake")

		w.Wake()
		synctest.Wait()
		require.True(t, p.Returned())
		assert.Same(t, e, p.V)
		assert.ErrorIs(t, p.Err, errTest)
	})
}

func TestWaiterClaimWaitsWhileAnotherPartyHoldsTheClaim(t *testing.T) {
	for _, resolve := range []string{"Release", "Complete"} {
		t.Run(resolve, func(t *testing.T) {
			var w chanop.Waiter
			require.True(t, w.Claim())
			got := make(chan bool, 1)
			go func() { got <- w.Claim() }()
			select {
			case <-got:
				t.Fatal("Claim returned while another party held the claim")
			case <-time.After(20 * time.Millisecond):
			}
			want := true
			if resolve == "Release" {
				w.Release()
			} else {
				w.Complete(&chanop.Entry{W: &w}, nil)
				want = false
			}
			select {
			case ok := <-got:
				assert.Equal(t, want, ok)
			case <-time.After(10 * time.Second):
				t.Fatal("Claim still spinning after the claim was resolved")
			}
		})
	}
}

func TestClaimAllClaimsEveryWaiterInAddressOrder(t *testing.T) {
	ws := make([]*chanop.Waiter, 5)
	for i := range ws {
		ws[i] = new(chanop.Waiter)
	}
	rand.Shuffle(len(ws), func(i, j int) { ws[i], ws[j] = ws[j], ws[i] })
	require.True(t, chanop.ClaimAll(ws))
	assert.True(t, slices.IsSortedFunc(ws, func(a, b *chanop.Waiter) int {
		return cmp.Compare(addr(a), addr(b))
	}), "ClaimAll sorts ws by address")
	for _, w := range ws {
		assert.False(t, w.Done())
		w.Release()
		assert.True(t, w.Claim(), "each waiter was claimed (and is claimable after Release)")
	}
	assert.True(t, chanop.ClaimAll(nil))
}

func TestClaimAllClaimsNoneWhenOneHasCompleted(t *testing.T) {
	ws := make([]*chanop.Waiter, 5)
	for i := range ws {
		ws[i] = new(chanop.Waiter)
	}
	for k := range ws {
		done := ws[k]
		require.True(t, done.Claim())
		done.Complete(&chanop.Entry{W: done}, nil)

		in := slices.Clone(ws)
		assert.False(t, chanop.ClaimAll(in), "waiter %d completed", k)
		for _, w := range ws {
			if w == done {
				continue
			}
			// Not left claimed: Claim succeeds at once (it would spin otherwise).
			require.True(t, w.Claim())
			w.Release()
		}
		ws[k] = new(chanop.Waiter) // fresh one for the next round
	}
}

func newEntry() *chanop.Entry { return &chanop.Entry{W: new(chanop.Waiter)} }

func TestQueueIsFIFOWithRemoveAnywhere(t *testing.T) {
	var q chanop.Queue
	assert.Nil(t, q.Front())
	assert.Equal(t, 0, q.Len())

	es := []*chanop.Entry{newEntry(), newEntry(), newEntry(), newEntry()}
	for i, e := range es {
		assert.False(t, e.Queued())
		q.PushBack(e)
		assert.True(t, e.Queued())
		assert.Equal(t, i+1, q.Len())
	}
	walk := func() []*chanop.Entry {
		var got []*chanop.Entry
		for e := q.Front(); e != nil; e = e.Next() {
			got = append(got, e)
		}
		return got
	}
	assert.Equal(t, es, walk())

	q.Remove(es[2]) // middle
	assert.Equal(t, []*chanop.Entry{es[0], es[1], es[3]}, walk())
	q.Remove(es[0]) // head
	assert.Equal(t, []*chanop.Entry{es[1], es[3]}, walk())
	q.Remove(es[3]) // tail
	assert.Equal(t, []*chanop.Entry{es[1]}, walk())
	assert.Equal(t, 1, q.Len())
	assert.False(t, es[3].Queued())
	assert.Nil(t, es[3].Next(), "a removed entry has no successor")

	q.PushBack(es[3]) // re-usable after removal
	assert.Equal(t, []*chanop.Entry{es[1], es[3]}, walk())
	q.Remove(es[1])
	q.Remove(es[3])
	assert.Nil(t, q.Front())
	assert.Equal(t, 0, q.Len())
}

func TestQueueRemoveOfEntryNotInQueueIsNoOp(t *testing.T) {
	var q, other chanop.Queue
	a, b := newEntry(), newEntry()
	q.PushBack(a)
	other.PushBack(b)
	q.Remove(b)          // in another queue
	q.Remove(newEntry()) // in no queue
	assert.Equal(t, 1, q.Len())
	assert.Equal(t, 1, other.Len())
	assert.Same(t, a, q.Front())
	assert.True(t, b.Queued())
}

func TestQueuePushBackOfQueuedEntryPanics(t *testing.T) {
	var q, other chanop.Queue
	e := newEntry()
	q.PushBack(e)
	assertPanicsWithPrefix(t, "chanop: ", func() { q.PushBack(e) }, "PushBack twice into one queue")
	assertPanicsWithPrefix(t, "chanop: ", func() { other.PushBack(e) }, "PushBack into a second queue")
	assert.Equal(t, 1, q.Len())
	assert.Equal(t, 0, other.Len())
}

func complete(e *chanop.Entry) {
	if !e.W.Claim() {
		panic("test: claim failed")
	}
	e.W.Complete(e, nil)
}

func TestQueuePruneDropsCompletedWaitersAtTheFront(t *testing.T) {
	var q chanop.Queue
	es := []*chanop.Entry{newEntry(), newEntry(), newEntry(), newEntry()}
	for _, e := range es {
		q.PushBack(e)
	}
	complete(es[0])
	complete(es[1])
	complete(es[3]) // behind a live entry: stays until it reaches the front
	assert.Same(t, es[2], q.Prune())
	assert.Equal(t, 2, q.Len())
	assert.False(t, es[0].Queued())
	assert.False(t, es[1].Queued())
	complete(es[2])
	assert.Nil(t, q.Prune())
	assert.Equal(t, 0, q.Len())
}

func TestQueueAppendLiveSkipsCompletedWaiters(t *testing.T) {
	var q chanop.Queue
	es := []*chanop.Entry{newEntry(), newEntry(), newEntry(), newEntry()}
	for _, e := range es {
		q.PushBack(e)
	}
	complete(es[1])
	dst := []*chanop.Entry{es[3]}
	got := q.AppendLive(dst)
	assert.Equal(t, []*chanop.Entry{es[3], es[0], es[2], es[3]}, got)
	assert.Equal(t, 4, q.Len(), "AppendLive does not remove anything")
}

func TestWaitOnNilGuardPanics(t *testing.T) {
	assertPanicsWithPrefix(t, "chanop: ", func() { _ = chanop.Wait(nil) }, "Wait(nil)")
}

func TestWaitOnDisabledGuardReturnsErrNoGuards(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := chanop.New[int]()
		assert.ErrorIs(t, chanop.Wait(chanop.When(false, c.RecvOp())), chanop.ErrNoGuards)
		assert.ErrorIs(t, chanop.Wait(chanop.When(false, c.SendOp(1))), chanop.ErrNoGuards)
		assert.ErrorIs(t, chanop.Wait(chanop.When(false, chanop.Skip())), chanop.ErrNoGuards)
		assert.Equal(t, 0, c.Len(), "a disabled guard must not enqueue anything")
	})
}

func TestWaitOnSkipReturnsAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		assert.NoError(t, chanop.Wait(chanop.Skip()))
	})
}

func TestWaitCompletesAGuardThatBecomesReadyLater(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := chanop.New[int]()
		defer c.Close()
		r := c.RecvOp()
		w := goErr(func() error { return chanop.Wait(r) })
		synctest.Wait()
		assert.False(t, w.Returned())
		require.NoError(t, c.Send(3))
		synctest.Wait()
		require.True(t, w.Returned())
		assert.NoError(t, w.Err)
		assert.Equal(t, 3, r.Value())

		// The entry was dequeued: a new sender is not taken by the old Wait.
		s := goErr(func() error { return c.Send(4) })
		synctest.Wait()
		assert.False(t, s.Returned())
		assert.Equal(t, 1, c.Len())
		v, err := c.Recv()
		require.NoError(t, err)
		assert.Equal(t, 4, v)
	})
}

// panicky is a guard whose Enqueue panics, like a guard already in use.
type panicky struct{ chanop.Guard }

func (panicky) Enqueue(*chanop.Entry) { panic("test: enqueue refused") }

// lockFree reports whether every lock of ls can be taken now, giving up
// (and failing t) after a while instead of hanging the test.
func lockFree(t *testing.T, ls []*chanop.Mutex) bool {
	t.Helper()
	done := make(chan struct{})
	go func() {
		chanop.LockAll(ls)
		chanop.UnlockAll(ls)
		close(done)
	}()
	select {
	case <-done:
		return true
	case <-time.After(5 * time.Second):
		// The goroutine stays blocked; the run fails anyway.
		t.Error("a lock is still held")
		return false
	}
}

func TestEnqueueAllEnqueuesEveryGuardWithItsEntry(t *testing.T) {
	c1, c2 := chanop.New[int](), chanop.New[int]()
	gs := []chanop.Guard{c1.SendOp(1), chanop.When(false, chanop.Skip()), c2.RecvOp(), chanop.Skip()}
	var w chanop.Waiter
	es := make([]chanop.Entry, len(gs))
	var locks []*chanop.Mutex
	for i, g := range gs {
		es[i].W, es[i].G = &w, g
		locks = append(locks, g.Locks()...)
	}
	ls := chanop.SortLocks(locks)
	require.Len(t, ls, 2)

	chanop.LockAll(ls)
	var asked []int
	chanop.EnqueueAll(gs, func(i int) *chanop.Entry { asked = append(asked, i); return &es[i] }, func() { chanop.UnlockAll(ls) })
	assert.True(t, es[0].Queued(), "SendOp entry queued")
	assert.True(t, es[2].Queued(), "RecvOp entry queued")
	assert.False(t, es[1].Queued(), "a disabled guard queues nothing")
	assert.False(t, es[3].Queued(), "Skip queues nothing")
	assert.Equal(t, []int{0, 1, 2, 3}, asked)
	chanop.UnlockAll(ls)

	assert.Equal(t, 1, c1.Len(), "the SendOp is a waiting sender")
	chanop.LockAll(ls)
	for i, g := range gs {
		g.Dequeue(&es[i])
	}
	chanop.UnlockAll(ls)
	assert.Equal(t, 0, c1.Len())
}

func TestEnqueueAllRollsBackAndUnlocksWhenAnEnqueuePanics(t *testing.T) {
	c1, c2 := chanop.New[int](), chanop.New[int]()
	s1, r2 := c1.SendOp(1), c2.RecvOp()
	for name, tc := range map[string]struct {
		gs     []chanop.Guard
		prefix string
	}{
		"guard twice":    {[]chanop.Guard{s1, r2, s1}, "chanop: "},
		"panicky guard":  {[]chanop.Guard{r2, s1, panicky{chanop.Skip()}}, "test: enqueue refused"},
		"first panics":   {[]chanop.Guard{panicky{chanop.Skip()}, s1}, "test: enqueue refused"},
		"RecvOp twice":   {[]chanop.Guard{r2, r2}, "chanop: "},
		"only one guard": {[]chanop.Guard{panicky{chanop.Skip()}}, "test: enqueue refused"},
	} {
		var w chanop.Waiter
		es := make([]chanop.Entry, len(tc.gs))
		for i, g := range tc.gs {
			es[i].W, es[i].G = &w, g
		}
		ls := chanop.SortLocks([]*chanop.Mutex{c1.SourceLock(), c2.SourceLock()})
		chanop.LockAll(ls)
		assertPanicsWithPrefix(t, tc.prefix, func() {
			chanop.EnqueueAll(tc.gs, func(i int) *chanop.Entry { return &es[i] }, func() { chanop.UnlockAll(ls) })
		}, name+": the panic is passed on")
		if !lockFree(t, ls) {
			continue
		}
		for i := range es {
			assert.False(t, es[i].Queued(), "%s: entry %d left queued", name, i)
		}
		assert.Equal(t, 0, c1.Len(), name)
	}

	// The guards are usable again afterwards.
	synctest.Test(t, func(t *testing.T) {
		r := goCall(c1.Recv)
		require.NoError(t, chanop.Wait(s1))
		synctest.Wait()
		require.True(t, r.Returned())
		assert.Equal(t, 1, r.V)
	})
}
