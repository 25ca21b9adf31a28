// Package chanop provides synchronous channels whose operations are values:
// guards that a select (package selectx) chooses among and that join
// patterns (package join) combine. It is the base of chord.
//
// The API:
//   - [Chan], made by [New]: [Chan.Send], [Chan.Recv], [Chan.Close],
//     [Chan.TrySend] and [Chan.TryRecv] (a poll, Go's select with a
//     default), [Chan.All] (range over it), [Chan.Len], [Chan.SetPreference]
//     with a [Preference]: [PreferNone], [PreferReceiver], [PreferSender].
//   - Guards, every one a [Guard]: [Chan.SendOp] and [Chan.RecvOp] (its
//     [RecvOp.Value] is the message), [Skip], [When], [After], [Done]; on
//     Go channels that other code owns, [RecvFrom] and [SendTo].
//   - [BlackHole], a channel whose sends are always ready and discarded.
//   - Join sources: a [Chan] is a [Source]; [Sources] converts a slice of
//     channels for package join's parts.
//   - [ErrClosed], returned by every operation on a closed channel.
//
// [Guard.GuardOps] and [Source.SourceOps] are the one way each to the
// protocol a select and a join pattern run (package guard); users never
// call them, and people who write guard or source kinds of their own start
// there.
//
//	c := chanop.New[int]()
//	go c.Send(42)      // blocks until somebody takes 42
//	v, err := c.Recv() // 42, nil
//
//	r := c.RecvOp() // a receive guard
//	timeout := chanop.After(time.Minute)
//	go c.Send(43)
//	g, err := selectx.Select(r, timeout)
//	if g == r {
//		fmt.Println(r.Value()) // 43
//	}
//
// A Chan is related to an unbuffered Go channel but differs where Go's
// choices do not suit a library: Close releases blocked senders too (with
// ErrClosed, so a sender learns that its message was not delivered), Send
// and Recv on a nil *Chan panic instead of blocking forever, and every
// operation can be reified (SendOp, RecvOp) and passed around. As in Go, a
// nil *Chan's guards are never ready, so setting a channel variable to nil
// switches its case off; a select left with no enabled guard returns
// selectx.ErrNoGuards instead of blocking forever.
//
// Guards: SendOp and RecvOp; Skip (always ready, Go's default); When (a
// precondition, occam's `cond & guard`); After (a timeout measured from the
// start of the select); Done (a context's cancellation); RecvFrom and
// SendTo (a native Go channel's receive and send, with a helper goroutine
// while a select blocks on them). BlackHole makes a channel whose sends
// discard their message.
//
// TryRecv and TrySend poll one channel without a select (Go's select with a
// default), at about a native select's cost.
//
// # The guard protocol
//
// The guards are built on package guard's protocol, which is exported so
// that other packages can define guard kinds: join patterns are guards made
// of guards, and package buffer's asynchronous channels are built on it
// alone. A Chan reaches it through SourceOps, its guards through GuardOps,
// each a view of the same memory that costs nothing to make. The rules —
// which locks are held in which call, who may claim a waiter, why no
// wake-up is lost — are written at the top of package guard.
//
// # Costs
//
// An operation that finds a partner waiting allocates nothing, and neither
// does one that blocks, in steady state: the waiter, entries and guard
// scratch of a parked operation are recycled (a guard.Pool per channel and
// direction for Send and Recv, pools for selects) once its completer has
// woken it; so do After and Done, which keep their timer or context
// callback from one select to the next. (A select that blocks on a
// RecvFrom or SendTo guard starts a helper goroutine, which may allocate.)
// Send, Recv and the polls take O(1) time; the README's tables compare
// them with Go's channels. A goroutine that must wait yields the
// processor once, so that a partner running elsewhere can arrive first,
// and then parks on a sync.Cond, which testing/synctest treats as durably
// blocking: a deadlock in a synctest bubble is reported, never hung.
package chanop
