package chanop

import (
	"context"
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
func After(d time.Duration) Guard { return &after{d: d} }

type after struct {
	d     time.Duration
	start time.Time
	timer *time.Timer // set by Enqueue, stopped by Dequeue
}

func (a *after) GuardOps() guard.Guard { return a }
func (a *after) Begin(start time.Time) { a.start = start }
func (a *after) Locks() []*guard.Mutex { return nil }
func (a *after) Poll() bool            { return time.Since(a.start) >= a.d }
func (a *after) Commit() (bool, error) { return a.Poll(), nil }
func (a *after) AfterUnlock()          {}

func (a *after) Enqueue(e *guard.Entry) {
	if a.timer != nil {
		panic("chanop: After guard in two selects at once, or twice in one")
	}
	// The timer acts for this select: it claims the waiter like any partner
	// (spinning if a partner holds a claim), holding no lock.
	w, gen := e.W, e.W.Gen()
	a.timer = time.AfterFunc(a.d-time.Since(a.start), func() { completeAlone(w, gen, e, nil) })
}

func (a *after) Dequeue(*guard.Entry) {
	if a.timer != nil {
		a.timer.Stop()
		a.timer = nil
	}
}

// Done returns a guard that is ready once ctx is done; a select choosing it
// returns ctx.Err().
func Done(ctx context.Context) Guard {
	if ctx == nil {
		panic("chanop: Done with nil context")
	}
	return &doneGuard{ctx: ctx}
}

type doneGuard struct {
	ctx  context.Context
	stop func() bool // set by Enqueue
}

func (d *doneGuard) GuardOps() guard.Guard { return d }
func (d *doneGuard) Locks() []*guard.Mutex { return nil }
func (d *doneGuard) Poll() bool            { return d.ctx.Err() != nil }
func (d *doneGuard) AfterUnlock()          {}

func (d *doneGuard) Commit() (bool, error) {
	err := d.ctx.Err()
	return err != nil, err
}

func (d *doneGuard) Enqueue(e *guard.Entry) {
	if d.stop != nil {
		panic("chanop: Done guard in two selects at once, or twice in one")
	}
	w, gen, ctx := e.W, e.W.Gen(), d.ctx
	d.stop = context.AfterFunc(ctx, func() { completeAlone(w, gen, e, ctx.Err()) })
}

func (d *doneGuard) Dequeue(*guard.Entry) {
	if d.stop != nil {
		d.stop()
		d.stop = nil
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
