package chanop

import "github.com/gochord/chord/internal/sched"

// TryRecv receives a value if a sender is waiting, without blocking: Go's
// select with one receive and a default. ok reports whether a value was
// received. On a closed channel it returns ErrClosed with ok false. On a
// nil *Chan it returns ok false and a nil error, as a Go select with a
// default does on a nil channel.
//
// Only a waiting sender makes a TryRecv succeed; a join pattern waiting on
// c is not a sender. TryRecv is what PriSelect(c.RecvOp(), Skip()) does,
// without the select: it locks c once and costs a few nanoseconds more
// than a native select with a default (see BenchmarkTry).
func (c *Chan[T]) TryRecv() (v T, ok bool, err error) {
	if c == nil {
		return v, false, nil
	}
	sched.Yield()
	c.mu.Lock()
	v, w, ok, err := c.takeSender()
	c.mu.Unlock()
	if w != nil {
		w.Wake()
		c.pref.YieldTo(PreferSender)
	}
	if err != nil {
		return v, false, err
	}
	return v, ok, nil
}

// TrySend sends v if a receiver is waiting, without blocking: Go's select
// with one send and a default. ok reports whether v was delivered. On a
// closed channel it returns ErrClosed with ok false. On a nil *Chan it
// returns ok false and a nil error, as a Go select with a default does on
// a nil channel.
//
// Only a waiting receiver (a Recv, or a select with a RecvOp on c) makes a
// TrySend succeed: a join pattern takes only the messages of senders that
// wait, so it never takes one from TrySend. TrySend is what
// PriSelect(c.SendOp(v), Skip()) does, without the select.
func (c *Chan[T]) TrySend(v T) (ok bool, err error) {
	if c == nil {
		return false, nil
	}
	sched.Yield()
	c.mu.Lock()
	w, ok, err := c.giveReceiver(v)
	c.mu.Unlock()
	if w != nil {
		w.Wake()
		c.pref.YieldTo(PreferReceiver)
	}
	if err != nil {
		return false, err
	}
	return ok, nil
}
