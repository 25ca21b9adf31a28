// Package props checks concurrent designs built on chord by property: a
// controlled scheduler owns the interleaving of a run, and named checkers
// judge its event traces.
//
// # The harness
//
//   - [Check] runs a property many times, each run under a controlled
//     scheduler that rapid's draws steer; a failing run replays from its
//     seed and shrinks.
//   - [Explore] runs a property under every schedule within a [Bound]
//     and reports what it ran in an [Explored].
//   - [ExpectViolation] is a negative control: the property must fail, and
//     it returns the report; [ExpectFailure] does the same for any test
//     body.
//   - A property is a func(*[Run]): [Run.T] draws and fails, [Run.Go]
//     starts a named goroutine ([Run.Background] one that may outlive the
//     property), [Run.Name] names a channel or lock for reports,
//     [Run.Idle] waits until the program is idle, [Run.Trace] is the
//     schedule so far and [Run.Events] what chord recorded of it
//     ([Event]).
//
// # Properties of traces
//
//   - A [Property] is a name and a check of a trace, returning a
//     [Violation] that quotes the offending events; [Violate] makes one and
//     [CheckAll] runs several properties over one trace.
//   - Generic properties read a user's own event type through a function:
//     [MutualExclusion], [AtMostOnce], [BoundedWaiting], [Conservation] and
//     [ReleasedWithGroup].
//   - [ChannelConservation] checks chord's own channels, over the events
//     chord records ([Run.Events]).
//
// The laws of chord's join patterns are checked by package props/joinlaws,
// with properties of this package.
//
// # How a run is scheduled
//
// Every chord operation is a scheduling point: between two of them exactly
// one goroutine of the run goes on, and rapid's draws (or the explorer)
// decide which. A failing run therefore replays exactly from its seed and
// shrinks towards fewer context switches, and its report shows the
// schedule ("worker 1 Chan.Send at design.go:42") and, for a deadlock, what
// each goroutine is blocked in.
//
// What the scheduler does not decide: code between two chord operations
// runs without interruption (a race there cannot show); a goroutine started
// with a plain go statement runs until its first chord operation in the
// Go scheduler's order, and so do goroutines woken by timers at the same
// fake instant. Start goroutines with Run.Go, or let them begin with a
// chord operation, for runs that replay byte for byte under -race.
//
// Time: a bubble's clock is fake, and a plain timer (time.Sleep, time.After,
// chanop.After) fires when every goroutine of the run is blocked. A
// chanop.Timer's expiry is a scheduling choice instead: when nobody can go
// on, the earliest pending one fires at its instant (timers due at the
// same instant one at a time, in the order they were armed, so that a run
// replays exactly); and at any decision a pending one may fire early, as
// if the rest of the program were slow, at the cost of a preemption (a
// delay under Bound.Delays). The trace shows it as "timer 0 fires".
//
// A goroutine that waits on something other than chord, such as a plain
// sync.Mutex held by a goroutine parked at a scheduling point, is at no
// scheduling point: a watchdog reports it after two seconds of real time
// without progress (who, where, and what to use instead: package csync's
// Mutex, RWMutex, WaitGroup, Cond and Once, chanop.Chan) and ends the test
// binary, since nothing can end such a run. A goroutine blocked for good on
// a sync.WaitGroup or a channel made in the run shows in a deadlock report,
// with the same advice. A run that takes more than Bound.Steps steps
// (100,000 by default) fails as a possible livelock.
//
// Shrinking keeps a failure what it was: a deadlock shrinks only to runs
// with the same goroutines blocked at the same places; if none is
// smaller, the run found is reported unshrunk.
package props

import (
	"fmt"
	"strings"
)

// A Property is a named check over traces of events of type E.
type Property[E any] struct {
	Name  string                     // as violations quote it: "santa/reindeer-priority"
	Check func(trace []E) *Violation // nil if trace has the property
}

// A Violation is a property's failure: what went wrong, and the events that
// show it (the counterexample), in trace order.
type Violation struct {
	Property string   // the name of the property violated
	Reason   string   // what went wrong, in a sentence
	Events   []string // the counterexample: the events that show it, formatted
}

// Error formats the violation with its counterexample, one event a line.
func (v *Violation) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "property %q violated: %s", v.Property, v.Reason)
	for _, e := range v.Events {
		b.WriteString("\n\t")
		b.WriteString(e)
	}
	return b.String()
}

// Violate is a helper for checkers: it formats a Violation of p quoting
// events (each formatted with %v).
func Violate[E any](p string, reason string, events ...E) *Violation {
	v := &Violation{Property: p, Reason: reason}
	for _, e := range events {
		v.Events = append(v.Events, fmt.Sprint(e))
	}
	return v
}

// CheckAll runs every property over trace and returns the violations.
func CheckAll[E any](trace []E, ps ...Property[E]) []*Violation {
	var vs []*Violation
	for _, p := range ps {
		if v := p.Check(trace); v != nil {
			if v.Property == "" {
				v.Property = p.Name
			}
			vs = append(vs, v)
		}
	}
	return vs
}
