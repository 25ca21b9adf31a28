package buffer

import (
	"github.com/gochord/chord/guard"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/internal/sched"
)

// TryRecv receives the oldest message if there is one, without blocking:
// Go's select with one receive and a default. ok reports whether a message
// was received. A closed buffer still yields its stored messages, then
// chanop.ErrClosed with ok false. On a nil *Buffer it returns ok false and
// a nil error, as a Go select with a default does on a nil channel.
//
// TryRecv is what PriSelect(b.RecvOp(), chanop.Skip()) does, without the
// select: it locks b once.
func (b *Buffer[T]) TryRecv() (v T, ok bool, err error) {
	if b == nil {
		return v, false, nil
	}
	b.check("TryRecv")
	sched.Yield()
	b.mu.Lock()
	// As in Recv: senders a pattern's Settle has not moved in yet come
	// first, and taking a message makes room for the next of them.
	var wbuf [4]*guard.Waiter
	wake := b.refill(wbuf[:0])
	if b.ring.n == 0 {
		// refill moved nobody, so wake is empty.
		closed := b.closing.Closed()
		b.mu.Unlock()
		if closed {
			return v, false, chanop.ErrClosed
		}
		return v, false, nil
	}
	v = b.pop()
	wake = b.refill(wake)
	ls := b.drainedListeners()
	b.mu.Unlock()
	guard.WakeAll(wake)
	guard.NotifyAll(ls)
	if len(wake) > 0 {
		b.pref.YieldTo(guard.PreferSender)
	}
	return v, true, nil
}

// TrySend stores v, or hands it to a waiting receiver, if it can without
// blocking: Go's select with one send and a default. ok reports whether v
// was delivered; it is false while a bounded buffer is full, and never on
// an open unbounded buffer. On a closed buffer it returns
// chanop.ErrClosed with ok false. On a nil *Buffer it returns ok false and
// a nil error, as a Go select with a default does on a nil channel.
//
// TrySend is what PriSelect(b.SendOp(v), chanop.Skip()) does, without the
// select: it locks b once.
func (b *Buffer[T]) TrySend(v T) (ok bool, err error) {
	if b == nil {
		return false, nil
	}
	b.check("TrySend")
	sched.Yield()
	b.mu.Lock()
	if b.closing.Closed() {
		b.mu.Unlock()
		return false, chanop.ErrClosed
	}
	if w := b.giveReceiver(v); w != nil {
		b.mu.Unlock()
		w.Wake()
		b.pref.YieldTo(guard.PreferReceiver)
		return true, nil
	}
	var wbuf [4]*guard.Waiter
	wake := b.refill(wbuf[:0])
	if b.ring.n >= b.limit {
		// Full once refilled: v would wait behind the queued senders.
		b.mu.Unlock()
		guard.WakeAll(wake)
		return false, nil
	}
	b.ring.push(v)
	var lbuf [4]*guard.Entry
	ls := b.listeners.AppendLive(lbuf[:0])
	b.mu.Unlock()
	guard.WakeAll(wake)
	guard.NotifyAll(ls)
	return true, nil
}
