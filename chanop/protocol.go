package chanop

// This file is the guard protocol: the machinery that selectx, join and
// buffer (and a user's own guard kinds) build on.
//
// Invariants:
//
//   - Every piece of channel state (queues, buffers, the closed flag) is
//     guarded by exactly one Mutex. A party that needs several of them takes
//     them in lock order (ascending address, see SortLocks) and never takes a
//     Mutex while holding one that comes later.
//   - A Waiter is one blocked select (a plain Send or Recv is a select over one
//     guard). It is completed at most once. Its state moves
//
//     WAITING --Claim--> CLAIMED --Complete--> DONE
//     CLAIMED --Release--> WAITING   (roll-back of a multi-party commit)
//
//     Only a party that reached the waiter through an Entry in a queue whose
//     Mutex it holds may Claim it. The claimer resolves its claim (Complete or
//     Release) without acquiring any lock, so a party that finds a waiter
//     CLAIMED may spin until it is resolved.
//   - A party that claims several waiters at once (a join pattern firing)
//     claims them in ascending address order (ClaimAll). A party spinning on
//     a CLAIMED waiter therefore holds claims only on lower addresses than the
//     one it waits for, so no cycle of spinners exists: claiming cannot
//     deadlock, and since claimers hold all their locks before they claim,
//     spinning while holding locks cannot deadlock either.
//   - A waiter's owner never changes its state: it parks until DONE and then
//     reads the entry and error recorded by Complete (Complete happens before
//     the owner's return).
//   - A Waiter's Entry becomes visible only when its select enqueues it while
//     holding every lock of every guard of that select. So a party that holds
//     a queue's lock sees either the select's entries or, if it comes first,
//     is seen by the select's readiness check: no wake-up is lost.
//
// Lock order: Mutex values by address (SortLocks); a Waiter's internal park
// lock is a leaf taken by Wake and Park only, never while taking another.

import (
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/gochord/chord/internal/sched"
)

// A Mutex is a mutual exclusion lock that takes part in chord's lock order.
// Guards that span several channels lock them in the order SortLocks gives.
//
// The zero value is an unlocked mutex. A Mutex must not be copied after first
// use.
type Mutex struct {
	_  noCopy
	mu sync.Mutex
}

// Lock locks m.
func (m *Mutex) Lock() { m.mu.Lock() }

// Unlock unlocks m.
func (m *Mutex) Unlock() { m.mu.Unlock() }

// order is m's place in the lock order. Go's collector does not move heap
// objects, and a Mutex shared between goroutines lives on the heap, so the
// address is stable for as long as anybody can lock m.
func (m *Mutex) order() uintptr { return uintptr(unsafe.Pointer(m)) }

// SortLocks sorts ls into lock order, removes duplicates and nils, and
// returns the shortened slice (which shares ls's storage).
func SortLocks(ls []*Mutex) []*Mutex {
	ls = slices.DeleteFunc(ls, func(m *Mutex) bool { return m == nil })
	slices.SortFunc(ls, func(a, b *Mutex) int {
		switch x, y := a.order(), b.order(); {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	})
	return slices.Compact(ls)
}

// LockAll locks every Mutex of ls, which must be in lock order (see SortLocks).
func LockAll(ls []*Mutex) {
	for _, m := range ls {
		m.mu.Lock()
	}
}

// UnlockAll unlocks every Mutex of ls.
func UnlockAll(ls []*Mutex) {
	for i := len(ls) - 1; i >= 0; i-- {
		ls[i].mu.Unlock()
	}
}

// Waiter states; see the Invariants at the top of this file.
const (
	waiting uint32 = iota
	claimed
	done
)

// A Waiter is a goroutine blocked in a select, seen from the parties that
// may complete it. It is one-shot: exactly one of its entries completes, and
// then the owner wakes.
//
// The zero value is a waiter ready to be enqueued. A Waiter must not be
// copied or reused.
type Waiter struct {
	_     noCopy
	state atomic.Uint32 // waiting, claimed or done; see the Invariants

	// Written by the claimer before the state becomes done, read by the owner
	// after it observes done.
	entry *Entry
	err   error

	mu    sync.Mutex // protects woken; leaf lock
	cond  sync.Cond  // L is &mu, set by Park
	woken bool
}

// Claim reserves w for the caller, who must hold the lock of a queue holding
// one of w's entries. It reports false if w has already completed. While
// another party holds a claim on w, Claim waits for it to be resolved.
// A caller that will claim several waiters uses ClaimAll instead.
func (w *Waiter) Claim() bool {
	for {
		switch w.state.Load() {
		case waiting:
			if w.state.CompareAndSwap(waiting, claimed) {
				return true
			}
		case done:
			return false
		default:
			// Claimed by a party that resolves it without taking a lock.
			runtime.Gosched()
		}
	}
}

// Release gives back a claim that the caller could not complete: w is
// waiting again.
func (w *Waiter) Release() { w.state.Store(waiting) }

// Complete finishes a claim: e, one of w's entries, is the guard that
// completed, with err. The caller must then call Wake, preferably after
// releasing its locks.
func (w *Waiter) Complete(e *Entry, err error) {
	w.entry, w.err = e, err
	w.state.Store(done)
}

// Done reports whether w has completed.
func (w *Waiter) Done() bool { return w.state.Load() == done }

// Wake wakes w's owner after Complete. It takes only w's private leaf lock.
func (w *Waiter) Wake() {
	w.mu.Lock()
	w.woken = true
	w.cond.Signal()
	w.mu.Unlock()
}

// Park blocks the owner until w has completed and been woken, and returns
// the entry that completed and its error. It parks on a sync.Cond, which
// testing/synctest counts as durably blocking, so a deadlock inside a
// bubble is reported rather than hung.
func (w *Waiter) Park() (*Entry, error) {
	if w.state.Load() != done {
		sched.Parking(w)
		w.mu.Lock()
		w.cond.L = &w.mu
		for !w.woken {
			w.cond.Wait()
		}
		w.mu.Unlock()
		sched.Resumed()
	}
	return w.entry, w.err
}

// ClaimAll claims every waiter of ws, which must be distinct, in lock order
// (it sorts ws by address). If one of them has already completed it
// releases those it claimed and reports false; the caller should drop the
// entries of completed waiters and try again.
func ClaimAll(ws []*Waiter) bool {
	slices.SortFunc(ws, func(a, b *Waiter) int {
		switch x, y := uintptr(unsafe.Pointer(a)), uintptr(unsafe.Pointer(b)); {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	})
	for i, w := range ws {
		if !w.Claim() {
			for _, v := range ws[:i] {
				v.Release()
			}
			return false
		}
	}
	return true
}

// An Entry is one guard of a waiting select, published in a queue of a
// channel so that a partner can complete it; or, with L set, a listener
// (a join pattern) that wants to hear when a message arrives.
//
// An Entry is owned by the select that made it; the queue fields are guarded
// by the lock of the queue it is in.
type Entry struct {
	W *Waiter  // the select this entry belongs to
	G Guard    // the guard the entry stands for
	L Listener // non-nil for a listener entry

	prev, next *Entry
	q          *Queue
}

// Queued reports whether e is in a queue.
func (e *Entry) Queued() bool { return e.q != nil }

// Next returns the entry after e in its queue, or nil.
func (e *Entry) Next() *Entry { return e.next }

// A Queue is a first-in first-out list of entries, guarded by the lock of
// the channel that owns it. The zero value is an empty queue.
type Queue struct {
	head, tail *Entry
	n          int
}

// Front returns the oldest entry, or nil.
func (q *Queue) Front() *Entry { return q.head }

// Len returns the number of entries, including those of waiters that have
// completed elsewhere and not yet been removed.
func (q *Queue) Len() int { return q.n }

// PushBack appends e, which must not be in a queue.
func (q *Queue) PushBack(e *Entry) {
	if e.q != nil {
		panic("chanop: entry already queued")
	}
	e.q, e.prev, e.next = q, q.tail, nil
	if q.tail == nil {
		q.head = e
	} else {
		q.tail.next = e
	}
	q.tail = e
	q.n++
}

// Remove removes e from q. It does nothing if e is not in q.
func (q *Queue) Remove(e *Entry) {
	if e.q != q {
		return
	}
	if e.prev == nil {
		q.head = e.next
	} else {
		e.prev.next = e.next
	}
	if e.next == nil {
		q.tail = e.prev
	} else {
		e.next.prev = e.prev
	}
	e.prev, e.next, e.q = nil, nil, nil
	q.n--
}

// Prune removes the entries of completed waiters and returns the first entry
// whose waiter has not completed, or nil.
func (q *Queue) Prune() *Entry {
	for e := q.head; e != nil; e = q.head {
		if !e.W.Done() {
			return e
		}
		q.Remove(e)
	}
	return nil
}

// AppendLive appends to dst the entries of q whose waiters have not
// completed, in queue order, for use after q's lock is released (a
// snapshot of listeners to notify).
func (q *Queue) AppendLive(dst []*Entry) []*Entry {
	for e := q.head; e != nil; e = e.next {
		if !e.W.Done() {
			dst = append(dst, e)
		}
	}
	return dst
}

// CloseAll removes every entry of q and completes with err each one whose
// waiter it can claim, first calling cleared (if not nil) on the entry, for
// a receive guard to forget a previous message. It appends the completed
// waiters to wake, to be woken (WakeAll) after q's lock is released. It is
// the waiting side of a channel's Close.
func (q *Queue) CloseAll(err error, cleared func(*Entry), wake []*Waiter) []*Waiter {
	for e := q.Front(); e != nil; e = q.Front() {
		q.Remove(e)
		if e.W.Claim() {
			if cleared != nil {
				cleared(e)
			}
			e.W.Complete(e, err)
			wake = append(wake, e.W)
		}
	}
	return wake
}

// WakeAll wakes each waiter of ws (see Waiter.Wake).
func WakeAll(ws []*Waiter) {
	for _, w := range ws {
		w.Wake()
	}
}

// NotifyAll calls Notify on each listener entry of ls, a snapshot taken
// with Queue.AppendLive. Call it with no locks held.
func NotifyAll(ls []*Entry) {
	for _, e := range ls {
		e.L.Notify(e)
	}
}

// A Listener is told that a message may have become available, or that a
// channel closed, on a channel where its entry is listening. Join patterns
// are listeners: the party whose message completes a pattern fires it
// (lazy matching), instead of waking the pattern's owner on every arrival.
type Listener interface {
	// Notify is called with no locks held. e is the listener's entry, which
	// may since have been dequeued: Notify must check under its own locks.
	Notify(e *Entry)
}

// A Guard is a channel operation reified as a value: the unit a select
// chooses among. It is the Stackless prototype's abstract guard (ready,
// add, action, remove), exported so that other packages — join patterns,
// buffered channels, a user's own kinds — can take part in selects.
//
// A select runs a guard like this:
//
//	pass 1: LockAll(g.Locks()); ok := g.Poll(), or Commit for the chosen one; UnlockAll; if ok { g.AfterUnlock() }
//	pass 2: lock the locks of every guard; check Poll and Commit again;
//	        if none is ready, Enqueue an entry for each; unlock; AfterUnlock each; park
//	pass 3: for each guard: LockAll(g.Locks()); g.Dequeue(e); UnlockAll
//
// Rules for implementers:
//   - Locks returns every Mutex that guards state read or written by Poll,
//     Commit, Enqueue and Dequeue, in lock order (SortLocks), and the same
//     slice every time. The select holds all of them during those calls.
//   - Poll reports, with the locks held, whether Commit would complete the
//     guard now. It must not block, and must not be false when Commit would
//     succeed, or a wake-up is lost. (It may be true for a Commit that then
//     fails because the partner's waiter completed through another channel
//     in between; by then Poll is false too.)
//   - Commit completes the guard for the running select, whose own waiter is
//     not yet visible to anybody. It returns ok=false, having changed
//     nothing observable and leaving nobody for AfterUnlock to wake, only
//     when Poll would now return false: if the partner it chose was taken
//     through another channel meanwhile, it tries the next one itself. So a
//     select may call Commit without Poll, and a failed Commit means the
//     guard may be enqueued without losing a wake-up. A guard that meets a
//     closed channel completes with ok=true and ErrClosed.
//   - Enqueue publishes e (with e.W and e.G set) where partners will find it;
//     Dequeue removes what Enqueue published and must tolerate entries that a
//     partner already removed. A partner that completes e claims e.W, stores
//     the guard's result, calls e.W.Complete(e, err) and then e.W.Wake().
//   - AfterUnlock runs after the select released the locks that were held
//     for a successful Commit or for Enqueue: waking a partner completed by
//     Commit, telling listeners about a new message. It takes locks of its
//     own if it needs them.
//   - A guard value takes part in at most one select at a time.
type Guard interface {
	Locks() []*Mutex
	Poll() bool
	Commit() (ok bool, err error)
	Enqueue(e *Entry)
	Dequeue(e *Entry)
	AfterUnlock()
}

// A Timed guard needs to know when the select that runs it began (After).
// A select calls Begin before anything else.
type Timed interface {
	Begin(start time.Time)
}

// Wait runs a select over the single guard g: it completes g, blocking until
// it can, and returns g's error. A disabled guard (When(false, …)) returns
// ErrNoGuards rather than blocking forever.
func Wait(g Guard) error {
	if g == nil {
		panic("chanop: Wait on nil guard")
	}
	if !Enabled(g) {
		return ErrNoGuards
	}
	if t, ok := g.(Timed); ok {
		t.Begin(time.Now())
	}
	sched.Yield()
	sched.Selecting([]Guard{g})
	ls := g.Locks()
	LockAll(ls)
	if ok, err := g.Commit(); ok { // no Poll first: see the Commit rule
		UnlockAll(ls)
		g.AfterUnlock()
		return err
	}
	b := &waitBlock{}
	b.e.W, b.e.G = &b.w, g
	EnqueueAll(ls, []Guard{g}, func(int) *Entry { return &b.e })
	UnlockAll(ls)
	g.AfterUnlock()
	_, err := b.w.Park()
	LockAll(ls)
	g.Dequeue(&b.e)
	UnlockAll(ls)
	return err
}

// EnqueueAll calls Enqueue on each guard of gs with entry(i), with the
// locks ls held. If an Enqueue panics (a guard used by two selects at
// once), it dequeues the entries already enqueued, unlocks ls and panics
// again, so that a recovered misuse leaves no lock held and no entry of a
// select that will never park.
func EnqueueAll(ls []*Mutex, gs []Guard, entry func(i int) *Entry) {
	n := 0
	defer func() {
		if n == len(gs) {
			return
		}
		r := recover()
		for i := range n {
			gs[i].Dequeue(entry(i))
		}
		UnlockAll(ls)
		panic(r)
	}()
	for i, g := range gs {
		g.Enqueue(entry(i))
		n = i + 1
	}
}

// waitBlock is the single allocation of a blocking one-guard select.
type waitBlock struct {
	w Waiter
	e Entry
}

// noCopy makes go vet's copylocks check flag copies.
type noCopy struct{}

func (*noCopy) Lock()   {}
func (*noCopy) Unlock() {}
