package buffer

// Invariants:
//
//   - b.mu guards every field of a Buffer except limit, which is set by New
//     or Unbounded and never changes (so check reads it without the lock).
//     b.mu is a guard.Mutex and takes part in chord's lock order; a Buffer
//     never holds another Buffer's or channel's lock.
//   - Storage is a ring: the messages, oldest first, are
//     buf[(head+i) & (len(buf)-1)] for 0 <= i < n. len(buf) is a power of
//     two, at least floor; n <= limit (limit is the capacity, math.MaxInt for
//     an unbounded buffer). Slots outside the n messages hold T's zero value
//     so that the ring keeps nothing alive. The ring doubles when a push
//     finds it full and halves when a pop leaves it at most a quarter full
//     and longer than floor, so an unbounded buffer that was drained gives
//     its memory back, and resizing costs O(1) amortised per message.
//   - recvq holds the entries of waiting receivers (*RecvOp[T] guards) and
//     has live entries only while n == 0: every message that arrives goes to
//     the oldest live receiver before it may be stored.
//   - sendq holds the entries of waiting senders (*SendOp[T] guards) and has
//     live entries, in a settled buffer, only while n == limit. It never
//     has any in an unbounded buffer.
//   - A join pattern may take buffered messages (TakeBuffered) while it
//     holds claims on other waiters, and so must not claim senders to fill
//     the room it made: until its Settle runs, the buffer may hold n < limit
//     with live senders queued (unsettled). Every operation that stores or
//     takes a message therefore refills first (refill: move the oldest live
//     senders into the ring while there is room), so FIFO order holds
//     whoever comes first, and Len and the guards' Poll count the queued
//     senders as the messages they are.
//   - refill claims one sender at a time, completes it at once, and wakes
//     it after b.mu is released; it runs only in parties that hold no
//     claims of their own (Send, Recv, Close, Settle, and the Commit of
//     this package's guards, whose select's waiter is not yet visible).
//   - Senders and receivers are served first come, first served; FIFO per
//     buffer: messages are received in the order they were stored, and a
//     blocked sender's message is stored before any later sender's.
//   - Every completed waiter is removed from its queue by whoever completes
//     it (refill, giveReceiver, TakeSender, Close), so a plain Send or Recv
//     dequeues nothing after it wakes. Entries of selects that completed
//     elsewhere stay until their select's pass 2 (guard.DequeueAll) and are
//     skipped meanwhile (their Claim fails).
//   - Listeners (join patterns' entries) are told, after b.mu is released,
//     whenever a message becomes available: a message stored, a sender
//     queued because the buffer is full, or Close; and after every take
//     from a closed buffer, since what remains may no longer be enough for
//     a pattern, which must then end with ErrClosed. A message moved from a
//     sender into the ring is not news: patterns already saw it.
//   - A bounded buffer allocates its storage up front when its capacity is
//     at most maxFloor (floor = the power of two >= capacity), as
//     make(chan T, n) does; a larger one starts at maxFloor and grows.
//
// Why no wake-up is lost. A receiver is queued only under b.mu after
// finding nothing stored and no live sender; whoever brings the next
// message takes b.mu and hands it to the oldest live receiver first. A
// sender is queued only under b.mu after finding no room; room is made only
// by taking a message, and Recv and RecvOp refill under the same hold of
// b.mu, while a pattern that took stored messages calls Settle after
// releasing its locks. Listeners are queued by their pattern under b.mu
// after it found no match, and every later arrival snapshots them under
// b.mu and notifies them (see join/pattern.go).

import (
	"github.com/gochord/chord/guard"

	"fmt"
	"math"
	"runtime"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/internal/sched"
)

// A Buffer is a FIFO channel of T values that stores messages: up to a
// fixed capacity (New), or without limit (Unbounded). Its operations are
// those of chanop.Chan, and can also be taken as guards (SendOp, RecvOp) and
// run by selectx or combined into join patterns: *Buffer[T] is a
// chanop.Source[T].
//
// Both kinds of buffer are this one type; Cap tells them apart.
//
// Costs: Send and Recv take O(1) time and allocate nothing, whether they
// wait or not (an operation that must wait parks with a waiter recycled
// through the buffer's guard.Pool, as chanop.Chan does); an unbounded
// buffer's storage grows by doubling and shrinks back once drained. The
// README's tables give the measured figures against Go's channels.
//
// The zero value is not usable: make buffers with New or Unbounded. A
// Buffer must not be copied after first use.
type Buffer[T any] struct {
	limit int // capacity, math.MaxInt if unbounded; 0 only in the zero value. Immutable.

	mu guard.Mutex // protects the fields below

	ring      ring[T]
	sendq     guard.Queue // entries of *SendOp[T] of waiting senders; only while full
	recvq     guard.Queue // entries of *RecvOp[T] of waiting receivers; only while empty
	listeners guard.Queue // listener entries of join patterns waiting on this buffer
	closing   guard.Closing

	// Slots of parked Sends and Recvs, recycled once their waiter was
	// woken (Get under mu; Park's recycling by the owner without it).
	sends guard.Pool[SendOp[T]]
	recvs guard.Pool[RecvOp[T]]

	pref guard.Preferences // who runs first after a hand-off to a parked partner
}

// SetPreference sets who runs first when an operation on b completes a
// parked partner: a Send handing its message to a waiting receiver
// (PreferReceiver), a Recv that makes room and so stores a waiting
// sender's message (PreferSender); see chanop.Preference. The default is
// guard.PreferNone.
func (b *Buffer[T]) SetPreference(p chanop.Preference) {
	b.check("SetPreference")
	b.pref.Set(p)
}

var _ chanop.Source[int] = (*Buffer[int])(nil)

// maxFloor bounds the storage a bounded buffer allocates up front; a larger
// capacity is grown into, and given back, like an unbounded buffer's.
const maxFloor = 1024

// yieldBeforePark makes a plain Send that finds the buffer full, or a Recv
// that finds it empty, yield the processor once and look again before it
// parks. With the partner running on another processor, the partner has
// often made room or brought a message by then, and the wait costs a
// yield instead of a park and a wake-up (an allocation that keeps the
// collector busy, a sync.Cond wait, a Signal); BenchmarkStream measures
// it. It changes no outcome: the goroutine has simply not arrived yet
// while it yields.
// Guards run by a select do not yield.
const yieldBeforePark = true

// unboundedFloor is the smallest storage of an unbounded buffer.
const unboundedFloor = 16

// New returns an empty buffer of the given capacity: Send blocks only while
// it holds capacity messages. It panics if capacity < 1; use chanop.New for
// a synchronous channel.
func New[T any](capacity int) *Buffer[T] {
	if capacity < 1 {
		panic(fmt.Sprintf("buffer: New(%d): capacity must be at least 1 (chanop.New makes a synchronous channel)", capacity))
	}
	b := &Buffer[T]{limit: capacity}
	b.ring.init(pow2(min(capacity, maxFloor)))
	return b
}

// Unbounded returns an empty buffer without a capacity: Send never blocks,
// which makes it the asynchronous channel of the join calculus. Its storage
// grows with its contents and shrinks again when they are received.
func Unbounded[T any]() *Buffer[T] {
	b := &Buffer[T]{limit: math.MaxInt}
	b.ring.init(unboundedFloor)
	return b
}

// Send stores v, blocking while the buffer is full, or hands it to a
// waiting receiver. It never blocks on an unbounded buffer. It returns
// chanop.ErrClosed, without delivering v, if b is closed, or gets closed
// while Send waits for room.
func (b *Buffer[T]) Send(v T) error {
	b.check("Send")
	sched.Yield()
	sched.Record(sched.Offered, b, v, nil)
	b.mu.Lock()
	if b.ring.n < b.limit && b.recvq.Len() == 0 && b.sendq.Len() == 0 && b.listeners.Len() == 0 && !b.closing.Closed() {
		// The common case, as cheap as a mutex round trip can make it:
		// room, and nobody to hand to, refill from, or tell.
		b.ring.push(v)
		b.mu.Unlock()
		sched.Record(sched.Delivered, b, v, nil)
		return nil
	}
	if yieldBeforePark && !b.sendReady() {
		b.mu.Unlock()
		runtime.Gosched() // see yieldBeforePark
		b.mu.Lock()
	}
	if b.closing.Closed() {
		b.mu.Unlock()
		sched.Record(sched.Delivered, b, v, chanop.ErrClosed)
		return chanop.ErrClosed
	}
	if w := b.giveReceiver(v); w != nil {
		b.mu.Unlock()
		w.Wake()
		sched.Record(sched.Delivered, b, v, nil)
		b.pref.YieldTo(guard.PreferReceiver)
		return nil
	}
	var wbuf [4]*guard.Waiter
	wake := b.refill(wbuf[:0])
	var lbuf [4]*guard.Entry
	if b.ring.n < b.limit {
		b.ring.push(v)
		ls := b.listeners.AppendLive(lbuf[:0])
		b.mu.Unlock()
		guard.WakeAll(wake)
		guard.NotifyUntil(ls, b.empty)
		sched.Record(sched.Delivered, b, v, nil)
		return nil
	}
	s, fresh := b.sends.Get()
	if fresh {
		s.Op.b = b
		s.Init((*sendOps[T])(&s.Op))
	}
	s.Op.v = v
	b.sendq.PushBack(s.Entry())
	ls := b.listeners.AppendLive(lbuf[:0])
	b.mu.Unlock()
	guard.WakeAll(wake)
	// The message is gone only if a receiver or a pattern took it: a
	// refill that completed the sender moved it into the ring, where a
	// selective pattern that rejects the older messages may want it.
	guard.NotifyUntil(ls, func() bool { return s.Done() && !s.Op.stored })
	// Whoever completes the entry removes it: a receiver's refill, a
	// pattern that takes the message, or Close.
	err := b.sends.Park(s, clearSend[T])
	sched.Record(sched.Delivered, b, v, err)
	return err
}

// Recv receives the oldest message, blocking while the buffer is empty. On
// a closed buffer it still returns the messages stored before Close, then
// chanop.ErrClosed.
func (b *Buffer[T]) Recv() (T, error) {
	b.check("Recv")
	sched.Yield()
	b.mu.Lock()
	if b.ring.n > 0 && b.sendq.Len() == 0 && !b.closing.Closed() {
		// The common case: a message, and no blocked sender to refill from
		// and no close to report.
		v := b.ring.pop()
		b.mu.Unlock()
		sched.Record(sched.Received, b, v, nil)
		return v, nil
	}
	if yieldBeforePark && !b.recvReady() {
		b.mu.Unlock()
		runtime.Gosched() // see yieldBeforePark
		b.mu.Lock()
	}
	var wbuf [4]*guard.Waiter
	wake := b.refill(wbuf[:0])
	if b.ring.n > 0 {
		v := b.pop()
		wake = b.refill(wake)
		ls := b.drainedListeners()
		b.mu.Unlock()
		guard.WakeAll(wake)
		guard.NotifyAll(ls)
		sched.Record(sched.Received, b, v, nil)
		if len(wake) > 0 {
			b.pref.YieldTo(guard.PreferSender)
		}
		return v, nil
	}
	// The ring is empty after refill, so refill moved nobody: wake is empty.
	if b.closing.Closed() {
		b.mu.Unlock()
		var zero T
		sched.Record(sched.Received, b, zero, chanop.ErrClosed)
		return zero, chanop.ErrClosed
	}
	r, fresh := b.recvs.Get()
	if fresh {
		r.Op.b = b
		r.Init((*recvOps[T])(&r.Op))
	}
	b.recvq.PushBack(r.Entry())
	b.mu.Unlock()
	var v T
	err := b.recvs.Park(r, func(op *RecvOp[T]) {
		v = op.v
		var zero T
		op.v = zero
	})
	sched.Record(sched.Received, b, v, err)
	return v, err
}

// Close closes b. Messages already stored are still received; after them
// every Recv returns chanop.ErrClosed. Waiting senders, whose messages were
// not stored, and every later Send return ErrClosed; waiting receivers
// return ErrClosed; join patterns listening on b are told. Closing a closed
// buffer does nothing.
func (b *Buffer[T]) Close() {
	b.check("Close")
	sched.Yield()
	b.mu.Lock()
	if b.closing.Closed() {
		b.mu.Unlock()
		return
	}
	b.closing.Close()
	sched.Record(sched.Closed, b, struct{}{}, nil)
	// Senders that a pattern's Settle would have moved into the ring were
	// as good as stored: they keep their place.
	wake := b.refill(nil)
	wake = b.recvq.CloseAll(chanop.ErrClosed, clearRecv[T], wake)
	wake = b.sendq.CloseAll(chanop.ErrClosed, nil, wake)
	ls := b.listeners.AppendLive(nil)
	b.mu.Unlock()
	guard.WakeAll(wake)
	guard.NotifyAll(ls)
}

// Len returns the number of messages stored in b, at most Cap for a
// bounded buffer: the messages a receiver could take now without waiting
// for a sender. Messages of blocked senders beyond the capacity are not
// counted. Like len of a Go channel, it is a snapshot.
func (b *Buffer[T]) Len() int {
	b.check("Len")
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.settledLen()
}

// Cap returns b's capacity, or 0 for an unbounded buffer (a bounded one
// has Cap() >= 1).
func (b *Buffer[T]) Cap() int {
	b.check("Cap")
	if b.limit == math.MaxInt {
		return 0
	}
	return b.limit
}

// SendOp returns a guard that sends v on b when a select chooses it. It is
// ready while b has room, a receiver waits, or b is closed (then it
// completes with chanop.ErrClosed and v is not delivered).
//
// On a nil b it returns a guard that is never ready, like a send on a nil
// Go channel in a select: the select ignores it (it is a disabled
// guard.Disabler), and returns selectx.ErrNoGuards if no other guard is
// enabled, instead of blocking forever.
func (b *Buffer[T]) SendOp(v T) *SendOp[T] {
	s := &SendOp[T]{b: b, v: v, nilChan: b == nil}
	if b != nil {
		b.check("SendOp")
		s.locks[0] = &b.mu
	}
	return s
}

// RecvOp returns a guard that receives from b when a select chooses it;
// Value then returns the message. It is ready while b holds a message or is
// closed (then, once b is empty, it completes with chanop.ErrClosed).
//
// On a nil b it returns a guard that is never ready; see SendOp.
func (b *Buffer[T]) RecvOp() *RecvOp[T] {
	r := &RecvOp[T]{b: b, nilChan: b == nil}
	if b != nil {
		b.check("RecvOp")
		r.locks[0] = &b.mu
	}
	return r
}

// check panics on misuse: a nil *Buffer, or a zero Buffer not made by New
// or Unbounded.
func (b *Buffer[T]) check(op string) {
	if b == nil {
		panic("buffer: " + op + " on nil *Buffer")
	}
	if b.limit == 0 {
		panic("buffer: " + op + " on zero Buffer; make one with New or Unbounded")
	}
}

// empty reports whether b holds no message, stored or of a live sender: a
// message just stored has been taken again (see guard.NotifyUntil). It
// takes b.mu.
func (b *Buffer[T]) empty() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.ring.n == 0 && b.sendq.Prune() == nil
}

// pop removes and returns the oldest stored message; there must be one.
// From a closed buffer that may leave a join pattern unable ever to fire,
// which patterns learn through guard.Closing.Taking. b.mu must be held.
func (b *Buffer[T]) pop() T {
	b.closing.Taking()
	return b.ring.pop()
}

// giveReceiver hands v to the oldest live waiting receiver and returns its
// waiter, to be woken after b.mu is released; nil if none waits. b.mu must
// be held.
func (b *Buffer[T]) giveReceiver(v T) *guard.Waiter {
	for e := b.recvq.Front(); e != nil; e = b.recvq.Front() {
		// Removing before the claim is right either way: a waiter that
		// completed elsewhere leaves a stale entry, and the one we claim
		// is ours to complete.
		b.recvq.Remove(e)
		if !e.W.Claim() {
			continue
		}
		e.G.(*recvOps[T]).v = v
		e.W.Complete(e, nil)
		return e.W
	}
	return nil
}

// refill moves the messages of the oldest live senders into the ring while
// it has room, completing those senders, and appends their waiters to wake
// (to be woken after b.mu is released). It does nothing in a settled
// buffer. b.mu must be held, and the caller must hold no claim on any
// waiter: refill claims.
func (b *Buffer[T]) refill(wake []*guard.Waiter) []*guard.Waiter {
	for b.sendq.Len() > 0 && b.ring.n < b.limit {
		e := b.sendq.Front()
		b.sendq.Remove(e)
		if !e.W.Claim() {
			continue // its select completed through another guard
		}
		so := e.G.(*sendOps[T])
		b.ring.push(so.v)
		so.stored = true // before Complete: read after Done (Send's NotifyUntil)
		e.W.Complete(e, nil)
		wake = append(wake, e.W)
	}
	return wake
}

// sendReady reports whether a send would complete now: b is closed, a
// receiver waits, or there is room once refilled. b.mu must be held.
func (b *Buffer[T]) sendReady() bool {
	return b.closing.Closed() || b.recvq.Prune() != nil || b.settledLen() < b.limit
}

// recvReady reports whether a receive would complete now: a message is
// stored or a sender waits, or b is closed. b.mu must be held.
func (b *Buffer[T]) recvReady() bool {
	return b.ring.n > 0 || b.closing.Closed() || b.sendq.Prune() != nil
}

// settledLen is the number of messages the ring holds once refilled: n
// plus the live senders that fit. b.mu must be held.
func (b *Buffer[T]) settledLen() int {
	n := b.ring.n
	for e := b.sendq.Front(); e != nil && n < b.limit; e = e.Next() {
		if !e.W.Done() {
			n++
		}
	}
	return n
}

// drainedListeners returns the live listeners to notify after a take from
// b when b is closed: what remains may no longer be enough for a pattern
// (FromN(b, 3) with two messages left, or From(b) with none), which can then
// never fire and must learn so (it completes with ErrClosed). Otherwise nil.
// b.mu must be held.
func (b *Buffer[T]) drainedListeners() []*guard.Entry {
	if !b.closing.Closed() || b.listeners.Len() == 0 {
		return nil
	}
	return b.listeners.AppendLive(nil)
}

// clearSend forgets the message of a parked Send whose Park returned.
func clearSend[T any](op *SendOp[T]) {
	var zero T
	op.v, op.stored = zero, false
}

// clearRecv forgets the previous message of a receive completed by Close:
// it received nothing.
func clearRecv[T any](e *guard.Entry) {
	var zero T
	e.G.(*recvOps[T]).v = zero
}

// A ring is the storage of a Buffer; see the Invariants at the top of this
// file. Its zero value must be given storage by init.
type ring[T any] struct {
	buf   []T // len is a power of two, >= floor
	head  int // index of the oldest message
	n     int // number of messages
	floor int // len(buf) never shrinks below this
}

func (r *ring[T]) init(floor int) {
	r.floor = floor
	r.buf = make([]T, floor)
}

// push appends v, doubling the storage if it is full.
func (r *ring[T]) push(v T) {
	if r.n == len(r.buf) {
		r.resize(2 * len(r.buf))
	}
	r.buf[(r.head+r.n)&(len(r.buf)-1)] = v
	r.n++
}

// pop removes and returns the oldest message; r must not be empty. It
// halves the storage when that leaves it at most a quarter full (so a
// push right after cannot make it grow again: hysteresis).
func (r *ring[T]) pop() T {
	var zero T
	v := r.buf[r.head]
	r.buf[r.head] = zero
	r.head = (r.head + 1) & (len(r.buf) - 1)
	r.n--
	if len(r.buf) > r.floor && r.n <= len(r.buf)/4 {
		r.resize(len(r.buf) / 2)
	}
	return v
}

// at returns the i-th oldest message, 0 <= i < r.n.
func (r *ring[T]) at(i int) T { return r.buf[(r.head+i)&(len(r.buf)-1)] }

// removeAt removes and returns the i-th oldest message, 0 <= i < r.n,
// closing the gap by moving the older messages up one slot (so removing
// the k-th oldest costs O(k)); the others keep their order. It shrinks
// the storage as pop does.
func (r *ring[T]) removeAt(i int) T {
	if i == 0 {
		return r.pop()
	}
	mask := len(r.buf) - 1
	v := r.buf[(r.head+i)&mask]
	for j := i; j > 0; j-- {
		r.buf[(r.head+j)&mask] = r.buf[(r.head+j-1)&mask]
	}
	var zero T
	r.buf[r.head] = zero
	r.head = (r.head + 1) & mask
	r.n--
	if len(r.buf) > r.floor && r.n <= len(r.buf)/4 {
		r.resize(len(r.buf) / 2)
	}
	return v
}

// resize moves the messages to new storage of length size (a power of two,
// >= r.n), oldest first.
func (r *ring[T]) resize(size int) {
	buf := make([]T, size)
	if r.n > 0 {
		end := r.head + r.n
		if end <= len(r.buf) {
			copy(buf, r.buf[r.head:end])
		} else {
			k := copy(buf, r.buf[r.head:])
			copy(buf[k:], r.buf[:end-len(r.buf)])
		}
	}
	r.buf, r.head = buf, 0
}

// pow2 returns the least power of two >= n, for 1 <= n <= maxFloor.
func pow2(n int) int {
	p := 1
	for p < n {
		p <<= 1
	}
	return p
}
