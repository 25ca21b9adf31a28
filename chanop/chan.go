package chanop

import (
	"errors"
	"math"
	"sync/atomic"

	"github.com/gochord/chord/internal/freelist"

	"github.com/gochord/chord/internal/sched"
)

// ErrClosed is returned by operations on a closed channel.
var ErrClosed = errors.New("chanop: channel closed")

// ErrNoGuards is returned by a select none of whose guards is enabled: it
// would otherwise block forever.
var ErrNoGuards = errors.New("chord: select with no enabled guard")

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
	mu Mutex // protects the fields below

	sendq     Queue // entries of *SendOp[T] guards of waiting senders
	recvq     Queue // entries of *RecvOp[T] guards of waiting receivers
	listeners Queue // listener entries of join patterns waiting on this channel
	closed    bool

	// Blocks of parked Sends and Recvs, recycled once their waiter was
	// woken (Pop under mu; Push by the owner without it).
	freeSend freelist.Stack[sendBlock[T], *sendBlock[T]]
	freeRecv freelist.Stack[recvBlock[T], *recvBlock[T]]

	pref Preferences // who runs first after a rendezvous
}

// SetPreference sets who runs first after a rendezvous on c completes a
// parked partner (see Preference). The default is PreferNone.
func (c *Chan[T]) SetPreference(p Preference) {
	c.check("SetPreference")
	c.pref.Set(p)
}

// New returns a new synchronous channel.
func New[T any]() *Chan[T] { return new(Chan[T]) }

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
			c.pref.YieldTo(PreferReceiver)
		}
		return err
	}
	b := c.freeSend.Pop()
	if b == nil {
		b = new(sendBlock[T])
		b.op.c = c
		b.e.W, b.e.G = &b.w, &b.op
	}
	b.op.v = v
	c.sendq.PushBack(&b.e)
	var buf [4]*Entry
	ls := c.listeners.AppendLive(buf[:0])
	c.mu.Unlock()
	NotifyUntil(ls, b.w.Done)
	// The entry is removed by whoever completes it: a receiver, a pattern
	// that takes the message, or Close. No pass 2 is needed.
	_, err := b.w.Park()
	sched.Record(sched.Delivered, c, v, err)
	var zero T
	b.op.v = zero
	b.w.Reset()
	c.freeSend.Push(b)
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
			c.pref.YieldTo(PreferSender)
		}
		return v, err
	}
	b := c.freeRecv.Pop()
	if b == nil {
		b = new(recvBlock[T])
		b.op.c = c
		b.e.W, b.e.G = &b.w, &b.op
	}
	c.recvq.PushBack(&b.e)
	c.mu.Unlock()
	_, err := b.w.Park()
	v := b.op.v
	sched.Record(sched.Received, c, v, err)
	var zero T
	b.op.v = zero
	b.w.Reset()
	c.freeRecv.Push(b)
	return v, err
}

// Close closes c. Every waiting and later Send and Recv returns ErrClosed;
// join patterns listening on c are told. Closing a closed channel does
// nothing.
func (c *Chan[T]) Close() {
	c.check("Close")
	sched.Yield()
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	NoteClosing()
	c.closed = true
	sched.Record(sched.Closed, c, struct{}{}, nil)
	wake := c.recvq.CloseAll(ErrClosed, clearRecv[T], nil)
	wake = c.sendq.CloseAll(ErrClosed, nil, wake)
	ls := c.listeners.AppendLive(nil)
	c.mu.Unlock()
	WakeAll(wake)
	NotifyAll(ls)
}

// clearRecv forgets the previous message of a receive completed by Close:
// it received nothing.
func clearRecv[T any](e *Entry) {
	var zero T
	e.G.(*RecvOp[T]).v = zero
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
func (c *Chan[T]) giveReceiver(v T) (w *Waiter, ok bool, err error) {
	for e := c.recvq.Front(); e != nil; e = c.recvq.Front() {
		// Removing before the claim is right either way: a waiter that
		// completed elsewhere leaves a stale entry, and the one we claim is
		// ours to take.
		c.recvq.Remove(e)
		if !e.W.Claim() {
			continue
		}
		e.G.(*RecvOp[T]).v = v
		e.W.Complete(e, nil)
		return e.W, true, nil
	}
	if c.closed {
		return nil, true, ErrClosed
	}
	return nil, false, nil
}

// takeSender takes the message of the oldest waiting sender; see
// giveReceiver. c.mu must be held.
func (c *Chan[T]) takeSender() (v T, w *Waiter, ok bool, err error) {
	for e := c.sendq.Front(); e != nil; e = c.sendq.Front() {
		c.sendq.Remove(e)
		if !e.W.Claim() {
			continue
		}
		v = e.G.(*SendOp[T]).v
		e.W.Complete(e, nil)
		return v, e.W, true, nil
	}
	if c.closed {
		return v, nil, true, ErrClosed
	}
	return v, nil, false, nil
}

// sendBlock and recvBlock are what a parked Send or Recv needs.
type sendBlock[T any] struct {
	w    Waiter
	e    Entry
	op   SendOp[T]
	next *sendBlock[T] // free list
}

type recvBlock[T any] struct {
	w    Waiter
	e    Entry
	op   RecvOp[T]
	next *recvBlock[T] // free list
}

func (b *sendBlock[T]) FreeLink() **sendBlock[T] { return &b.next }
func (b *recvBlock[T]) FreeLink() **recvBlock[T] { return &b.next }

// A SendOp is a guard that sends a value on a Chan.
type SendOp[T any] struct {
	c       *Chan[T]
	v       T
	locks   [1]*Mutex
	nilChan bool // made by SendOp on a nil *Chan: never ready

	// Scratch for one select, guarded by c.mu while the select holds it.
	e      *Entry   // the entry Enqueue published, until Dequeue
	wake   *Waiter  // partner completed by Commit, woken by AfterUnlock
	listen []*Entry // listeners to notify after Enqueue
}

// Locks implements Guard; none for a guard on a nil Chan. A nil or
// zero-value *SendOp (not made by Chan.SendOp) panics here, at the start
// of the select that runs it.
func (s *SendOp[T]) Locks() []*Mutex {
	if s == nil || s.c == nil {
		if s != nil && s.nilChan {
			return nil // on a nil Chan: never ready
		}
		badGuard("SendOp", s == nil)
	}
	return s.locks[:]
}

// Poll implements Guard: a receiver is waiting, or c is closed.
func (s *SendOp[T]) Poll() bool {
	return s.c != nil && (s.c.closed || s.c.recvq.Prune() != nil)
}

// Disabled implements Disabler: s sends on a nil channel.
func (s *SendOp[T]) Disabled() bool { return s != nil && s.nilChan }

// Commit implements Guard.
func (s *SendOp[T]) Commit() (bool, error) {
	if s.c == nil {
		return false, nil
	}
	w, ok, err := s.c.giveReceiver(s.v)
	if ok {
		s.wake = w // a failed Commit writes nothing
	}
	return ok, err
}

// Enqueue implements Guard.
func (s *SendOp[T]) Enqueue(e *Entry) {
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

// Dequeue implements Guard.
func (s *SendOp[T]) Dequeue(e *Entry) {
	if s.c == nil {
		return
	}
	s.c.sendq.Remove(e)
	s.e = nil
}

// Detached implements Detacher: whoever completes a send entry removes it
// from the queue first.
func (s *SendOp[T]) Detached(e *Entry) bool { return !e.Queued() }

// AfterUnlock implements Guard.
func (s *SendOp[T]) AfterUnlock() {
	if s.wake != nil {
		s.wake.Wake()
		s.wake = nil
		s.c.pref.YieldTo(PreferReceiver)
	}
	if len(s.listen) > 0 {
		NotifyAll(s.listen)
		clear(s.listen)
		s.listen = s.listen[:0]
	}
}

// Chan returns the channel s sends on.
func (s *SendOp[T]) Chan() *Chan[T] { return s.c }

// A RecvOp is a guard that receives a value from a Chan.
type RecvOp[T any] struct {
	c       *Chan[T]
	v       T // the message, once the guard completed
	locks   [1]*Mutex
	nilChan bool // made by RecvOp on a nil *Chan: never ready

	e    *Entry
	wake *Waiter
}

// Value returns the message received when r last completed.
func (r *RecvOp[T]) Value() T { return r.v }

// Chan returns the channel r receives from.
func (r *RecvOp[T]) Chan() *Chan[T] { return r.c }

// Locks implements Guard; none for a guard on a nil Chan. A nil or
// zero-value *RecvOp (not made by Chan.RecvOp) panics here, at the start
// of the select that runs it.
func (r *RecvOp[T]) Locks() []*Mutex {
	if r == nil || r.c == nil {
		if r != nil && r.nilChan {
			return nil // on a nil Chan: never ready
		}
		badGuard("RecvOp", r == nil)
	}
	return r.locks[:]
}

// Poll implements Guard: a sender is waiting, or c is closed.
func (r *RecvOp[T]) Poll() bool {
	return r.c != nil && (r.c.closed || r.c.sendq.Prune() != nil)
}

// Disabled implements Disabler: r receives from a nil channel.
func (r *RecvOp[T]) Disabled() bool { return r != nil && r.nilChan }

// Commit implements Guard.
func (r *RecvOp[T]) Commit() (bool, error) {
	if r.c == nil {
		return false, nil
	}
	v, w, ok, err := r.c.takeSender()
	if ok {
		r.v, r.wake = v, w
	}
	return ok, err
}

// Enqueue implements Guard.
func (r *RecvOp[T]) Enqueue(e *Entry) {
	if r.c == nil {
		return
	}
	if r.e != nil {
		panic("chanop: RecvOp in two selects at once, or twice in one")
	}
	r.e = e
	r.c.recvq.PushBack(e)
}

// Dequeue implements Guard.
func (r *RecvOp[T]) Dequeue(e *Entry) {
	if r.c == nil {
		return
	}
	r.c.recvq.Remove(e)
	r.e = nil
}

// Detached implements Detacher: whoever completes a receive entry removes
// it from the queue first.
func (r *RecvOp[T]) Detached(e *Entry) bool { return !e.Queued() }

// AfterUnlock implements Guard.
func (r *RecvOp[T]) AfterUnlock() {
	if r.wake != nil {
		r.wake.Wake()
		r.wake = nil
		r.c.pref.YieldTo(PreferSender)
	}
}

// Chan as a join source. These methods implement Source; they are for join
// patterns and other multi-channel guards, not for everyday use.

// SourceLock implements Source.
func (c *Chan[T]) SourceLock() *Mutex { return &c.mu }

// Buffered implements Source: a synchronous channel holds no messages.
func (c *Chan[T]) Buffered() int { return 0 }

// TakeBuffered implements Source; a Chan has nothing buffered.
func (c *Chan[T]) TakeBuffered() T { panic("chanop: TakeBuffered on a synchronous Chan") }

// Senders implements Source.
func (c *Chan[T]) Senders() *Queue { return &c.sendq }

// TakeSender implements Source.
func (c *Chan[T]) TakeSender(e *Entry) T {
	c.sendq.Remove(e)
	return e.G.(*SendOp[T]).v
}

// Closed implements Source: c is closed (and so holds no senders).
func (c *Chan[T]) Closed() bool { return c.closed }

// Listen implements Source.
func (c *Chan[T]) Listen(e *Entry) { c.listeners.PushBack(e) }

// Unlisten implements Source.
func (c *Chan[T]) Unlisten(e *Entry) { c.listeners.Remove(e) }

// Settle implements Source; a Chan has nothing to refill.
func (c *Chan[T]) Settle() {}

// A Source is a channel whose messages a join pattern can take: Chan, and
// buffer's channels. A source's messages, oldest first, are its Buffered
// ones and then those of its waiting Senders.
//
// All methods but SourceLock and Settle require SourceLock to be held.
// Holding it, a source calls NoteClosing before it closes and, once
// closed, before each buffered message it hands out: a pattern may then
// be unable ever to fire, and patterns ask only when Closings moved.
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

// closings counts NoteClosing calls; see Closings.
var closings atomic.Uint64

// NoteClosing records that a Source is about to change in a way that may
// leave a join pattern unable ever to fire: it is closing, or, closed, it
// hands out a buffered message. The source calls it holding its
// SourceLock, before the change.
func NoteClosing() { closings.Add(1) }

// Closings returns the number of NoteClosing calls so far, process-wide. A
// pattern that found itself able to fire when Closings was c still is
// while Closings is c: the check after a failed match costs one load
// instead of a look at every source. The counter says only that something
// closed somewhere; it carries no other state.
func Closings() uint64 { return closings.Load() }
