package guard

// This file is the guard protocol: the machinery that selectx, join and
// buffer (and a user's own guard kinds) build on.
//
// Invariants:
//
//   - Every piece of channel state (queues, buffers, the closed flag) is
//     guarded by exactly one Mutex. A party that needs several of them
//     never waits for a Mutex while holding one at a higher address: it
//     takes them in lock order (ascending address, see SortLocks), or, as a
//     select walking its guards does, with LockAbove, which waits only for
//     locks above every lock it holds and merely tries the others.
//   - A select is decided at one instant: it holds the locks of every guard
//     it has looked at until it has completed one or enqueued on all, so
//     no guard it found not ready can have become ready before the one it
//     takes (the one-instant rule of Go's select).
//   - A Waiter is one blocked select (a plain Send or Recv is a select over
//     one guard). In each generation it is completed at most once. Its
//     state moves
//
//     WAITING --Claim--> CLAIMED --Complete--> DONE
//     CLAIMED --Release--> WAITING   (roll-back of a multi-party commit)
//
//     Only a party that reached the waiter through an Entry in a queue whose
//     Mutex it holds may Claim it; a party that holds no such lock (a timer,
//     a context callback, the helper goroutine of a guard on a native Go
//     channel) claims with ClaimGen in the generation it recorded when the
//     entry was enqueued. The claimer resolves its claim (Complete
//     or Release) without acquiring any lock, so a party that finds a waiter
//     CLAIMED may spin until it is resolved.
//   - A party that claims several waiters at once (a join pattern firing)
//     claims them in ascending address order (ClaimAll). A party spinning on
//     a CLAIMED waiter therefore holds claims only on lower addresses than the
//     one it waits for, so no cycle of spinners exists: claiming cannot
//     deadlock, and since claimers hold all their locks before they claim,
//     spinning while holding locks cannot deadlock either.
//   - The completer calls Wake exactly once after Complete, holding no lock,
//     and never touches the waiter after it. Wake sets RELEASED and signals
//     the owner's Cond only if the owner has published PARKED; the owner
//     publishes PARKED from inside Cond.Wait, after taking its ticket
//     (parkLocker.Unlock), unless RELEASED is already set, in which case it
//     signals its own ticket. Whichever of the two flags is set second
//     decides who signals, so exactly one signal reaches the ticket and a
//     completion that lands before the owner parks costs no signal.
//   - The owner never changes its waiter's state: it returns from park only
//     after it has seen RELEASED, so Complete's writes (entry, error) happen
//     before the owner reads them, and no completer will touch the waiter
//     again.
//   - A waiter is quiescent when its owner has returned from park and has
//     removed every one of its entries from every queue (a plain Send or
//     Recv has one entry, which its completer removes; a select dequeues
//     the others after it wakes, DequeueAll). Only a quiescent waiter may
//     be reset and reused, in a new generation. Slot (through its Pool) and
//     Parking, in park.go, are the only owners of that sequence: nothing
//     outside this package parks or resets a waiter. In the assertion mode
//     (build tag chorddebug) every waiter counts its queued entries and
//     reset panics while any is left. Then no queue can lead a partner to it,
//     no stale Wake can release it early, and no stale signal can reach its
//     Cond — which matters doubly under testing/synctest, where a wake from
//     outside a bubble into a bubbled goroutine is a fatal error. A late
//     timer or context callback whose Stop lost the race fails its
//     ClaimGen, since the generation moved on.
//   - A source's messages are its buffered ones, oldest first, then its
//     waiting senders'. A plain receiver or pattern part takes the oldest;
//     a selective one (an Indexed source: join's Where) may take any, and
//     the rest keep their order. Either way a take only removes messages,
//     so the argument of NotifyUntil (a firing only takes messages away)
//     holds, and a message that moves from a sender into a buffer is no
//     arrival.
//   - A completion may carry ErrRetry instead of a result: the completer
//     took nothing for the select (a join pattern whose messages are all
//     stored) and the select, once woken, runs again from the start (Wait,
//     selectx's decide, the Selector's loop), with all its guards' locks
//     held, as if it had just been called. Like any completion it ends the
//     waiter's generation, so no other completer can race it.
//   - A Waiter's Entry becomes visible only when its select enqueues it while
//     holding every lock of every guard of that select. So a party that holds
//     a queue's lock sees either the select's entries or, if it comes first,
//     is seen by the select's readiness check: no wake-up is lost.
//
// Lock order: Mutex values by address (SortLocks, LockAbove). A waiter's
// Cond is a leaf: only Wake signals it, holding no lock, and only its owner
// waits on it, holding none.

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
// returns the shortened slice (which shares ls's storage). It allocates
// nothing.
func SortLocks(ls []*Mutex) []*Mutex {
	k := 0
	for _, m := range ls {
		if m != nil {
			ls[k] = m
			k++
		}
	}
	clear(ls[k:])
	ls = ls[:k]
	sortByAddr(ls)
	return slices.Compact(ls)
}

// sortByAddr sorts s by address: by insertion for the short lists of most
// selects and firings, which costs less than a general sort's calls through
// a comparison function.
func sortByAddr[T any](s []*T) {
	if len(s) > 32 {
		slices.SortFunc(s, cmpAddr[T])
		return
	}
	for i := 1; i < len(s); i++ {
		x := s[i]
		a := uintptr(unsafe.Pointer(x))
		j := i
		for ; j > 0 && uintptr(unsafe.Pointer(s[j-1])) > a; j-- {
			s[j] = s[j-1]
		}
		s[j] = x
	}
}

func cmpAddr[T any](a, b *T) int {
	switch x, y := uintptr(unsafe.Pointer(a)), uintptr(unsafe.Pointer(b)); {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// LockAll locks every Mutex of ls, which must be in lock order (see SortLocks).
func LockAll(ls []*Mutex) {
	debugSorted(ls)
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

// LockAbove locks ls, which must be in lock order, for a party that already
// holds locks, the highest of them at address *top (0 if it holds none),
// and raises *top. A lock above *top is taken with Lock: waiting for it
// keeps the lock order. Any other is only tried (TryLock), since waiting for
// it could deadlock. If a try fails — the lock is busy, or the caller holds
// it already — LockAbove unlocks what it took of ls and reports false.
//
// A select uses it to lock its guards one after another, in the order it
// looks at them, without sorting them first.
func LockAbove(ls []*Mutex, top *uintptr) bool {
	for i, m := range ls {
		a := m.order()
		if a > *top {
			m.mu.Lock()
			*top = a
			continue
		}
		if !m.mu.TryLock() {
			UnlockAll(ls[:i])
			return false
		}
	}
	return true
}

// Waiter states and flags, packed into one word with a generation; see the
// Invariants at the top of this file.
const (
	waiting  uint64 = 0 // state: no party has claimed the waiter
	claimed  uint64 = 1 // state: a party holds a claim
	done     uint64 = 2 // state: completed
	stateMsk uint64 = 3

	parked   uint64 = 1 << 2 // the owner took its Cond ticket and waits for a signal
	released uint64 = 1 << 3 // Wake ran: no completer touches the waiter any more

	genShift = 32 // the generation is word >> genShift
)

// A Waiter is a goroutine blocked in a select, seen from the parties that
// may complete it. In each generation it is one-shot: exactly one of its
// entries completes, the completer wakes the owner, and the owner then
// reuses the waiter, in a new generation, for its next blocking operation
// (a Slot's or a Parking's, which own waiters).
//
// The zero value is a waiter ready to be enqueued. A Waiter must not be
// copied after first use.
type Waiter struct {
	_ noCopy

	// word is the state (waiting, claimed, done), the parked and released
	// flags, and the generation; see the Invariants.
	word atomic.Uint64

	// Written by the claimer before the state becomes done, read by the owner
	// after it observes released.
	entry *Entry
	err   error

	// cond is the park: its Locker is the waiter itself (parkLocker), whose
	// Unlock, called by Cond.Wait after taking the ticket, publishes parked.
	cond sync.Cond

	//lint:ignore U1000 counted in the assertion mode only (debug_on.go)
	debug debugCount // the assertion mode's count of queued entries
}

// Claim reserves w for the caller, who must hold the lock of a queue holding
// one of w's entries. It reports false if w has already completed. While
// another party holds a claim on w, Claim waits for it to be resolved.
// A caller that will claim several waiters uses ClaimAll instead; a caller
// that holds no such lock (a timer) uses ClaimGen.
func (w *Waiter) Claim() bool { return w.claim(0, false) }

// claim is Claim, and with inGen ClaimGen(gen).
func (w *Waiter) claim(gen uint32, inGen bool) bool {
	for {
		old := w.word.Load()
		if inGen && uint32(old>>genShift) != gen {
			return false
		}
		switch old & stateMsk {
		case waiting:
			if w.word.CompareAndSwap(old, old+claimed) {
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

// Gen returns w's generation: the number of times it was reused. A party
// that may complete w without holding the lock of a queue where w's entry
// is (a timer, a context callback) records Gen when the entry is enqueued
// and claims with ClaimGen.
func (w *Waiter) Gen() uint32 { return uint32(w.word.Load() >> genShift) }

// ClaimGen is Claim for a party that holds no lock: it claims w only in
// generation gen, and reports false once w has completed or been reused
// since. A late timer therefore never completes a recycled waiter.
func (w *Waiter) ClaimGen(gen uint32) bool { return w.claim(gen, true) }

// Release gives back a claim that the caller could not complete: w is
// waiting again.
func (w *Waiter) Release() { w.word.Add(^uint64(0)) } // claimed → waiting

// Complete finishes a claim: e, one of w's entries, is the guard that
// completed, with err. The caller must then call Wake, preferably after
// releasing its locks.
func (w *Waiter) Complete(e *Entry, err error) {
	w.entry, w.err = e, err
	w.word.Add(done - claimed)
}

// Done reports whether w has completed.
func (w *Waiter) Done() bool { return w.word.Load()&stateMsk == done }

// Wake wakes w's owner after Complete; the completer calls it exactly once,
// holding no lock. If the owner has not parked yet it costs one atomic
// operation and no signal: the owner will see released and not park.
// After Wake a completer must not touch w again (the owner may reuse it).
func (w *Waiter) Wake() {
	if w.word.Or(released)&parked != 0 {
		w.cond.Signal()
	}
}

// park blocks the owner until w has completed and been woken, and returns
// the entry that completed and its error. Before it parks it yields the
// processor once, so that a partner running on another processor can
// complete w meanwhile, which then costs neither a park nor a signal. It
// parks on a sync.Cond, which testing/synctest counts as durably blocking,
// so a deadlock inside a bubble is reported rather than hung.
func (w *Waiter) park() (*Entry, error) {
	if w.word.Load()&released == 0 {
		sched.Parking(w)
		// One bounded yield, then the durable park; spinning longer or
		// yielding twice measured slower (see the Invariants).
		runtime.Gosched()
		w.cond.L = (*parkLocker)(w)
		// Wait returns once released (see parkLocker.Unlock), so the loop
		// runs at most once; its atomic load is also what orders the
		// completer's writes before the owner's reads, since a Cond whose
		// Locker is not a mutex tells the race detector nothing.
		for w.word.Load()&released == 0 {
			w.cond.Wait()
		}
		sched.Resumed()
	}
	return w.entry, w.err
}

// reset makes w, whose park has returned, ready for a new blocking
// operation in a new generation. The caller must own w and have removed
// every entry of w from every queue; see the Invariants.
func (w *Waiter) reset() {
	if w.word.Load()&released == 0 {
		panic("guard: reuse of a waiter that was not woken")
	}
	debugReset(w)
	w.entry, w.err = nil, nil
	w.word.Store(uint64(w.Gen()+1) << genShift)
}

// A parkLocker is the Locker of a Waiter's Cond. Cond.Wait takes its ticket
// and then calls Unlock: the owner publishes parked there, unless Wake has
// already run, in which case it signals its own ticket so that Wait returns
// at once. Either way exactly one signal reaches the ticket, from whoever
// saw the other's flag.
type parkLocker Waiter

func (l *parkLocker) Lock() {}

func (l *parkLocker) Unlock() {
	w := (*Waiter)(l)
	for {
		old := w.word.Load()
		if old&released != 0 {
			w.cond.Signal()
			return
		}
		if w.word.CompareAndSwap(old, old|parked) {
			return
		}
	}
}

// ClaimAll claims every waiter of ws, which must be distinct (it panics on
// a duplicate), in lock order (it sorts ws by address). If one of them has
// already completed it releases those it claimed and reports false; the
// caller should drop the entries of completed waiters and try again.
func ClaimAll(ws []*Waiter) bool {
	sortByAddr(ws)
	for i := 1; i < len(ws); i++ {
		if ws[i] == ws[i-1] {
			// Claiming it twice would spin for ever on the caller's own
			// claim, holding the caller's locks.
			panic("guard: ClaimAll with a waiter twice")
		}
	}
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

	//lint:ignore U1000 counted in the assertion mode only (debug_on.go)
	pend debugCount // snapshots (AppendLive) of e not yet notified
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
		panic("guard: entry already queued")
	}
	e.q, e.prev, e.next = q, q.tail, nil
	if q.tail == nil {
		q.head = e
	} else {
		q.tail.next = e
	}
	q.tail = e
	q.n++
	debugQueued(e, 1)
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
	debugQueued(e, -1)
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

// CountLive returns the number of entries of q whose waiters have not
// completed, counting no further than limit.
func (q *Queue) CountLive(limit int) int {
	n := 0
	for e := q.head; e != nil && n < limit; e = e.next {
		if !e.W.Done() {
			n++
		}
	}
	return n
}

// AppendLive appends to dst the entries of q whose waiters have not
// completed, in queue order, for use after q's lock is released (a
// snapshot of listeners to notify).
func (q *Queue) AppendLive(dst []*Entry) []*Entry {
	for e := q.head; e != nil; e = e.next {
		if !e.W.Done() {
			debugSnapshot(e, 1)
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
		debugSnapshot(e, -1)
	}
}

// NotifyUntil is NotifyAll for a party that has just added one message:
// between two Notifies it asks consumed (called with no locks held)
// whether that message is gone again — taken by a pattern an earlier
// listener fired — and then stops. The listeners left could not fire
// before the message arrived (a listener that could fire would have fired
// when it enqueued, or when the message that made it possible arrived),
// and a firing only takes messages away, so they cannot fire now either.
// Without it a message that many patterns wait for (a lock's state in a
// one-place buffer) costs every one of them a lock round trip per
// arrival, though the first takes it.
func NotifyUntil(ls []*Entry, consumed func() bool) {
	for i, e := range ls {
		if i > 0 && consumed() {
			for _, e := range ls[i:] {
				debugSnapshot(e, -1)
			}
			return
		}
		e.L.Notify(e)
		debugSnapshot(e, -1)
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
// A select runs its guards like this:
//
//	pass 1: take the locks of every guard (LockAbove, guard by guard in the order
//	        the select looks at them; or all of them in lock order), and with all
//	        held: Commit the first guard that can complete (priority), or Poll
//	        them all and Commit one chosen at random; if none is ready, Enqueue an
//	        entry for each; unlock; AfterUnlock each; park
//	pass 2: after wake-up, for each guard: LockAll(g.Locks()); g.Dequeue(e); UnlockAll
//	        (without the locks for the completed entry if g is a Detacher and
//	        Detached(e) reports true)
//
// A single guard (Wait) is committed without a Poll first.
//
// Rules for implementers:
//   - Locks returns every Mutex that guards state read or written by Poll,
//     Commit, Enqueue and Dequeue, in lock order (SortLocks), and the same
//     slice every time. The select holds all of them during those calls,
//     together with the locks of the select's other guards.
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
//     A partner that holds no lock of a queue holding e (a timer) claims
//     with ClaimGen, in the generation it recorded when e was enqueued.
//   - AfterUnlock runs after the select released the locks that were held
//     for a successful Commit or for Enqueue: waking a partner completed by
//     Commit, telling listeners about a new message. It takes locks of its
//     own if it needs them.
//   - A guard value takes part in at most one select at a time.
//   - After the select returns, its waiter and entries are recycled: nothing
//     may keep an entry or waiter of a finished select where a partner could
//     reach it (see the Invariants).
type Guard interface {
	Locks() []*Mutex
	Poll() bool
	Commit() (ok bool, err error)
	Enqueue(e *Entry)
	Dequeue(e *Entry)
	AfterUnlock()
}

// A Detacher is a guard whose partners undo Enqueue themselves when they
// complete its entry, before Complete: a channel operation whose entry the
// partner removes from the queue, a join pattern whose firing party removes
// its listeners. Detached(e), called by the owner without locks for the
// entry that completed, reports whether that happened; Dequeue(e) is then
// called without locks too, and must touch only what the completer left to
// the owner. It saves the owner a lock round trip after every wake-up.
type Detacher interface {
	Detached(e *Entry) bool
}

// A Timed guard needs to know when the select that runs it began (After),
// or only that a select begins (a native Go channel's guard, which resets
// its per-select state there). A select calls Begin before anything else.
type Timed interface {
	Begin(start time.Time)
}

// Wait runs a select over the single guard h stands for: it completes it,
// blocking until it can, and returns its error. A disabled guard
// (chanop.When(false, …)) returns ErrNoGuards rather than blocking forever.
func Wait(h Handle) error {
	if h == nil {
		panic("guard: Wait on nil guard")
	}
	g := h.GuardOps()
	if !Enabled(g) {
		return ErrNoGuards
	}
	if t, ok := g.(Timed); ok {
		t.Begin(time.Now())
	}
	sched.Yield()
	sched.Selecting([]Handle{h})
	ls := g.Locks()
	var p *Parking
	for {
		LockAll(ls)
		if ok, err := Commit(g); ok { // no Poll first: see the Commit rule
			UnlockAll(ls)
			g.AfterUnlock()
			if p != nil {
				parkings.Put(p)
			}
			return err
		}
		if p == nil {
			p = parkings.Get().(*Parking)
		}
		gs := [1]Guard{g}
		p.Enqueue(gs[:], func() { UnlockAll(ls) })
		if _, err := p.Park(gs[:]); err != ErrRetry {
			parkings.Put(p)
			return err
		}
	}
}

// Commit calls g.Commit, with g's locks held. In the assertion mode it
// checks the Commit rule: a Commit that fails leaves a guard that holds
// locks not ready.
func Commit(g Guard) (ok bool, err error) {
	ok, err = g.Commit()
	if debug && !ok {
		debugFailedCommit(g)
	}
	return ok, err
}

// EnqueueAll calls Enqueue on each guard of gs with entry(i), with every
// lock of gs held. If an Enqueue panics (a guard used by two selects at
// once), it dequeues the entries already enqueued, calls unlock and panics
// again, so that a recovered misuse leaves no lock held and no entry of a
// select that will never park.
func EnqueueAll(gs []Guard, entry func(i int) *Entry, unlock func()) {
	n := 0
	defer func() {
		if n == len(gs) {
			return
		}
		r := recover()
		for i := range n {
			gs[i].Dequeue(entry(i))
		}
		unlock()
		panic(r)
	}()
	for i, g := range gs {
		g.Enqueue(entry(i))
		n = i + 1
	}
}

// noCopy makes go vet's copylocks check flag copies.
type noCopy struct{}

func (*noCopy) Lock()   {}
func (*noCopy) Unlock() {}
