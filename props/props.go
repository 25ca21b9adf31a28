// Package props checks concurrent designs built on chord by property: a
// controlled scheduler that owns the interleaving of a run, named checkers
// over event traces, and the property tests of chord's own primitives and
// of the classic problems.
//
// The harness, in one call each:
//
//	props.Check(t, prop)                   // rapid.Check → rapid.SyncTest → controlled scheduler
//	props.Explore(t, props.Bound{…}, prop) // every schedule within a bound
//	out := props.ExpectViolation(t, name, prop) // a negative control: prop must fail; out is the report
//
// prop is a func(*Run): r.T is the run's *rapid.T (draw from it, fail with
// r.T.Fatalf), r.Go starts a named goroutine, r.Idle waits until the
// program is idle. Every chord operation is a scheduling point: between
// two of them exactly one goroutine of the run goes on, and rapid's draws
// (or the explorer) decide which. A failing run therefore replays exactly
// from its seed and shrinks towards fewer context switches, and its report
// shows the schedule ("elf 0 Chan.Send at santa.go:366") and, for a
// deadlock, what each goroutine is blocked in.
//
// What the scheduler does not decide: code between two chord operations
// runs without interruption (a race there cannot show); a goroutine started
// with a plain go statement runs until its first chord operation in the
// Go scheduler's order, and so do goroutines woken by timers at the same
// fake instant. Start goroutines with Run.Go, or let them begin with a
// chord operation, for runs that replay byte for byte under -race.
//
// A checker is a Property: a name and a function from a trace to a
// *Violation, which quotes the offending slice of the trace. The generic
// ones (MutualExclusion, AtMostOnce, BoundedWaiting, Conservation) read a
// user's own event type through a function; the others check chord's join
// laws, the philosophers and Santa Claus.
//
// Scheduler, the seed-driven choice maker of the first round, remains for
// tests that run rapid.SyncTest themselves; Check supersedes it.
package props

import (
	"fmt"
	"strings"
	"sync"

	"pgregory.net/rapid"

	"github.com/gochord/chord/internal/sched"
)

// A Property is a named check over traces of events of type E.
type Property[E any] struct {
	Name  string
	Check func(trace []E) *Violation
}

// A Violation is a property's failure: what went wrong, and the events that
// show it (the counterexample), in trace order.
type Violation struct {
	Property string
	Reason   string
	Events   []string
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

// A Scheduler makes chord's choices (which ready guard a select takes, how
// long a goroutine yields before it blocks) from a list of choices that
// rapid draws in the bubble's root goroutine. When the list runs out every
// choice is 0, so rapid shrinks a failing run towards the shortest list
// that still fails, and replays it from its seed.
//
// A Scheduler is safe for concurrent use.
type Scheduler struct {
	mu      sync.Mutex
	choices []int
	next    int
	used    int
}

// NewScheduler draws up to n choices from t. Call it in the goroutine that
// runs the property (rapid's draws are not safe for concurrent use).
func NewScheduler(t *rapid.T, n int) *Scheduler {
	cs := rapid.SliceOfN(rapid.IntRange(0, 255), 0, n).Draw(t, "schedule")
	return &Scheduler{choices: cs}
}

// Install makes s the process-wide scheduler of chord's choice points and
// returns the function that removes it. Only one property may run at a
// time while a scheduler is installed (do not combine with t.Parallel).
func (s *Scheduler) Install() (uninstall func()) { return sched.Set(s) }

func (s *Scheduler) draw() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.used++
	if s.next >= len(s.choices) {
		return 0
	}
	c := s.choices[s.next]
	s.next++
	return c
}

// Choose implements the choice of which ready guard a select takes.
func (s *Scheduler) Choose(n int) int { return s.draw() % n }

// Yield implements a yield point before blocking: it lets other goroutines
// run 0 to 3 times.
func (s *Scheduler) Yield() { sched.Gosched(s.draw() % 4) }

// Used returns how many choices the run made (including those past the end
// of the drawn list).
func (s *Scheduler) Used() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.used
}
