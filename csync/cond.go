package csync

import (
	"sync"

	"github.com/gochord/chord/internal/sched"
)

// Cond implements a condition variable, a rendezvous point for goroutines
// waiting for or announcing the occurrence of an event: sync.Cond's
// drop-in. Under props every Wait, Signal and Broadcast is a scheduling
// point and a goroutine blocked in Wait is parked in a chord operation.
//
// Each Cond has an associated Locker L (often a *Mutex or *RWMutex, of
// this package or of sync), which must be held when changing the
// condition and when calling the Wait method. A Cond must not be copied
// after first use.
//
// Waiters are woken in the order they began to wait: Signal wakes the
// goroutine that has waited longest.
type Cond struct {
	_ noCopy

	// L is held while observing or changing the condition.
	L sync.Locker

	mu         sync.Mutex // guards the queue; never held across a chord operation
	head, tail *condWaiter
}

// A condWaiter is one goroutine's Wait: Signal releases its semaphore
// once. (A semaphore rather than a bare channel, so that a Signal that
// comes before the waiter is parked does not wait for it.)
type condWaiter struct {
	s    sema
	next *condWaiter
}

// condWaiters recycles condWaiters, but under props: there a Wait takes
// a new one, so that the channels in the run's events (a semaphore's
// channel shows there) are the same in every replay of a schedule.
var condWaiters = sync.Pool{New: func() any { return new(condWaiter) }}

func getCondWaiter() *condWaiter {
	if sched.Installed() {
		return new(condWaiter)
	}
	return condWaiters.Get().(*condWaiter)
}

func putCondWaiter(w *condWaiter) {
	if !sched.Installed() {
		condWaiters.Put(w)
	}
}

// NewCond returns a new Cond with Locker l.
func NewCond(l sync.Locker) *Cond {
	return &Cond{L: l}
}

// Wait atomically unlocks c.L and suspends execution of the calling
// goroutine. After later resuming execution, Wait locks c.L before
// returning. Unlike in other systems, Wait cannot return unless awoken by
// Broadcast or Signal.
//
// Because c.L is not locked while Wait is waiting, the caller typically
// cannot assume that the condition is true when Wait returns. Instead, the
// caller should Wait in a loop:
//
//	c.L.Lock()
//	for !condition() {
//		c.Wait()
//	}
//	... make use of condition ...
//	c.L.Unlock()
func (c *Cond) Wait() {
	sched.Yield()
	w := getCondWaiter()
	c.mu.Lock()
	if c.tail == nil {
		c.head = w
	} else {
		c.tail.next = w
	}
	c.tail = w
	c.mu.Unlock()
	c.unlock(w)
	w.s.acquire()
	putCondWaiter(w) // its semaphore is back at zero, its next nil
	c.L.Lock()
}

// unlock unlocks c.L for Wait, whose waiter w is queued. If c.L.Unlock
// panics (c.L was not locked), w leaves the queue before the panic goes
// on, so that it does not take a later Signal.
func (c *Cond) unlock(w *condWaiter) {
	unlocked := false
	defer func() {
		if !unlocked {
			c.remove(w)
		}
	}()
	c.L.Unlock()
	unlocked = true
}

// remove takes w out of the queue, if it is still there.
func (c *Cond) remove(w *condWaiter) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var prev *condWaiter
	for x := c.head; x != nil; prev, x = x, x.next {
		if x != w {
			continue
		}
		if prev == nil {
			c.head = x.next
		} else {
			prev.next = x.next
		}
		if c.tail == x {
			c.tail = prev
		}
		x.next = nil
		return
	}
}

// Signal wakes one goroutine waiting on c, if there is any: the one that
// has waited longest. It is allowed but not required for the caller to
// hold c.L during the call.
func (c *Cond) Signal() {
	sched.Yield()
	c.mu.Lock()
	w := c.head
	if w != nil {
		c.head, w.next = w.next, nil
		if c.head == nil {
			c.tail = nil
		}
	}
	c.mu.Unlock()
	if w != nil {
		w.s.release()
	}
}

// Broadcast wakes all goroutines waiting on c. It is allowed but not
// required for the caller to hold c.L during the call.
func (c *Cond) Broadcast() {
	sched.Yield()
	c.mu.Lock()
	w := c.head
	c.head, c.tail = nil, nil
	c.mu.Unlock()
	for w != nil {
		next := w.next
		w.next = nil
		w.s.release()
		w = next
	}
}
