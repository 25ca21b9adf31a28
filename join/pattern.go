package join

// This file is the matcher: how a pattern fires.
//
// Invariants:
//
//   - A pattern's state (its parts' scratch and results, its listener
//     entries, owner) is guarded by the locks of all its sources, which are
//     always taken together in lock order (chanop.SortLocks): by the select
//     running the pattern (pass 1, 2, 3 of selectx) or by Notify.
//   - A firing takes messages only after it holds every source lock and has
//     claimed, with chanop.ClaimAll, every waiter involved: the senders of
//     all picked messages and, when the firing acts for a parked owner, the
//     owner. Until all claims succeed nothing is taken (atomic transfer;
//     partial matches hold nothing). If a claim fails because a sender
//     completed elsewhere, every claim is released and the match is redone
//     without it; each retry discards at least one completed waiter, so the
//     loop ends.
//   - Each waiter appears at most once in a firing (matcher.has), so a sender
//     that is a select over several channels of one pattern gives at most
//     one message, and its select completes exactly one guard.
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
// Stealing. Between a Notify's snapshot and its locking, or while a pattern
// waits for its last message, another receiver or pattern sharing a channel
// may take the messages: that is stealing, allowed and harmless: the stolen
// messages were consumed exactly once, by the thief, and the pattern stays
// enqueued and is notified by the next arrival.

import (
	"sync/atomic"

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
	locks []*chanop.Mutex // of srcs, in lock order

	// Guarded by locks (see the Invariants).
	listen []chanop.Entry // one listener per source while enqueued
	owner  *chanop.Entry  // the owning select's entry while enqueued
	m      matcher
	wake   []*chanop.Waiter // senders completed by Commit, woken by AfterUnlock
	fired  bool             // Commit took messages: AfterUnlock must settle
	settle []rawSource      // buffered sources the last firing left with room and blocked senders

	firings, wakeups int64 // statistics; guarded by locks

	// avail has bit i set when source i may have a message or be closed: a
	// necessary condition for firing that Notify checks without locks (see
	// mayFire). Set without locks by Notify for its source; recomputed
	// exactly, with all locks held, when the pattern enqueues and after
	// each Notify that locked.
	avail  []atomic.Uint64
	ranges []partRange // each part's sources in srcs, for mayFire
}

// partRange is where a part's sources are in Pattern.srcs.
type partRange struct {
	start, n, m int  // sources srcs[start:start+n]; m of them needed
	any         bool // AnyOf: any m; else all n
}

// All returns the pattern that is the conjunction of parts. It panics if a
// part is nil or used twice, or if a source appears in two parts.
func All(parts ...Conjunct) *Pattern {
	if len(parts) == 0 {
		panic("join: All with no parts")
	}
	p := &Pattern{parts: parts}
	seen := map[*chanop.Mutex]bool{}
	for i, c := range parts {
		if c == nil || isNilSource(c) {
			panic("join: All: part " + itoa(i) + " is nil")
		}
		if u, ok := c.(interface{ claim() bool }); ok && !u.claim() {
			panic("join: All: part " + itoa(i) + " is already in a pattern")
		}
		_, m, any := c.shape()
		p.ranges = append(p.ranges, partRange{len(p.srcs), len(c.sources()), m, any})
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
	p.locks = chanop.SortLocks(p.locks)
	p.avail = make([]atomic.Uint64, (len(p.srcs)+63)/64)
	p.listen = make([]chanop.Entry, len(p.srcs))
	for i := range p.listen {
		// Set once: a stale snapshot may read L without the locks.
		p.listen[i].G, p.listen[i].L = p, p
	}
	return p
}

// Wait blocks until the pattern fires, a select over this one pattern. It
// returns chanop.ErrClosed if the pattern can no longer fire.
func (p *Pattern) Wait() error { return chanop.Wait(p) }

// Ready reports whether Wait would return now without blocking: the
// pattern could fire, or it can never fire again (its sources closed) and
// Wait would return chanop.ErrClosed. It is a probe: by the time the caller
// acts, other parties may have taken the messages.
func (p *Pattern) Ready() bool {
	chanop.LockAll(p.locks)
	defer chanop.UnlockAll(p.locks)
	return p.Poll()
}

// Stats reports how often the pattern fired and how many of those firings
// woke its parked owner (the rest found the pattern ready when the owner's
// select looked). With lazy matching the owner wakes only for a firing, so
// wakeups ≤ firings.
func (p *Pattern) Stats() (firings, wakeups int64) {
	chanop.LockAll(p.locks)
	defer chanop.UnlockAll(p.locks)
	return p.firings, p.wakeups
}

// Locks implements chanop.Guard.
func (p *Pattern) Locks() []*chanop.Mutex { return p.locks }

// Poll implements chanop.Guard.
func (p *Pattern) Poll() bool {
	if p.dead() {
		return true
	}
	p.m.reset()
	return p.matchAll()
}

// Commit implements chanop.Guard: fire for the running select.
func (p *Pattern) Commit() (bool, error) {
	for {
		if p.dead() {
			return true, chanop.ErrClosed
		}
		p.m.reset()
		if !p.matchAll() {
			return false, nil
		}
		if chanop.ClaimAll(p.m.ws) {
			p.take()
			sched.Record(sched.Fired, p, len(p.m.ws), nil)
			p.fired = true
			p.wake = append(p.wake[:0], p.m.ws...)
			p.m.reset()
			return true, nil
		}
	}
}

// Enqueue implements chanop.Guard: listen on every source.
func (p *Pattern) Enqueue(e *chanop.Entry) {
	if p.owner != nil {
		panic("join: Pattern in two selects at once, or twice in one")
	}
	p.owner = e
	for i, s := range p.srcs {
		le := &p.listen[i]
		le.W = e.W
		s.Listen(le)
	}
	p.recomputeAvail()
}

// Dequeue implements chanop.Guard.
func (p *Pattern) Dequeue(*chanop.Entry) {
	for i, s := range p.srcs {
		s.Unlisten(&p.listen[i])
	}
	p.owner = nil
}

// AfterUnlock implements chanop.Guard: release the senders taken by Commit.
func (p *Pattern) AfterUnlock() {
	if !p.fired {
		return // after Enqueue, or a Commit that took nothing
	}
	// A firing that took only buffered messages wakes nobody but must still
	// settle: a buffer it emptied may now take a blocked sender's message.
	p.fired = false
	chanop.WakeAll(p.wake)
	clear(p.wake)
	p.wake = p.wake[:0]
	settle(p.settle)
}

// Notify implements chanop.Listener: a message may have arrived on one of
// the pattern's sources, or a source closed; fire for the parked owner if
// the pattern now matches.
//
// Most arrivals cannot complete the pattern (eight reindeer of nine), so
// Notify first sets its source's bit in avail and returns at once, holding
// no lock, if the bits show a part that cannot be satisfied. This loses no
// firing: of the arrivals that together complete a pattern, the last to set
// its bit sees all of them (the atomics are sequentially consistent), and a
// bit is cleared only with every lock held, by a recomputation that sees
// every queued message.
func (p *Pattern) Notify(le *chanop.Entry) {
	i := p.sourceIndex(le)
	p.avail[i/64].Or(1 << (i % 64))
	if !p.mayFire() && !p.sourceClosed(i) {
		return
	}
	chanop.LockAll(p.locks)
	if !le.Queued() || p.owner == nil || le.W != p.owner.W {
		chanop.UnlockAll(p.locks)
		return // the owner's select is over; le is stale
	}
	owner := p.owner
	w := owner.W
	for {
		if w.Done() {
			chanop.UnlockAll(p.locks)
			return // completed by another guard of its select
		}
		if p.dead() {
			ok := w.Claim()
			if ok {
				w.Complete(owner, chanop.ErrClosed)
				p.wakeups++
			}
			chanop.UnlockAll(p.locks)
			if ok {
				w.Wake()
			}
			return
		}
		p.m.reset()
		p.m.ws = append(p.m.ws, w) // the owner joins the claim, and gives no message
		if !p.matchAll() {
			p.m.reset()
			p.recomputeAvail() // forget messages that were taken elsewhere
			chanop.UnlockAll(p.locks)
			return
		}
		if !chanop.ClaimAll(p.m.ws) {
			continue
		}
		p.take()
		sched.Record(sched.Fired, p, len(p.m.ws)-1, nil) // the owner gave no message
		w.Complete(owner, nil)
		p.wakeups++
		// Copy the waiters to wake: once the locks are released the owner
		// may run a new select on p and reuse p.m.
		var buf [16]*chanop.Waiter
		ws := append(buf[:0], p.m.ws...)
		var sbuf [8]rawSource
		ss := append(sbuf[:0], p.settle...)
		p.m.reset()
		chanop.UnlockAll(p.locks)
		chanop.WakeAll(ws)
		settle(ss)
		return
	}
}

// sourceIndex returns the index in srcs of the listener entry le.
func (p *Pattern) sourceIndex(le *chanop.Entry) int {
	for i := range p.listen {
		if &p.listen[i] == le {
			return i
		}
	}
	panic("join: Notify with a foreign entry")
}

// sourceClosed reports whether source i is closed; it takes that source's
// lock alone. A closing source may make the pattern dead, which avail does
// not show.
func (p *Pattern) sourceClosed(i int) bool {
	s := p.srcs[i]
	l := s.SourceLock()
	l.Lock()
	defer l.Unlock()
	return s.Closed()
}

// mayFire reports, without locks, whether avail allows every part to be
// satisfied: all sources of a From, FromN or Each part, m sources of an
// AnyOf part. A true answer is only a hint; false is exact (see Notify).
func (p *Pattern) mayFire() bool {
	for _, r := range p.ranges {
		have := 0
		for i := r.start; i < r.start+r.n; i++ {
			if p.avail[i/64].Load()&(1<<(i%64)) != 0 {
				have++
			}
		}
		if r.any && have < r.m || !r.any && have < r.n {
			return false
		}
	}
	return true
}

// recomputeAvail sets avail exactly: bit i when source i holds a message of
// a sender that has not completed, or is closed. All locks held.
func (p *Pattern) recomputeAvail() {
	for w := range p.avail {
		var bits uint64
		for b := 0; b < 64 && w*64+b < len(p.srcs); b++ {
			s := p.srcs[w*64+b]
			if s.Closed() || s.Buffered() > 0 || s.Senders().Prune() != nil {
				bits |= 1 << b
			}
		}
		p.avail[w].Store(bits)
	}
}

func (p *Pattern) dead() bool {
	for _, c := range p.parts {
		if c.dead() {
			return true
		}
	}
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
			p.m.ws = p.m.ws[:base]
			return p.matchFlow()
		}
	}
	return true
}

// take completes a match whose waiters are all claimed.
func (p *Pattern) take() {
	clear(p.settle)
	p.settle = p.settle[:0]
	for _, c := range p.parts {
		p.settle = c.take(p.settle)
	}
	p.firings++
}

// settle lets buffered sources refill from their waiting senders; no locks
// held.
func settle(ss []rawSource) {
	for _, s := range ss {
		s.Settle()
	}
}

// A matcher collects the waiters of one match attempt.
type matcher struct {
	ws       []*chanop.Waiter
	conflict bool // first-fit skipped a sender already picked for another source
}

func (m *matcher) reset() {
	clear(m.ws)
	m.ws = m.ws[:0]
}

func (m *matcher) has(w *chanop.Waiter) bool {
	for _, x := range m.ws {
		if x == w {
			return true
		}
	}
	return false
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}
