package selectx

// This file is the Selector: a select whose guards stay registered across
// many waits.
//
// Invariants:
//
//   - A registered guard is watched (it is a guard.Watchable: a receive
//     on a Chan or a Buffer) or plain (anything else: sends, timeouts,
//     patterns, Skip; and a Watchable that shares a lock with a plain
//     guard, see addPlain). A disabled guard is registered but takes no
//     part.
//   - A watched guard keeps one listener entry (slot.le) published on its
//     channel from Add until Remove or Close: that is the registration,
//     with the explicit lifetime DESIGN.md asks for. le.W is s.lw, a
//     waiter nobody ever claims, so the channel never takes le for dead.
//   - s.mu guards the pending list (the watched slots notified since the
//     Select last looked at them: slot.pending), each slot's removed flag,
//     and armed/gen. It is a leaf: it is never held while waiting for
//     another lock, and Notify takes it holding none.
//   - A watched guard that is not pending was, when a Select last held
//     its lock, not ready; every change that can make it ready is followed
//     by a Notify (the Watchable contract), which makes it pending. So a
//     Select looks only at pending guards and plain ones: its cost grows
//     with those, not with the number registered.
//   - A Select drops a pending guard only when it found it not ready with
//     its lock held. It keeps pending the guard it completed (it may be
//     ready again: a buffer holding more messages is not notified again)
//     and every pending guard it did not find not ready.
//   - The owner parks through s.pk, its guard.Parking for the Selector's
//     life, whose waiter is w. Before parking it arms s (armed, gen = w's
//     generation) under s.mu, having found the pending list empty under
//     the same hold. A Notify that finds s armed disarms it and completes
//     w in that generation (ClaimGen) with the entry s.wake; if it instead
//     finds w completed by a plain guard's partner, its claim fails and the
//     owner wakes anyway. An owner that disarms s itself after a Notify did
//     must wait for that Notify's Wake (s.pk.Park) before w is reused: the
//     waiter protocol's quiescence rule.
//
// Why no wake-up is lost. A Notify that runs before the owner arms s has
// made its slot pending, and the owner, arming under s.mu, sees the
// pending list non-empty and looks again instead of parking. A Notify
// after arming completes w. Plain guards are enqueued, under their
// locks, after arming, as in an ordinary select.
//
// Deviation from the one-instant rule. A watched guard's readiness is
// learned from its Notify, which its channel sends after releasing its
// lock; so a Select may take a plain guard (a Skip) at an instant when a
// watched guard's partner had just arrived and not yet notified. An
// ordinary Select would have seen it. Blocking is unaffected: nothing
// that arrives is missed.

import (
	"slices"
	"sync"
	"time"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/guard"
	"github.com/gochord/chord/internal/sched"
)

// A Selector is a select whose guards are registered once and waited on
// many times: NewSelector and Add register, Remove and Close end a
// registration, and each Select (PriSelect, SelectIndex, PriSelectIndex)
// completes one registered guard. A server that selects over the same
// thousand channels in a loop registers them once instead of enqueueing a
// thousand entries on every call.
//
// Receives from a chanop.Chan or a buffer.Buffer (guard.Watchable guards)
// are watched: registering one publishes a listener on its channel, which
// tells the Selector when the receive may have become ready, so the cost
// of a Select grows with the number of guards that became ready since the
// last one, not with the number registered. Other guards (sends, After,
// Done, join patterns, Skip) are polled, and enqueued when the Select
// blocks, on every call, as by Select: keep them few. Measured figures are
// in the README (BenchmarkFanIn).
//
// A watched receive waits by listening, not by queueing as a receiver: a
// sender on its channel parks, and the Selector then takes its message. So
// a parked Selector is not a waiting receiver for a non-blocking send
// (TrySend, or PriSelect(c.SendOp(v), Skip())), which fails where it would
// succeed against a parked Select; a blocking Send or a select that waits
// is served.
//
// A registration lasts until Remove or Close, and costs something while
// it lasts: every message arriving on a watched channel notifies the
// Selector, whether or not it is selecting. Close a Selector when done
// with it. A registered guard must not be used in another select, or in
// two Selectors, until it is removed.
//
// A Selector belongs to one goroutine at a time: its methods must not be
// called concurrently. The zero value is not usable; use NewSelector.
type Selector struct {
	_ noCopy

	slots []*slot              // by index; nil where removed
	free  []int                // indices freed by Remove, reused by Add
	index map[chanop.Guard]int // guard → index
	plain []*slot              // enabled guards that are not watched, by index
	n     int                  // enabled guards
	timed bool                 // some plain guard is guard.Timed

	plainLocks map[*guard.Mutex]int     // locks of plain guards, with their count
	watchedOn  map[*guard.Mutex][]*slot // watched guards by lock

	lw guard.Waiter // W of every listener entry; never claimed

	mu      sync.Mutex // protects the fields below and every slot's pending and removed
	pending []*slot    // watched slots notified since a Select looked
	armed   bool       // the owner is about to park on w in generation gen
	gen     uint32
	closed  bool

	// The owner's park; see the Invariants.
	pk   guard.Parking
	wake guard.Entry // the entry a Notify completes pk's waiter with

	// Scratch of one Select.
	cands []*slot
	locks []*guard.Mutex
	ready []bool
	gs    []guard.Guard
}

// A slot is one registered guard.
type slot struct {
	s       *Selector
	g       chanop.Guard // as the user added it
	ops     guard.Guard  // g.GuardOps()
	i       int
	watched bool
	le      guard.Entry // listener entry of a watched guard

	pending bool // guarded by s.mu
	removed bool // guarded by s.mu
}

// NewSelector returns a Selector with gs registered, at indices 0 to
// len(gs)-1. A nil guard, or a guard given twice, panics.
func NewSelector(gs ...chanop.Guard) *Selector {
	s := &Selector{
		index:      make(map[chanop.Guard]int, len(gs)),
		plainLocks: make(map[*guard.Mutex]int),
		watchedOn:  make(map[*guard.Mutex][]*slot),
	}
	for _, g := range gs {
		s.Add(g)
	}
	return s
}

// Add registers g and returns its index, which the index forms of Select
// return when g completes. Like a file descriptor, the index is the lowest
// one that no registered guard holds. A watched guard is immediately
// looked at by the next Select. A nil guard, a guard already registered,
// or a closed Selector panics.
func (s *Selector) Add(g chanop.Guard) int {
	if g == nil {
		panic("selectx: Selector.Add of a nil guard (use chanop.When to disable a guard)")
	}
	if s.closed {
		panic("selectx: Selector.Add on a closed Selector")
	}
	if _, dup := s.index[g]; dup {
		panic("selectx: Selector.Add of a guard already registered")
	}
	i := len(s.slots)
	if k := len(s.free); k > 0 {
		i = s.free[k-1]
		s.free = s.free[:k-1]
		s.free = minFirst(s.free)
	} else {
		s.slots = append(s.slots, nil)
	}
	sl := &slot{s: s, g: g, ops: g.GuardOps(), i: i}
	s.slots[i] = sl
	s.index[g] = i
	if !guard.Enabled(sl.ops) {
		return i
	}
	s.n++
	if wg, ok := sl.ops.(guard.Watchable); ok && !s.sharesPlainLock(sl.ops) {
		sl.watched = true
		sl.le.W, sl.le.G, sl.le.L = &s.lw, sl.ops, sl
		ls := sl.ops.Locks()
		guard.LockAll(ls)
		wg.Watch(&sl.le)
		guard.UnlockAll(ls)
		for _, l := range ls {
			s.watchedOn[l] = append(s.watchedOn[l], sl)
		}
		// It may be ready already: look at it first.
		s.mu.Lock()
		sl.pending = true
		s.pending = append(s.pending, sl)
		s.mu.Unlock()
		return i
	}
	s.addPlain(sl)
	return i
}

// A watched guard that shares a lock with a plain guard is made plain too.
// Scenario: a Selector watching c.RecvOp() with a plain c.SendOp(v) would
// wake itself up: each park enqueues the send, whose enqueueing notifies
// the watch, which wakes the owner, who dequeues the send and looks at
// the receive (not ready: the only sender was itself) and parks again,
// for ever. As two plain guards they are decided together under c's lock,
// as by Select, and a select never meets itself.

// sharesPlainLock reports whether a lock of g is a lock of a plain guard.
func (s *Selector) sharesPlainLock(g guard.Guard) bool {
	for _, l := range g.Locks() {
		if s.plainLocks[l] > 0 {
			return true
		}
	}
	return false
}

// addPlain registers sl as a plain guard, and makes plain the watched
// guards that share one of its locks.
func (s *Selector) addPlain(sl *slot) {
	s.plain = insertByIndex(s.plain, sl)
	if _, ok := sl.ops.(guard.Timed); ok {
		s.timed = true
	}
	for _, l := range sl.ops.Locks() {
		s.plainLocks[l]++
		for _, w := range s.watchedOn[l] {
			if w.watched {
				s.unwatch(w)
				s.addPlain(w)
			}
		}
	}
}

// unwatch removes sl's listener; sl is then no longer watched. A Notify
// from a snapshot taken before may still come: it makes sl pending, which
// a Select ignores since sl is not watched.
func (s *Selector) unwatch(sl *slot) {
	ls := sl.ops.Locks()
	guard.LockAll(ls)
	sl.ops.(guard.Watchable).Unwatch(&sl.le)
	guard.UnlockAll(ls)
	sl.watched = false
	for _, l := range ls {
		ws := s.watchedOn[l]
		if k := slices.Index(ws, sl); k >= 0 {
			ws = slices.Delete(ws, k, k+1)
		}
		if len(ws) == 0 {
			delete(s.watchedOn, l)
		} else {
			s.watchedOn[l] = ws
		}
	}
}

// Remove ends g's registration and frees its index. It reports whether g
// was registered.
func (s *Selector) Remove(g chanop.Guard) bool {
	i, ok := s.index[g]
	if !ok {
		return false
	}
	sl := s.slots[i]
	delete(s.index, g)
	s.slots[i] = nil
	s.free = append(s.free, i)
	s.free = minFirst(s.free)
	s.unregister(sl)
	return true
}

// unregister unwatches sl or drops it from the plain guards.
func (s *Selector) unregister(sl *slot) {
	if !guard.Enabled(sl.ops) {
		return
	}
	s.n--
	if !sl.watched {
		if k := slices.Index(s.plain, sl); k >= 0 {
			s.plain = slices.Delete(s.plain, k, k+1)
		}
		for _, l := range sl.ops.Locks() {
			if s.plainLocks[l]--; s.plainLocks[l] == 0 {
				delete(s.plainLocks, l)
			}
		}
		return
	}
	s.unwatch(sl)
	// A Notify from a snapshot taken before Unwatch may still come; it
	// finds sl removed.
	s.mu.Lock()
	sl.removed = true
	s.mu.Unlock()
}

// Close ends every registration. A closed Selector's Select and Add panic;
// Close again does nothing.
func (s *Selector) Close() {
	if s.closed {
		return
	}
	for _, sl := range s.slots {
		if sl != nil {
			s.unregister(sl)
		}
	}
	s.slots, s.free, s.plain, s.index = nil, nil, nil, nil
	s.plainLocks, s.watchedOn = nil, nil
	s.mu.Lock()
	s.closed = true
	s.pending = nil
	s.mu.Unlock()
}

// Len returns the number of registered guards.
func (s *Selector) Len() int { return len(s.index) }

// Select completes one registered guard and returns it with its error:
// uniformly at random among the guards it finds ready, else the first a
// partner completes, blocking until then. It returns nil and ErrNoGuards if
// no registered guard is enabled. A guard whose channel closed completes
// with chanop.ErrClosed on every call until it is removed.
func (s *Selector) Select() (chanop.Guard, error) {
	i, err := s.run(random)
	return s.guard(i), err
}

// PriSelect is Select with priority: among the guards it finds ready it
// completes the one with the lowest index. Readiness of watched guards is
// learned from their channels' notifications; see the note on Selector.
func (s *Selector) PriSelect() (chanop.Guard, error) {
	i, err := s.run(priority)
	return s.guard(i), err
}

// SelectIndex is Select returning the index of the guard that completed
// (as Add returned it), or -1 with ErrNoGuards.
func (s *Selector) SelectIndex() (int, error) { return s.run(random) }

// PriSelectIndex is PriSelect returning the index of the guard that
// completed, or -1 with ErrNoGuards.
func (s *Selector) PriSelectIndex() (int, error) { return s.run(priority) }

func (s *Selector) guard(i int) chanop.Guard {
	if i < 0 {
		return nil
	}
	return s.slots[i].g
}

// run is one Select: look at the pending and plain guards, complete one
// if it can, else arm, enqueue the plain guards, park, and look again.
func (s *Selector) run(pol policy) (int, error) {
	if s.closed {
		panic("selectx: Select on a closed Selector")
	}
	if s.n == 0 {
		return -1, ErrNoGuards
	}
	if s.timed {
		now := time.Now()
		for _, sl := range s.plain {
			if t, ok := sl.ops.(guard.Timed); ok {
				t.Begin(now)
			}
		}
	}
	sched.Yield()
	for {
		// Pass 1: the pending watched guards and the plain ones.
		s.mu.Lock()
		s.cands = append(s.cands[:0], s.plain...)
		for _, sl := range s.pending {
			sl.pending = false
			if !sl.removed && sl.watched {
				s.cands = insertByIndex(s.cands, sl)
			}
		}
		clear(s.pending)
		s.pending = s.pending[:0]
		s.mu.Unlock()
		if i, ok, err := s.try(pol); ok {
			return i, err
		}

		// Pass 2: arm, unless a Notify came meanwhile.
		s.mu.Lock()
		if len(s.pending) > 0 {
			s.mu.Unlock()
			continue
		}
		s.armed, s.gen = true, s.pk.Waiter().Gen()
		s.mu.Unlock()
		if i, ok, err := s.park(pol); ok {
			return i, err
		}
	}
}

// try looks at s.cands (sorted by index) with all their locks held and
// completes one if it can. Watched candidates found not ready are
// dropped; the others go back to pending.
func (s *Selector) try(pol policy) (int, bool, error) {
	cs := s.cands
	if len(cs) == 0 {
		return -1, false, nil
	}
	s.locks = s.locks[:0]
	for _, sl := range cs {
		s.locks = append(s.locks, sl.ops.Locks()...)
	}
	used := len(s.locks)
	ls := guard.SortLocks(s.locks)
	guard.LockAll(ls)
	if cap(s.ready) < len(cs) {
		s.ready = make([]bool, len(cs))
	}
	ready := s.ready[:len(cs)]
	clear(ready)
	chosen, looked := -1, len(cs) // looked: candidates from here on were not looked at
	var err error
	for chosen < 0 {
		nready := 0
		pick := -1
		for k, sl := range cs {
			if pol == priority {
				// Commit fails only when Poll would (the Guard rules).
				ok, e := guard.Commit(sl.ops)
				if ok {
					chosen, err, looked = k, e, k+1
					break
				}
				continue
			}
			if !sl.ops.Poll() {
				continue
			}
			ready[k] = true
			nready++
			if sched.Intn(nready) == 0 {
				pick = k
			}
		}
		if pol == priority || pick < 0 {
			break
		}
		if ok, e := guard.Commit(cs[pick].ops); ok {
			chosen, err = pick, e
			break
		}
		// Its partner completed elsewhere: it is not ready now.
		clear(ready)
	}
	guard.UnlockAll(ls)
	clear(s.locks[:used]) // only what this call used: the scratch may be long
	if chosen >= 0 {
		cs[chosen].ops.AfterUnlock()
	}

	// Keep pending what may still be ready.
	s.mu.Lock()
	for k, sl := range cs {
		if !sl.watched || sl.removed || sl.pending {
			continue
		}
		if k == chosen || k >= looked || ready[k] {
			sl.pending = true
			s.pending = append(s.pending, sl)
		}
	}
	s.mu.Unlock()
	if chosen < 0 {
		return -1, false, nil
	}
	return cs[chosen].i, true, err
}

// park blocks until a plain guard completes or a Notify comes; s is
// armed. It reports ok with the completed guard's index, or !ok after a
// Notify, to look again.
func (s *Selector) park(pol policy) (int, bool, error) {
	ps := s.plain
	var ls []*guard.Mutex
	used := 0
	if len(ps) > 0 {
		// The plain guards again, now that s is armed, with all their
		// locks held: complete one, or enqueue on all.
		s.locks = s.locks[:0]
		for _, sl := range ps {
			s.locks = append(s.locks, sl.ops.Locks()...)
		}
		used = len(s.locks)
		ls = guard.SortLocks(s.locks)
		guard.LockAll(ls)
		for {
			chosen := choose(len(ps), pol, func(k int) bool { return ps[k].ops.Poll() })
			if chosen < 0 {
				break
			}
			if ok, err := guard.Commit(ps[chosen].ops); ok {
				guard.UnlockAll(ls)
				clear(s.locks[:used])
				ps[chosen].ops.AfterUnlock()
				s.disarm()
				return ps[chosen].i, true, err
			}
		}
		gs := s.gs[:0]
		for _, sl := range ps {
			gs = append(gs, sl.ops)
		}
		s.gs = gs
		s.pk.Enqueue(gs, func() { guard.UnlockAll(ls) })
	}
	// Park dequeues the plain guards' entries before it returns.
	chosen, err := s.pk.Park(s.gs[:len(ps)])
	s.mu.Lock()
	s.armed = false
	s.mu.Unlock()
	clear(s.gs)
	clear(s.locks[:used])
	if chosen < 0 || err == guard.ErrRetry {
		return -1, false, nil // woken by a Notify, or to look again (guard.ErrRetry)
	}
	return ps[chosen].i, true, err
}

// disarm undoes arming after the owner completed a guard without parking.
// If a Notify disarmed s first, it is completing s.pk's waiter: wait for
// its Wake, which also readies the waiter for the next park.
func (s *Selector) disarm() {
	s.mu.Lock()
	was := s.armed
	s.armed = false
	s.mu.Unlock()
	if !was {
		s.pk.Park(nil)
	}
}

// Notify implements guard.Listener: sl's channel may have made it ready.
func (sl *slot) Notify(*guard.Entry) {
	s := sl.s
	s.mu.Lock()
	if sl.removed || s.closed {
		s.mu.Unlock()
		return
	}
	if !sl.pending {
		sl.pending = true
		s.pending = append(s.pending, sl)
	}
	armed, gen := s.armed, s.gen
	s.armed = false
	s.mu.Unlock()
	if w := s.pk.Waiter(); armed && w.ClaimGen(gen) {
		w.Complete(&s.wake, nil)
		w.Wake()
	}
}

// insertByIndex inserts sl into ss, which is sorted by index.
func insertByIndex(ss []*slot, sl *slot) []*slot {
	k := len(ss)
	ss = append(ss, sl)
	for ; k > 0 && ss[k-1].i > sl.i; k-- {
		ss[k] = ss[k-1]
	}
	ss[k] = sl
	return ss
}

// minFirst keeps the free list's lowest index last, where Add takes it.
func minFirst(free []int) []int {
	if len(free) < 2 {
		return free
	}
	m := 0
	for k, i := range free {
		if i < free[m] {
			m = k
		}
	}
	last := len(free) - 1
	free[m], free[last] = free[last], free[m]
	return free
}

// noCopy makes go vet's copylocks check flag copies.
type noCopy struct{}

func (*noCopy) Lock()   {}
func (*noCopy) Unlock() {}
