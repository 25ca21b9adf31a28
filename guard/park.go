package guard

import (
	"math/bits"
	"math/rand/v2"
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
	rng   uint64 // EnqueueRandom's generator (shuffle); 0 until first used
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
func (p *Parking) Enqueue(gs []Guard, unlock func()) { p.enqueue(gs, unlock, false) }

// EnqueueRandom is Enqueue publishing the entries in a uniformly random
// order (a Fisher–Yates shuffle), as Go's select enqueues in its random
// poll order: when a partner arrives for several guards of a blocked
// select on one channel, each of them is equally likely to be the one it
// finds first. The entry of gs[i] is still the i-th, so Park's index is
// unchanged. Under a scheduler installed through internal/sched (package
// props) the shuffle's draws are its choices (sched.Intn); otherwise they
// come from a generator of p's own, seeded once. Like Enqueue it allocates
// nothing once p has held as many guards.
func (p *Parking) EnqueueRandom(gs []Guard, unlock func()) { p.enqueue(gs, unlock, true) }

// enqueue is Enqueue, in a random order if random. If an Enqueue panics
// (a guard used by two selects at once) it dequeues the entries already
// enqueued, calls unlock and panics again, as EnqueueAll does.
func (p *Parking) enqueue(gs []Guard, unlock func(), random bool) {
	p.prepare(gs)
	if random && len(gs) > 1 {
		p.shuffle(len(gs))
	} else {
		random = false
	}
	n := 0
	defer func() {
		if n == len(gs) {
			return
		}
		r := recover()
		for k := range n {
			i := k
			if random {
				i = p.slots[k].order
			}
			gs[i].Dequeue(&p.slots[i].e)
		}
		unlock()
		panic(r)
	}()
	for k, g := range gs {
		if random {
			i := p.slots[k].order
			gs[i].Enqueue(&p.slots[i].e)
		} else {
			g.Enqueue(&p.slots[k].e)
		}
		n = k + 1
	}
	unlock()
	for _, g := range gs {
		g.AfterUnlock()
	}
}

// shuffle sets the first n slots' order to a uniformly random permutation
// (an inside-out Fisher–Yates shuffle). Its draws are the installed
// scheduler's choices (sched.Intn) under package props, and otherwise come
// from p's own generator (wyrand, seeded once from math/rand/v2): a few
// instructions a draw, where one from the runtime's generator costs tens.
func (p *Parking) shuffle(n int) {
	slots := p.slots[:n]
	slots[0].order = 0
	if sched.Installed() {
		for i := 1; i < n; i++ {
			j := sched.Intn(i + 1) // order[j] moves to i
			slots[i].order = slots[j].order
			slots[j].order = i
		}
		return
	}
	if p.rng == 0 {
		p.rng = rand.Uint64() | 1
	}
	x := p.rng
	for i := 1; i < n; i++ {
		x += 0xa0761d6478bd642f
		hi, lo := bits.Mul64(x, x^0xe7037ed1a0b428db)
		r, _ := bits.Mul64(hi^lo, uint64(i+1)) // Lemire's reduction; bias below n/2⁶⁴
		j := int(r)
		slots[i].order = slots[j].order
		slots[j].order = i
	}
	p.rng = x
}

// Park blocks until one entry of the select completes, removes every entry
// of gs (the guards last given to Enqueue; DequeueAll), and makes p ready
// for the next select. It returns the index in gs of the guard that
// completed, or -1 if the waiter was completed through an entry that is
// not one of them (a Selector's notification), and its error.
func (p *Parking) Park(gs []Guard) (int, error) {
	done, err := p.w.park()
	chosen := -1
	for i, g := range gs {
		e := &p.slots[i].e
		if dequeue(g, e, done) {
			chosen = i
		}
		if debug {
			debugQuiescent(&p.w, e.Queued())
		}
	}
	clear(p.slots)
	p.w.reset()
	return chosen, err
}

// DequeueAll removes the entries es of a woken select from the guards gs
// they were enqueued on (es[i] for gs[i]), taking each guard's locks; the
// completed entry done needs none if its guard is a Detacher whose
// completer detached it. It returns the index of done in es, or -1.
func DequeueAll(gs []Guard, es []Entry, done *Entry) int {
	chosen := -1
	for i, g := range gs {
		if dequeue(g, &es[i], done) {
			chosen = i
		}
	}
	return chosen
}

// dequeue removes e, g's entry in a woken select, from g (taking g's locks
// unless e is done, the completed entry, and g's completer detached it),
// and reports whether e is done. A disabled guard enqueued nothing.
func dequeue(g Guard, e, done *Entry) bool {
	if !Enabled(g) {
		return false
	}
	if e == done {
		if d, ok := g.(Detacher); ok && d.Detached(done) {
			g.Dequeue(done)
			return true
		}
	}
	ls := g.Locks()
	if debug {
		debugStable(g, ls)
	}
	LockAll(ls)
	g.Dequeue(e)
	UnlockAll(ls)
	return e == done
}

// parkings recycles the Parkings of Wait.
var parkings = sync.Pool{New: func() any { return new(Parking) }}
