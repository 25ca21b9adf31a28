package guard

// A Watchable guard can tell a listener when it may have become ready, so
// that a select that stays registered across many waits
// (selectx.Selector) need not enqueue on it for every one: it listens
// once, and looks at the guard again only after a Notify.
//
// Watch publishes the listener entry e (with e.W and e.L set) where the
// guard's channel tells it, after releasing its lock, whenever the guard
// may have become ready: a sender queued, a message stored, the channel
// closed. Every change that can make Poll true must be followed by such a
// Notify, or a waiting Selector misses it. Unwatch removes e. Both are
// called with the guard's Locks held. e.W must be a waiter that nobody
// completes while e is published, since a channel skips the listeners of
// completed waiters.
//
// The receive guards of chanop.Chan and buffer.Buffer implement it.
type Watchable interface {
	Guard
	Watch(e *Entry)
	Unwatch(e *Entry)
}
