// Package selectx is Rob Pike's one-pass select over chanop guards: Go's
// select statement with the cases as values, so that the list can be built
// at run time, be of any length, and mix plain channel operations with join
// patterns, buffered channels and timeouts.
//
// Select chooses uniformly at random among the ready guards, PriSelect takes
// the first ready one in argument order (occam's PRI ALT), and Fair rotates
// the priority so that a guard that stays ready is never starved. All three
// return the guard that completed; compare it against the guards passed in:
//
//	g, err := selectx.Select(a, b, timeout)
//	switch g {
//	case a: …
//	case b: …
//	case timeout: …
//	}
//
// Compared with reflect.Select, selectx needs no reflect.Value boxing,
// allocates nothing when a guard is ready, and accepts join patterns.
package selectx

import (
	"time"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/internal/sched"
)

// ErrNoGuards is returned when no guard of a select is enabled (all were
// disabled with chanop.When, or none was given). It is chanop.ErrNoGuards.
var ErrNoGuards = chanop.ErrNoGuards

// Select completes exactly one of gs and returns it with its error. If
// several are ready it chooses uniformly at random (Pike's one-pass rule:
// the k-th ready guard replaces the choice with probability 1/k). If none is
// ready it blocks until a partner completes one.
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
func (f *Fair) Select(gs ...chanop.Guard) (chanop.Guard, error) {
	if len(gs) == 0 {
		return nil, ErrNoGuards
	}
	i, err := run(gs, priority, f.next%len(gs))
	if i >= 0 {
		f.next = i + 1
	}
	return pick(gs, i), err
}

func pick(gs []chanop.Guard, i int) chanop.Guard {
	if i < 0 {
		return nil
	}
	return gs[i]
}

type policy uint8

const (
	random policy = iota
	priority
)

// run is the select. It returns the index of the completed guard, or -1
// with ErrNoGuards.
//
// Pass 1 polls each guard under its own locks, holding no two guards' locks
// at once, so the ready path neither sorts nor allocates. Pass 2 takes the
// locks of every guard in lock order, checks again (something may have
// become ready since pass 1), and if nothing is ready enqueues an entry on
// every guard and parks once. Pass 3, after wake-up, dequeues the entries.
func run(gs []chanop.Guard, pol policy, start int) (int, error) {
	n := len(gs)
	var now time.Time
	enabled := 0
	for _, g := range gs {
		if g == nil {
			panic("selectx: nil guard (use chanop.When to disable a guard)")
		}
		if !chanop.Enabled(g) {
			continue
		}
		enabled++
		if t, ok := g.(chanop.Timed); ok {
			if now.IsZero() {
				now = time.Now()
			}
			t.Begin(now)
		}
	}
	if enabled == 0 {
		return -1, ErrNoGuards
	}
	sched.Yield()
	sched.Selecting(gs)

	// Pass 1.
	for {
		chosen, nready := -1, 0
		for k := 0; k < n; k++ {
			i := k + start
			if i >= n {
				i -= n
			}
			g := gs[i]
			ls := g.Locks()
			chanop.LockAll(ls)
			if pol == priority {
				// Commit fails only when Poll would (the Guard rules).
				ok, err := g.Commit()
				chanop.UnlockAll(ls)
				if ok {
					g.AfterUnlock()
					return i, err
				}
				continue
			}
			if !g.Poll() {
				chanop.UnlockAll(ls)
				continue
			}
			chanop.UnlockAll(ls)
			nready++
			if sched.Intn(nready) == 0 {
				chosen = i
			}
		}
		if chosen < 0 {
			break
		}
		g := gs[chosen]
		ls := g.Locks()
		chanop.LockAll(ls)
		ok, err := g.Commit()
		chanop.UnlockAll(ls)
		if ok {
			g.AfterUnlock()
			return chosen, err
		}
		// The chosen partner was taken by somebody else: poll again.
	}
	return block(gs, pol, start)
}

// block is passes 2 and 3.
func block(gs []chanop.Guard, pol policy, start int) (int, error) {
	n := len(gs)
	var lockBuf [16]*chanop.Mutex
	ls := lockBuf[:0]
	total := 0
	for _, g := range gs {
		total += len(g.Locks())
	}
	if total > len(lockBuf) {
		ls = make([]*chanop.Mutex, 0, total) // one object, whatever n
	}
	for _, g := range gs {
		ls = append(ls, g.Locks()...)
	}
	ls = chanop.SortLocks(ls)
	chanop.LockAll(ls)

	// Pass 2: with every lock held, check once more, then enqueue.
	for {
		chosen, nready := -1, 0
		for k := 0; k < n; k++ {
			i := k + start
			if i >= n {
				i -= n
			}
			if !gs[i].Poll() {
				continue
			}
			nready++
			if pol == priority {
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
		ok, err := gs[chosen].Commit()
		if ok {
			chanop.UnlockAll(ls)
			gs[chosen].AfterUnlock()
			return chosen, err
		}
	}
	b := &waiter{entries: make([]chanop.Entry, n)}
	for i, g := range gs {
		b.entries[i].W, b.entries[i].G = &b.w, g
	}
	// Disabled guards enqueue nothing and are never completed.
	chanop.EnqueueAll(ls, gs, func(i int) *chanop.Entry { return &b.entries[i] })
	chanop.UnlockAll(ls)
	for _, g := range gs {
		g.AfterUnlock()
	}
	e, err := b.w.Park()

	// Pass 3: every entry but the completed one may still be queued.
	chosen := -1
	for i, g := range gs {
		if &b.entries[i] == e {
			chosen = i
		}
		if !chanop.Enabled(g) {
			continue
		}
		gl := g.Locks()
		chanop.LockAll(gl)
		g.Dequeue(&b.entries[i])
		chanop.UnlockAll(gl)
	}
	return chosen, err
}

// waiter is what a blocking select allocates: the waiter and one entry per
// guard, in two objects whatever the number of guards (and a third for the
// lock list when the guards hold more than 16 locks).
type waiter struct {
	w       chanop.Waiter
	entries []chanop.Entry
}
