package chanop

import (
	"time"

	"github.com/gochord/chord/guard"
)

// This file holds the guards on native Go channels: RecvFrom and SendTo.
// A Go channel tells nobody when it becomes ready, so a select that blocks
// on one of these guards lends it a helper goroutine, which waits on the
// Go channel and on the guard's cancel channel, and completes the select
// as a timer does (ClaimGen). The guard's own lock guards its state.

// RecvFrom returns a guard that receives from the Go channel ch when a
// select chooses it; Value then returns the message. It mixes with chord's
// guards in any select (Select, PriSelect, Fair, a Selector).
//
// A Go channel cannot be waited on together with chord's channels without
// a goroutine, so the guard works like this:
//
//   - A select looks at the guard by a non-blocking receive from ch, whose
//     message it keeps in a one-message stash in the guard. So a select
//     that then takes another ready guard leaves that message in the stash,
//     for the next select over this guard, which takes it at once: it is
//     never lost, but nobody sees it (Value shows the message of the last
//     select that chose the guard) until the guard is selected again. Drop
//     a guard with a stashed message and the message is gone with it.
//   - A select that blocks starts a helper goroutine (or reuses the one
//     still running from the guard's previous select), which receives from
//     ch and completes the select with the message. If the select has
//     completed another guard meanwhile, the helper puts the message in the
//     stash instead. When the select ends, it tells the helper, through a
//     cancel channel of the guard, to end, so that no goroutine outlives
//     the select (but one holding a message ends once it has stashed it).
//   - A closed ch completes the guard with ErrClosed (every time); a nil ch
//     makes a disabled guard, as Chan.RecvOp on a nil *Chan does.
//
// Chan returns nil for the guard. It is not a join Source: a pattern
// would need a goroutine receiving for it for as long as it waits, and a
// message taken that way could not be given back to ch.
func RecvFrom[T any](ch <-chan T) *RecvOp[T] {
	if ch == nil {
		return &RecvOp[T]{nilChan: true}
	}
	n := &nativeRecv[T]{ch: ch}
	n.init()
	return &RecvOp[T]{n: n}
}

// SendTo returns a guard that sends v on the Go channel ch when a select
// chooses it. It mixes with chord's guards in any select.
//
// A Go channel cannot tell whether a receiver waits without sending, and
// a message sent cannot be taken back, so:
//
//   - A select looks at the guard by a non-blocking send (PriSelect, Fair,
//     and a single-guard wait, in their turn); Select, which polls all its
//     guards before it commits one, counts the guard ready only while a
//     buffered ch has room, so Select(SendTo(ch, v), Skip()) on an
//     unbuffered ch always takes Skip: use PriSelect for that idiom.
//   - A select that blocks starts a helper goroutine (or reuses the one
//     still running from the guard's previous select), which sends v on ch
//     and completes the select. If the select has meanwhile completed
//     another guard, and the helper's send went through before the select
//     could cancel it, v has been delivered all the same: the guard then
//     holds it as sent, and the next select over the guard completes it at
//     once without sending again. So v is delivered exactly once, but maybe
//     after a select that returned another guard; a program that drops such
//     a guard must expect v to have been sent.
//   - A closed ch completes the guard with ErrClosed, where a Go send would
//     panic (closing ch while the guard may be sending is a data race, as
//     with any Go send); a nil ch makes a disabled guard.
//
// Chan returns nil for the guard.
func SendTo[T any](ch chan<- T, v T) *SendOp[T] {
	if ch == nil {
		return &SendOp[T]{v: v, nilChan: true}
	}
	n := &nativeSend[T]{ch: ch}
	n.init()
	return &SendOp[T]{v: v, n: n}
}

// helper is the state a native guard shares with its helper goroutine,
// guarded by mu.
type helper struct {
	mu    guard.Mutex
	locks [1]*guard.Mutex

	active bool          // a helper goroutine runs
	e      *guard.Entry  // the entry of the select the helper serves, or nil
	w      *guard.Waiter // e.W, and its generation when e was enqueued
	gen    uint32
	closed bool          // the Go channel was found closed
	cancel chan struct{} // Dequeue tells the helper to end (capacity 1)

	// failed is set by a Commit that failed and cleared when the next
	// select begins (Timed.Begin): the Go channel may become ready at any
	// instant, but the Commit rule wants the guard not ready for the rest
	// of a select whose Commit failed. Only the select's goroutine uses it.
	failed bool
}

func (h *helper) init() {
	h.locks[0] = &h.mu
	h.cancel = make(chan struct{}, 1)
}

// arm records e as the select the helper serves and reports whether a
// helper must be started. mu must be held.
func (h *helper) arm(e *guard.Entry, kind string) (start bool) {
	if h.e != nil {
		panic("chanop: " + kind + " in two selects at once, or twice in one")
	}
	h.e, h.w, h.gen = e, e.W, e.W.Gen()
	if h.active {
		return false // the running helper serves this select now
	}
	h.active = true
	select { // a stale token would only make the new helper look again
	case <-h.cancel:
	default:
	}
	return true
}

// disarm ends the select's claim on the helper. mu must be held.
func (h *helper) disarm() {
	h.e, h.w = nil, nil
	if h.active {
		select {
		case h.cancel <- struct{}{}:
		default:
		}
	}
}

// claim claims the armed select, if any, for the helper, which holds mu
// and has just finished its receive or send.
func (h *helper) claim() bool {
	h.active = false
	return h.e != nil && h.w.ClaimGen(h.gen)
}

// canceled handles a token from cancel: it reports whether the helper
// should end, which it should unless a later select armed it again.
// It takes mu.
func (h *helper) canceled() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.e != nil {
		return false
	}
	h.active = false
	return true
}

// complete completes the claimed select with err, holding mu, and returns
// the waiter to wake after mu is released.
func (h *helper) complete(err error) *guard.Waiter {
	w := h.w
	w.Complete(h.e, err)
	return w
}

// nativeRecv is a RecvFrom guard's state.
type nativeRecv[T any] struct {
	helper
	ch    <-chan T
	stash T
	has   bool // stash holds a message
}

// recvFrom is a RecvFrom guard seen by a select.
type recvFrom[T any] RecvOp[T]

func (r *recvFrom[T]) Locks() []*guard.Mutex { return r.n.locks[:] }
func (r *recvFrom[T]) AfterUnlock()          {}

// Begin implements guard.Timed: a select begins.
func (r *recvFrom[T]) Begin(time.Time) { r.n.failed = false }

// Poll implements guard.Guard: a stashed message, a closed channel, or a
// message received now (into the stash). While a helper runs, it alone
// receives: it may hold a message already.
func (r *recvFrom[T]) Poll() bool {
	n := r.n
	if n.has || n.closed {
		return true
	}
	if n.active || n.failed {
		return false
	}
	select {
	case v, ok := <-n.ch:
		if ok {
			n.stash, n.has = v, true
		} else {
			n.closed = true
		}
		return true
	default:
		return false
	}
}

// Commit implements guard.Guard.
func (r *recvFrom[T]) Commit() (bool, error) {
	if !r.Poll() {
		r.n.failed = true
		return false, nil
	}
	n := r.n
	var zero T
	if !n.has {
		r.v = zero
		return true, ErrClosed
	}
	r.v, n.stash, n.has = n.stash, zero, false
	return true, nil
}

// Enqueue implements guard.Guard.
func (r *recvFrom[T]) Enqueue(e *guard.Entry) {
	if r.n.arm(e, "RecvFrom guard") {
		go r.help()
	}
}

// Dequeue implements guard.Guard.
func (r *recvFrom[T]) Dequeue(*guard.Entry) { r.n.disarm() }

// help is the helper goroutine: it receives one message, or ends when
// canceled.
func (r *recvFrom[T]) help() {
	n := r.n
	for {
		select {
		case v, ok := <-n.ch:
			n.mu.Lock()
			var wake *guard.Waiter
			switch {
			case n.claim():
				var err error
				if ok {
					r.v = v
				} else {
					n.closed = true
					var zero T
					r.v, err = zero, ErrClosed
				}
				wake = n.complete(err)
			case ok:
				n.stash, n.has = v, true // for the guard's next select
			default:
				n.closed = true
			}
			n.mu.Unlock()
			if wake != nil {
				wake.Wake()
			}
			return
		case <-n.cancel:
			if n.canceled() {
				return
			}
		}
	}
}

// nativeSend is a SendTo guard's state.
type nativeSend[T any] struct {
	helper
	ch   chan<- T
	sent bool // the helper sent the message after its select completed elsewhere
}

// sendTo is a SendTo guard seen by a select.
type sendTo[T any] SendOp[T]

func (s *sendTo[T]) Locks() []*guard.Mutex { return s.n.locks[:] }
func (s *sendTo[T]) AfterUnlock()          {}

// Begin implements guard.Timed: a select begins.
func (s *sendTo[T]) Begin(time.Time) { s.n.failed = false }

// Poll implements guard.Guard: the message went already, the channel was
// found closed, or a buffered channel has room. It does not send.
func (s *sendTo[T]) Poll() bool {
	n := s.n
	return n.sent || n.closed || (!n.active && !n.failed && len(n.ch) < cap(n.ch))
}

// Commit implements guard.Guard: a non-blocking send.
func (s *sendTo[T]) Commit() (bool, error) {
	n := s.n
	switch {
	case n.sent:
		n.sent = false
		return true, nil
	case n.closed:
		return true, ErrClosed
	case n.active:
		n.failed = true
		return false, nil // the helper may be sending
	}
	sent, closed := trySend(n.ch, s.v, nil)
	if closed {
		n.closed = true
		return true, ErrClosed
	}
	n.failed = !sent
	return sent, nil
}

// Enqueue implements guard.Guard.
func (s *sendTo[T]) Enqueue(e *guard.Entry) {
	if s.n.arm(e, "SendTo guard") {
		go s.help()
	}
}

// Dequeue implements guard.Guard.
func (s *sendTo[T]) Dequeue(*guard.Entry) { s.n.disarm() }

// help is the helper goroutine: it sends the message, or ends when
// canceled.
func (s *sendTo[T]) help() {
	n := s.n
	for {
		sent, closed := trySend(n.ch, s.v, n.cancel)
		if !sent && !closed {
			if n.canceled() {
				return
			}
			continue
		}
		n.mu.Lock()
		var wake *guard.Waiter
		var err error
		if closed {
			n.closed, err = true, ErrClosed
		}
		if n.claim() {
			wake = n.complete(err)
		} else if sent {
			n.sent = true // reported by the guard's next select
		}
		n.mu.Unlock()
		if wake != nil {
			wake.Wake()
		}
		return
	}
}

// trySend sends v on ch, without blocking if cancel is nil and otherwise
// until a token arrives on cancel. It reports closed, instead of
// panicking, if ch is closed.
func trySend[T any](ch chan<- T, v T, cancel <-chan struct{}) (sent, closed bool) {
	defer func() {
		if r := recover(); r != nil {
			sent, closed = false, true
		}
	}()
	if cancel == nil {
		select {
		case ch <- v:
			return true, false
		default:
			return false, false
		}
	}
	select {
	case ch <- v:
		return true, false
	case <-cancel:
		return false, false
	}
}

// Channel implements guard.OnChannel: the Go channel r receives from.
func (r *recvFrom[T]) Channel() any { return r.n.ch }

// Channel implements guard.OnChannel: the Go channel s sends on.
func (s *sendTo[T]) Channel() any { return s.n.ch }
