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

// Entry returns s's entry, standing for g, which should be a view of
// &s.Op, ready to be published in one queue.
func (s *Slot[Op]) Entry(g Guard) *Entry {
	s.e.W, s.e.G = &s.w, g
	return &s.e
}

// Done reports whether s's waiter has completed, for NotifyUntil.
func (s *Slot[Op]) Done() bool { return s.w.Done() }

// A Pool recycles the Slots of one kind of operation: a channel keeps one
// per direction. Get and Park may run concurrently. The zero value is an
// empty pool.
type Pool[Op any] struct {
	free freelist.Stack[Slot[Op], *Slot[Op]]
}

// Get returns a recycled slot, or a new one. Its Op is zero.
func (p *Pool[Op]) Get() *Slot[Op] {
	if s := p.free.Pop(); s != nil {
		return s
	}
	return new(Slot[Op])
}

// Park blocks until a partner completes s's entry (or the channel closes),
// then calls read, if not nil, to copy out what the partner left in s.Op,
// zeroes s.Op, and returns s to p. s must have been published through
// Entry, and must not be used after Park.
func (p *Pool[Op]) Park(s *Slot[Op], read func(*Op)) error {
	_, err := s.w.park()
	if read != nil {
		read(&s.Op)
	}
	debugQuiescent(&s.w, s.e.Queued())
	var zero Op
	s.Op = zero
	s.e = Entry{}
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
	order   []int // EnqueueRandom's permutation of the guards
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

// EnqueueRandom is Enqueue publishing the entries in a uniformly random
// order (a Fisher–Yates shuffle drawn from sched.Intn), as Go's select
// enqueues in its random poll order: when a partner arrives for several
// guards of a blocked select on one channel, each of them is equally
// likely to be the one it finds first. The entry of gs[i] is still the
// i-th, so Park's index is unchanged. It allocates nothing once p has
// held as many guards.
func (p *Parking) EnqueueRandom(gs []Guard, unlock func()) {
	if cap(p.entries) < len(gs) {
		p.entries = make([]Entry, len(gs))
	}
	if cap(p.order) < len(gs) {
		p.order = make([]int, len(gs))
	}
	p.entries = p.entries[:len(gs)]
	order := p.order[:len(gs)]
	for i, g := range gs {
		p.entries[i].W, p.entries[i].G = &p.w, g
		j := sched.Intn(i + 1) // inside-out shuffle: order[j] moves to i
		order[i] = order[j]
		order[j] = i
	}
	enqueueOrdered(gs, order, func(i int) *Entry { return &p.entries[i] }, unlock)
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
