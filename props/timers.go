package props

// chanop.Timer's expiries as scheduling choices. A Timer arms its expiry
// through sched.AfterFunc; under the controller it becomes a pending timer
// that the controller fires itself: when nobody can go on, the earliest
// one, once the fake clock reaches it (unless a goroutine wakes first), and
// at any decision, as one more option after the goroutines (firing early,
// as if the rest of the program were slow), which costs a preemption.
// Timers due at the same instant fire one at a time, in the order they
// were armed, so their runs replay exactly.

import (
	"slices"
	"time"
)

// A ptimer is a pending expiry of a chanop.Timer.
type ptimer struct {
	seq  int // arming order
	name string
	due  time.Time
	f    func()
	site string // where it was armed
}

// AfterFunc implements sched.Timers.
func (c *controller) AfterFunc(d time.Duration, f func()) (stop func() bool) {
	st := stackOf()
	if st.bubble == 0 || st.bubble != c.bubble {
		return time.AfterFunc(d, f).Stop
	}
	_, site := st.where()
	c.mu.Lock()
	defer c.mu.Unlock()
	pt := &ptimer{seq: c.ntimers, due: time.Now().Add(d), f: f, site: site}
	pt.name = c.nameLocked2(pt, "timer")
	c.ntimers++
	c.timers = append(c.timers, pt)
	return func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		i := slices.Index(c.timers, pt)
		if i < 0 {
			return false
		}
		c.timers = slices.Delete(c.timers, i, i+1)
		return true
	}
}

// timersLocked returns the pending timers, the earliest first (by arming
// order among those due at the same instant).
func (c *controller) timersLocked() []*ptimer {
	ts := slices.Clone(c.timers)
	slices.SortStableFunc(ts, func(a, b *ptimer) int {
		if a.due.Equal(b.due) {
			return a.seq - b.seq
		}
		return a.due.Compare(b.due)
	})
	return ts
}

// fireLocked fires pt: it records the step and runs pt's function with
// c.mu released (it takes the timer's lock and may wake a goroutine,
// which then arrives at its Resumed point). c.mu is held on return.
func (c *controller) fireLocked(pt *ptimer, preempt bool) {
	if i := slices.Index(c.timers, pt); i >= 0 {
		c.timers = slices.Delete(c.timers, i, i+1)
	}
	c.steps = append(c.steps, step{who: pt.name, kind: atFire, site: pt.site, preempt: preempt})
	c.mu.Unlock()
	pt.f()
	c.mu.Lock()
}

// awaitUntil waits, with nobody at a gate, for a goroutine to arrive at
// one (one asleep on a plain timer may wake) or for the fake clock to
// reach due. It reports whether a goroutine arrived.
func (c *controller) awaitUntil(due time.Time) bool {
	d := time.Until(due)
	if d <= 0 {
		return false
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-c.arrive:
		return true
	case <-t.C:
		return false
	}
}
