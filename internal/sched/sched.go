// Package sched holds the library's choice points: which of several ready
// guards a select takes, and yield points before a goroutine blocks. By
// default they are the runtime's: a uniform random number and nothing. A
// property test (package props) may install a Scheduler that makes these
// choices from its own seed, so that an interleaving that breaks a property
// replays from the seed and shrinks.
//
// The hooks, and where chord calls them (props' controlled scheduler
// relies on each place):
//
//   - Yield: first thing in every channel operation (Send, Recv, Close,
//     a select, a pattern's Wait), before any lock is taken, and in every
//     method of package csync's primitives, whose fast paths use no channel.
//   - Intn: where a select chooses among ready guards; may be called with
//     locks held (the scheduler must answer without running anybody else).
//   - Parking: right before an operation's goroutine parks (Waiter.Park).
//   - Resumed: right after it is woken, with no lock held (Waiter.Park); a
//     scheduler may end the goroutine there (runtime.Goexit).
//   - AfterFunc: where chanop.Timer arms its expiry, so that a scheduler
//     may make a pending timer's firing one of its choices.
//   - Record, Selecting: chord's events (a send's offer and delivery, a
//     receive, a close, a pattern's firing, a select's guards, a csync
//     lock taken, waited for or released), after the
//     operation's Yield and by the goroutine it belongs to; they may be
//     called with locks held.
//
// Installing a scheduler is process-wide, by design: the choice points are
// deep inside channel operations that take no context. It is meant for
// tests, which install one for the duration of a check (Set returns the
// function that removes it). When none is installed each hook costs one
// atomic load, a test and a branch, inlined at the call site.
package sched

import (
	"math/rand/v2"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// A Scheduler makes the library's choices. Its methods may be called from
// any goroutine, concurrently.
type Scheduler interface {
	// Choose returns a number in [0, n), n ≥ 1.
	Choose(n int) int
	// Yield is called before a goroutine blocks in a channel operation; it
	// may let other goroutines run first (runtime.Gosched).
	Yield()
}

// A Resumer is a Scheduler that also wants a scheduling point when a
// goroutine that parked in a channel operation wakes up, before it goes on
// (a controlled scheduler keeps it there until it is its turn).
type Resumer interface {
	Resumed()
}

// A Waker wakes a goroutine parked in a channel operation (a
// chanop.Waiter): a scheduler ending a run wakes the parked ones, and
// makes them exit at their Resumed point, so that none is left behind.
type Waker interface {
	Wake()
}

// A Parker is a Scheduler that wants to know which goroutines park in a
// channel operation, and how to wake them.
type Parker interface {
	Parking(w Waker)
}

// A Timers is a Scheduler that decides when chord's own timers
// (chanop.Timer) fire: AfterFunc arranges for f to run once d has elapsed,
// or earlier if the scheduler so decides, and returns the function that
// cancels it, reporting whether it was still pending (time.Timer.Stop).
type Timers interface {
	AfterFunc(d time.Duration, f func()) (stop func() bool)
}

// AfterFunc is time.AfterFunc for chord's timers: the installed Timers
// scheduler's, if any, decides when f runs.
func AfterFunc(d time.Duration, f func()) (stop func() bool) {
	if h := current.Load(); h != nil {
		if tm, ok := h.s.(Timers); ok {
			return tm.AfterFunc(d, f)
		}
	}
	return time.AfterFunc(d, f).Stop
}

// An EventKind is what chord reports to a Recorder.
type EventKind uint8

// The events chord reports.
const (
	Offered   EventKind = iota + 1 // a Send began: its message is on offer
	Delivered                      // a Send returned: its message was taken (nil error) or not
	Received                       // a Recv returned a message (nil error), or an error
	Closed                         // a channel was closed (the message is empty)
	Fired                          // a join pattern fired (ch); the message is how many senders it released
	Guards                         // a select (or a Wait on one guard) begins; the message is its guards ([]any)

	// Events of package csync's locks: ch is the lock (a *csync.Mutex or
	// *csync.RWMutex), the message the method ("Lock", "RLock", …).
	Waiting  // a Lock found the lock taken and is about to wait for it
	Acquired // a Lock returned: the caller holds the lock
	Released // an Unlock began: the caller no longer holds the lock
)

// A Recorder is a Scheduler that records what chord does: it is told each
// event, by the goroutine that caused it, right where it happens. ch is
// the channel (a *chanop.Chan[T]), v the message.
type Recorder interface {
	Record(k EventKind, ch, v any, err error)
}

type holder struct {
	s   Scheduler
	r   Resumer  // s, if it is a Resumer
	p   Parker   // s, if it is a Parker
	rec Recorder // s, if it is a Recorder
}

var current atomic.Pointer[holder]

// installed is current != nil, as a flag cheaper to test inline (see
// Installed).
var installed atomic.Bool

// Set installs s and returns a function that restores the previous
// scheduler. Set(nil) restores the default behaviour.
func Set(s Scheduler) (restore func()) {
	var h *holder
	if s != nil {
		h = &holder{s: s}
		h.r, _ = s.(Resumer)
		h.p, _ = s.(Parker)
		h.rec, _ = s.(Recorder)
	}
	old := current.Swap(h)
	installed.Store(h != nil)
	return func() {
		current.Store(old)
		installed.Store(old != nil)
	}
}

// Current returns the installed scheduler, or nil.
func Current() Scheduler {
	if h := current.Load(); h != nil {
		return h.s
	}
	return nil
}

// Installed reports whether a scheduler is installed. A fast path that
// uses no channel operation (package csync's) tests it first, and takes
// its path with the scheduling point (Yield) when it reports true; the
// test is one atomic load, and cheap enough to inline beside the fast
// path.
func Installed() bool { return installed.Load() }

// Intn returns a number in [0, n): the installed scheduler's choice, or a
// uniform random one.
func Intn(n int) int {
	if h := current.Load(); h != nil {
		return h.s.Choose(n)
	}
	return rand.IntN(n)
}

// Yield is a yield point before blocking.
func Yield() {
	if h := current.Load(); h != nil {
		h.s.Yield()
	}
}

// Parking tells the scheduler that the calling goroutine is about to park
// in a channel operation until w is woken. When none is installed it costs
// one atomic load.
func Parking(w Waker) {
	if h := current.Load(); h != nil {
		h.parking(w) // out of line: the test above is all a run without a scheduler pays
	}
}

//go:noinline
func (h *holder) parking(w Waker) {
	if h.p != nil {
		h.p.Parking(w)
	}
}

// Resumed is a scheduling point after a goroutine that parked in a channel
// operation has been woken, called with no lock held. When none is
// installed it costs one atomic load.
func Resumed() {
	if h := current.Load(); h != nil {
		h.resumed()
	}
}

//go:noinline
func (h *holder) resumed() {
	if h.r != nil {
		h.r.Resumed()
	}
}

// Record reports an event to the installed Recorder. The message is
// boxed only if one is installed: without, Record costs one atomic load.
func Record[T any](k EventKind, ch any, v T, err error) {
	if current.Load() != nil {
		record(k, ch, v, err)
	}
}

// Selecting reports a select's guards to the installed Recorder as the
// select begins (kind Guards, the message a []any). It copies them
// only if one is installed, and does not keep gs: a select's guard list
// may stay on its caller's stack.
func Selecting[G any](gs []G) {
	if current.Load() != nil {
		selecting(gs)
	}
}

//go:noinline
func selecting[G any](gs []G) {
	if h := current.Load(); h != nil && h.rec != nil {
		cp := make([]any, len(gs))
		for i := range gs {
			cp[i] = gs[i]
		}
		h.rec.Record(Guards, nil, cp, nil)
	}
}

//go:noinline
func record[T any](k EventKind, ch any, v T, err error) {
	if h := current.Load(); h != nil && h.rec != nil {
		h.rec.Record(k, ch, v, err)
	}
}

// Gosched yields the processor k times: a helper for schedulers.
func Gosched(k int) {
	for range k {
		runtime.Gosched()
	}
}

// Seeded makes the select choices of a run depend on seed alone, for a
// narrated command (package internal/demo) or its tests, and returns the
// function that undoes it. It installs (Set) a chooser that draws which
// ready guard a select takes from a generator seeded with seed, rather
// than the runtime's random numbers, and runs the process on one processor
// (GOMAXPROCS 1) with the garbage collector off (a command's run is
// short), so that goroutines woken at one instant run in an order that
// the program fixes, not the hardware. The durations, which the problem
// draws from the same seed, then decide the order of events, and with it
// the order in which the selects draw their choices.
func Seeded(seed uint64) (restore func()) {
	procs := runtime.GOMAXPROCS(1)
	gc := debug.SetGCPercent(-1)
	unset := Set(&chooser{rng: rand.New(rand.NewPCG(seed, 0x636f7264))})
	return func() {
		unset()
		debug.SetGCPercent(gc)
		runtime.GOMAXPROCS(procs)
	}
}

// chooser is the scheduler Seeded installs: seeded choices, no yields.
type chooser struct {
	mu  sync.Mutex
	rng *rand.Rand
}

// Choose implements Scheduler.
func (c *chooser) Choose(n int) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.rng.IntN(n)
}

// Yield implements Scheduler: nothing.
func (*chooser) Yield() {}
