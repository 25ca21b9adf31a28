package guard

import (
	"runtime"
	"sync/atomic"
)

// A Preference says who runs first after a rendezvous: the Stackless
// prototype's channel.preference. When a party completes a partner that
// was parked (a sender handing its message to a waiting receiver, a
// receiver taking a waiting sender's), the partner becomes runnable and
// the completer goes on running. With a preference for the partner's
// side, the completer yields the processor after waking it, so that
// on a busy machine — and deterministically at GOMAXPROCS(1) — the
// partner runs first.
//
// Use it when the partner's work is the point of the hand-off (a worker
// woken with a job, a consumer that should drain a message at once) and
// the completer has nothing urgent to do; leave PreferNone, the default
// and the fastest, otherwise.
type Preference uint32

const (
	// PreferNone lets the completer keep running (the default).
	PreferNone Preference = iota
	// PreferReceiver runs a woken receiver (or a pattern's owner) first.
	PreferReceiver
	// PreferSender runs a woken sender first.
	PreferSender
)

// A Preferences holds a channel's Preference: Chan's, and for types
// outside this package, buffers' and join patterns'. Its zero value is
// PreferNone; it may be changed while the channel is in use.
type Preferences struct{ p atomic.Uint32 }

// Set sets the preference; it panics on an unknown value.
func (x *Preferences) Set(p Preference) {
	if p > PreferSender {
		panic("guard: unknown Preference")
	}
	x.p.Store(uint32(p))
}

// Get returns the preference.
func (x *Preferences) Get() Preference { return Preference(x.p.Load()) }

// YieldTo yields the processor if side (the side a party has just woken:
// PreferReceiver or PreferSender) is the preferred one. Call it after the
// wake-up, holding no lock.
//
// It yields preferYields times. Once is not enough to let the woken side
// run first even at GOMAXPROCS(1): a yielding goroutine goes to the global
// run queue, which the scheduler looks at first on one pick in 61, and a
// firing may have woken several goroutines ahead of the one it prefers.
// Each further yield divides that chance by about 61; after the woken side
// has run (or parked again) a yield costs a trip through the scheduler.
func (x *Preferences) YieldTo(side Preference) {
	if x.Get() == side {
		for range preferYields {
			runtime.Gosched()
		}
	}
}

// preferYields is how often YieldTo yields; see there.
const preferYields = 3
