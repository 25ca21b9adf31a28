package props

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// A Run is one run of a property under Check or Explore: a fresh
// testing/synctest bubble whose goroutines are scheduled by the checker.
type Run struct {
	// T is the run's rapid.T: draw from it, fail with T.Fatalf. Draw and
	// fail only in the property's own goroutine or one started with Go
	// (rapid's draws are not safe from other goroutines; a failure in a
	// goroutine started with a plain go statement crashes the test binary).
	T *rapid.T

	c *controller
}

// Go starts f in a new goroutine of the run called name. The goroutine
// waits for its turn before f begins, like at any scheduling point. Names
// are for traces and deadlock reports; a name used twice gets a "#2"
// suffix. Goroutines started with a plain go statement are scheduled too,
// and named after the function they run ("elf 0", "elf 1" in the order
// their parent started them).
func (r *Run) Go(name string, f func()) {
	if name == "" {
		panic("props: Run.Go with an empty name")
	}
	r.c.spawn(name, false, f)
}

// Background starts f in a new goroutine of the run called name, like
// Go, that may outlive the property: a server loop, a ticker. When the
// property's goroutine has returned and only such goroutines are left,
// the run ends (they exit at their next scheduling point), and one still
// blocked then is not reported. It takes part in deadlocks like any other.
func (r *Run) Background(name string, f func()) {
	if name == "" {
		panic("props: Run.Background with an empty name")
	}
	r.c.spawn(name, true, f)
}

// Name names x, a channel, buffer, pattern, csync lock or anything else
// chord records events of, in the run's events, trace and reports:
// "offers 3 on orders" rather than "on chan 0". Name it before its first
// use; a name given twice gets a "#2" suffix.
func (r *Run) Name(x any, name string) {
	if x == nil || name == "" {
		panic("props: Run.Name with a nil value or an empty name")
	}
	r.c.mu.Lock()
	defer r.c.mu.Unlock()
	r.c.giveNameLocked(x, name)
}

// Idle waits until every other goroutine of the run is blocked (parked in
// a chord operation, asleep, or waiting on something else): the program
// is idle, and what it holds can be inspected. It is synctest.Wait for a
// run under the controlled scheduler (which uses synctest.Wait itself, so
// prop must not). Call it from the property's goroutines.
func (r *Run) Idle() { r.c.point(atIdle, 0) }

// Trace returns the schedule so far, one decision a line: who was let go
// on, at which chord operation. It is what a failure report shows.
func (r *Run) Trace() string { return r.c.trace() }

// Check checks prop: rapid.Check runs it many times, each run in its own
// testing/synctest bubble under a controlled scheduler, and rapid shrinks
// a failing run to a small one.
//
// Under Check every chord operation is a scheduling point (a send, a
// receive, a select, a pattern's Wait, a close, and the wake-up of a
// parked operation; a select's choice among ready guards is a decision
// too). Between two of them exactly one goroutine of the run goes on, and
// rapid's draws decide which: so a run replays exactly from its seed, to
// the same trace, under -race too, and shrinks towards schedules that
// switch goroutines as rarely as possible. Code between two chord
// operations runs without interruption, so state shared without chord
// (a recorder behind a mutex) needs no further care.
//
// A run fails when prop calls r.T.Fatalf (or panics), and when it
// deadlocks: no goroutine is at a scheduling point and none can wake (time
// in the bubble is fake: goroutines asleep on timers are waited for). The
// report names each blocked goroutine with the operation it waits in, and
// shows the schedule that led there. A run must also leave no goroutine
// behind: prop waits for the goroutines it starts. A run that takes more
// than 100,000 scheduling steps fails as a possible livelock (a polling
// loop that nothing ends), with the last steps of its schedule; Explore's
// Bound.Steps sets another bound.
//
// Check runs the bubble on one processor (GOMAXPROCS 1) for its duration,
// which makes goroutines' creation order observable; do not call it from
// parallel tests, nor call synctest.Wait inside prop.
func Check(t *testing.T, prop func(*Run)) {
	t.Helper()
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	var first string // the signature of the first failure
	rapid.Check(t, func(rt *rapid.T) {
		c := runOnce(rt, &drawChooser{t: rt}, prop)
		if !c.failed() {
			return
		}
		sig := c.signature()
		if first == "" {
			first = sig
		}
		if sig != first {
			c.raiseOther(rt)
		}
		c.raise(rt)
	})
}

// signature tells failures apart beyond what rapid does (rapid takes two
// failures for the same if they are raised at the same place): a deadlock
// or a run that outlives its property is known by the set of operations
// and call sites its goroutines are blocked at, so that shrinking never
// turns a deadlock into another, or into a different failure; a panic or a
// Fatalf by where it was raised, which rapid tells.
func (c *controller) signature() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.failure == "":
		return "panic"
	case strings.HasPrefix(c.failure, "possible livelock"):
		return "livelock"
	}
	kind, _, _ := strings.Cut(c.failure, ":")
	var sites []string // as a set: a shrunk run may have fewer goroutines blocked at one place
	for line := range strings.SplitSeq(c.explain, "\n") {
		if _, what, ok := strings.Cut(line, ": "); ok {
			what, _, _ = strings.Cut(what, ", ")
			sites = append(sites, what)
		}
	}
	slices.Sort(sites)
	sites = slices.Compact(sites)
	return kind + ": " + strings.Join(sites, "; ")
}

// raiseOther fails rt with a failure other than the first one Check
// found, raised where rapid sees a different failure: rapid does not
// shrink the first one into it. The report of the first failure stands,
// shrunk as far as its blocked goroutines stay the same, or not at all.
func (c *controller) raiseOther(rt *rapid.T) {
	rt.Log(c.trace())
	rt.Fatalf("another failure than the one being shrunk: %s", c.failure)
}

// runOnce runs prop once under a controller that decides with src.
func runOnce(rt *rapid.T, src chooser, prop func(*Run)) *controller {
	return runSteps(rt, src, 0, prop)
}

// runSteps is runOnce with a step bound (0: the default).
func runSteps(rt *rapid.T, src chooser, steps int, prop func(*Run)) *controller {
	c := newController(src)
	if steps > 0 {
		c.maxSteps = steps
	}
	defer c.watch()()
	func() {
		defer func() {
			p := recover()
			if p == nil {
				return
			}
			if isInvalidData(p) {
				panic(p) // a case to discard, whatever the run's goroutines did as they ended
			}
			if c.failure == "" && c.mainPanic == nil {
				if !strings.Contains(fmt.Sprint(p), "deadlock: main bubble goroutine has exited but blocked goroutines remain") {
					panic(p)
				}
				c.leftovers()
			}
		}()
		rapid.SyncTest(rt, func(st *rapid.T) { c.run(st, prop) })
	}()
	return c
}

// leftovers records the verdict that goroutines outlived the property,
// after the bubble ended with them blocked.
func (c *controller) leftovers() {
	stacks := c.bubbleStacks()
	c.mu.Lock()
	defer c.mu.Unlock()
	var names []string
	var b strings.Builder
	for _, st := range stacks {
		if g := c.byID[st.id]; g != nil && g.bg {
			continue // started by Run.Background: it may outlive the property
		}
		name, what := c.describeLocked(st)
		names = append(names, name)
		fmt.Fprintf(&b, "\t%s: %s\n", name, what)
	}
	if len(names) == 0 {
		return
	}
	c.failure = "goroutines outlived the property: " + joinNames(names) + " still blocked"
	c.explain = b.String()
}

// failed reports whether the run failed.
func (c *controller) failed() bool { return c.failure != "" || c.mainPanic != nil }

// report is the run's failure report: the verdict, what each goroutine
// was blocked in, and the schedule.
func (c *controller) report() string {
	var b strings.Builder
	switch {
	case c.failure != "":
		b.WriteString(c.failure + "\n" + c.explain)
	case c.mainPanic != nil:
		b.WriteString(fmt.Sprint(c.mainPanic) + "\n")
		if c.panicAt != "" {
			b.WriteString(c.panicAt + "\n")
		}
	}
	b.WriteString(c.trace())
	return b.String()
}

// raise fails rt with the run's failure, if any, in rapid's terms: a
// Fatalf or a discarded case raised by the property comes back as it was.
// The trace is logged, so it shows for the shrunk case.
func (c *controller) raise(rt *rapid.T) {
	switch {
	case c.failure != "":
		rt.Log(c.trace())
		rt.Fatalf("%s\n%s", c.failure, c.explain)
	case fmt.Sprintf("%T", c.mainPanic) == "rapid.invalidData":
		// A case to discard (a draw ran out of data while rapid shrinks).
		// Raised apart from the failures: rapid tells failures apart by
		// where they are raised, and must not take this for one.
		panic(c.mainPanic)
	case c.mainPanic != nil && isRapidStop(c.mainPanic):
		rt.Log(c.trace())
		panic(c.mainPanic)
	case c.mainPanic != nil:
		rt.Log(c.panicAt)
		rt.Log(c.trace())
		rt.Fatalf("panic: %v", c.mainPanic)
	}
}

// A drawChooser decides from rapid's draws, in chunks (one logged line
// per chunk rather than per decision). A draw of 0 means "the goroutine
// that ran last goes on", so rapid shrinks towards fewer switches; past
// the end of a chunk the next one is drawn.
type drawChooser struct {
	t    *rapid.T
	buf  []int
	next int
}

const chunk = 32

func (d *drawChooser) choose(n int, _ bool, _ int) int {
	if d.next == len(d.buf) {
		d.buf = rapid.SliceOfN(rapid.IntRange(0, 255), chunk, chunk).Draw(d.t, "schedule")
		d.next = 0
	}
	v := d.buf[d.next]
	d.next++
	return v % n
}
