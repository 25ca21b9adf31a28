package chanop_test

import (
	"cmp"
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
	"github.com/gochord/chord/guard"
)

func addr[T any](p *T) uintptr { return uintptr(unsafe.Pointer(p)) }

func TestMutexExcludes(t *testing.T) {
	var m guard.Mutex
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
	ms := make([]*guard.Mutex, 6)
	for i := range ms {
		ms[i] = new(guard.Mutex)
	}
	for range 50 {
		var in []*guard.Mutex
		for _, m := range ms {
			for range rand.IntN(3) { // 0, 1 or 2 copies
				in = append(in, m)
			}
		}
		in = append(in, nil, nil)
		rand.Shuffle(len(in), func(i, j int) { in[i], in[j] = in[j], in[i] })

		got := guard.SortLocks(slices.Clone(in))
		for i := 1; i < len(got); i++ {
			assert.Less(t, addr(got[i-1]), addr(got[i]), "not strictly ascending at %d", i)
		}
		assert.NotContains(t, got, (*guard.Mutex)(nil))
		for _, m := range ms {
			assert.Equal(t, slices.Contains(in, m), slices.Contains(got, m), "membership of a lock changed")
		}
		// Canonical: any permutation sorts the same.
		rev := slices.Clone(in)
		slices.Reverse(rev)
		assert.Equal(t, got, guard.SortLocks(rev))
	}
	assert.Empty(t, guard.SortLocks(nil))
	assert.Empty(t, guard.SortLocks([]*guard.Mutex{nil}))
}

func TestSortLocksSharesStorage(t *testing.T) {
	a, b := new(guard.Mutex), new(guard.Mutex)
	in := []*guard.Mutex{b, a, b}
	got := guard.SortLocks(in)
	require.Len(t, got, 2)
	assert.Same(t, &in[0], &got[0], "SortLocks returns a prefix of its argument")
}

func TestLockAllHoldsEveryLockUntilUnlockAll(t *testing.T) {
	ls := guard.SortLocks([]*guard.Mutex{new(guard.Mutex), new(guard.Mutex), new(guard.Mutex)})
	guard.LockAll(ls)
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
	guard.UnlockAll(ls)
	for range ls {
		select {
		case <-got:
		case <-time.After(10 * time.Second):
			t.Fatal("a lock stayed held after UnlockAll")
		}
	}
	guard.LockAll(nil) // no locks: nothing to do
	guard.UnlockAll(nil)
}

func TestWaiterReleaseMakesItClaimableAgain(t *testing.T) {
	var w guard.Waiter
	require.True(t, w.Claim())
	w.Release()
	assert.False(t, w.Done())
	assert.True(t, w.Claim(), "a released waiter can be claimed again")
}

func TestWaiterClaimWaitsWhileAnotherPartyHoldsTheClaim(t *testing.T) {
	for _, resolve := range []string{"Release", "Complete"} {
		t.Run(resolve, func(t *testing.T) {
			var w guard.Waiter
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
				w.Complete(&guard.Entry{W: &w}, nil)
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
	ws := make([]*guard.Waiter, 5)
	for i := range ws {
		ws[i] = new(guard.Waiter)
	}
	rand.Shuffle(len(ws), func(i, j int) { ws[i], ws[j] = ws[j], ws[i] })
	require.True(t, guard.ClaimAll(ws))
	assert.True(t, slices.IsSortedFunc(ws, func(a, b *guard.Waiter) int {
		return cmp.Compare(addr(a), addr(b))
	}), "ClaimAll sorts ws by address")
	for _, w := range ws {
		assert.False(t, w.Done())
		w.Release()
		assert.True(t, w.Claim(), "each waiter was claimed (and is claimable after Release)")
	}
	assert.True(t, guard.ClaimAll(nil))
}

func TestClaimAllClaimsNoneWhenOneHasCompleted(t *testing.T) {
	ws := make([]*guard.Waiter, 5)
	for i := range ws {
		ws[i] = new(guard.Waiter)
	}
	for k := range ws {
		done := ws[k]
		require.True(t, done.Claim())
		done.Complete(&guard.Entry{W: done}, nil)

		in := slices.Clone(ws)
		assert.False(t, guard.ClaimAll(in), "waiter %d completed", k)
		for _, w := range ws {
			if w == done {
				continue
			}
			// Not left claimed: Claim succeeds at once (it would spin otherwise).
			require.True(t, w.Claim())
			w.Release()
		}
		ws[k] = new(guard.Waiter) // fresh one for the next round
	}
}

func newEntry() *guard.Entry { return &guard.Entry{W: new(guard.Waiter)} }

func TestQueueIsFIFOWithRemoveAnywhere(t *testing.T) {
	var q guard.Queue
	assert.Nil(t, q.Front())
	assert.Equal(t, 0, q.Len())

	es := []*guard.Entry{newEntry(), newEntry(), newEntry(), newEntry()}
	for i, e := range es {
		assert.False(t, e.Queued())
		q.PushBack(e)
		assert.True(t, e.Queued())
		assert.Equal(t, i+1, q.Len())
	}
	walk := func() []*guard.Entry {
		var got []*guard.Entry
		for e := q.Front(); e != nil; e = e.Next() {
			got = append(got, e)
		}
		return got
	}
	assert.Equal(t, es, walk())

	q.Remove(es[2]) // middle
	assert.Equal(t, []*guard.Entry{es[0], es[1], es[3]}, walk())
	q.Remove(es[0]) // head
	assert.Equal(t, []*guard.Entry{es[1], es[3]}, walk())
	q.Remove(es[3]) // tail
	assert.Equal(t, []*guard.Entry{es[1]}, walk())
	assert.Equal(t, 1, q.Len())
	assert.False(t, es[3].Queued())
	assert.Nil(t, es[3].Next(), "a removed entry has no successor")

	q.PushBack(es[3]) // re-usable after removal
	assert.Equal(t, []*guard.Entry{es[1], es[3]}, walk())
	q.Remove(es[1])
	q.Remove(es[3])
	assert.Nil(t, q.Front())
	assert.Equal(t, 0, q.Len())
}

func TestQueueRemoveOfEntryNotInQueueIsNoOp(t *testing.T) {
	var q, other guard.Queue
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
	var q, other guard.Queue
	e := newEntry()
	q.PushBack(e)
	assertPanicsWithPrefix(t, "guard: ", func() { q.PushBack(e) }, "PushBack twice into one queue")
	assertPanicsWithPrefix(t, "guard: ", func() { other.PushBack(e) }, "PushBack into a second queue")
	assert.Equal(t, 1, q.Len())
	assert.Equal(t, 0, other.Len())
}

func complete(e *guard.Entry) {
	if !e.W.Claim() {
		panic("test: claim failed")
	}
	e.W.Complete(e, nil)
}

func TestQueuePruneDropsCompletedWaitersAtTheFront(t *testing.T) {
	var q guard.Queue
	es := []*guard.Entry{newEntry(), newEntry(), newEntry(), newEntry()}
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
	var q guard.Queue
	es := []*guard.Entry{newEntry(), newEntry(), newEntry(), newEntry()}
	for _, e := range es {
		q.PushBack(e)
	}
	complete(es[1])
	dst := []*guard.Entry{es[3]}
	got := q.AppendLive(dst)
	assert.Equal(t, []*guard.Entry{es[3], es[0], es[2], es[3]}, got)
	assert.Equal(t, 4, q.Len(), "AppendLive does not remove anything")
}

func TestWaitOnNilGuardPanics(t *testing.T) {
	assertPanicsWithPrefix(t, "guard: ", func() { _ = guard.Wait(nil) }, "Wait(nil)")
}

func TestWaitOnDisabledGuardReturnsErrNoGuards(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := chanop.New[int]()
		assert.ErrorIs(t, guard.Wait(chanop.When(false, c.RecvOp())), guard.ErrNoGuards)
		assert.ErrorIs(t, guard.Wait(chanop.When(false, c.SendOp(1))), guard.ErrNoGuards)
		assert.ErrorIs(t, guard.Wait(chanop.When(false, chanop.Skip())), guard.ErrNoGuards)
		assert.Equal(t, 0, c.Len(), "a disabled guard must not enqueue anything")
	})
}

func TestWaitOnSkipReturnsAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		assert.NoError(t, guard.Wait(chanop.Skip()))
	})
}

func TestWaitCompletesAGuardThatBecomesReadyLater(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := chanop.New[int]()
		defer c.Close()
		r := c.RecvOp()
		w := goErr(func() error { return guard.Wait(r) })
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
type panicky struct{ guard.Guard }

func (panicky) Enqueue(*guard.Entry) { panic("test: enqueue refused") }

// lockFree reports whether every lock of ls can be taken now, giving up
// (and failing t) after a while instead of hanging the test.
func lockFree(t *testing.T, ls []*guard.Mutex) bool {
	t.Helper()
	done := make(chan struct{})
	go func() {
		guard.LockAll(ls)
		guard.UnlockAll(ls)
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
	var w guard.Waiter
	es := make([]guard.Entry, len(gs))
	var locks []*guard.Mutex
	for i, g := range gs {
		es[i].W, es[i].G = &w, g.GuardOps()
		locks = append(locks, g.GuardOps().Locks()...)
	}
	ls := guard.SortLocks(locks)
	require.Len(t, ls, 2)

	guard.LockAll(ls)
	var asked []int
	guard.EnqueueAll(opsOf(gs...), func(i int) *guard.Entry { asked = append(asked, i); return &es[i] }, func() { guard.UnlockAll(ls) })
	assert.True(t, es[0].Queued(), "SendOp entry queued")
	assert.True(t, es[2].Queued(), "RecvOp entry queued")
	assert.False(t, es[1].Queued(), "a disabled guard queues nothing")
	assert.False(t, es[3].Queued(), "Skip queues nothing")
	assert.Equal(t, []int{0, 1, 2, 3}, asked)
	guard.UnlockAll(ls)

	assert.Equal(t, 1, c1.Len(), "the SendOp is a waiting sender")
	guard.LockAll(ls)
	for i, g := range gs {
		g.GuardOps().Dequeue(&es[i])
	}
	guard.UnlockAll(ls)
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
		"panicky guard":  {[]chanop.Guard{r2, s1, panicky{chanop.Skip().GuardOps()}}, "test: enqueue refused"},
		"first panics":   {[]chanop.Guard{panicky{chanop.Skip().GuardOps()}, s1}, "test: enqueue refused"},
		"RecvOp twice":   {[]chanop.Guard{r2, r2}, "chanop: "},
		"only one guard": {[]chanop.Guard{panicky{chanop.Skip().GuardOps()}}, "test: enqueue refused"},
	} {
		var w guard.Waiter
		es := make([]guard.Entry, len(tc.gs))
		for i, g := range tc.gs {
			es[i].W, es[i].G = &w, g.GuardOps()
		}
		ls := guard.SortLocks([]*guard.Mutex{c1.SourceOps().SourceLock(), c2.SourceOps().SourceLock()})
		guard.LockAll(ls)
		assertPanicsWithPrefix(t, tc.prefix, func() {
			guard.EnqueueAll(opsOf(tc.gs...), func(i int) *guard.Entry { return &es[i] }, func() { guard.UnlockAll(ls) })
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
		require.NoError(t, guard.Wait(s1))
		synctest.Wait()
		require.True(t, r.Returned())
		assert.Equal(t, 1, r.V)
	})
}

// opsOf returns the guard protocols of gs.
func opsOf(gs ...chanop.Guard) []guard.Guard {
	os := make([]guard.Guard, len(gs))
	for i, g := range gs {
		os[i] = g.GuardOps()
	}
	return os
}

// GuardOps makes a panicky a chanop.Guard too.
func (p panicky) GuardOps() guard.Guard { return p }
