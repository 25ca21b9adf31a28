package chanop

import (
	"context"
	"runtime"
	"sync"
	"time"

	"github.com/gochord/chord/guard"
)

// Skip returns a guard that is always ready and completes with no effect:
// Go's default case, JCSP's Skip. In a PriSelect it goes last to mean
// "poll"; in a Select it competes at random with the other ready guards.
//
// Each call returns a distinct guard (two Skip guards compare unequal), so
// that a select can tell several defaults apart. It costs one tiny
// allocation per call; a select over it allocates nothing.
func Skip() Guard { return new(skip) }

// skip is not zero-sized: new of a zero-sized type may return the same
// address every time, and Skip guards must be distinct.
type skip struct{ _ byte }

func (s *skip) GuardOps() guard.Guard { return s }
func (*skip) Locks() []*guard.Mutex   { return nil }
func (*skip) Poll() bool              { return true }
func (*skip) Commit() (bool, error)   { return true, nil }
func (*skip) Enqueue(*guard.Entry)    {}
func (*skip) Dequeue(*guard.Entry)    {}
func (*skip) AfterUnlock()            {}

// When returns g if cond is true and otherwise a disabled guard, which a
// select ignores: occam's and JCSP's precondition (cond & g). A select whose
// guards are all disabled returns ErrNoGuards.
func When(cond bool, g Guard) Guard {
	if g == nil {
		panic("chanop: When with nil guard")
	}
	if cond {
		return g
	}
	return disabled{}
}

// disabled is the guard When returns for a false condition.
type disabled struct{}

func (d disabled) GuardOps() guard.Guard { return d }
func (disabled) Disabled() bool          { return true }
func (disabled) Locks() []*guard.Mutex   { return nil }
func (disabled) Poll() bool              { return false }
func (disabled) Commit() (bool, error)   { return false, nil }
func (disabled) Enqueue(*guard.Entry)    {}
func (disabled) Dequeue(*guard.Entry)    {}
func (disabled) AfterUnlock()            {}

// After returns a guard that becomes ready once d has elapsed since the
// select running it began; it completes with a nil error. Each select
// restarts the clock, so one After guard can be reused in a loop as a
// per-wait timeout.
//
// A blocking select over it allocates nothing in steady state: the guard
// makes one timer the first time a select blocks on it, and later selects
// reuse it. The first select over the guard stops the timer when it ends
// another way, so a guard used once leaves nothing behind; a guard reused
// leaves its timer pending between selects (re-arming costs more than a
// callback that finds no select waiting), so its last timer fires at the
// latest d after the last select over it began, and then stops.
func After(d time.Duration) Guard { return &after{d: d} }

type after struct {
	d     time.Duration
	start time.Time   // when the running select began; its goroutine's own
	uses  int         // selects that blocked on the guard, up to 2
	t     *afterTimer // made by the first Enqueue
}

// afterTimer is an After guard's timer and the select it serves, shared
// with the timer's callback, which may run late, during a later select or
// none.
type afterTimer struct {
	mu       sync.Mutex
	timer    *time.Timer
	when     time.Time // when the timer fires, if it is pending; else zero
	e        *guard.Entry
	w        *guard.Waiter
	gen      uint32
	deadline time.Time // the served select's
}

func (a *after) GuardOps() guard.Guard { return a }
func (a *after) Begin(start time.Time) { a.start = start }
func (a *after) Locks() []*guard.Mutex { return nil }
func (a *after) Poll() bool            { return time.Since(a.start) >= a.d }
func (a *after) Commit() (bool, error) { return a.Poll(), nil }
func (a *after) AfterUnlock()          {}

func (a *after) Enqueue(e *guard.Entry) {
	deadline := a.start.Add(a.d)
	if a.uses < 2 {
		a.uses++
	}
	if a.t == nil {
		t := &afterTimer{}
		t.mu.Lock()
		t.timer = time.AfterFunc(time.Until(deadline), t.fire)
		t.when = deadline
		t.mu.Unlock()
		a.t = t
	}
	t := a.t
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.e != nil {
		panic("chanop: After guard in two selects at once, or twice in one")
	}
	// The timer acts for this select: it claims the waiter like any partner
	// (spinning if a partner holds a claim), holding no lock.
	t.e, t.w, t.gen, t.deadline = e, e.W, e.W.Gen(), deadline
	if t.when.IsZero() || t.when.After(deadline) {
		t.timer.Reset(time.Until(deadline))
		t.when = deadline
	}
	// Else the timer fires no later than deadline, and fire re-arms it.
}

func (a *after) Dequeue(*guard.Entry) {
	if t := a.t; t != nil {
		t.mu.Lock()
		t.e, t.w = nil, nil
		if a.uses < 2 && !t.when.IsZero() {
			t.timer.Stop() // maybe a throwaway guard: leave no timer pending
			t.when = time.Time{}
		}
		t.mu.Unlock()
	}
}

// fire is the timer's callback. It completes the select it serves if that
// select's deadline has passed; if not (the timer was set for an earlier
// select), it re-arms the timer for the deadline. A callback whose select
// has completed elsewhere fails its ClaimGen.
func (t *afterTimer) fire() {
	t.mu.Lock()
	t.when = time.Time{}
	e, w, gen := t.e, t.w, t.gen
	if e != nil {
		if left := time.Until(t.deadline); left > 0 {
			t.timer.Reset(left)
			t.when = t.deadline
			e = nil
		}
	}
	t.mu.Unlock()
	if e != nil {
		completeAlone(w, gen, e, nil)
	}
}

// Done returns a guard that is ready once ctx is done; a select choosing it
// returns ctx.Err().
//
// A blocking select over it allocates nothing in steady state: a select
// that blocks on it registers one callback with ctx (context.AfterFunc).
// The first select over the guard unregisters it when it ends another way,
// so a guard used once leaves nothing behind; from the second on, the
// callback stays registered, serving every later select over the guard,
// until ctx is done or the guard is garbage-collected. So make one Done
// guard per context and reuse it, rather than one per select.
func Done(ctx context.Context) Guard {
	if ctx == nil {
		panic("chanop: Done with nil context")
	}
	return &doneGuard{ctx: ctx, arm: new(doneArming)}
}

type doneGuard struct {
	ctx  context.Context
	uses int         // selects that blocked on the guard, up to 2
	arm  *doneArming // what ctx's callback holds: not the guard, so that the guard can be collected
}

// doneArming is a Done guard's select in progress, as its context's
// callback sees it.
type doneArming struct {
	mu    sync.Mutex
	stop  func() bool // unregisters the callback; nil if none is registered
	fired bool        // ctx is done: the callback ran
	e     *guard.Entry
	w     *guard.Waiter
	gen   uint32
	self  bool // Enqueue found ctx done: AfterUnlock completes the select
}

func (d *doneGuard) GuardOps() guard.Guard { return d }
func (d *doneGuard) Locks() []*guard.Mutex { return nil }
func (d *doneGuard) Poll() bool            { return d.ctx.Err() != nil }

func (d *doneGuard) Commit() (bool, error) {
	err := d.ctx.Err()
	return err != nil, err
}

func (d *doneGuard) Enqueue(e *guard.Entry) {
	a := d.arm
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.e != nil {
		panic("chanop: Done guard in two selects at once, or twice in one")
	}
	a.e, a.w, a.gen = e, e.W, e.W.Gen()
	if a.fired {
		// ctx was done after this select polled it: the callback has run
		// and will not run again, so the select completes itself, once
		// its locks are released.
		a.self = true
		return
	}
	if d.uses < 2 {
		d.uses++
	}
	if a.stop == nil && d.ctx.Done() != nil {
		ctx := d.ctx
		a.stop = context.AfterFunc(ctx, func() { a.fire(ctx) })
		if d.uses == 2 {
			// The registration serves every later select over the guard; it
			// ends when ctx is done or when the guard is collected.
			runtime.AddCleanup(d, func(stop func() bool) { stop() }, a.stop)
		}
	}
}

func (d *doneGuard) AfterUnlock() {
	a := d.arm
	a.mu.Lock()
	e, w, gen, self := a.e, a.w, a.gen, a.self
	a.self = false
	a.mu.Unlock()
	if self {
		completeAlone(w, gen, e, d.ctx.Err())
	}
}

func (d *doneGuard) Dequeue(*guard.Entry) {
	a := d.arm
	a.mu.Lock()
	a.e, a.w, a.self = nil, nil, false
	if d.uses < 2 && a.stop != nil {
		a.stop() // maybe a throwaway guard: leave nothing registered
		a.stop = nil
	}
	a.mu.Unlock()
}

// fire is ctx's callback: it completes the select armed now, if any. A
// select that enqueues later finds fired set.
func (a *doneArming) fire(ctx context.Context) {
	a.mu.Lock()
	a.fired = true
	e, w, gen := a.e, a.w, a.gen
	a.mu.Unlock()
	if e != nil {
		completeAlone(w, gen, e, ctx.Err())
	}
}

// completeAlone completes e, an entry of w enqueued in generation gen, for
// a party that holds no locks and no other claims (a timer, a context
// callback). It reads neither e nor the guard unless its claim succeeds: a
// late callback may run after w and e were recycled for another select.
func completeAlone(w *guard.Waiter, gen uint32, e *guard.Entry, err error) {
	if w.ClaimGen(gen) {
		w.Complete(e, err)
		w.Wake()
	}
}
