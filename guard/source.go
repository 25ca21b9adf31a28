package guard

import (
	"errors"
	"sync/atomic"
)

// ErrNoGuards is returned by a select none of whose guards is enabled: it
// would otherwise block forever. selectx exports it as selectx.ErrNoGuards.
var ErrNoGuards = errors.New("selectx: select with no enabled guard")

// ErrRetry completes a parked select's entry to tell the select to look at
// its guards again, from the start, instead of returning: the guard that
// completed it found that it could now complete for the select, without
// taking anything for it (a join pattern whose messages are all stored:
// the woken owner fires it itself, or finds them taken by somebody else
// and parks again). Every select that parks (Wait, selectx) retries on it;
// it never reaches a caller. A guard may complete with ErrRetry only an
// entry of a select: a plain Send or Recv (Slot) never meets it.
//
// It is Turon and Russo's stealing: the party that made the guard ready
// does not hand the messages over, so it, or anybody else, may take them
// first, as a sync.Mutex lets a running goroutine barge past a woken one.
// That breaks convoys, where every acquisition of a contended lock would
// otherwise be a hand-off to a goroutine that is not running.
var ErrRetry = errors.New("guard: select must look again (internal)")

// A Handle is a value that stands for a guard: chanop.Guard, the type a
// select takes, has the same method set. A user-facing guard type (a
// receive operation, a join pattern) reaches its protocol through this one
// method, so that its documentation shows what its users call; a guard
// kind of one's own may implement Guard and return itself.
type Handle interface {
	GuardOps() Guard
}

// A Disabler is a guard that may be disabled from birth: the operations
// of a nil *chanop.Chan (or a nil *buffer.Buffer) are, as a nil Go
// channel's cases are never ready in a select; so is the guard chanop.When
// returns for a false condition. A select ignores a guard whose Disabled
// reports true, and returns ErrNoGuards if no guard is enabled. Disabled
// must not change while the guard is in a select. A select may still call
// the guard's methods: Locks must return none, Poll and Commit must report
// false, and Enqueue, Dequeue and AfterUnlock must do nothing.
type Disabler interface {
	Disabled() bool
}

// Enabled reports whether g takes part in selects: false for a Disabler
// that reports itself Disabled.
func Enabled(g Guard) bool {
	d, ok := g.(Disabler)
	return !ok || !d.Disabled()
}

// A Source is a channel whose messages a join pattern can take:
// chanop.Chan, buffer's channels, join.Call. A source's messages, oldest
// first, are its Buffered ones and then those of its waiting Senders.
//
// All methods but SourceLock and Settle require SourceLock to be held.
// A source keeps its closed flag in a Closing, whose Close and Taking
// tell join patterns that one of them may have become unable ever to fire.
// A pattern that takes a sender's message claims the sender's waiter
// (ClaimAll, together with every other waiter of the firing), calls
// TakeSender, and completes the waiter with the sender's entry.
type Source[T any] interface {
	// SourceLock returns the Mutex guarding the source.
	SourceLock() *Mutex
	// Buffered returns how many messages the source holds itself.
	Buffered() int
	// TakeBuffered removes and returns the oldest buffered message.
	TakeBuffered() T
	// Senders returns the queue of waiting senders' entries, oldest first.
	// Entries of completed waiters may remain in it; skip them.
	Senders() *Queue
	// TakeSender removes e from Senders and returns its message.
	TakeSender(e *Entry) T
	// Closed reports whether the source is closed: no message will arrive
	// any more, though Buffered ones may still be taken.
	Closed() bool
	// Listen adds the listener entry e: its Notify is called after a
	// message may have become available, or after the source closed.
	Listen(e *Entry)
	// Unlisten removes e.
	Unlisten(e *Entry)
	// Settle is called with no locks held after buffered messages were
	// taken, so that the source can refill from its waiting senders, or, if
	// it is closed and now empty, tell its listeners.
	Settle()
}

// An Indexed source shows its messages to a selective part (join's
// Part.Where) without taking them, and gives up any one of them: the
// predicate sees each buffered message and each waiting sender's message,
// oldest first, and the part takes those that satisfy it, leaving the
// others where they are, in order. chanop.Chan, buffer's channels and
// join.Call implement it; a source that does not cannot be used with
// Where. Like Source's, its methods require SourceLock to be held.
type Indexed[T any] interface {
	// PeekBuffered returns the i-th oldest buffered message, for
	// 0 <= i < Buffered(), without taking it.
	PeekBuffered(i int) T
	// TakeBufferedAt removes and returns the i-th oldest buffered
	// message; the others keep their order. TakeBufferedAt(0) is
	// TakeBuffered.
	TakeBufferedAt(i int) T
	// PeekSender returns the message of e, an entry of a live waiter in
	// Senders, without taking it.
	PeekSender(e *Entry) T
}

// closings counts the changes that may leave a join pattern unable ever to
// fire; see Closings.
var closings atomic.Uint64

// Closings returns how many times, process-wide, a source closed or, closed,
// handed out a buffered message (Closing.Close, Closing.Taking). A pattern
// that found itself able to fire when Closings was c still is while
// Closings is c: the check after a failed match costs one load instead of a
// look at every source. The counter says only that something closed
// somewhere; it carries no other state.
func Closings() uint64 { return closings.Load() }

// A Closing is a source's closed flag. Its Close and Taking advance
// Closings, so that no source can forget to tell the join patterns that
// read it. It is guarded by the source's lock. The zero value is open.
type Closing struct{ closed bool }

// Close marks the source closed and reports whether it was open. Call it
// holding the source's lock, before waking anybody.
func (c *Closing) Close() bool {
	if c.closed {
		return false
	}
	closings.Add(1)
	c.closed = true
	return true
}

// Closed reports whether Close was called.
func (c *Closing) Closed() bool { return c.closed }

// Taking is called, holding the source's lock, before the source hands
// out a buffered message: once it is closed, that may leave a pattern
// unable ever to fire.
func (c *Closing) Taking() {
	if c.closed {
		closings.Add(1)
	}
}

// A Describer is a guard that can say, for a person reading a deadlock
// report, what it waits for: a join pattern says which parts have their
// messages and which lack them. Describe takes the guard's locks itself.
type Describer interface {
	Describe() string
}

// A Counter is a guard that counts its completions (events) and how many
// of them woke its parked owner (wakeups): a join pattern, for benchmarks
// and diagnostics.
type Counter interface {
	Stats() (events, wakeups int64)
}

// An OnChannel guard is an operation on one channel, which it reports
// (a *chanop.Chan, a *buffer.Buffer), so that a report can name the
// channel a blocked select waits on.
type OnChannel interface {
	Channel() any
}
