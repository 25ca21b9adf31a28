// Package trace holds what the classic problems under problems/ share to
// play a run and record it: a Recorder that puts every event in one order,
// the names of event kinds (KindName), and the random durations (Draw,
// CheckSpan) and cancellable sleeps (Sleep) the actors spend their time
// in. Inside a testing/synctest bubble all of it runs in fake time.
//
// It is a package of its own, not part of internal/demo: the problems use
// it, and need nothing of the narrated commands' skeleton.
package trace

import (
	"fmt"
	"sync"
	"time"

	"github.com/gochord/chord/csync"
)

// A Recorder is the trace of a run: a mutex-protected slice of events of
// type E. Recording under one lock gives every event a place in a single
// order that agrees with the happens-before order of the goroutines that
// record them.
//
// No chord operation runs under the plain mutex: the act of Do, which may
// send or select, runs under a csync.Mutex instead, which props' controlled
// scheduler sees (a goroutine blocked on a sync.Mutex held by one parked
// at a scheduling point would hang the run). Add, which runs no chord
// operation, takes only the plain mutex, unless a Do is under way: then it
// waits for that Do to record its event first.
//
// The zero Recorder is not usable; make one with New. A Recorder must not
// be copied after first use.
type Recorder[E any] struct {
	acting  csync.Mutex // held by a Do through its act and its recording
	mu      sync.Mutex  // protects the fields below; serialises stamp and observe
	doing   bool        // a Do holds acting
	start   time.Time
	stamp   func(e *E, seq int, at time.Duration)
	events  []E
	observe func(E) // called with mu held
}

// New returns a Recorder whose clock starts now. stamp writes an event's
// place in the trace (from 1) and its time since the start into the
// event, usually its Seq and At fields. observe, if not nil, is called
// with every event as it is recorded, in trace order, one call at a time,
// with the trace locked: it must be short and must not record.
func New[E any](stamp func(e *E, seq int, at time.Duration), observe func(E)) *Recorder[E] {
	return &Recorder[E]{start: time.Now(), stamp: stamp, observe: observe}
}

// Add records e.
func (r *Recorder[E]) Add(e E) {
	r.mu.Lock()
	if r.doing {
		// A Do is between its act and its event: an event that follows
		// from the act must come after it. No Do is under way while acting
		// is held.
		r.mu.Unlock()
		r.acting.Lock()
		defer r.acting.Unlock()
		r.mu.Lock()
	}
	r.recordLocked(e)
	r.mu.Unlock()
}

// Do records e after running act, if it is not nil, with the trace held:
// no other Do runs, and an Add waits, until e is recorded. act may change
// e and may do what must take effect in trace order (take a chair, send a
// request); it must not record, and must not block on a goroutine that
// records before it can unblock act.
func (r *Recorder[E]) Do(e E, act func(*E)) {
	if act == nil {
		r.Add(e)
		return
	}
	r.acting.Lock()
	defer r.acting.Unlock()
	r.mu.Lock()
	r.doing = true
	r.mu.Unlock()
	act(&e)
	r.mu.Lock()
	r.doing = false
	r.recordLocked(e)
	r.mu.Unlock()
}

func (r *Recorder[E]) recordLocked(e E) {
	r.stamp(&e, len(r.events)+1, time.Since(r.start))
	r.events = append(r.events, e)
	if r.observe != nil {
		r.observe(e)
	}
}

// Events returns a copy of the trace so far.
func (r *Recorder[E]) Events() []E {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]E(nil), r.events...)
}

// KindName returns names[k], the name of the event kind k, or "Kind(k)" if
// k has none: the String method of every problem's Kind.
func KindName[K ~uint8](names []string, k K) string {
	if int(k) < len(names) && names[k] != "" {
		return names[k]
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}
