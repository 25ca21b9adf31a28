package chanop

import (
	"errors"
	"math"

	"github.com/gochord/chord/guard"

	"github.com/gochord/chord/internal/sched"
)

// ErrClosed is returned by operations on a closed channel.
var ErrClosed = errors.New("chanop: channel closed")

// A Chan is a synchronous (rendezvous) channel of T values whose operations
// can also be taken as guards (SendOp, RecvOp) and run by selectx or
// combined into join patterns.
//
// Unlike a Go channel, a Chan never blocks forever on a nil receiver: Send
// and Recv on a nil *Chan panic. Its guards, as in a Go select, are never
// ready (SendOp), and a select with nothing else enabled returns
// ErrNoGuards. Closing a Chan releases waiting senders as well as
// receivers, with ErrClosed: a sender learns its message was not
// delivered.
//
// Waiting senders and receivers are served first-come first-served.
//
// The zero value is an open channel ready to use. A Chan must not be copied
// after first use.
type Chan[T any] struct {
	mu guard.Mutex // protects the fields below

	sendq     guard.Queue // entries of *SendOp[T] guards of waiting senders
	recvq     guard.Queue // entries of *RecvOp[T] guards of waiting receivers
	listeners guard.Queue // listener entries of join patterns waiting on this channel
	closing   guard.Closing

	// Slots of parked Sends and Recvs, recycled once their waiter was
	// woken (Get under mu; Park's recycling by the owner without it).
	sends guard.Pool[SendOp[T]]
	recvs guard.Pool[RecvOp[T]]

	pref guard.Preferences // who runs first after a rendezvous

	blackHole bool // made by BlackHole: sends discard their message
}

// SetPreference sets who runs first after a rendezvous on c completes a
// parked partner (see Preference). The default is PreferNone.
func (c *Chan[T]) SetPreference(p Preference) {
	c.check("SetPreference")
	c.pref.Set(p)
}

// New returns a new synchronous channel.
func New[T any]() *Chan[T] { return new(Chan[T]) }

// BlackHole returns a channel that swallows what is sent on it: PyCSP's
// black-hole channel. A Send, TrySend or SendOp on it is always ready and
// discards its message, until the channel is closed; then, as on any Chan,
// they return ErrClosed. Nothing ever comes out of it: a Recv waits until
// Close, a RecvOp or a join pattern on it is never ready before. Use it
// where a process network needs an output that nobody reads, such as a
// process whose result is not wanted in this run: its sends cost no
// rendezvous, and closing the hole still stops the process (poison).
func BlackHole[T any]() *Chan[T] { return &Chan[T]{blackHole: true} }

// Send sends v, blocking until a receiver, a select or a join pattern takes
// it. It returns ErrClosed, without delivering v, if c is or gets closed.
func (c *Chan[T]) Send(v T) error {
	c.check("Send")
	sched.Yield()
	sched.Record(sched.Offered, c, v, nil)
	c.mu.Lock()
	if w, ok, err := c.giveReceiver(v); ok {
		c.mu.Unlock()
		sched.Record(sched.Delivered, c, v, err)
		if w != nil {
			w.Wake()
			c.pref.YieldTo(guard.PreferReceiver)
		}
		return err
	}
	b, fresh := c.sends.Get()
	if fresh {
		b.Op.c = c
		b.Init((*sendOps[T])(&b.Op))
	}
	b.Op.v = v
	c.sendq.PushBack(b.Entry())
	var buf [4]*guard.Entry
	ls := c.listeners.AppendLive(buf[:0])
	c.mu.Unlock()
	guard.NotifyUntil(ls, b.Done)
	// The entry is removed by whoever completes it: a receiver, a pattern
	// that takes the message, or Close.
	err := c.sends.Park(b, clearSend[T])
	sched.Record(sched.Delivered, c, v, err)
	return err
}

// Recv receives a value, blocking until a sender, a select or a pattern
// offers one. It returns ErrClosed if c is or gets closed.
func (c *Chan[T]) Recv() (T, error) {
	c.check("Recv")
	sched.Yield()
	c.mu.Lock()
	if v, w, ok, err := c.takeSender(); ok {
		c.mu.Unlock()
		sched.Record(sched.Received, c, v, err)
		if w != nil {
			w.Wake()
			c.pref.YieldTo(guard.PreferSender)
		}
		return v, err
	}
	b, fresh := c.recvs.Get()
	if fresh {
		b.Op.c = c
		b.Init((*recvOps[T])(&b.Op))
	}
	c.recvq.PushBack(b.Entry())
	c.mu.Unlock()
	var v T
	err := c.recvs.Park(b, func(op *RecvOp[T]) {
		v = op.v
		var zero T
		op.v = zero
	})
	sched.Record(sched.Received, c, v, err)
	return v, err
}

// Close closes c. Every waiting and later Send and Recv returns ErrClosed;
// join patterns listening on c are told. Closing a closed channel does
// nothing.
func (c *Chan[T]) Close() {
	c.check("Close")
	sched.Yield()
	c.mu.Lock()
	if c.closing.Closed() {
		c.mu.Unlock()
		return
	}
	c.closing.Close()
	sched.Record(sched.Closed, c, struct{}{}, nil)
	wake := c.recvq.CloseAll(ErrClosed, clearRecv[T], nil)
	wake = c.sendq.CloseAll(ErrClosed, nil, wake)
	ls := c.listeners.AppendLive(nil)
	c.mu.Unlock()
	guard.WakeAll(wake)
	guard.NotifyAll(ls)
}

// clearSend forgets the message of a parked Send whose Park returned.
func clearSend[T any](op *SendOp[T]) {
	var zero T
	op.v = zero
}

// clearRecv forgets the previous message of a receive completed by Close:
// it received nothing.
func clearRecv[T any](e *guard.Entry) {
	var zero T
	e.G.(*recvOps[T]).v = zero
}

// Len returns the number of senders waiting on c: messages a receiver or a
// pattern could take now.
func (c *Chan[T]) Len() int {
	c.check("Len")
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sendq.CountLive(math.MaxInt)
}

// SendOp returns a guard that sends v on c when a select chooses it.
//
// On a nil c it returns a guard that is never ready, like a send on a nil
// Go channel in a select: the select ignores it (it is Disabled), and a
// select with no other enabled guard returns ErrNoGuards instead of
// blocking forever, as with When(false, …). So `var out *Chan[T]` switches
// a case off, Go's nil-channel idiom.
func (c *Chan[T]) SendOp(v T) *SendOp[T] {
	s := &SendOp[T]{c: c, v: v, nilChan: c == nil}
	if c != nil {
		s.locks[0] = &c.mu
	}
	return s
}

// RecvOp returns a guard that receives from c when a select chooses it;
// Value then returns the message.
//
// On a nil c it returns a guard that is never ready; see SendOp.
func (c *Chan[T]) RecvOp() *RecvOp[T] {
	r := &RecvOp[T]{c: c, nilChan: c == nil}
	if c != nil {
		r.locks[0] = &c.mu
	}
	return r
}

// badGuard panics for a guard that a select cannot run: a typed nil
// pointer, or a zero value that no constructor made. Guards call it from
// Locks, the first method every select calls, so that the misuse is
// reported before anything is locked instead of as a nil dereference.
func badGuard(kind string, isNil bool) {
	if isNil {
		panic("chanop: nil *" + kind + " guard in a select")
	}
	panic("chanop: zero-value " + kind + " guard in a select (make it with Chan." + kind + ")")
}

func (c *Chan[T]) check(op string) {
	if c == nil {
		panic("chanop: " + op + " on nil *Chan")
	}
}

// giveReceiver hands v to the oldest waiting receiver. It reports ok=false
// if there is none and c is open; with ok, w (if not nil) must be woken
// after c.mu is released. c.mu must be held.
func (c *Chan[T]) giveReceiver(v T) (w *guard.Waiter, ok bool, err error) {
	if c.blackHole {
		if c.closing.Closed() {
			return nil, true, ErrClosed
		}
		return nil, true, nil // swallowed
	}
	for e := c.recvq.Front(); e != nil; e = c.recvq.Front() {
		// Removing before the claim is right either way: a waiter that
		// completed elsewhere leaves a stale entry, and the one we claim is
		// ours to take.
		c.recvq.Remove(e)
		if !e.W.Claim() {
			continue
		}
		e.G.(*recvOps[T]).v = v
		e.W.Complete(e, nil)
		return e.W, true, nil
	}
	if c.closing.Closed() {
		return nil, true, ErrClosed
	}
	return nil, false, nil
}

// takeSender takes the message of the oldest waiting sender; see
// giveReceiver. c.mu must be held.
func (c *Chan[T]) takeSender() (v T, w *guard.Waiter, ok bool, err error) {
	for e := c.sendq.Front(); e != nil; e = c.sendq.Front() {
		c.sendq.Remove(e)
		if !e.W.Claim() {
			continue
		}
		v = e.G.(*sendOps[T]).v
		e.W.Complete(e, nil)
		return v, e.W, true, nil
	}
	if c.closing.Closed() {
		return v, nil, true, ErrClosed
	}
	return v, nil, false, nil
}

// A SendOp is a guard that sends a value on a Chan. Make it with
// Chan.SendOp; it can be reused for any number of selects, one at a time.
type SendOp[T any] struct {
	c       *Chan[T]
	v       T
	locks   [1]*guard.Mutex
	nilChan bool           // made by SendOp on a nil *Chan: never ready
	n       *nativeSend[T] // made by SendTo: sends on a Go channel

	// Scratch for one select, guarded by c.mu while the select holds it.
	e      *guard.Entry   // the entry Enqueue published, until Dequeue
	wake   *guard.Waiter  // partner completed by Commit, woken by AfterUnlock
	listen []*guard.Entry // listeners to notify after Enqueue
}

// sendOps is a SendOp seen by a select: its guard protocol.
type sendOps[T any] SendOp[T]

// GuardOps returns s's guard protocol, for selects (package guard).
func (s *SendOp[T]) GuardOps() guard.Guard {
	if s != nil && s.n != nil {
		return (*sendTo[T])(s)
	}
	return (*sendOps[T])(s)
}

// Locks implements guard.Guard; none for a guard on a nil Chan. A nil or
// zero-value *SendOp (not made by Chan.SendOp) panics here, at the start
// of the select that runs it.
func (s *sendOps[T]) Locks() []*guard.Mutex {
	if s == nil || s.c == nil {
		if s != nil && s.nilChan {
			return nil // on a nil Chan: never ready
		}
		badGuard("SendOp", s == nil)
	}
	return s.locks[:]
}

// Poll implements guard.Guard: a receiver is waiting, or c is closed or a
// black hole.
func (s *sendOps[T]) Poll() bool {
	return s.c != nil && (s.c.closing.Closed() || s.c.blackHole || s.c.recvq.Prune() != nil)
}

// Disabled implements guard.Disabler: s sends on a nil channel.
func (s *sendOps[T]) Disabled() bool { return s != nil && s.nilChan }

// Commit implements guard.Guard.
func (s *sendOps[T]) Commit() (bool, error) {
	if s.c == nil {
		return false, nil
	}
	w, ok, err := s.c.giveReceiver(s.v)
	if ok {
		s.wake = w // a failed Commit writes nothing
	}
	return ok, err
}

// Enqueue implements guard.Guard.
func (s *sendOps[T]) Enqueue(e *guard.Entry) {
	if s.c == nil {
		return
	}
	if s.e != nil {
		panic("chanop: SendOp in two selects at once, or twice in one")
	}
	s.e = e
	s.c.sendq.PushBack(e)
	s.listen = s.c.listeners.AppendLive(s.listen[:0])
}

// Dequeue implements guard.Guard.
func (s *sendOps[T]) Dequeue(e *guard.Entry) {
	if s.c == nil {
		return
	}
	s.c.sendq.Remove(e)
	s.e = nil
}

// Detached implements guard.Detacher: whoever completes a send entry removes it
// from the queue first.
func (s *sendOps[T]) Detached(e *guard.Entry) bool { return !e.Queued() }

// AfterUnlock implements guard.Guard.
func (s *sendOps[T]) AfterUnlock() {
	if s.wake != nil {
		s.wake.Wake()
		s.wake = nil
		s.c.pref.YieldTo(guard.PreferReceiver)
	}
	if len(s.listen) > 0 {
		guard.NotifyAll(s.listen)
		clear(s.listen)
		s.listen = s.listen[:0]
	}
}

// Channel implements guard.OnChannel: the *Chan s sends on.
func (s *sendOps[T]) Channel() any { return s.c }

// A RecvOp is a guard that receives a value from a Chan. Make it with
// Chan.RecvOp; it can be reused for any number of selects, one at a time.
type RecvOp[T any] struct {
	c       *Chan[T]
	v       T // the message, once the guard completed
	locks   [1]*guard.Mutex
	nilChan bool           // made by RecvOp on a nil *Chan: never ready
	n       *nativeRecv[T] // made by RecvFrom: receives from a Go channel

	e    *guard.Entry
	wake *guard.Waiter
}

// Value returns the message received when r last completed. (A RecvFrom
// guard may hold one more, received by a select that chose another guard,
// for its next select: see RecvFrom.)
func (r *RecvOp[T]) Value() T { return r.v }

// Channel implements guard.OnChannel: the *Chan r receives from.
func (r *recvOps[T]) Channel() any { return r.c }

// recvOps is a RecvOp seen by a select: its guard protocol.
type recvOps[T any] RecvOp[T]

// GuardOps returns r's guard protocol, for selects (package guard).
func (r *RecvOp[T]) GuardOps() guard.Guard {
	if r != nil && r.n != nil {
		return (*recvFrom[T])(r)
	}
	return (*recvOps[T])(r)
}

// Locks implements guard.Guard; none for a guard on a nil Chan. A nil or
// zero-value *RecvOp (not made by Chan.RecvOp) panics here, at the start
// of the select that runs it.
func (r *recvOps[T]) Locks() []*guard.Mutex {
	if r == nil || r.c == nil {
		if r != nil && r.nilChan {
			return nil // on a nil Chan: never ready
		}
		badGuard("RecvOp", r == nil)
	}
	return r.locks[:]
}

// Poll implements guard.Guard: a sender is waiting, or c is closed.
func (r *recvOps[T]) Poll() bool {
	return r.c != nil && (r.c.closing.Closed() || r.c.sendq.Prune() != nil)
}

// Disabled implements guard.Disabler: r receives from a nil channel.
func (r *recvOps[T]) Disabled() bool { return r != nil && r.nilChan }

// Commit implements guard.Guard.
func (r *recvOps[T]) Commit() (bool, error) {
	if r.c == nil {
		return false, nil
	}
	v, w, ok, err := r.c.takeSender()
	if ok {
		r.v, r.wake = v, w
	}
	return ok, err
}

// Enqueue implements guard.Guard.
func (r *recvOps[T]) Enqueue(e *guard.Entry) {
	if r.c == nil {
		return
	}
	if r.e != nil {
		panic("chanop: RecvOp in two selects at once, or twice in one")
	}
	r.e = e
	r.c.recvq.PushBack(e)
}

// Dequeue implements guard.Guard.
func (r *recvOps[T]) Dequeue(e *guard.Entry) {
	if r.c == nil {
		return
	}
	r.c.recvq.Remove(e)
	r.e = nil
}

// Detached implements guard.Detacher: whoever completes a receive entry removes
// it from the queue first.
func (r *recvOps[T]) Detached(e *guard.Entry) bool { return !e.Queued() }

// AfterUnlock implements guard.Guard.
func (r *recvOps[T]) AfterUnlock() {
	if r.wake != nil {
		r.wake.Wake()
		r.wake = nil
		r.c.pref.YieldTo(guard.PreferSender)
	}
}

// chanSource is a Chan seen as a join source (SourceOps): a view of the
// same memory, so that the conversion costs nothing.
type chanSource[T any] Chan[T]

// SourceOps returns c's source protocol, for join parts and other guards
// that take messages from several channels at once (package guard).
func (c *Chan[T]) SourceOps() guard.Source[T] {
	c.check("SourceOps")
	return (*chanSource[T])(c)
}

// SourceLock implements guard.Source.
func (c *chanSource[T]) SourceLock() *guard.Mutex { return &c.mu }

// Buffered implements guard.Source: a synchronous channel holds no messages.
func (c *chanSource[T]) Buffered() int { return 0 }

// TakeBuffered implements guard.Source; a Chan has nothing buffered.
func (c *chanSource[T]) TakeBuffered() T { panic("chanop: TakeBuffered on a synchronous Chan") }

// Senders implements guard.Source.
func (c *chanSource[T]) Senders() *guard.Queue { return &c.sendq }

// TakeSender implements guard.Source.
func (c *chanSource[T]) TakeSender(e *guard.Entry) T {
	c.sendq.Remove(e)
	return e.G.(*sendOps[T]).v
}

// PeekBuffered implements guard.Indexed; a Chan has nothing buffered.
func (c *chanSource[T]) PeekBuffered(int) T { panic("chanop: PeekBuffered on a synchronous Chan") }

// TakeBufferedAt implements guard.Indexed; a Chan has nothing buffered.
func (c *chanSource[T]) TakeBufferedAt(int) T {
	panic("chanop: TakeBufferedAt on a synchronous Chan")
}

// PeekSender implements guard.Indexed: the message of a waiting sender.
func (c *chanSource[T]) PeekSender(e *guard.Entry) T { return e.G.(*sendOps[T]).v }

// Closed implements guard.Source: c is closed (and so holds no senders).
func (c *chanSource[T]) Closed() bool { return c.closing.Closed() }

// Listen implements guard.Source.
func (c *chanSource[T]) Listen(e *guard.Entry) { c.listeners.PushBack(e) }

// Unlisten implements guard.Source.
func (c *chanSource[T]) Unlisten(e *guard.Entry) { c.listeners.Remove(e) }

// Settle implements guard.Source; a Chan has nothing to refill.
func (c *chanSource[T]) Settle() {}
