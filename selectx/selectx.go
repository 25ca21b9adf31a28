// Package selectx is Rob Pike's one-pass select over chanop guards: Go's
// select statement with the cases as values, so that the list can be built
// at run time, be of any length, and mix plain channel operations with join
// patterns, buffered channels and timeouts.
//
// The API: [Select] (uniform among the ready guards), [PriSelect] (the
// first ready one), [Fair] ([Fair.Select], rotating priority), their index
// forms [SelectIndex], [PriSelectIndex] and [Fair.SelectIndex]; [Selector]
// ([NewSelector], [Selector.Add], [Selector.Remove], [Selector.Select],
// [Selector.PriSelect], [Selector.SelectIndex], [Selector.PriSelectIndex],
// [Selector.Len], [Selector.Close]) for guards registered once and waited
// on many times; [ErrNoGuards] for a select with nothing enabled.
//
// Select chooses uniformly at random among the ready guards, PriSelect takes
// the first ready one in argument order (occam's PRI ALT), and Fair rotates
// the priority so that a guard that stays ready is never starved. All three
// return the guard that completed; compare it against the guards passed in:
//
//	recv, send := in.RecvOp(), out.SendOp("hi")
//	timeout := chanop.After(time.Minute)
//	g, err := selectx.Select(recv, send, timeout)
//	switch g {
//	case recv:
//		fmt.Println("received", recv.Value(), err)
//	case send:
//		fmt.Println("sent", err)
//	case timeout:
//		fmt.Println("timed out")
//	}
//
// Their index forms, SelectIndex, PriSelectIndex and Fair.SelectIndex,
// return the position of that guard in the argument list instead, for a
// list built at run time: a fan-in over a slice of channels needs neither
// a map from guard to index nor a type assertion.
//
//	rs := make([]*chanop.RecvOp[string], len(cs)) // cs []*chanop.Chan[string]
//	gs := make([]chanop.Guard, len(cs))
//	for i, c := range cs {
//		rs[i] = c.RecvOp()
//		gs[i] = rs[i]
//	}
//	i, err := selectx.SelectIndex(gs...)
//	if err == nil {
//		fmt.Println("channel", i, "sent", rs[i].Value())
//	}
//
// A Selector registers its guards once and is selected on many times: a
// server looping over the same thousand channels pays, per Select, for the
// channels that became ready, not for all thousand (see Selector).
//
// Compared with reflect.Select, selectx needs no reflect.Value boxing,
// allocates nothing when a guard is ready, and accepts join patterns.
package selectx

import (
	"sync"
	"time"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/guard"
	"github.com/gochord/chord/internal/sched"
)

// ErrNoGuards is returned when no guard of a select is enabled (all were
// disabled with chanop.When, or none was given). It is chanop.ErrNoGuards.
var ErrNoGuards = guard.ErrNoGuards

// Select completes exactly one of gs and returns it with its error. If
// several are ready it chooses uniformly at random (Pike's one-pass rule:
// the k-th ready guard replaces the choice with probability 1/k). If none is
// ready it blocks until a partner completes one; it is uniform then too,
// as Go's select is: it enqueues its guards in a random order, so that a
// partner arriving for several of them on one channel completes each
// equally often.
//
// A guard completed with chanop.ErrClosed (its channel closed) or a
// context's error (chanop.Done) is returned together with that error.
// Disabled guards are ignored; if none is enabled, Select returns nil and
// ErrNoGuards. A nil guard panics.
func Select(gs ...chanop.Guard) (chanop.Guard, error) {
	i, err := run(gs, random, 0)
	return pick(gs, i), err
}

// PriSelect is Select with priority: it completes the first ready guard in
// argument order. When nothing is ready it blocks like Select, and then
// the first guard a partner completes wins.
func PriSelect(gs ...chanop.Guard) (chanop.Guard, error) {
	i, err := run(gs, priority, 0)
	return pick(gs, i), err
}

// SelectIndex is Select returning the index in gs of the guard that
// completed, with its error; -1 with ErrNoGuards if no guard is enabled.
// It is Select's form for guard lists built at run time, as
// reflect.Select returns the chosen case's index.
func SelectIndex(gs ...chanop.Guard) (int, error) {
	return run(gs, random, 0)
}

// PriSelectIndex is PriSelect returning the index in gs of the guard that
// completed, with its error; -1 with ErrNoGuards if no guard is enabled.
func PriSelectIndex(gs ...chanop.Guard) (int, error) {
	return run(gs, priority, 0)
}

// A Fair selector is a select with rotating priority: each call prefers the
// guard after the one it chose last time, so that of n guards a guard that
// stays ready is chosen within n calls. Scenario: a server selecting over a
// busy client and a quiet one with PriSelect would serve only the busy one
// while it stays ready; Fair serves the quiet one within two calls.
//
// The zero value is ready to use. A Fair must not be used by two goroutines
// at once; its state is the position of the last choice.
type Fair struct {
	next int // index preferred by the next call
}

// Select is PriSelect starting from the guard after the last one chosen.
// When nothing is ready it blocks like Select (not PriSelect): it enqueues
// its guards in a random order.
func (f *Fair) Select(gs ...chanop.Guard) (chanop.Guard, error) {
	i, err := f.SelectIndex(gs...)
	return pick(gs, i), err
}

// SelectIndex is Select returning the index in gs of the guard that
// completed, with its error; -1 with ErrNoGuards if no guard is enabled.
func (f *Fair) SelectIndex(gs ...chanop.Guard) (int, error) {
	if len(gs) == 0 {
		return -1, ErrNoGuards
	}
	i, err := run(gs, fair, f.next%len(gs))
	if i >= 0 {
		f.next = i + 1
	}
	return i, err
}

func pick(gs []chanop.Guard, i int) chanop.Guard {
	if i < 0 {
		return nil
	}
	return gs[i]
}

type policy uint8

const (
	random   policy = iota
	priority        // PriSelect: argument order, also when blocked
	fair            // Fair: priority from a rotating start; random order when blocked
)

// run is the select. It returns the index of the completed guard, or -1
// with ErrNoGuards.
//
// A select is decided at one instant: the guards it looks at are locked
// together while it decides, as Go's selectgo locks all its channels.
//
// Pass 1 walks the guards in the order it polls them (argument order from
// start for priority, any order for random) and locks each guard's locks as
// it reaches them, keeping them all: a lock above every lock held is taken
// with Lock, any other with TryLock, so the walk needs no sorting and cannot
// deadlock (it never waits for a lock below one it holds). A priority select
// commits the first guard that can complete, holding the locks of every
// guard before it, so none of those was ready at that instant; a random one
// polls every guard and commits one chosen by Pike's rule. If nothing is
// ready it enqueues an entry on every guard before unlocking — in a random
// order, or in argument order for PriSelect — and parks.
// If a TryLock fails (the lock is busy, or held by this select because two
// guards share it), the select lets go of everything and runs the same
// decision with all locks taken in lock order (the sorted path).
//
// Pass 2, after wake-up, dequeues the entries (guard.Parking.Park, through
// guard.DequeueAll); the completed guard's entry needs no locks when its
// completer detached it (guard.Detacher).
func run(gs []chanop.Guard, pol policy, start int) (int, error) {
	// The guards' protocols (GuardOps) live on the stack for a short
	// select, in a pooled block for a long one, so that neither allocates.
	// Pass 1 fetches each as it reaches the guard.
	var buf [8]guard.Guard
	var b *block
	n := len(gs)
	ops := buf[:]
	if n > len(buf) {
		b = getBlock(n)
		ops = b.ops
	}
	ops = ops[:n]
	for _, g := range gs {
		if g == nil {
			if b != nil {
				putBlock(b)
			}
			panic("selectx: nil guard (use chanop.When to disable a guard)")
		}
	}
	sched.Yield()
	sched.Selecting(gs)

	// Pass 1. Whether any guard is enabled is asked only before blocking
	// (decideWith): a disabled guard is never ready, so a select with none
	// enabled reaches that point, and the ready path skips an interface
	// check per guard.
	var now time.Time
	var top uintptr
	for k := range n {
		i := at(k, start, n)
		g := gs[i].GuardOps() // opsOf, written out: its call cost 4% on a select over two
		if t, ok := g.(guard.Timed); ok {
			if now.IsZero() {
				now = time.Now()
			}
			t.Begin(now)
		}
		ops[i] = g
		if !guard.LockAbove(g.Locks(), &top) {
			unlockFirst(ops, start, k)
			for j := k + 1; j < n; j++ {
				i := at(j, start, n)
				ops[i] = opsOf(gs[i], &now)
			}
			return sorted(b, ops, pol, start)
		}
		if pol != random {
			// Commit fails only when Poll would (the Guard rules), and
			// always for a disabled guard; the guards before g are still
			// locked, and none could complete.
			if ok, err := guard.Commit(g); ok {
				unlockFirst(ops, start, k+1)
				g.AfterUnlock()
				if b != nil {
					putBlock(b)
				}
				return i, err
			}
		}
	}
	unlock := func() { unlockFirst(ops, start, n) }
	return decideWith(b, ops, pol, start, pol != random, unlock)
}

// opsOf returns h's guard protocol and, if it is timed
// (After), tells it when the select began: at the first timed guard, now
// if it is set already.
func opsOf(h chanop.Guard, now *time.Time) guard.Guard {
	g := h.GuardOps()
	if t, ok := g.(guard.Timed); ok {
		if now.IsZero() {
			*now = time.Now()
		}
		t.Begin(*now)
	}
	return g
}

// choose returns which of n guards, looked at in order k = 0, 1, …, a
// select takes among those ready reports true for, with all their locks
// held: the first (priority), or one chosen by Pike's rule, the j-th ready
// guard replacing the choice with probability 1/j (random). It returns -1
// if none is ready. The Selector uses it; decideWith has the same rule
// written out, on the hot path of every select.
func choose(n int, pol policy, ready func(k int) bool) int {
	chosen, nready := -1, 0
	for k := range n {
		if !ready(k) {
			continue
		}
		nready++
		if pol != random {
			return k
		}
		if sched.Intn(nready) == 0 {
			chosen = k
		}
	}
	return chosen
}

func anyEnabled(gs []guard.Guard) bool {
	for _, g := range gs {
		if guard.Enabled(g) {
			return true
		}
	}
	return false
}

// at is the index of the k-th guard polled.
func at(k, start, n int) int {
	i := k + start
	if i >= n {
		i -= n
	}
	return i
}

// unlockFirst unlocks the guards that pass 1 locked: the first k in
// polling order.
func unlockFirst(gs []guard.Guard, start, k int) {
	for j := k - 1; j >= 0; j-- {
		guard.UnlockAll(gs[at(j, start, len(gs))].Locks())
	}
}

// sorted is the select with every lock taken in lock order, for when pass
// 1's walk met a lock it could not take without risking deadlock. A lock
// list of up to 16 locks lives on the stack, a longer one in a pooled
// block, so that the sorted path allocates nothing either.
func sorted(b *block, gs []guard.Guard, pol policy, start int) (int, error) {
	total := 0
	for _, g := range gs {
		total += len(g.Locks())
	}
	if total > 16 {
		if b == nil {
			b = getBlock(len(gs))
		}
		b.locks = sortedLocks(gs, b.locks[:0])
		ls := b.locks
		return decideWith(b, gs, pol, start, false, func() { guard.UnlockAll(ls) })
	}
	var buf [16]*guard.Mutex
	ls := sortedLocks(gs, buf[:0])
	return decideWith(b, gs, pol, start, false, func() { guard.UnlockAll(ls) })
}

// sortedLocks appends the locks of gs to ls, sorts them into lock order
// and locks them.
func sortedLocks(gs []guard.Guard, ls []*guard.Mutex) []*guard.Mutex {
	for _, g := range gs {
		ls = append(ls, g.Locks()...)
	}
	ls = guard.SortLocks(ls)
	guard.LockAll(ls)
	return ls
}

// decideWith completes a guard of gs, all of whose locks the caller
// holds, or enqueues the select and parks; unlock lets go of the locks.
// committed reports that every guard's Commit has already failed under
// these locks (priority pass 1), so only the enqueueing is left. b, if not
// nil, is a pooled block the caller already took (the sorted path's).
func decideWith(b *block, gs []guard.Guard, pol policy, start int, committed bool, unlock func()) (int, error) {
	n := len(gs)
	for {
		for !committed {
			// choose's rule, written out: a call through a closure per
			// guard measured 7% more instructions on the ready path of a
			// select over two guards.
			chosen, nready := -1, 0
			for k := range n {
				i := at(k, start, n)
				if !gs[i].Poll() {
					continue
				}
				nready++
				if pol != random {
					chosen = i
					break
				}
				if sched.Intn(nready) == 0 {
					chosen = i
				}
			}
			if chosen < 0 {
				break
			}
			// The chosen guard's partner may have completed through a
			// channel this select does not hold; then Poll is false now,
			// and we look again.
			if ok, err := guard.Commit(gs[chosen]); ok {
				unlock()
				gs[chosen].AfterUnlock()
				if b != nil {
					putBlock(b)
				}
				return chosen, err
			}
		}
		if !anyEnabled(gs) {
			unlock()
			if b != nil {
				putBlock(b)
			}
			return -1, ErrNoGuards // it would block for ever
		}
		if b == nil {
			b = getBlock(n)
		}
		// Disabled guards enqueue nothing and are never completed. A
		// select that is uniform when ready is uniform when blocked too: it
		// enqueues in a random order, as Go's select does, so that a
		// partner arriving for several of its guards on one channel finds
		// each first equally often. PriSelect enqueues in argument order,
		// so the first guard a partner can complete wins.
		if pol == priority {
			b.p.Enqueue(gs, unlock)
		} else {
			b.p.EnqueueRandom(gs, unlock)
		}
		// After wake-up every entry but the completed one may still be
		// queued: Park dequeues them all before it returns.
		chosen, err := b.p.Park(gs)
		if err != guard.ErrRetry {
			putBlock(b)
			return chosen, err
		}
		// A guard that became ready woke the select to look again
		// (guard.ErrRetry) rather than completing for it: decide again,
		// from the start, with every lock taken in lock order. The
		// previous locks were let go by Enqueue; b stays ours.
		b.locks = sortedLocks(gs, b.locks[:0])
		ls := b.locks
		unlock = func() { guard.UnlockAll(ls) }
		committed = false
	}
}

// A block is what a blocking select needs: its parking (the waiter and one
// entry per guard), the guards' protocols of a select over many, and the
// lock list of the sorted path. Blocks are recycled through blockPool once
// the parking has woken and dequeued, so that a blocking select allocates
// nothing in steady state.
type block struct {
	p     guard.Parking
	ops   []guard.Guard
	locks []*guard.Mutex
}

var blockPool = sync.Pool{New: func() any { return new(block) }}

func getBlock(n int) *block {
	b := blockPool.Get().(*block)
	if cap(b.ops) < n {
		b.ops = make([]guard.Guard, n)
	}
	return b
}

// putBlock recycles b, whose parking, if it parked, has woken and
// dequeued.
func putBlock(b *block) {
	clear(b.ops[:cap(b.ops)])
	clear(b.locks[:cap(b.locks)])
	blockPool.Put(b)
}
