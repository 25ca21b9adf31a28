package chanop

import (
	"time"

	"github.com/gochord/chord/guard"
	"github.com/gochord/chord/internal/sched"
)

// A Timer is time.Timer as a chord guard: once its duration has elapsed it
// holds one tick, which its Op guard receives. Like time.Timer before Go
// 1.23, a tick not yet received stays after Stop and Reset: the classic
// "if !t.Stop() { <-t.C }" drain is needed before a Reset, and blocks for
// ever if the tick was already received. Under props' scheduler a pending
// timer's expiry is a scheduling choice, so such mistakes show.
//
// A Timer must be made with NewTimer and must not be copied.
type Timer struct {
	mu      guard.Mutex // guards the fields below
	ticked  bool        // a tick waits to be received
	stop    func() bool // of the pending expiry; nil if none
	arms    uint64      // bumped by Stop and Reset: an older expiry does nothing
	waiting guard.Queue // entries of selects waiting for a tick
	op      timerOp     // what Op returns
}

// NewTimer returns a Timer that ticks once d has elapsed.
func NewTimer(d time.Duration) *Timer {
	t := new(Timer)
	t.op.t = t
	t.mu.Lock()
	t.armLocked(d)
	t.mu.Unlock()
	return t
}

func (t *Timer) armLocked(d time.Duration) {
	arm := t.arms
	t.stop = sched.AfterFunc(d, func() { t.expire(arm) })
}

// expire gives the tick of expiry arm to a waiting select, or keeps it.
func (t *Timer) expire(arm uint64) {
	t.mu.Lock()
	if arm != t.arms {
		t.mu.Unlock()
		return
	}
	t.stop = nil
	for e := t.waiting.Front(); e != nil; e = t.waiting.Front() {
		t.waiting.Remove(e)
		if e.W.Claim() {
			e.W.Complete(e, nil)
			t.mu.Unlock()
			e.W.Wake()
			return
		}
	}
	t.ticked = true
	t.mu.Unlock()
}

// Stop stops t from ticking. It reports whether the call stopped it: false
// if it had already expired or been stopped. It does not take away a tick
// that is waiting to be received.
func (t *Timer) Stop() bool {
	sched.Yield()
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.disarmLocked()
}

func (t *Timer) disarmLocked() bool {
	t.arms++
	if t.stop == nil {
		return false
	}
	stopped := t.stop()
	t.stop = nil
	return stopped
}

// Reset makes t tick once d has elapsed from now, and reports whether it
// was pending (not expired nor stopped). It does not take away a tick that
// is waiting to be received.
func (t *Timer) Reset(d time.Duration) bool {
	sched.Yield()
	t.mu.Lock()
	defer t.mu.Unlock()
	pending := t.disarmLocked()
	t.armLocked(d)
	return pending
}

// Op returns the guard that receives t's tick: ready while a tick waits,
// and a select taking it takes the tick. selectx.Select(t.Op()) waits for
// the tick, as <-t.C does. Every call returns the same guard, so a select's
// result compares equal to t.Op(); it may be in several selects at once.
func (t *Timer) Op() Guard { return &t.op }

type timerOp struct{ t *Timer }

func (o *timerOp) GuardOps() guard.Guard  { return o }
func (o *timerOp) Locks() []*guard.Mutex  { return []*guard.Mutex{&o.t.mu} }
func (o *timerOp) Poll() bool             { return o.t.ticked }
func (o *timerOp) Enqueue(e *guard.Entry) { o.t.waiting.PushBack(e) }
func (o *timerOp) Dequeue(e *guard.Entry) { o.t.waiting.Remove(e) }
func (o *timerOp) AfterUnlock()           {}
func (o *timerOp) Commit() (bool, error) {
	if !o.t.ticked {
		return false, nil
	}
	o.t.ticked = false
	return true, nil
}
