package chanop

import "github.com/gochord/chord/guard"

// A Guard is a channel operation reified as a value: what a select
// (package selectx) chooses among. SendOp, RecvOp, Skip, When, After and
// Done make guards; so do package buffer's operations and package join's
// patterns.
//
// GuardOps is the one way to the guard protocol (package guard), which a
// select runs; users of a guard never call it. A guard kind of one's own
// implements guard.Guard and returns it from GuardOps.
type Guard interface {
	GuardOps() guard.Guard
}

// A Source is a channel whose messages a join pattern can take: Chan,
// package buffer's channels, join.Call, or a source kind of one's own.
// SourceOps is the one way to the source protocol (guard.Source), which a
// join pattern runs; users of a source never call it.
type Source[T any] interface {
	SourceOps() guard.Source[T]
}

var _ Source[int] = (*Chan[int])(nil)

// Sources converts channels to the Source slice that join's parts take.
// It accepts a slice of any one Source type — []*Chan[T],
// []*buffer.Buffer[T], or a user's own — and infers T from it:
//
//	deer := join.Each(chanop.Sources(deerChans...)...)
//
// It is needed because Go does not convert slices: a []*Chan[T] is not a
// []Source[T], so it cannot be spread into join.Each(srcs ...Source[T]).
// Separate arguments need no conversion: join.Each(c1, c2) infers T.
func Sources[S Source[T], T any](ss ...S) []Source[T] {
	out := make([]Source[T], len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// A Preference says who runs first after a rendezvous completes a parked
// partner: the Stackless prototype's channel.preference. See
// Chan.SetPreference.
//
// Use it when the partner's work is the point of the hand-off (a worker
// woken with a job, a consumer that should drain a message at once) and
// the completer has nothing urgent to do; leave PreferNone, the default
// and the fastest, otherwise.
type Preference = guard.Preference

const (
	// PreferNone lets the completer keep running (the default).
	PreferNone = guard.PreferNone
	// PreferReceiver runs a woken receiver (or a pattern's owner) first.
	PreferReceiver = guard.PreferReceiver
	// PreferSender runs a woken sender first.
	PreferSender = guard.PreferSender
)

// Watch implements guard.Watchable: e listens on r's channel, which
// notifies its listeners whenever a sender queues or the channel closes.
func (r *recvOps[T]) Watch(e *guard.Entry) { r.c.listeners.PushBack(e) }

// Unwatch implements guard.Watchable.
func (r *recvOps[T]) Unwatch(e *guard.Entry) { r.c.listeners.Remove(e) }
