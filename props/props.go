// Package props checks concurrent designs by property: named checkers over
// event traces, a seed-driven scheduler that steers chord's choice points
// from rapid's draws, and the property tests of chord's own primitives and
// of the classic problems.
//
// A checker is a Property: a name and a function from a trace to a
// *Violation, which quotes the offending slice of the trace. Run the
// solution inside rapid.Check → rapid.SyncTest so that a deadlock is
// reported by testing/synctest as a failure (and shrunk) rather than hanging
// the test, and install a Scheduler for the run so that a failing
// interleaving replays from rapid's seed.
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
