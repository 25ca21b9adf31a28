package buffer

import (
	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/guard"
)

// A SendOp is a guard that sends a value on a Buffer: the buffer's send as a
// value for selectx or guard.Wait. It is ready while the buffer has room (a
// receiver waits, or fewer than Cap messages are stored) or is closed.
//
// A SendOp takes part in one select at a time; it may be reused for the
// next one.
type SendOp[T any] struct {
	b       *Buffer[T]
	v       T
	locks   [1]*guard.Mutex
	nilChan bool // made by SendOp on a nil *Buffer: never ready
	stored  bool // a refill moved v into the ring (a plain Send's, under b.mu)

	// Scratch for one select, guarded by b.mu while the select holds it.
	e     *guard.Entry // the entry Enqueue published, until Dequeue
	later *deferred    // work for AfterUnlock; nil until first needed
}

// Channel implements guard.OnChannel: the *Buffer s sends on.
func (s *sendOps[T]) Channel() any { return s.b }

// sendOps is a SendOp seen by a select: its guard protocol.
type sendOps[T any] SendOp[T]

// GuardOps returns s's guard protocol, for selects (package guard).
func (s *SendOp[T]) GuardOps() guard.Guard { return (*sendOps[T])(s) }

// Locks implements guard.Guard; none for a guard on a nil Buffer. A nil or
// zero-value *SendOp (not made by Buffer.SendOp) panics here, at the start
// of the select that runs it.
func (s *sendOps[T]) Locks() []*guard.Mutex {
	if s == nil || s.b == nil {
		if s != nil && s.nilChan {
			return nil // on a nil Buffer: never ready
		}
		badGuard("SendOp", s == nil)
	}
	return s.locks[:]
}

// Poll implements guard.Guard: b is closed, a receiver waits, or the ring
// would have room once refilled.
func (s *sendOps[T]) Poll() bool { return s.b != nil && s.b.sendReady() }

// Disabled implements guard.Disabler: s sends on a nil buffer.
func (s *sendOps[T]) Disabled() bool { return s != nil && s.nilChan }

// Commit implements guard.Guard.
func (s *sendOps[T]) Commit() (bool, error) {
	b := s.b
	if b == nil {
		return false, nil
	}
	if b.closing.Closed() {
		return true, chanop.ErrClosed
	}
	if w := b.giveReceiver(s.v); w != nil {
		d := need(&s.later)
		d.wake = append(d.wake, w)
		return true, nil
	}
	// Refill only when the send will then succeed: a Commit that fails must
	// leave nothing to wake, since its AfterUnlock is not called.
	if b.settledLen() >= b.limit {
		return false, nil
	}
	if b.sendq.Len() > 0 {
		d := need(&s.later)
		d.wake = b.refill(d.wake)
	}
	b.ring.push(s.v)
	s.snapshotListeners()
	return true, nil
}

// snapshotListeners records the live listeners of s.b, for AfterUnlock to
// notify. s.b.mu must be held.
func (s *sendOps[T]) snapshotListeners() {
	if s.b.listeners.Len() > 0 {
		d := need(&s.later)
		d.listen = s.b.listeners.AppendLive(d.listen)
	}
}

// Enqueue implements guard.Guard. Patterns listening on the buffer are
// told: a blocked sender's message is one they may take.
func (s *sendOps[T]) Enqueue(e *guard.Entry) {
	if s.b == nil {
		return
	}
	if s.e != nil {
		panic("buffer: SendOp in two selects at once, or twice in one")
	}
	s.e = e
	s.b.sendq.PushBack(e)
	s.snapshotListeners()
}

// Detached implements guard.Detacher: whoever completes a send entry
// removes it from the queue first.
func (s *sendOps[T]) Detached(e *guard.Entry) bool { return !e.Queued() }

// Dequeue implements guard.Guard.
func (s *sendOps[T]) Dequeue(e *guard.Entry) {
	if s.b == nil {
		return
	}
	s.b.sendq.Remove(e)
	s.e = nil
}

// AfterUnlock implements guard.Guard: wake the receiver or the refilled
// senders that Commit completed, and tell listeners about the message.
func (s *sendOps[T]) AfterUnlock() {
	if s.later != nil && s.later.run() {
		s.b.pref.YieldTo(guard.PreferReceiver)
	}
}

// A RecvOp is a guard that receives the oldest message of a Buffer. It is
// ready while the buffer holds a message or is closed; after a select chose
// it, Value is the message.
//
// A RecvOp takes part in one select at a time; it may be reused for the
// next one.
type RecvOp[T any] struct {
	b       *Buffer[T]
	v       T // the message, once the guard completed
	locks   [1]*guard.Mutex
	nilChan bool // made by RecvOp on a nil *Buffer: never ready

	// Scratch for one select, guarded by b.mu while the select holds it.
	e     *guard.Entry // the entry Enqueue published, until Dequeue
	later *deferred    // senders refilled by Commit; nil until first needed
}

// Value returns the message received when r last completed without error.
func (r *RecvOp[T]) Value() T { return r.v }

// Channel implements guard.OnChannel: the *Buffer r receives from.
func (r *recvOps[T]) Channel() any { return r.b }

// recvOps is a RecvOp seen by a select: its guard protocol.
type recvOps[T any] RecvOp[T]

// GuardOps returns r's guard protocol, for selects (package guard).
func (r *RecvOp[T]) GuardOps() guard.Guard { return (*recvOps[T])(r) }

// Locks implements guard.Guard; none for a guard on a nil Buffer. A nil or
// zero-value *RecvOp (not made by Buffer.RecvOp) panics here, at the start
// of the select that runs it.
func (r *recvOps[T]) Locks() []*guard.Mutex {
	if r == nil || r.b == nil {
		if r != nil && r.nilChan {
			return nil // on a nil Buffer: never ready
		}
		badGuard("RecvOp", r == nil)
	}
	return r.locks[:]
}

// badGuard panics for a guard that a select cannot run: a typed nil
// pointer, or a zero value that no constructor made.
func badGuard(kind string, isNil bool) {
	if isNil {
		panic("buffer: nil *" + kind + " guard in a select")
	}
	panic("buffer: zero-value " + kind + " guard in a select (make it with Buffer." + kind + ")")
}

// Poll implements guard.Guard: a message is stored or a sender waits, or
// b is closed.
func (r *recvOps[T]) Poll() bool { return r.b != nil && r.b.recvReady() }

// Disabled implements guard.Disabler: r receives from a nil buffer. A
// select never commits it.
func (r *recvOps[T]) Disabled() bool { return r != nil && r.nilChan }

// Commit implements guard.Guard.
func (r *recvOps[T]) Commit() (bool, error) {
	b := r.b
	if b == nil {
		return false, nil // on a nil buffer: never ready
	}
	// Refill before and after the pop. If the ring stays empty, the first
	// refill moved nobody and nothing is left to wake, as a failed Commit
	// must leave it.
	if b.sendq.Len() > 0 {
		d := need(&r.later)
		d.wake = b.refill(d.wake)
	}
	if b.ring.n > 0 {
		r.v = b.pop()
		if b.sendq.Len() > 0 {
			d := need(&r.later)
			d.wake = b.refill(d.wake)
		}
		if ls := (*Buffer[T])(b).drainedListeners(); ls != nil {
			d := need(&r.later)
			d.listen = append(d.listen, ls...)
		}
		return true, nil
	}
	if b.closing.Closed() {
		var zero T
		r.v = zero
		return true, chanop.ErrClosed
	}
	return false, nil
}

// Enqueue implements guard.Guard.
func (r *recvOps[T]) Enqueue(e *guard.Entry) {
	if r.b == nil {
		return
	}
	if r.e != nil {
		panic("buffer: RecvOp in two selects at once, or twice in one")
	}
	r.e = e
	r.b.recvq.PushBack(e)
}

// Detached implements guard.Detacher: whoever completes a receive entry
// removes it from the queue first.
func (r *recvOps[T]) Detached(e *guard.Entry) bool { return !e.Queued() }

// Dequeue implements guard.Guard.
func (r *recvOps[T]) Dequeue(e *guard.Entry) {
	if r.b == nil {
		return
	}
	r.b.recvq.Remove(e)
	r.e = nil
}

// AfterUnlock implements guard.Guard: wake the senders whose messages
// Commit moved into the room it made.
func (r *recvOps[T]) AfterUnlock() {
	if r.later != nil && r.later.run() {
		r.b.pref.YieldTo(guard.PreferSender)
	}
}

// deferred is what a guard's AfterUnlock does once the select released the
// buffer's lock. It is allocated by the first Commit or Enqueue that needs
// it, so that the operations of plain Send and Recv, which never run in a
// select, stay small.
type deferred struct {
	wake   []*guard.Waiter // partners completed under the lock
	listen []*guard.Entry  // listeners to tell about a new message
}

// need returns *p, allocating it first if it is nil.
func need(p **deferred) *deferred {
	if *p == nil {
		*p = new(deferred)
	}
	return *p
}

// run does what was deferred, and reports whether it woke a partner.
func (d *deferred) run() (woke bool) {
	if len(d.wake) > 0 {
		woke = true
		guard.WakeAll(d.wake)
		clear(d.wake)
		d.wake = d.wake[:0]
	}
	if len(d.listen) > 0 {
		guard.NotifyAll(d.listen)
		clear(d.listen)
		d.listen = d.listen[:0]
	}
	return woke
}

// bufSource is a Buffer seen as a join source (SourceOps): a view of the
// same memory, so that the conversion costs nothing. All methods but
// SourceLock and Settle require b's SourceLock to be held.
type bufSource[T any] Buffer[T]

// SourceOps returns b's source protocol, for join parts and other guards
// that take messages from several channels at once (package guard).
func (b *Buffer[T]) SourceOps() guard.Source[T] {
	b.check("SourceOps")
	return (*bufSource[T])(b)
}

// SourceLock implements guard.Source.
func (b *bufSource[T]) SourceLock() *guard.Mutex { return &b.mu }

// Buffered implements guard.Source: the messages in the ring.
func (b *bufSource[T]) Buffered() int { return b.ring.n }

// TakeBuffered implements guard.Source: it removes the oldest stored
// message. It does not refill from waiting senders, since its caller holds
// claims on other waiters; the caller's Settle does.
func (b *bufSource[T]) TakeBuffered() T {
	if b.ring.n == 0 {
		panic("buffer: TakeBuffered on an empty Buffer")
	}
	return (*Buffer[T])(b).pop()
}

// PeekBuffered implements guard.Indexed: the i-th oldest stored message.
func (b *bufSource[T]) PeekBuffered(i int) T {
	if i < 0 || i >= b.ring.n {
		panic("buffer: PeekBuffered out of range")
	}
	return b.ring.at(i)
}

// TakeBufferedAt implements guard.Indexed: it removes the i-th oldest
// stored message, leaving the others in order (a join part with a Where
// predicate takes a matching message from the middle of the ring). Like
// TakeBuffered it does not refill; the caller's Settle does.
func (b *bufSource[T]) TakeBufferedAt(i int) T {
	if i < 0 || i >= b.ring.n {
		panic("buffer: TakeBufferedAt out of range")
	}
	b.closing.Taking()
	return b.ring.removeAt(i)
}

// PeekSender implements guard.Indexed: the message of a blocked sender.
func (b *bufSource[T]) PeekSender(e *guard.Entry) T {
	return e.G.(*sendOps[T]).v
}

// Senders implements guard.Source: the queue of blocked senders, which
// has live entries only while the buffer is full (or before Settle).
func (b *bufSource[T]) Senders() *guard.Queue { return &b.sendq }

// TakeSender implements guard.Source.
func (b *bufSource[T]) TakeSender(e *guard.Entry) T {
	b.sendq.Remove(e)
	return e.G.(*sendOps[T]).v
}

// Closed implements guard.Source: b is closed, so no message will
// arrive any more (Close released every blocked sender). It may still hold
// Buffered messages, which a pattern can take: join counts a part as
// satisfiable after Close while Buffered covers it, and this is what lets
// a pattern needing more messages than a closed buffer holds (FromN)
// complete with chanop.ErrClosed instead of waiting forever.
func (b *bufSource[T]) Closed() bool { return b.closing.Closed() }

// Listen implements guard.Source.
func (b *bufSource[T]) Listen(e *guard.Entry) { b.listeners.PushBack(e) }

// Unlisten implements guard.Source.
func (b *bufSource[T]) Unlisten(e *guard.Entry) { b.listeners.Remove(e) }

// Settle implements guard.Source: after a pattern took stored messages,
// it moves the messages of blocked senders into the room made, oldest
// first, and releases those senders; and if the pattern drained a closed
// buffer, it tells the other listeners, which can then never fire. It takes
// b's lock; no lock may be held by the caller.
func (b *bufSource[T]) Settle() {
	b.mu.Lock()
	if b.sendq.Len() == 0 {
		ls := (*Buffer[T])(b).drainedListeners()
		b.mu.Unlock()
		guard.NotifyAll(ls)
		return
	}
	var wbuf [8]*guard.Waiter
	wake := (*Buffer[T])(b).refill(wbuf[:0])
	b.mu.Unlock()
	guard.WakeAll(wake)
}
