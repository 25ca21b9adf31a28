package selectx

// This file is the Selector: a select whose guards stay registered across
// many waits.
//
// Invariants:
//
//   - A registered guard is watched (it is a guard.Watchable: a receive
//     on a Chan or a Buffer) or plain (anything else: sends, timeouts,
//     patterns, Skip; and a Watchable that shares a lock with a plain
//     guard, see addPlain). A disabled guard is registered (in s.disabled,
//     where equal values may repeat) but takes no part.
//   - Indices are handed out in registration order and never reused: an
//     index names one registration for the Selector's life, and PriSelect's
//     order (the lowest index first) is registration order, which no
//     Remove changes.
//   - A watched guard keeps one listener entry (slot.le) published on its
//     channel from Add until Remove or Close: that is the registration,
//     and its lifetime is explicit. le.W is s.lw, a
//     waiter nobody ever claims, so the channel never takes le for dead.
//   - s.mu guards the ready set (s.ready: the watched slots notified, or
//     found ready by Add or after a completion, since a Select last found
//     them not ready; slot.at is a slot's position in it, -1 outside), each slot's listening flag (its listener is
//     published: a Notify counts), and armed/gen. It is a leaf: it is
//     never held while waiting for another lock, and Notify takes it
//     holding none.
//   - A listening slot outside the ready set was, when a Select (or Add,
//     which polls it under the lock it watches with) last held its lock,
//     not ready; every change that can make it ready is followed
//     by a Notify (the Watchable contract), which puts it in the ready set.
//     So a Select looks only at the ready set and the plain guards: its
//     cost grows with the guards it tries, not with the number registered.
//   - A Select takes a slot out of the ready set (under s.mu) before it
//     tries it, and tries it holding that guard's locks and no other: a
//     Notify that lands meanwhile puts it back. A slot it found not ready
//     stays out; the slot it completed goes back in if, polled under the
//     same hold of its locks, it is ready again (a buffer holding more
//     messages, a second sender queued, a closed channel), since nothing
//     would notify that; if not, whatever makes it ready later notifies.
//   - Select picks each guard to try uniformly at random (sched.Intn)
//     among the ready set and the plain guards not yet tried in this pass;
//     PriSelect the one with the lowest index. A plain guard found not
//     ready is not tried again in that pass; a watched one only if a
//     Notify put it back in the ready set meanwhile.
//   - The owner parks through s.pk, its guard.Parking for the Selector's
//     life, whose waiter is w. Before parking it arms s (armed, gen = w's
//     generation) under s.mu, having found the ready set empty under
//     the same hold. A Notify that finds s armed disarms it and completes
//     w in that generation (ClaimGen) with the entry s.wake; if it instead
//     finds w completed by a plain guard's partner, its claim fails and the
//     owner wakes anyway. An owner that disarms s itself after a Notify did
//     must wait for that Notify's Wake (s.pk.Park) before w is reused: the
//     waiter protocol's quiescence rule.
//   - When it parks, the owner locks every plain guard together (lock
//     order), polls them once more, and enqueues them, for Select in an
//     order drawn at random (sched.Intn), for PriSelect in index order.
//
// Why no wake-up is lost. A Notify that runs before the owner arms s has
// put its slot in the ready set, and the owner, arming under s.mu, sees the
// ready set non-empty and looks again instead of parking. A Notify after
// arming completes w. A slot listens (under s.mu) before Add publishes its
// listener, so no Notify of a new registration is dropped. Plain guards are enqueued, under their locks, after
// arming, as in an ordinary select.
//
// What replaces the one-instant rule. An ordinary select holds the locks
// of every guard it looks at until it decides, so no guard it found not
// ready was ready when it took another. A Selector's pass holds one guard's
// locks at a time, so it promises less:
//
//   - The guard a Select completes was ready under its own locks when it
//     completed; every guard it found not ready was not ready under its own
//     locks at the instant it was tried, which may be before another became
//     ready.
//   - Select: the guards that are ready for the whole pass and, if
//     watched, in the ready set when it begins are completed with equal
//     probability, whatever their index: each try draws uniformly from
//     the guards left, and the pass ends at the first such guard drawn.
//     PriSelect: the guard completed has the lowest index of those.
//   - A watched guard's readiness is learned from its Notify, which its
//     channel sends after releasing its lock; so a Select may take a plain
//     guard (a Skip) at an instant when a watched guard's partner had just
//     arrived and not yet notified.
//   - Blocking is exact: the owner parks only having found, under s.mu, no
//     notified guard, and with every plain guard locked and not ready, so
//     nothing that arrives is missed.

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
// tells the Selector when the receive may have become ready. The Selector
// keeps the notified receives in a ready set and tries one at a time,
// under that channel's lock alone, so the cost of a Select does not grow
// with the number registered, nor with the number ready. Other guards
// (sends, After, Done, join patterns, Skip) are plain: tried on every
// call, and enqueued when the Select blocks, as by Select: keep them few.
// Measured figures are in the README (BenchmarkFanIn).
//
// Select is uniform: each ready guard, whatever its index, is completed
// with the same probability. PriSelect prefers the lowest index, and
// indices are given in registration order and never reused, so priority
// is registration order: a guard removed and added again goes last.
// Neither holds every guard's lock at once as Select does; the note at the
// top of selector.go says what they guarantee instead.
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

	index    map[chanop.Guard]*slot // enabled registered guards
	disabled []*slot                // disabled registered guards, by index
	plain    []*slot                // enabled guards that are not watched, by index
	next     int                    // the index the next Add gives
	n        int                    // enabled guards
	timed    bool                   // some plain guard is guard.Timed

	plainLocks map[*guard.Mutex]int     // locks of plain guards, with their count
	watchedOn  map[*guard.Mutex][]*slot // watched guards by lock

	lw guard.Waiter // W of every listener entry; never claimed

	mu     sync.Mutex // protects the fields below and every slot's listening and at
	ready  []*slot    // the ready set: watched slots notified since a Select found them not ready
	armed  bool       // the owner is about to park on w in generation gen
	gen    uint32
	closed bool

	// The owner's park; see the Invariants.
	pk   guard.Parking
	wake guard.Entry // the entry a Notify completes pk's waiter with

	// Scratch of one Select.
	left  []*slot // plain guards not yet tried in this pass
	locks []*guard.Mutex
	gs    []guard.Guard
}

// A slot is one registered guard.
type slot struct {
	s       *Selector
	g       chanop.Guard // as the user added it
	ops     guard.Guard  // g.GuardOps()
	i       int
	watched bool        // owner's view: le is published
	le      guard.Entry // listener entry of a watched guard

	listening bool // guarded by s.mu: a Notify counts
	at        int  // guarded by s.mu: position in s.ready, or -1
}

// NewSelector returns a Selector with gs registered, at indices 0 to
// len(gs)-1. A nil guard, or an enabled guard given twice, panics.
func NewSelector(gs ...chanop.Guard) *Selector {
	s := &Selector{
		index:      make(map[chanop.Guard]*slot, len(gs)),
		plainLocks: make(map[*guard.Mutex]int),
		watchedOn:  make(map[*guard.Mutex][]*slot),
	}
	for _, g := range gs {
		s.Add(g)
	}
	return s
}

// Add registers g and returns its index, which the index forms of Select
// return when g completes. Indices follow registration order and are never
// reused: the first Add returns 0, the next 1, and so on, whatever was
// removed meanwhile. A nil guard, an enabled guard already registered, or a closed
// Selector panics. Disabled guards (chanop.When(false, …)) are all alike
// and may be added any number of times; they never complete.
func (s *Selector) Add(g chanop.Guard) int {
	if g == nil {
		panic("selectx: Selector.Add of a nil guard (use chanop.When to disable a guard)")
	}
	if s.closed {
		panic("selectx: Selector.Add on a closed Selector")
	}
	ops := g.GuardOps()
	enabled := guard.Enabled(ops)
	if _, dup := s.index[g]; dup && enabled {
		panic("selectx: Selector.Add of a guard already registered")
	}
	i := s.next
	s.next++
	sl := &slot{s: s, g: g, ops: ops, i: i, at: -1}
	if !enabled {
		s.disabled = append(s.disabled, sl)
		return i
	}
	s.index[g] = sl
	s.n++
	if wg, ok := sl.ops.(guard.Watchable); ok && !s.sharesPlainLock(sl.ops) {
		sl.watched = true
		sl.le.W, sl.le.G, sl.le.L = &s.lw, sl.ops, sl
		// Listening before the listener is published: a Notify that comes
		// as soon as it is must count.
		s.mu.Lock()
		sl.listening = true
		s.mu.Unlock()
		ls := sl.ops.Locks()
		guard.LockAll(ls)
		wg.Watch(&sl.le)
		// It may be ready already: then it goes in the ready set. If not,
		// whatever makes it ready from now on notifies.
		ready := sl.ops.Poll()
		guard.UnlockAll(ls)
		for _, l := range ls {
			s.watchedOn[l] = append(s.watchedOn[l], sl)
		}
		s.mu.Lock()
		if ready && sl.at < 0 {
			s.addReady(sl)
		}
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
		// unwatch shrinks s.watchedOn[l]: take its first until it is empty,
		// rather than range over a slice that changes underneath.
		for ws := s.watchedOn[l]; len(ws) > 0; ws = s.watchedOn[l] {
			w := ws[0]
			s.unwatch(w)
			s.addPlain(w)
		}
	}
}

// unwatch removes sl's listener and takes it out of the ready set; sl is
// then no longer watched. A Notify from a snapshot taken before may still
// come: it finds sl not listening.
func (s *Selector) unwatch(sl *slot) {
	ls := sl.ops.Locks()
	guard.LockAll(ls)
	sl.ops.(guard.Watchable).Unwatch(&sl.le)
	guard.UnlockAll(ls)
	sl.watched = false
	s.mu.Lock()
	sl.listening = false
	if sl.at >= 0 {
		s.dropReady(sl)
	}
	s.mu.Unlock()
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

// Remove ends g's registration and reports whether g was registered. Its
// index is not given again. Since disabled guards are all alike, Remove of
// one ends the earliest registration of a guard equal to it.
func (s *Selector) Remove(g chanop.Guard) bool {
	sl, ok := s.index[g]
	if !ok {
		k := slices.IndexFunc(s.disabled, func(d *slot) bool { return d.g == g })
		if k < 0 {
			return false
		}
		s.disabled = slices.Delete(s.disabled, k, k+1)
		return true
	}
	delete(s.index, g)
	s.unregister(sl)
	return true
}

// unregister unwatches sl or drops it from the plain guards.
func (s *Selector) unregister(sl *slot) {
	s.n--
	if sl.watched {
		s.unwatch(sl)
		return
	}
	if k := slices.Index(s.plain, sl); k >= 0 {
		s.plain = slices.Delete(s.plain, k, k+1)
	}
	for _, l := range sl.ops.Locks() {
		if s.plainLocks[l]--; s.plainLocks[l] == 0 {
			delete(s.plainLocks, l)
		}
	}
}

// Close ends every registration. A closed Selector's Select and Add panic;
// Close again does nothing.
func (s *Selector) Close() {
	if s.closed {
		return
	}
	for _, sl := range s.index {
		s.unregister(sl)
	}
	s.index, s.disabled, s.plain = nil, nil, nil
	s.plainLocks, s.watchedOn = nil, nil
	s.mu.Lock()
	s.closed = true
	s.ready = nil
	s.mu.Unlock()
}

// Len returns the number of registered guards.
func (s *Selector) Len() int { return len(s.index) + len(s.disabled) }

// Select completes one registered guard and returns it with its error:
// uniformly at random among the guards it finds ready, else the first a
// partner completes, blocking until then. It returns nil and ErrNoGuards if
// no registered guard is enabled. A guard whose channel closed completes
// with chanop.ErrClosed on every call until it is removed.
func (s *Selector) Select() (chanop.Guard, error) {
	sl, err := s.run(random)
	if sl == nil {
		return nil, err
	}
	return sl.g, err
}

// PriSelect is Select with priority: among the guards it finds ready it
// completes the one with the lowest index, that is the earliest
// registered. Readiness of watched guards is learned from their channels'
// notifications; see the note on Selector.
func (s *Selector) PriSelect() (chanop.Guard, error) {
	sl, err := s.run(priority)
	if sl == nil {
		return nil, err
	}
	return sl.g, err
}

// SelectIndex is Select returning the index of the guard that completed
// (as Add returned it), or -1 with ErrNoGuards.
func (s *Selector) SelectIndex() (int, error) {
	sl, err := s.run(random)
	if sl == nil {
		return -1, err
	}
	return sl.i, err
}

// PriSelectIndex is PriSelect returning the index of the guard that
// completed, or -1 with ErrNoGuards.
func (s *Selector) PriSelectIndex() (int, error) {
	sl, err := s.run(priority)
	if sl == nil {
		return -1, err
	}
	return sl.i, err
}

// run is one Select: try the ready set and the plain guards one at a time
// until one completes, else arm, enqueue the plain guards, park, and try
// again.
func (s *Selector) run(pol policy) (*slot, error) {
	if s.closed {
		panic("selectx: Select on a closed Selector")
	}
	if s.n == 0 {
		return nil, ErrNoGuards
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
		if sl, err := s.try(pol); sl != nil {
			return sl, err
		}
		// Arm, unless a Notify came meanwhile.
		s.mu.Lock()
		if len(s.ready) > 0 {
			s.mu.Unlock()
			continue
		}
		s.armed, s.gen = true, s.pk.Waiter().Gen()
		s.mu.Unlock()
		if sl, ok, err := s.park(pol); ok {
			return sl, err
		}
	}
}

// try is one pass: it tries guards one at a time, each under its own
// locks, drawn from the ready set and the plain guards not yet tried in
// this pass (uniformly, or the lowest index first), until one completes,
// and returns it; or nil once the ready set is empty and every plain guard
// failed.
func (s *Selector) try(pol policy) (*slot, error) {
	left := append(s.left[:0], s.plain...)
	s.left = left
	defer clear(left) // the scratch must not keep slots alive
	for {
		var sl *slot
		s.mu.Lock()
		nr := len(s.ready)
		if nr+len(left) == 0 {
			s.mu.Unlock()
			return nil, nil
		}
		k := 0
		if pol == priority {
			k = s.lowest(left)
		} else {
			k = sched.Intn(nr + len(left))
		}
		if k < nr {
			sl = s.ready[k]
			s.dropReady(sl) // a Notify while we try puts it back
		}
		s.mu.Unlock()
		if k >= nr {
			// left is in index order; priority takes its first.
			j := k - nr
			sl = left[j]
			if pol == priority {
				left = left[1:]
			} else {
				last := len(left) - 1
				left[j] = left[last]
				left = left[:last]
			}
		}
		ls := sl.ops.Locks()
		guard.LockAll(ls)
		ok, err := guard.Commit(sl.ops) // fails only when Poll would (the Guard rules)
		// Ready again at once (a buffer holding more messages, a second
		// sender queued, a closed channel)? It would not be notified.
		again := ok && sl.watched && sl.ops.Poll()
		guard.UnlockAll(ls)
		if !ok {
			continue // not ready: out of the ready set, unless notified since
		}
		sl.ops.AfterUnlock()
		if again {
			s.mu.Lock()
			if sl.listening && sl.at < 0 {
				s.addReady(sl)
			}
			s.mu.Unlock()
		}
		return sl, err
	}
}

// lowest returns, for PriSelect, the position of the guard with the
// lowest index among the ready set (positions below len(s.ready)) and
// left, the untried plain guards in index order (positions from
// len(s.ready) on). s.mu is held; one of them is not empty.
func (s *Selector) lowest(left []*slot) int {
	k := -1
	for j, sl := range s.ready {
		if k < 0 || sl.i < s.ready[k].i {
			k = j
		}
	}
	if len(left) > 0 && (k < 0 || left[0].i < s.ready[k].i) {
		return len(s.ready)
	}
	return k
}

// addReady puts sl in the ready set; s.mu is held and sl is not in it.
func (s *Selector) addReady(sl *slot) {
	sl.at = len(s.ready)
	s.ready = append(s.ready, sl)
}

// dropReady takes sl out of the ready set; s.mu is held and sl is in it.
func (s *Selector) dropReady(sl *slot) {
	k, last := sl.at, len(s.ready)-1
	s.ready[k] = s.ready[last]
	s.ready[k].at = k
	s.ready[last] = nil
	s.ready = s.ready[:last]
	sl.at = -1
}

// park blocks until a plain guard completes or a Notify comes; s is
// armed. It reports ok with the completed guard, or !ok after a Notify, to
// look again.
func (s *Selector) park(pol policy) (*slot, bool, error) {
	ps := s.plain // only the owner changes it, and it is here
	gs := s.gs[:0]
	for _, sl := range ps {
		gs = append(gs, sl.ops)
	}
	s.gs = gs
	defer clear(gs)
	used := 0
	if len(ps) > 0 {
		// The plain guards again, now that s is armed, with all their
		// locks held: complete one, or enqueue on all.
		s.locks = s.locks[:0]
		for _, g := range gs {
			s.locks = append(s.locks, g.Locks()...)
		}
		used = len(s.locks)
		ls := guard.SortLocks(s.locks)
		guard.LockAll(ls)
		for {
			chosen := choose(len(gs), pol, func(k int) bool { return gs[k].Poll() })
			if chosen < 0 {
				break
			}
			if ok, err := guard.Commit(gs[chosen]); ok {
				guard.UnlockAll(ls)
				clear(s.locks[:used])
				gs[chosen].AfterUnlock()
				s.disarm()
				return ps[chosen], true, err
			}
		}
		// A partner that finds several of our entries in one queue takes
		// the first: Select enqueues in random order, so that each is as
		// likely; PriSelect in index order.
		if pol == random {
			s.pk.EnqueueRandom(gs, func() { guard.UnlockAll(ls) })
		} else {
			s.pk.Enqueue(gs, func() { guard.UnlockAll(ls) })
		}
	}
	// Park dequeues the plain guards' entries before it returns.
	chosen, err := s.pk.Park(gs)
	s.mu.Lock()
	s.armed = false
	s.mu.Unlock()
	clear(s.locks[:used])
	if chosen < 0 || err == guard.ErrRetry {
		return nil, false, nil // woken by a Notify, or to look again (guard.ErrRetry)
	}
	return ps[chosen], true, err
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
	if !sl.listening || s.closed {
		s.mu.Unlock()
		return
	}
	if sl.at < 0 {
		s.addReady(sl)
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

// noCopy makes go vet's copylocks check flag copies.
type noCopy struct{}

func (*noCopy) Lock()   {}
func (*noCopy) Unlock() {}
