package join

// This file is the matcher: how a pattern fires.
//
// Invariants:
//
//   - A pattern's state (its parts' scratch and results, its listener
//     entries, owner) is guarded by the locks of all its sources, which are
//     always taken together in lock order (guard.SortLocks): by the select
//     running the pattern (selectx's pass 1, and its pass 2 unless the
//     entry was detached) or by Notify.
//   - A firing takes messages only after it holds every source lock and has
//     claimed, with guard.ClaimAll, every waiter involved: the senders of
//     all picked messages and, when the firing acts for a parked owner, the
//     owner. Until all claims succeed nothing is taken (atomic transfer;
//     partial matches hold nothing). If a claim fails because a sender
//     completed elsewhere, every claim is released and the match is redone
//     without it; each retry discards at least one completed waiter, so the
//     loop ends.
//   - Each waiter appears at most once in a firing (matcher.has), so a sender
//     that is a select over several channels of one pattern gives at most
//     one message, and its select completes exactly one guard.
//   - The party that completes a parked owner's pattern entry (Notify,
//     firing or finding the pattern dead) removes the pattern's listeners
//     and clears owner before Complete, holding every lock. So a pattern
//     entry that completed is detached (Detached reports owner == nil, read
//     by the owner after Park, which orders it after Complete), and the
//     owner's select does not lock the sources again to dequeue it.
//   - A pattern that cannot match is dead only if a part's sources closed
//     (a dead pattern never matches), so dead is asked only after a failed
//     match. Every Source keeps its closed flag in a guard.Closing, whose
//     Close and Taking advance guard.Closings under the source's lock before
//     it closes, or, closed, hands out a buffered message; liveAt records the
//     count at which the pattern was last found alive, with all locks held,
//     so while the count has not moved the pattern is still alive and dead
//     costs one load. Notify, which checks without locks, locks and looks
//     whenever the count moved.
//   - avail never understates what a source can give (see Notify), and is
//     lowered only with every lock held. The assertion mode (build tag
//     chorddebug) re-checks every early return of Notify's lock-free filter
//     under the locks (debugFilter).
//   - A selective part (Where) can take only the messages its predicate
//     accepts, and its avail counts only those. A predicate's answers do
//     not change while a select over the pattern runs (the owner changes
//     what it reads only between selects; see Part.Where), and each select
//     recounts avail when it enqueues, so "never understates" holds for the
//     whole wait: the accepted messages grow only by arrivals, each of
//     which adds one to avail through Notify whether the predicate accepts
//     it or not (an overstatement is only a lookup too many). A message
//     that moves inside a source (a blocked sender's into a buffer's ring)
//     was counted before and is not news.
//   - Whether a closed source can still satisfy a selective part depends on
//     the predicate, which may have changed since the pattern was last
//     found alive in an earlier select, so dead does not trust liveAt for
//     a selective pattern; Notify's lock-free use of liveAt stays valid,
//     since each select asks dead (Poll or a failed Commit) before it
//     enqueues, and so stores liveAt under the current predicates.
//   - A firing that finds every message it needs stored (buffered) takes
//     them oldest first, as the matcher would, and claims nobody.
//   - Notify never fires a pattern whose messages are all stored: it
//     completes the owner's entry with guard.ErrRetry, taking nothing, and
//     the owner's select looks at all its guards again (stealing). Taking
//     nothing, it needs no claim but the owner's, and the messages stay
//     where every party can see them.
//
// Who fires. A select that finds the pattern ready fires it itself
// (Commit). Otherwise the select enqueues a listener entry on every source
// and parks. A party that adds a message to a source (a sender enqueuing,
// a buffer receiving) snapshots the listeners under the source's lock and,
// after releasing it, calls Notify; Notify takes all the pattern's locks
// and fires the pattern on the owner's behalf if it can now match. This is
// lazy matching (Turon and Russo): the owner is woken once, when its pattern
// has fired, not on every arrival.
//
// Except when the match takes only stored messages (a lock's token, a
// philosopher's chopsticks, a reader-writer lock's state): then Notify
// wakes the owner to fire the pattern itself (guard.ErrRetry) and the
// messages stay stored, so the party that stored them, still running, may
// take them back first. This is Turon and Russo's stealing, and what a
// sync.Mutex does for a running goroutine against a woken one: handing a
// contended lock to a goroutine that is not running makes every
// acquisition a park and a wake-up (a convoy), while letting it be stolen
// wakes a waiter only when it parked, and the running party goes on. The
// stolen-from owner finds the pattern not ready, enqueues again and parks,
// and the thief's next store notifies it. A buffer's NotifyUntil stops
// telling listeners once the message was taken, not once an owner was
// woken, so a woken owner that then loses the message is not the only one
// told; and an owner that parks again was checked under all its locks.
//
// Why no wake-up is lost. The owner enqueues its listeners while holding all
// source locks, after finding no match. A sender enqueues its message under
// the source's lock, then notifies. Take the last message that makes a match
// possible: either it was queued before the owner's check (which then saw
// it and fired), or after the owner's listeners were queued, in which case
// its sender saw the listener and its Notify, serialised with every other
// firing by the source locks, sees the complete match — unless somebody
// else took part of it, and then the pattern was not ready after all.
// A waiter that a concurrent firing holds claimed counts as present (it is
// not skipped), and ClaimAll waits for that firing to resolve; so a claim
// that is rolled back does not hide a message from a pattern.
//
// A retry (guard.ErrRetry) loses no wake-up either: it is a completion
// like a firing (the owner's waiter was claimed, under every lock of the
// pattern), after which the owner's select runs again from the start, all
// locks held, and either takes the messages or enqueues again having seen
// them gone; whoever takes them and later stores a message again notifies
// the re-enqueued listener, by the argument above.
//
// Stealing. Between a Notify's snapshot and its locking, or while a pattern
// waits for its last message, another receiver or pattern sharing a channel
// may take the messages: that is stealing, allowed and harmless: the stolen
// messages were consumed exactly once, by the thief, and the pattern stays
// enqueued and is notified by the next arrival.

import (
	"github.com/gochord/chord/guard"

	"math"
	"strings"
	"sync/atomic"
	"unsafe"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/internal/sched"
)

// A Pattern is a join pattern: the conjunction of its parts. It fires when
// every part can take its messages at the same instant, and then takes them
// all at once (atomic transfer): until then it holds nothing, and a
// synchronous sender is released only when the pattern that took its
// message fires.
//
// A Pattern is a chanop.Guard, so a select over patterns is a disjunction of
// conjunctions, and patterns mix with plain channel operations:
//
//	g, err := selectx.PriSelect(reindeer, elves) // reindeer first
//
// A pattern whose part can never be satisfied again, because its sources
// closed, completes with chanop.ErrClosed and takes nothing.
//
// A Pattern takes part in one select at a time; reading its parts' Values
// is for the goroutine whose select chose it.
type Pattern struct {
	parts []Conjunct
	srcs  []rawSource
	locks []*guard.Mutex // of srcs, in lock order

	// Guarded by locks (see the Invariants).
	listen []guard.Entry // one listener per source while enqueued
	owner  *guard.Entry  // the owning select's entry while enqueued
	m      matcher
	wake   []*guard.Waiter // senders completed by Commit, woken by AfterUnlock
	fired  bool            // Commit took messages: AfterUnlock must settle
	settle []rawSource     // buffered sources the last firing left with room and blocked senders

	firings, wakeups int64 // statistics; guarded by locks
	lookups          int64 // Notifies that locked the pattern to look for a match; guarded by locks

	// avail[i] bounds from above the messages source i can give the
	// pattern, counting a closed source as plenty: a necessary condition
	// for firing that Notify checks without locks (see mayFire). Notify
	// adds one for its source without locks; it is recomputed exactly,
	// capped at what the part needs from the source, with all locks held,
	// when the pattern enqueues and after each Notify that locked.
	avail  []atomic.Int64
	ranges []partRange // each part's sources in srcs, for mayFire

	// liveAt is the value of guard.Closings at which the pattern was last
	// found able to fire some day (not dead); while no source anywhere
	// closed since, it still is, and dead costs O(1). Written with all
	// locks held, read by Notify without them.
	liveAt atomic.Uint64

	pref guard.Preferences // who runs first after a firing; see SetPreference

	sel bool // some part has a Where predicate; set by All

	// Guarded by locks.
	flow *flowNet // the exhaustive matcher's scratch (flow.go); made when first needed
	// replies is nil unless a part takes calls (reply.go): the calls the
	// last firing took, to expire when a select runs the pattern again.
	replies *replies
}

// partRange is where a part's sources are in Pattern.srcs.
type partRange struct {
	start, n, m int  // sources srcs[start:start+n]; m of them needed
	count       int  // messages needed from each (FromN's n, else 1)
	any         bool // AnyOf: any m; else all n
	sel         bool // the part has a Where predicate
}

// All returns the pattern that is the conjunction of parts. It panics if a
// part is nil or used twice, or if a source appears in two parts.
func All(parts ...Conjunct) *Pattern {
	if len(parts) == 0 {
		panic("join: All with no parts")
	}
	p := &Pattern{parts: parts}
	seen := map[*guard.Mutex]bool{}
	for i, c := range parts {
		if c == nil || isNilSource(c) {
			panic("join: All: part " + itoa(i) + " is nil")
		}
		if len(c.sources()) == 0 {
			panic("join: All: part " + itoa(i) + " is a zero-value Part; make parts with From, FromN, Each or AnyOf")
		}
		if u, ok := c.(interface{ claim() bool }); ok && !u.claim() {
			panic("join: All: part " + itoa(i) + " is already in a pattern")
		}
		count, m, any := c.shape()
		sel := c.selective()
		p.sel = p.sel || sel
		p.ranges = append(p.ranges, partRange{len(p.srcs), len(c.sources()), m, count, any, sel})
		for _, s := range c.sources() {
			l := s.SourceLock()
			if seen[l] {
				panic("join: All: a source appears in two parts")
			}
			seen[l] = true
			p.srcs = append(p.srcs, s)
			p.locks = append(p.locks, l)
		}
	}
	p.locks = guard.SortLocks(p.locks)
	p.replies = newReplies(parts)
	p.avail = make([]atomic.Int64, len(p.srcs))
	p.liveAt.Store(^uint64(0)) // unknown: the first dead looks
	p.listen = make([]guard.Entry, len(p.srcs))
	for i := range p.listen {
		// Set once: a stale snapshot may read L without the locks.
		p.listen[i].G, p.listen[i].L = (*patternOps)(p), (*patternOps)(p)
	}
	return p
}

// SetPreference sets who runs first after a firing that wakes parked
// parties (see chanop.Preference): with guard.PreferReceiver, when the
// arrival of a message fires the pattern for its parked owner, the
// arriving party yields so that the owner runs first; with
// guard.PreferSender, when the owner's own select fires the pattern and
// releases parked senders, the owner yields so that they run first. The
// default, guard.PreferNone, lets whoever fired go on.
func (p *Pattern) SetPreference(pref chanop.Preference) {
	p.check("SetPreference")
	p.pref.Set(pref)
}

// Wait blocks until the pattern fires, a select over this one pattern. It
// returns chanop.ErrClosed if the pattern can no longer fire.
func (p *Pattern) Wait() error {
	p.check("Wait")
	return guard.Wait(p)
}

// check panics on a nil *Pattern or a zero-value Pattern that All did not
// make: such a pattern has no parts, and would otherwise be ready at once
// and fire taking nothing.
func (p *Pattern) check(op string) {
	if p == nil {
		panic("join: " + op + " on nil *Pattern")
	}
	if p.locks == nil {
		panic("join: " + op + " on zero-value Pattern; make patterns with All")
	}
}

// ready reports whether Wait would return now without blocking: the
// pattern could fire, or it can never fire again (its sources closed) and
// Wait would return chanop.ErrClosed. It is a probe: by the time the caller
// acts, other parties may have taken the messages. Like a select, it runs
// the predicates of selective parts (Part.Where): call it from the owner.
func (p *Pattern) ready() bool {
	p.check("Ready")
	guard.LockAll(p.locks)
	defer guard.UnlockAll(p.locks)
	return p.poll() // a probe: it does not expire the last firing's calls
}

// Describe implements guard.Describer: it says which parts of the pattern
// could take their messages now and which lack them, for a person reading
// a deadlock report (package props shows it), e.g.
// "Each(9): 8 ready; AnyOf(3 of 10): 2 ready" — eight of nine reindeer
// are back, and two elves wait where three are needed. It takes the
// pattern's locks, so it must not be called while they are held. It runs
// the predicates of selective parts (Part.Where), so it is for the owner,
// or for another goroutine while a select of the owner's runs the pattern
// (a deadlock report).
func (o *patternOps) Describe() string {
	p := (*Pattern)(o)
	p.check("Describe")
	guard.LockAll(p.locks)
	defer guard.UnlockAll(p.locks)
	var b strings.Builder
	for i, c := range p.parts {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(c.describe())
	}
	return b.String()
}

// Stats implements guard.Counter: how often the pattern fired (events) and
// how often a party woke its parked owner (wakeups): to hand it a firing,
// or, when the pattern's messages were all stored, to fire it itself (the
// rest of the firings found the pattern ready when the owner's select
// looked). With lazy matching the owner wakes only when the pattern can
// fire; a woken owner whose stored messages were taken first (stealing)
// parks again, so wakeups may exceed firings only by such steals.
func (o *patternOps) Stats() (firings, wakeups int64) {
	p := (*Pattern)(o)
	p.check("Stats")
	guard.LockAll(p.locks)
	defer guard.UnlockAll(p.locks)
	return p.firings, p.wakeups
}

// patternOps is a Pattern seen by a select and by its sources: its guard
// protocol and its Listener. A view of the same memory, so the conversion
// costs nothing.
type patternOps Pattern

// GuardOps returns p's guard protocol, for selects (package guard).
func (p *Pattern) GuardOps() guard.Guard { return (*patternOps)(p) }

// Locks implements guard.Guard. A nil *Pattern or a zero-value Pattern
// panics here, at the start of the select that runs it: one branch.
func (o *patternOps) Locks() []*guard.Mutex {
	p := (*Pattern)(o)

	if p == nil || p.locks == nil {
		p.check("select")
	}
	return p.locks
}

// Poll implements guard.Guard.
func (o *patternOps) Poll() bool {
	p := (*Pattern)(o)

	p.expireReplies()
	return p.poll()
}

func (p *Pattern) poll() bool {
	if p.buffered() {
		return true
	}
	p.m.reset()
	ok := p.matchAll()
	p.m.reset()
	return ok || p.dead()
}

// Commit implements guard.Guard: fire for the running select.
func (o *patternOps) Commit() (bool, error) {
	p := (*Pattern)(o)

	p.expireReplies()
	if p.buffered() {
		// The common case of patterns over buffers (a philosopher's two
		// chopsticks, a lock's state): every message the pattern needs is
		// stored, so nobody is claimed or woken.
		p.take(true)
		sched.Record(sched.Fired, p, 0, nil) // it released nobody
		p.fired = true
		return true, nil
	}
	for {
		p.m.reset()
		if !p.matchAll() {
			p.m.reset()
			if p.dead() { // a dead pattern never matches: asked only now
				return true, chanop.ErrClosed
			}
			return false, nil
		}
		if guard.ClaimAll(p.m.ws) {
			p.take(false)
			sched.Record(sched.Fired, p, len(p.m.ws), nil)
			p.fired = true
			p.wake = append(p.wake[:0], p.m.ws...)
			p.m.reset()
			return true, nil
		}
	}
}

// Enqueue implements guard.Guard: listen on every source.
func (o *patternOps) Enqueue(e *guard.Entry) {
	p := (*Pattern)(o)

	if p.owner != nil {
		panic("join: Pattern in two selects at once, or twice in one")
	}
	p.expireReplies()
	p.owner = e
	for i, s := range p.srcs {
		le := &p.listen[i]
		le.W = e.W
		s.Listen(le)
	}
	p.recomputeAvail()
}

// Dequeue implements guard.Guard. After a firing for the parked owner the
// firing party has already detached the pattern (see Detached).
func (o *patternOps) Dequeue(e *guard.Entry) {
	p := (*Pattern)(o)

	if p.owner == e {
		p.detach()
	}
}

// Detached implements guard.Detacher: the party that completes a parked
// owner's pattern entry (Notify, firing or finding the pattern dead) holds
// every lock of the pattern and removes its listeners itself, so the
// owner's select skips taking them all again.
func (o *patternOps) Detached(*guard.Entry) bool {
	p := (*Pattern)(o)
	return p.owner == nil
}

// detach removes the listeners and forgets the owner; all locks held.
func (p *Pattern) detach() {
	for i, s := range p.srcs {
		s.Unlisten(&p.listen[i])
	}
	p.owner = nil
}

// AfterUnlock implements guard.Guard: release the senders taken by Commit.
func (o *patternOps) AfterUnlock() {
	p := (*Pattern)(o)

	if !p.fired {
		return // after Enqueue, or a Commit that took nothing
	}
	// A firing that took only buffered messages wakes nobody but must still
	// settle: a buffer it emptied may now take a blocked sender's message.
	p.fired = false
	woke := len(p.wake) > 0
	guard.WakeAll(p.wake)
	clear(p.wake)
	p.wake = p.wake[:0]
	settle(p.settle)
	if woke {
		p.pref.YieldTo(guard.PreferSender) // the released senders first, if preferred
	}
}

// Notify implements guard.Listener: a message may have arrived on one of
// the pattern's sources, or a source closed; fire for the parked owner if
// the pattern now matches.
//
// Most arrivals cannot complete the pattern (eight reindeer of nine, the
// first n-1 messages of FromN(c, n)), so Notify first counts its arrival
// in avail and returns at once, holding no lock, if the counts show a part
// that cannot be satisfied and no source anywhere closed since the pattern
// was last found alive. This loses no firing: of the arrivals that together
// complete a pattern, the last to count itself sees all of them (the
// atomics are sequentially consistent), and a count is lowered only with
// every lock held, by a recomputation that sees every queued message. A
// source bumps guard.Closings, under its lock, before it closes, so the
// Notify that follows a close always locks and looks.
//
// The firing party completes the owner's entry and, holding all locks,
// detaches the pattern, so the owner's select need not lock the pattern's
// sources again after it wakes.
func (o *patternOps) Notify(le *guard.Entry) {
	p := (*Pattern)(o)

	i := p.sourceIndex(le)
	p.avail[i].Add(1)
	if !p.mayFire() && guard.Closings() == p.liveAt.Load() {
		if guard.Debug {
			p.debugFilter()
		}
		return
	}
	guard.LockAll(p.locks)
	if !le.Queued() || p.owner == nil || le.W != p.owner.W {
		guard.UnlockAll(p.locks)
		return // the owner's select is over; le is stale
	}
	p.lookups++
	owner := p.owner
	w := owner.W
	for {
		if w.Done() {
			guard.UnlockAll(p.locks)
			return // completed by another guard of its select
		}
		if p.buffered() {
			// Every message the pattern needs is stored: wake the owner
			// to fire it itself (guard.ErrRetry), taking nothing for it,
			// so that the running party may take them first (stealing;
			// see "Who fires").
			ok := w.Claim()
			if ok {
				p.detach()
				w.Complete(owner, guard.ErrRetry)
				p.wakeups++
			}
			guard.UnlockAll(p.locks)
			if ok {
				w.Wake()
				p.pref.YieldTo(guard.PreferReceiver) // the owner first, if preferred
			}
			return
		}
		p.m.reset()
		p.m.add(w) // the owner joins the claim, and gives no message
		p.m.owner = w
		if !p.matchAll() {
			p.m.reset()
			if p.dead() {
				ok := w.Claim()
				if ok {
					p.detach()
					w.Complete(owner, chanop.ErrClosed)
					p.wakeups++
				}
				guard.UnlockAll(p.locks)
				if ok {
					w.Wake()
				}
				return
			}
			p.recomputeAvail() // forget messages that were taken elsewhere
			guard.UnlockAll(p.locks)
			return
		}
		if !guard.ClaimAll(p.m.ws) {
			continue
		}
		p.take(false)
		sched.Record(sched.Fired, p, len(p.m.ws)-1, nil) // the owner gave no message
		p.detach()
		w.Complete(owner, nil)
		p.wakeups++
		// Copy the waiters to wake: once the locks are released the owner
		// may run a new select on p and reuse p.m.
		var buf [16]*guard.Waiter
		ws := append(buf[:0], p.m.ws...)
		var sbuf [8]rawSource
		ss := append(sbuf[:0], p.settle...)
		p.m.reset()
		guard.UnlockAll(p.locks)
		guard.WakeAll(ws)
		settle(ss)
		p.pref.YieldTo(guard.PreferReceiver) // the owner first, if preferred
		return
	}
}

// A selector is a part with a Where predicate (Part.available).
type selector interface {
	available(i, limit int) int
}

// sourceIndex returns the index in srcs of the listener entry le.
func (p *Pattern) sourceIndex(le *guard.Entry) int {
	d := uintptr(unsafe.Pointer(le)) - uintptr(unsafe.Pointer(unsafe.SliceData(p.listen)))
	i := int(d / unsafe.Sizeof(guard.Entry{}))
	if d%unsafe.Sizeof(guard.Entry{}) != 0 || i >= len(p.listen) {
		panic("join: Notify with a foreign entry")
	}
	return i
}

// debugFilter re-checks under the locks, in the assertion mode, an early
// return of Notify's lock-free filter. If the owner waits and the pattern
// can fire now, the filter must not have been the last to know: another
// arrival has raised avail and passed the filter (its Notify fires), or a
// source has announced a message whose Notify has not run yet (it will).
// If neither, the filter has lost a firing.
func (p *Pattern) debugFilter() {
	guard.LockAll(p.locks)
	defer guard.UnlockAll(p.locks)
	if p.owner == nil || p.owner.W.Done() {
		return
	}
	w := p.owner.W
	p.m.reset()
	p.m.add(w)
	can := p.matchAll()
	p.m.reset()
	// The running Notify's own snapshot is still counted as pending.
	if can && !p.mayFire() && guard.DebugPending(p.listen) <= 1 {
		panic("join: assertion failed: Notify's lock-free filter skipped a pattern that can fire, and no other arrival will fire it")
	}
}

// mayFire reports, without locks, whether avail allows every part to be
// satisfied: count messages from every source of a From, FromN or Each
// part, from m sources of an AnyOf part. A true answer is only a hint;
// false is exact (see Notify).
func (p *Pattern) mayFire() bool {
	for _, r := range p.ranges {
		have, need := 0, r.n
		if r.any {
			need = r.m
		}
		for i := r.start; i < r.start+r.n && have < need; i++ {
			if p.avail[i].Load() >= int64(r.count) {
				have++
			} else if !r.any {
				return false
			}
		}
		if have < need {
			return false
		}
	}
	return true
}

// recomputeAvail sets avail exactly: for source i, the messages it holds
// (buffered, and of senders that have not completed), up to what its part
// needs; plenty if it is closed. All locks held.
func (p *Pattern) recomputeAvail() {
	for pi, r := range p.ranges {
		for i := r.start; i < r.start+r.n; i++ {
			s := p.srcs[i]
			n := int64(math.MaxInt32)
			if r.sel && !s.Closed() {
				// Only the messages the predicate accepts (see Notify).
				n = int64(p.parts[pi].(selector).available(i-r.start, r.count))
			} else if !s.Closed() {
				b := s.Buffered()
				n = int64(b + s.Senders().CountLive(r.count-b))
			}
			p.avail[i].Store(n)
		}
	}
}

// dead reports whether some part can never be satisfied again, its sources
// closed. If no source anywhere closed since the pattern was last found
// alive, it is still alive, at the cost of one atomic load. All locks held.
func (p *Pattern) dead() bool {
	c := guard.Closings()
	if c == p.liveAt.Load() && !p.sel {
		// A selective pattern always looks: its predicates may have
		// changed since it was last found alive, in an earlier select.
		return false
	}
	for _, part := range p.parts {
		if part.dead() {
			return true
		}
	}
	p.liveAt.Store(c)
	return false
}

// matchAll picks the messages of a firing, adding their senders' waiters to
// p.m. It first tries first-fit (each source's oldest senders), which is
// exact unless a sender offers on several sources of the pattern (a select
// over several send guards): then first-fit may give such a sender to the
// wrong source and miss a match that exists, and the exhaustive matcher
// decides.
func (p *Pattern) matchAll() bool {
	base := len(p.m.ws) // the owner, when firing for it
	p.m.conflict = false
	for _, c := range p.parts {
		if !c.match(&p.m) {
			if !p.m.conflict {
				return false
			}
			p.m.truncate(base)
			return p.matchFlow()
		}
	}
	return true
}

// take completes a match whose waiters are all claimed, or, with stored,
// a firing that takes only stored messages (buffered).
func (p *Pattern) take(stored bool) {
	clear(p.settle)
	p.settle = p.settle[:0]
	for _, c := range p.parts {
		if stored {
			p.settle = c.takeBuffered(p.settle)
		} else {
			p.settle = c.take(p.settle)
		}
	}
	p.recordTaken()
	p.firings++
}

// buffered reports whether every part can fire from stored messages alone
// (Conjunct.buffered); all locks held.
func (p *Pattern) buffered() bool {
	for _, c := range p.parts {
		if !c.buffered() {
			return false
		}
	}
	return true
}

// settle lets buffered sources refill from their waiting senders; no locks
// held.
func settle(ss []rawSource) {
	for _, s := range ss {
		s.Settle()
	}
}

// A matcher collects the waiters of one match attempt. Beyond a few
// waiters it also keeps them in a set, so that has stays O(1) and filling
// FromN(c, n) from n senders costs O(n), not O(n²).
type matcher struct {
	ws       []*guard.Waiter
	set      map[*guard.Waiter]struct{} // the waiters of ws, while len(ws) > smallMatch
	conflict bool                       // first-fit skipped a sender already picked for another source
	owner    *guard.Waiter              // the parked owner a Notify fires for (ws[0]), which gives no message
}

// smallMatch is the size up to which has scans ws instead of using set.
const smallMatch = 16

func (m *matcher) add(w *guard.Waiter) {
	m.ws = append(m.ws, w)
	switch {
	case len(m.ws) == smallMatch+1:
		if m.set == nil {
			m.set = make(map[*guard.Waiter]struct{})
		}
		for _, x := range m.ws {
			m.set[x] = struct{}{}
		}
	case len(m.ws) > smallMatch+1:
		m.set[w] = struct{}{}
	}
}

func (m *matcher) has(w *guard.Waiter) bool {
	if len(m.ws) > smallMatch {
		_, ok := m.set[w]
		return ok
	}
	for _, x := range m.ws {
		if x == w {
			return true
		}
	}
	return false
}

// truncate forgets the waiters added after the first n.
func (m *matcher) truncate(n int) {
	if len(m.ws) > smallMatch {
		if n > smallMatch {
			for _, w := range m.ws[n:] {
				delete(m.set, w)
			}
		} else {
			clear(m.set)
		}
	}
	clear(m.ws[n:])
	m.ws = m.ws[:n]
}

func (m *matcher) reset() {
	m.truncate(0)
	m.owner = nil
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}
