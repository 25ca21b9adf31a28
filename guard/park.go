package guard

import (
	"sync"

	"github.com/gochord/chord/internal/freelist"
	"github.com/gochord/chord/internal/sched"
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
// per direction. Calls to Get must be serialised (a channel calls it under
// its lock); Park, which recycles, may run concurrently with them and with
// other Parks. The zero value is an empty pool.
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
	w     Waiter
	slots []parkSlot
}

// A parkSlot is the entry of one guard of a Parking's select, and a place
// in EnqueueRandom's order: both in one allocation, so that a select that
// grows its Parking allocates one object for them.
type parkSlot struct {
	e     Entry
	order int // EnqueueRandom: the k-th slot's order is the index of the k-th guard enqueued
}

// Waiter returns p's waiter, for a party that completes it without an
// entry of its own (a Selector's notification).
func (p *Parking) Waiter() *Waiter { return &p.w }

// entry returns the entry of the i-th guard.
func (p *Parking) entry(i int) *Entry { return &p.slots[i].e }

// prepare sizes p for gs and points an entry at each guard.
func (p *Parking) prepare(gs []Guard) {
	if cap(p.slots) < len(gs) {
		p.slots = make([]parkSlot, len(gs))
	}
	p.slots = p.slots[:len(gs)]
	for i, g := range gs {
		p.slots[i].e.W, p.slots[i].e.G = &p.w, g
	}
}

// Enqueue publishes an entry for each guard of gs where its partners will
// find it (EnqueueAll), in argument order, with every lock of gs held by
// the caller; then it calls unlock, and AfterUnlock on each guard.
func (p *Parking) Enqueue(gs []Guard, unlock func()) {
	p.prepare(gs)
	enqueueOrdered(gs, nil, p.entry, unlock)
	p.afterUnlock(gs, unlock)
}

// EnqueueRandom is Enqueue publishing the entries in a uniformly random
// order (a Fisher–Yates shuffle drawn from sched.Intn), as Go's select
// enqueues in its random poll order: when a partner arrives for several
// guards of a blocked select on one channel, each of them is equally
// likely to be the one it finds first. The entry of gs[i] is still the
// i-th, so Park's index is unchanged. Like Enqueue it allocates nothing
// once p has held as many guards.
func (p *Parking) EnqueueRandom(gs []Guard, unlock func()) {
	p.prepare(gs)
	if len(gs) > 0 {
		p.slots[0].order = 0
	}
	for i := 1; i < len(gs); i++ {
		j := sched.Intn(i + 1) // inside-out shuffle: order[j] moves to i
		p.slots[i].order = p.slots[j].order
		p.slots[j].order = i
	}
	enqueueOrdered(gs, func(k int) int { return p.slots[k].order }, p.entry, unlock)
	p.afterUnlock(gs, unlock)
}

func (p *Parking) afterUnlock(gs []Guard, unlock func()) {
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
	i := dequeueAll(gs, p.entry, e)
	for k := range gs {
		debugQuiescent(&p.w, p.slots[k].e.Queued())
	}
	clear(p.slots)
	p.w.reset()
	return i, err
}

// DequeueAll removes the entries es of a woken select from the guards gs
// they were enqueued on (es[i] for gs[i]), taking each guard's locks; the
// completed entry done needs none if its guard is a Detacher whose
// completer detached it. It returns the index of done in es, or -1.
func DequeueAll(gs []Guard, es []Entry, done *Entry) int {
	return dequeueAll(gs, func(i int) *Entry { return &es[i] }, done)
}

func dequeueAll(gs []Guard, entry func(i int) *Entry, done *Entry) int {
	chosen := -1
	for i, g := range gs {
		if !Enabled(g) {
			continue
		}
		e := entry(i)
		if e == done {
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
		g.Dequeue(e)
		UnlockAll(ls)
	}
	return chosen
}

// parkings recycles the Parkings of Wait.
var parkings = sync.Pool{New: func() any { return new(Parking) }}
