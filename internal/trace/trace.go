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
)

// A Recorder is the trace of a run: a mutex-protected slice of events of
// type E. Recording under one lock gives every event a place in a single
// order that agrees with the happens-before order of the goroutines that
// record them.
//
// The zero Recorder is not usable; make one with New. A Recorder must not
// be copied after first use.
type Recorder[E any] struct {
	mu      sync.Mutex // protects events; serialises stamp, observe and the act of Do
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
func (r *Recorder[E]) Add(e E) { r.Do(e, nil) }

// Do records e after running act, if it is not nil, under the same lock:
// act may change e and may do what must take effect in trace order (take
// a chair, send a request), but it must not block, and it must not record.
func (r *Recorder[E]) Do(e E, act func(*E)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if act != nil {
		act(&e)
	}
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
