package join

// This file is the call channel: synchronous senders that wait for a reply
// from the firing that took their message (extended rendezvous).
//
// Invariants:
//
//   - c.mu (a guard.Mutex, in chord's lock order) guards the channel side
//     of a Call: its queue of waiting callers, its listeners, closed, and
//     the scratch of its CallOps while a select holds them. It is the
//     call's SourceLock, so a pattern holds it while it matches and takes.
//   - c.rmu (a sync.Mutex) guards the reply side: every Request's state,
//     result and links, and c.owed. It is a leaf: nothing is locked while it
//     is held. It is taken under c.mu (TakeSender, which registers a
//     request), under a pattern's locks (the expiry of a firing's
//     requests), and alone (Reply, a caller waiting, Close).
//   - A Request is made by the firing that takes the caller's message
//     (TakeSender), in state owed, and is in c.owed exactly while owed. It
//     leaves owed once, to replied (Reply), noReply (the pattern that took
//     it is run by a select again: expire), closed (Close) or cancelled
//     (its caller's context ended: cancel), and the waiting caller is
//     signalled then. Reply reports true exactly for the request it moved
//     to replied, so the owner knows whether its answer reached the caller. A Request is never reused, so a
//     Request value names one call and the firing that took it.
//   - A caller waits for its reply on its Request's sync.Cond, which
//     testing/synctest treats as durably blocking: a reply that never comes
//     is a reported deadlock, never a hang.
//
// Why every call gets exactly one answer. The message is taken at most
// once (the join protocol); the Request exists from that instant and its
// state leaves owed at most once, under rmu. Close, after it set closed
// under c.mu, releases every owed request: a firing that took a request
// held c.mu before, so it registered the request before Close looks. The
// pattern's owner either replies, or runs a select on the pattern again
// (then expire), or the call closes, or the caller's context ends (then
// cancel, from the context's AfterFunc); until one of these, the caller
// waits. Before a firing takes the message, a caller with a context
// selects its offer against chanop.Done: the select completes exactly one
// of the two, so the offer is either taken (and then answered as above) or
// withdrawn, never both.

import (
	"github.com/gochord/chord/guard"

	"context"
	"errors"
	"math"
	"sync"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/internal/sched"
	"github.com/gochord/chord/selectx"
)

// ErrNoReply is returned to a caller whose message a firing took when the
// goroutine that ran the firing did not reply before running a select on
// the same pattern again.
var ErrNoReply = errors.New("join: the firing that took the call did not reply")

// A Call is a synchronous channel whose senders wait for a reply: the
// join calculus' synchronous channel, C#'s Synchronous<R>.Channel<T>,
// occam-π's extended rendezvous, JCSP's call channel. A caller sends a T
// and gets back an R from the firing of the join pattern that took its
// message:
//
//	ex := join.NewCall[int, int]()     // an exchanger
//	pair := join.FromN(ex, 2)          // a *Part[*join.Request[int, int]]
//	swap := join.All(pair)
//	go func() {
//		for swap.Wait() == nil {
//			a, b := pair.Values()[0], pair.Values()[1]
//			a.Reply(b.Value())
//			b.Reply(a.Value())
//		}
//	}()
//	r, err := ex.Call(1) // another goroutine's value
//
// A Call is a chanop.Source of *Request values, so every part (From,
// FromN, Each, AnyOf) takes calls; it has no receive of its own: a pattern
// (join.All(join.From(c)).Wait() for a plain receive) is what takes them.
// The rules of replies — who must answer, by when, and what a caller gets
// otherwise — are in the package documentation ("Replies"). A caller that
// gives up when a context ends uses CallContext.
//
// Costs: a call allocates its Request (one object) besides its select's;
// BenchmarkCall measures a call answered by a server goroutine against a
// Go channel of requests that carry their own reply channel (README).
//
// The zero value is not usable: make calls with NewCall. A Call must not
// be copied after first use.
type Call[T, R any] struct {
	mu guard.Mutex // protects the fields below; SourceLock

	sendq     guard.Queue // entries of *CallOp[T, R] guards of waiting callers
	listeners guard.Queue // listener entries of join patterns waiting on c
	closing   guard.Closing
	made      bool // set by NewCall; never changes

	rmu  sync.Mutex       // leaf; protects owed and every Request of c
	owed []*Request[T, R] // requests taken and not yet answered, for Close
}

var _ chanop.Source[*Request[int, int]] = (*Call[int, int])(nil)

// NewCall returns a new call channel whose callers send T values and wait
// for an R.
func NewCall[T, R any]() *Call[T, R] { return &Call[T, R]{made: true} }

// Call sends v and waits until the pattern that took it replies, and
// returns the reply. It returns chanop.ErrClosed if c is or gets closed
// before the reply (whether or not v was taken), and ErrNoReply if the
// firing that took v did not reply in time (see the package
// documentation, "Replies").
func (c *Call[T, R]) Call(v T) (R, error) {
	c.check("Call")
	b := &callBlock[T, R]{}
	b.op.c, b.op.v = c, v
	b.op.locks[0] = &c.mu
	b.op.listen = b.listen[:0]
	b.op.own = &b.rq
	if err := guard.Wait(&b.op); err != nil {
		var zero R
		return zero, err
	}
	return b.op.Wait()
}

// CallContext is Call for a caller that gives up when ctx ends: it then
// returns ctx.Err() at once, whether or not a firing has taken v. If no
// firing took v, the offer is withdrawn; if one did and its owner has not
// replied yet, the request is cancelled: the owner's later Reply reports
// false and its answer is dropped, as after Close. An answer that reached
// the caller first is returned even if ctx ends just after. A context that
// can never end costs nothing: CallContext is then Call.
//
// Cost: until a firing takes v, a select over the call's offer and
// chanop.Done(ctx); then one context.AfterFunc registration while the
// caller waits for the reply.
func (c *Call[T, R]) CallContext(ctx context.Context, v T) (R, error) {
	c.check("CallContext")
	if ctx.Done() == nil {
		return c.Call(v)
	}
	var zero R
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	b := &callBlock[T, R]{}
	b.op.c, b.op.v = c, v
	b.op.locks[0] = &c.mu
	b.op.listen = b.listen[:0]
	b.op.own = &b.rq
	g, err := selectx.PriSelect(&b.op, chanop.Done(ctx))
	if err != nil {
		return zero, err // chanop.ErrClosed, or ctx.Err() from Done
	}
	if g != &b.op {
		return zero, ctx.Err()
	}
	return b.op.WaitContext(ctx)
}

// callBlock is what a Call allocates besides its select: the guard, the
// Request a firing will answer through, and room for the listeners its
// offer notifies.
type callBlock[T, R any] struct {
	op     CallOp[T, R]
	rq     Request[T, R]
	listen [2]*guard.Entry
}

// CallOp returns a guard that offers v on c when a select runs it: the
// send half of a call, for a caller that also waits for something else
// (a timeout, another channel). After a select chose the guard without an
// error, v was taken by a firing, and Wait waits for the reply:
//
//	op := c.CallOp(v)
//	g, err := selectx.Select(op, chanop.After(time.Second))
//	if g == op && err == nil {
//		r, err := op.Wait()
//	}
//
// A timeout can only withdraw the offer before a firing takes it; once v
// is taken, Wait waits for the answer, and WaitContext gives up when its
// context ends (the owner's Reply then reports false).
func (c *Call[T, R]) CallOp(v T) *CallOp[T, R] {
	c.check("CallOp")
	op := &CallOp[T, R]{c: c, v: v}
	op.locks[0] = &c.mu
	return op
}

// Close closes c. Every caller still waiting returns chanop.ErrClosed:
// those whose message no firing took, and those whose message was taken
// but not yet answered (a later Reply to them returns false). Patterns
// listening on c are told. Closing a closed Call does nothing.
func (c *Call[T, R]) Close() {
	c.check("Close")
	c.mu.Lock()
	if c.closing.Closed() {
		c.mu.Unlock()
		return
	}
	c.closing.Close() // patterns on c may now be dead
	wake := c.sendq.CloseAll(chanop.ErrClosed, nil, nil)
	ls := c.listeners.AppendLive(nil)
	c.mu.Unlock()
	guard.WakeAll(wake)
	guard.NotifyAll(ls)

	c.rmu.Lock()
	for _, rq := range c.owed {
		rq.finish(replyClosed, chanop.ErrClosed)
	}
	clear(c.owed)
	c.owed = c.owed[:0]
	c.rmu.Unlock()
}

// Len returns the number of callers waiting for a firing to take their
// message.
func (c *Call[T, R]) Len() int {
	c.check("Len")
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sendq.CountLive(math.MaxInt)
}

func (c *Call[T, R]) check(op string) {
	if c == nil {
		panic("join: " + op + " on nil *Call")
	}
	if !c.made {
		panic("join: " + op + " on zero-value Call; make calls with NewCall")
	}
}

// callSource is a Call seen as a join source (SourceOps): a view of the
// same memory. All methods but SourceLock and Settle require SourceLock to
// be held.
type callSource[T, R any] Call[T, R]

// SourceOps returns c's source protocol, for join parts (package guard).
func (c *Call[T, R]) SourceOps() guard.Source[*Request[T, R]] {
	c.check("SourceOps")
	return (*callSource[T, R])(c)
}

// SourceLock implements guard.Source.
func (o *callSource[T, R]) SourceLock() *guard.Mutex {
	c := (*Call[T, R])(o)

	c.check("SourceLock")
	return &c.mu
}

// Buffered implements guard.Source: a Call holds no messages.
func (o *callSource[T, R]) Buffered() int {
	return 0
}

// TakeBuffered implements guard.Source; a Call has nothing buffered.
func (o *callSource[T, R]) TakeBuffered() *Request[T, R] {

	panic("join: TakeBuffered on a Call")
}

// Senders implements guard.Source: the waiting callers.
func (o *callSource[T, R]) Senders() *guard.Queue {
	c := (*Call[T, R])(o)
	return &c.sendq
}

// TakeSender implements guard.Source: it takes the caller's message and
// returns the Request through which the firing's owner replies. The
// caller now waits for that reply.
func (o *callSource[T, R]) TakeSender(e *guard.Entry) *Request[T, R] {
	c := (*Call[T, R])(o)

	c.sendq.Remove(e)
	op := e.G.(*callOps[T, R])
	rq := op.own // a Call's own Request, used once: its select takes part in no other
	if rq == nil {
		rq = new(Request[T, R])
	}
	op.own = nil
	rq.c, rq.v = c, op.v
	rq.cond.L = &c.rmu
	c.rmu.Lock()
	c.owed = append(c.owed, rq)
	rq.at = len(c.owed) - 1
	c.rmu.Unlock()
	op.taken = rq
	return rq
}

// PeekBuffered implements guard.Indexed; a Call has nothing buffered.
func (o *callSource[T, R]) PeekBuffered(int) *Request[T, R] {
	panic("join: PeekBuffered on a Call")
}

// TakeBufferedAt implements guard.Indexed; a Call has nothing buffered.
func (o *callSource[T, R]) TakeBufferedAt(int) *Request[T, R] {
	panic("join: TakeBufferedAt on a Call")
}

// PeekSender implements guard.Indexed, for a part's Where predicate: it
// returns the Request that TakeSender would make, with the caller's
// message (Value) but not yet taken, so that Reply on it panics. The
// Request is made once per offer and reused by TakeSender.
func (o *callSource[T, R]) PeekSender(e *guard.Entry) *Request[T, R] {
	op := e.G.(*callOps[T, R])
	if op.own == nil {
		op.own = new(Request[T, R])
	}
	op.own.v = op.v
	return op.own
}

// Closed implements guard.Source.
func (o *callSource[T, R]) Closed() bool {
	c := (*Call[T, R])(o)
	return c.closing.Closed()
}

// Listen implements guard.Source.
func (o *callSource[T, R]) Listen(e *guard.Entry) {
	c := (*Call[T, R])(o)
	c.listeners.PushBack(e)
}

// Unlisten implements guard.Source.
func (o *callSource[T, R]) Unlisten(e *guard.Entry) {
	c := (*Call[T, R])(o)
	c.listeners.Remove(e)
}

// Settle implements guard.Source; a Call has nothing to refill.
func (o *callSource[T, R]) Settle() {}

// A CallOp is a guard that offers a call's message: the send half of
// Call.Call, for selects. It is ready only when its Call is closed (then
// it completes with chanop.ErrClosed); otherwise a select waits on it until
// a firing takes the message. After a select chose it without an error,
// Wait returns the reply.
//
// A CallOp takes part in one select at a time. It may be reused for the
// next select, which offers the same value again as a new call, once Wait
// returned (or the select chose another guard): that select forgets the
// previous call.
type CallOp[T, R any] struct {
	c     *Call[T, R]
	v     T
	locks [1]*guard.Mutex

	// Scratch for one select, guarded by c.mu while the select holds it.
	e      *guard.Entry   // the entry Enqueue published, until Dequeue
	listen []*guard.Entry // listeners to notify after Enqueue
	taken  *Request[T, R] // set by the firing that took v; read by Wait after the select
	own    *Request[T, R] // Call's preallocated Request, or nil: TakeSender makes one
}

// callOps is a CallOp seen by a select: its guard protocol.
type callOps[T, R any] CallOp[T, R]

// GuardOps returns op's guard protocol, for selects (package guard).
func (op *CallOp[T, R]) GuardOps() guard.Guard { return (*callOps[T, R])(op) }

// Locks implements guard.Guard.
func (o *callOps[T, R]) Locks() []*guard.Mutex {
	op := (*CallOp[T, R])(o)

	if op == nil || op.c == nil {
		if op == nil {
			panic("join: nil *CallOp guard in a select")
		}
		panic("join: zero-value CallOp guard in a select (make it with Call.CallOp)")
	}
	return op.locks[:]
}

// Poll implements guard.Guard: only a closed Call completes a CallOp at
// once; a firing takes an offer from the queue.
func (o *callOps[T, R]) Poll() bool {
	op := (*CallOp[T, R])(o)
	return op.c.closing.Closed()
}

// Commit implements guard.Guard.
func (o *callOps[T, R]) Commit() (bool, error) {
	op := (*CallOp[T, R])(o)

	op.taken = nil
	if op.c.closing.Closed() {
		return true, chanop.ErrClosed
	}
	return false, nil
}

// Enqueue implements guard.Guard: offer v, and tell listening patterns.
func (o *callOps[T, R]) Enqueue(e *guard.Entry) {
	op := (*CallOp[T, R])(o)

	if op.e != nil {
		panic("join: CallOp in two selects at once, or twice in one")
	}
	op.e, op.taken = e, nil
	op.c.sendq.PushBack(e)
	op.listen = op.c.listeners.AppendLive(op.listen[:0])
}

// Dequeue implements guard.Guard.
func (o *callOps[T, R]) Dequeue(e *guard.Entry) {
	op := (*CallOp[T, R])(o)

	op.c.sendq.Remove(e)
	op.e = nil
}

// AfterUnlock implements guard.Guard.
func (o *callOps[T, R]) AfterUnlock() {
	op := (*CallOp[T, R])(o)

	if len(op.listen) > 0 {
		guard.NotifyAll(op.listen)
		clear(op.listen)
		op.listen = op.listen[:0]
	}
}

// Wait blocks until the firing that took op's message replies, and
// returns the reply; or ErrNoReply, or chanop.ErrClosed (see Call.Call).
// Call it after a select chose op with a nil error; it panics if no firing
// took the message.
func (op *CallOp[T, R]) Wait() (R, error) {
	rq := op.taken
	if rq == nil {
		panic("join: CallOp.Wait, but no firing took the call (wait after a select chose the CallOp without error)")
	}
	return rq.await(context.Background()) // never ends: no AfterFunc
}

// WaitContext is Wait for a caller that gives up when ctx ends: it then
// returns ctx.Err() at once, unless the answer came first, and the
// request is cancelled: the owner's later Reply reports false and drops
// its answer. Call it after a select chose op with a nil error; it panics
// if no firing took the message.
func (op *CallOp[T, R]) WaitContext(ctx context.Context) (R, error) {
	rq := op.taken
	if rq == nil {
		panic("join: CallOp.WaitContext, but no firing took the call (wait after a select chose the CallOp without error)")
	}
	return rq.await(ctx)
}

// await waits for rq's answer, or until ctx ends.
func (rq *Request[T, R]) await(ctx context.Context) (R, error) {
	sched.Yield()
	if ctx.Done() != nil {
		if err := ctx.Err(); err != nil {
			rq.cancel(err)
		} else {
			stop := context.AfterFunc(ctx, func() { rq.cancel(ctx.Err()) })
			defer stop()
		}
	}
	c := rq.c
	c.rmu.Lock()
	for rq.state == replyOwed {
		rq.cond.Wait()
	}
	r, err := rq.r, rq.err
	c.rmu.Unlock()
	return r, err
}

// cancel ends rq's wait with err, its caller's context's error, if it is
// still owed: the caller gave up.
func (rq *Request[T, R]) cancel(err error) {
	c := rq.c
	c.rmu.Lock()
	if rq.state == replyOwed {
		rq.finish(replyCancelled, err)
		c.unowe(rq)
	}
	c.rmu.Unlock()
}

// Reply states of a Request; see the Invariants at the top of this file.
const (
	replyOwed uint8 = iota
	replied
	replyNone      // expired: ErrNoReply
	replyClosed    // the Call closed first: ErrClosed
	replyCancelled // the caller's context ended first: its error
)

// A Request is a call whose message a firing took: what a part over a Call
// gives in Values. The goroutine whose select the pattern completed
// answers it with Reply (see the package documentation, "Replies").
//
// A Request answers one call of one firing; it is never reused.
type Request[T, R any] struct {
	c *Call[T, R]
	v T

	// Guarded by c.rmu.
	state uint8
	r     R
	err   error
	at    int       // index in c.owed while owed
	cond  sync.Cond // L is &c.rmu; the caller waits on it
}

// Value returns the caller's message.
func (rq *Request[T, R]) Value() T { return rq.v }

// Reply answers the call: the caller's Call (or CallOp.Wait) returns r
// and a nil error. It must be called by the goroutine whose select the
// pattern completed, before that pattern is run by a select again; at
// most once per Request. It panics if the request was already answered or
// has expired (its caller got ErrNoReply).
//
// Reply reports whether the answer reached the caller. It is false only
// when the Call was closed first (the caller then got chanop.ErrClosed) or
// the caller gave up first (CallContext or CallOp.WaitContext, whose
// context ended: the caller got its error); r is then dropped, so an owner
// that hands out something with r (a lock's ticket, an exchanged value)
// knows to take it back.
func (rq *Request[T, R]) Reply(r R) bool {
	if rq == nil || rq.c == nil {
		panic("join: Reply on a Request that no firing made")
	}
	c := rq.c
	c.rmu.Lock()
	switch rq.state {
	case replyOwed:
		rq.r = r
		rq.finish(replied, nil)
		c.unowe(rq)
		c.rmu.Unlock()
		return true
	case replyClosed, replyCancelled:
		c.rmu.Unlock()
		return false
	case replied:
		c.rmu.Unlock()
		panic("join: Reply twice to one Request")
	default:
		c.rmu.Unlock()
		panic("join: Reply after the request expired: the pattern that took it was run by a select again, and its caller got ErrNoReply")
	}
}

// expire ends rq's wait with ErrNoReply if it is still owed: the pattern
// that took it is being run by a select again.
func (rq *Request[T, R]) expire() {
	c := rq.c
	c.rmu.Lock()
	if rq.state == replyOwed {
		rq.finish(replyNone, ErrNoReply)
		c.unowe(rq)
	}
	c.rmu.Unlock()
}

// finish moves rq out of owed and signals its caller. c.rmu held.
func (rq *Request[T, R]) finish(state uint8, err error) {
	rq.state, rq.err = state, err
	rq.cond.Signal()
}

// unowe removes rq from c.owed in O(1), moving the last request into its
// slot. c.rmu held.
func (c *Call[T, R]) unowe(rq *Request[T, R]) {
	last := len(c.owed) - 1
	if i := rq.at; i != last {
		c.owed[i] = c.owed[last]
		c.owed[i].at = i
	}
	c.owed[last] = nil
	c.owed = c.owed[:last]
}
