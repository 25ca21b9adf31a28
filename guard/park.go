package guard

import (
	"sync"

	"github.com/gochord/chord/internal/freelist"
)

// This file owns the life of a waiter after it parks: every blocking
// operation in chord parks through a Slot (a plain Send or Recv) or a
// Parking (a select), so that the sequence the Invariants require — park,
// read the result, remove every entry, zero what was kept, Reset, recycle —
// is written once.

// A Slot is what one plain blocking operation parks with: its waiter, the
// one entry it publishes, and its operation Op, the guard that entry stands
// for (a channel's Send or Recv that found no partner). The completer of
// the entry removes it from its queue, so no dequeueing is needed after
// the park. Slots are recycled through a Pool.
type Slot[Op any] struct {
	// Op is the operation: the message it offers, or where a partner
	// leaves the message it takes. Owned by the parked goroutine, and
	// written by the completer before Complete.
	Op Op

	w    Waiter
	e    Entry
	next *Slot[Op] // the Pool's free list
}

// FreeLink is the Slot's link in its Pool's free list.
func (s *Slot[Op]) FreeLink() **Slot[Op] { return &s.next }

// Init makes s's entry stand for g, which should be a view of &s.Op. A
// slot that Get returned fresh is initialised once; a recycled one keeps
// its entry and whatever of Op its last user did not clear.
func (s *Slot[Op]) Init(g Guard) { s.e.W, s.e.G = &s.w, g }

// Entry returns s's entry, ready to be published in one queue.
func (s *Slot[Op]) Entry() *Entry { return &s.e }

// Done reports whether s's waiter has completed, for NotifyUntil.
func (s *Slot[Op]) Done() bool { return s.w.Done() }

// A Pool recycles the Slots of one kind of operation: a channel keeps one
// per direction. Get and Park may run concurrently. The zero value is an
// empty pool.
type Pool[Op any] struct {
	free freelist.Stack[Slot[Op], *Slot[Op]]
}

// Get returns a recycled slot, or a new one (fresh), which the caller
// initialises (Init, and the parts of Op that do not change).
func (p *Pool[Op]) Get() (s *Slot[Op], fresh bool) {
	if s := p.free.Pop(); s != nil {
		return s, false
	}
	return new(Slot[Op]), true
}

// Park blocks until a partner completes s's entry (or the channel closes),
// then calls take to move out of s.Op what the partner left there and to
// clear the message the operation kept (so that a recycled slot keeps
// nothing alive), and returns s to p, its waiter ready for the next
// operation. s's entry must have been published, and s must not be used
// after Park.
func (p *Pool[Op]) Park(s *Slot[Op], take func(*Op)) error {
	_, err := s.w.park()
	take(&s.Op)
	if debug {
		debugQuiescent(&s.w, s.e.Queued())
	}
	s.w.reset()
	p.free.Push(s)
	return err
}

// A Parking is a select that has found no guard ready: its waiter and one
// entry per guard. It is reused from one select to the next, by one
// goroutine at a time. The zero value is ready to use.
type Parking struct {
	w       Waiter
	entries []Entry
}

// Waiter returns p's waiter, for a party that completes it without an
// entry of its own (a Selector's notification).
func (p *Parking) Waiter() *Waiter { return &p.w }

// Enqueue publishes an entry for each guard of gs where its partners will
// find it (EnqueueAll), with every lock of gs held by the caller; then it
// calls unlock, and AfterUnlock on each guard.
func (p *Parking) Enqueue(gs []Guard, unlock func()) {
	if cap(p.entries) < len(gs) {
		p.entries = make([]Entry, len(gs))
	}
	p.entries = p.entries[:len(gs)]
	for i, g := range gs {
		p.entries[i].W, p.entries[i].G = &p.w, g
	}
	EnqueueAll(gs, func(i int) *Entry { return &p.entries[i] }, unlock)
	unlock()
	for _, g := range gs {
		g.AfterUnlock()
	}
}

// Park blocks until one entry of the select completes, removes every entry
// of gs (the guards last given to Enqueue; DequeueAll), and makes p ready
// for the next select. It returns the index in gs of the guard that
// completed, or -1 if the waiter was completed through an entry that is
// not one of them (a Selector's notification), and its error.
func (p *Parking) Park(gs []Guard) (int, error) {
	e, err := p.w.park()
	i := DequeueAll(gs, p.entries[:len(gs)], e)
	for k := range gs {
		debugQuiescent(&p.w, p.entries[k].Queued())
	}
	clear(p.entries)
	p.w.reset()
	return i, err
}

// DequeueAll removes the entries es of a woken select from the guards gs
// they were enqueued on (es[i] for gs[i]), taking each guard's locks; the
// completed entry done needs none if its guard is a Detacher whose
// completer detached it. It returns the index of done in es, or -1.
func DequeueAll(gs []Guard, es []Entry, done *Entry) int {
	chosen := -1
	for i, g := range gs {
		if !Enabled(g) {
			continue
		}
		if &es[i] == done {
			chosen = i
			if d, ok := g.(Detacher); ok && d.Detached(done) {
				g.Dequeue(done)
				continue
			}
		}
		ls := g.Locks()
		if debug {
			debugStable(g, ls)
		}
		LockAll(ls)
		g.Dequeue(&es[i])
		UnlockAll(ls)
	}
	return chosen
}

// parkings recycles the Parkings of Wait.
var parkings = sync.Pool{New: func() any { return new(Parking) }}
