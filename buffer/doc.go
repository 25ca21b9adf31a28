// Package buffer provides asynchronous channels: FIFO buffers, bounded
// (New) or unbounded (Unbounded), whose operations are chanop guards, so
// that they take part in selectx selects and in join patterns like the
// synchronous chanop.Chan.
//
// The API: [New] and [Unbounded] make a [Buffer]: [Buffer.Send],
// [Buffer.Recv], [Buffer.Close], [Buffer.TrySend] and [Buffer.TryRecv]
// (polls), [Buffer.All] (range over it), [Buffer.Len], [Buffer.Cap],
// [Buffer.SetPreference]; its guards [Buffer.SendOp] and [Buffer.RecvOp]
// ([RecvOp.Value] is the message) for selects; a Buffer is a chanop.Source
// for join patterns. [SendOp.GuardOps], [RecvOp.GuardOps] and
// [Buffer.SourceOps] are the handles to the guard protocol, which users
// never call.
//
// A Buffer is to chanop.Chan what make(chan T, n) is to make(chan T): Send
// completes as soon as the message is stored, and blocks only while a bounded
// buffer is full; Recv takes the oldest stored message and blocks only while
// the buffer is empty. An Unbounded buffer never blocks a sender: it is the
// asynchronous channel of the join calculus and of Polyphonic C#'s
// "async" methods, the one a join pattern needs for messages that nobody
// waits to see delivered (tokens, chopsticks, "empty" and "contains" in a
// one-place buffer).
//
// Compared with Go's buffered channels:
//   - SendOp and RecvOp are values (chanop.Guard), so a select over buffers
//     can be built at run time and mix buffers, chanop.Chan operations,
//     join patterns and timeouts (selectx.Select, selectx.PriSelect).
//   - A *Buffer is a chanop.Source, so join.From, FromN, Each and AnyOf take
//     messages from it; a pattern takes buffered messages first, then those
//     of blocked senders, atomically with the rest of the pattern.
//   - Close releases blocked senders with chanop.ErrClosed (their message is
//     not delivered, and they learn it) instead of panicking; receivers still
//     get every message stored before Close, then ErrClosed. Send on a closed
//     buffer returns ErrClosed rather than panicking.
//   - TrySend and TryRecv are Go's select with one case and a default, as
//     methods; a nil *Buffer is never ready, like a nil Go channel.
//   - Unbounded has no Go counterpart; its storage grows as needed and
//     shrinks back after it is drained.
//
// The package is built only on the exported guard protocol of package
// guard (Guard, Source, Waiter, Entry, Queue, Mutex, Pool, Closing): the
// proof that the protocol is an extension point.
package buffer
