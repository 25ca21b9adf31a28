package chanop

import (
	"runtime"
	"sync/atomic"
)

// A Preference says who runs first after a rendezvous: the Stackless
// prototype's channel.preference. When a party completes a partner that
// was parked (a sender handing its message to a waiting receiver, a
// receiver taking a waiting sender's), the partner becomes runnable and
// the completer goes on running. With a preference for the partner's
// side, the completer yields the processor once after waking it, so that
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

// A preference is a Preference that a channel keeps; the zero value is
// PreferNone. It may be changed while the channel is in use.
type preference struct{ p atomic.Uint32 }

func (x *preference) set(p Preference) {
	if p > PreferSender {
		panic("chanop: unknown Preference")
	}
	x.p.Store(uint32(p))
}

// yieldTo yields the processor if the side that was just woken, side, is
// the preferred one.
func (x *preference) yieldTo(side Preference) {
	if Preference(x.p.Load()) == side {
		runtime.Gosched()
	}
}

// A Preferences is a Preference for types outside this package (buffers,
// join patterns): its zero value is PreferNone.
type Preferences struct{ p preference }

// Set sets the preference; it panics on an unknown value.
func (x *Preferences) Set(p Preference) { x.p.set(p) }

// Get returns the preference.
func (x *Preferences) Get() Preference { return Preference(x.p.p.Load()) }

// YieldTo yields the processor once if side (the side a party has just
// woken: PreferReceiver or PreferSender) is the preferred one. Call it
// after the wake-up, holding no lock.
func (x *Preferences) YieldTo(side Preference) { x.p.yieldTo(side) }
