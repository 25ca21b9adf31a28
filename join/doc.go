// Package join provides join patterns: conjunctions of channel operations
// that fire atomically, as in the join calculus, Polyphonic C#, JoCaml and
// Turon and Russo's Scalable Join Patterns.
//
// The API: [All] makes a [Pattern] ([Pattern.Wait], [Pattern.SetPreference];
// a Pattern is a chanop.Guard, so selectx runs it) from parts, each a
// [Conjunct]: [From], [FromN], [Each] and [AnyOf] make a [Part], whose
// [Part.Where] takes only the messages a predicate accepts (selective
// receive) and whose [Part.Values] and [Part.Which] say what a firing took.
// [NewCall] makes a [Call], a channel of synchronous calls ([Call.Call],
// [Call.CallContext], [Call.CallOp] and its [CallOp.Wait] and
// [CallOp.WaitContext], [Call.Len], [Call.Close]); a part over it hands the
// firing's owner one [Request] per call ([Request.Value], [Request.Reply]).
// [ErrNoReply] is what a caller gets from a firing that did not answer.
//
//	deer := make([]*chanop.Chan[int], 9)   // one channel per reindeer
//	elves := make([]*chanop.Chan[int], 10) // one channel per elf
//	…
//	team := join.Each(chanop.Sources(deer...)...)       // one message from each of the 9
//	group := join.AnyOf(3, chanop.Sources(elves...)...) // one from each of any 3 of the 10
//	reindeer, helpers := join.All(team), join.All(group)
//	g, err := selectx.PriSelect(reindeer, helpers) // a disjunction: reindeer first
//
// Parts take a []chanop.Source[T]; chanop.Sources converts a slice of
// channels of one type (*chanop.Chan[T], *buffer.Buffer[T], …) to it,
// since Go does not convert slices. Separate arguments need no conversion:
// join.Each(left, right).
//
// A pattern is built by All from parts: From (one message from a channel),
// FromN (n from one channel), Each (one from each of several) and AnyOf (one
// from each of any m of several). Parts are typed; a pattern may combine
// parts of different element types. After a firing each part's Values and
// Which say what it took and from where. Sources are chanop.Chan and any
// other chanop.Source, such as package buffer's asynchronous channels.
//
// A *Pattern is a chanop.Guard, so selectx's Select, PriSelect and Fair run
// disjunctions of patterns and patterns mix with plain channel operations
// and timeouts. Pattern.Wait is a select over one pattern.
//
// # Semantics
//
//   - Atomic transfer: a pattern takes nothing until every part can take its
//     messages at the same instant, then takes them all. A synchronous
//     sender is released only when the pattern that took its message fires.
//   - Nothing is lost or duplicated: every message is consumed exactly once,
//     by one firing or one receiver, or is still pending. Partial matches
//     hold nothing, so patterns that share channels (Santa and Mrs Claus
//     competing for the same elves) cannot deadlock each other.
//   - Messages are taken oldest first on each channel. AnyOf starts looking
//     after the channel it took from last, so a channel that keeps offering
//     is not starved by its neighbours.
//   - A sender that is a select over several channels gives at most one
//     message, and its select completes exactly the guard whose message was
//     taken. The matcher finds a match whenever one exists, even when such a
//     sender offers on several channels of one pattern.
//   - A pattern that can never fire again because its channels closed
//     completes with chanop.ErrClosed and takes nothing.
//
// # Selective receive
//
// Part.Where makes a part selective: join.From(c).Where(pred) takes only
// messages that pred accepts, on each source the oldest such, and leaves
// the others where they are, in their order, for other receivers and
// patterns. It works for every part kind (on FromN, Each and AnyOf it
// filters every source) and every source that implements guard.Indexed:
// chanop.Chan (among its waiting senders), package buffer's channels (from
// anywhere in the buffer, then among blocked senders) and Call (T is then
// *Request, and pred reads the caller's argument with Request.Value). It
// is how a bank account serves the withdrawals its balance covers, oldest
// first, while larger ones wait (see the bank account example).
//
// The predicate rule:
//
//   - pred runs under the locks of the pattern's sources, in whichever
//     goroutine runs the match — the owner's select, or, while the owner
//     waits, the goroutine whose message arrives (lazy matching) — at any
//     time while a select over the pattern is running, any number of times.
//   - It may read state that the pattern's owner changes only between its
//     selects over the pattern: the owner's select takes the sources' locks
//     after such a change, and every evaluation holds them, so the reads
//     are race-free (happens-before through the locks). Its answer may
//     change from one select to the next, never during one: each select
//     evaluates it afresh.
//   - It must not block, panic, or call into chord (no channel
//     operation, select or Reply): it runs holding locks.
//
// No wake-up is lost: a pattern counts as available only the messages its
// predicates accept, and every arrival on a source, accepted or not, makes
// the pattern look again when the count allows a match (see pattern.go).
//
// Costs: a pattern with no selective part pays nothing (one predictable
// branch where availability is recounted). A selective part examines, at
// each match, the messages of its sources oldest first until it has found
// what it needs, calling pred on each: a message that nobody accepts is
// looked at by every match until someone takes it. Taking the k-th of a
// buffer's messages moves the k older ones (O(k)). On 2 shared cores a
// select that takes an accepted message from behind k rejected ones in a
// buffer costs about 0.45 µs at k = 0 (0.35 µs without Where), 0.7 µs at
// k = 10 and 3 µs at k = 100 (BenchmarkWhereSkips).
//
// # Replies
//
// A Call is a synchronous channel whose senders wait for an answer from
// the firing that takes their message (extended rendezvous: C#'s
// Synchronous<R> channels, JoCaml's reply, occam-π, JCSP's call
// channels). The caller writes r, err := c.Call(v); a part over c (From,
// FromN, Each, AnyOf) gives the firing's owner one *Request per call taken,
// and the owner answers each with Request.Reply:
//
//	acquire := join.NewCall[string, int]() // a caller's name in, a ticket out
//	token := buffer.New[int](1)            // the lock's token: the next ticket
//	token.Send(1)
//	who, tok := join.From(acquire), join.From(token)
//	grant := join.All(who, tok)
//	…
//	for grant.Wait() == nil {
//		who.Values()[0].Reply(tok.Values()[0])
//	}
//
// Guarantees and rules:
//
//   - Every call returns exactly once: with the reply of the firing that
//     took its message, or with an error. A caller is released only by
//     that firing's Reply, by ErrNoReply, or by chanop.ErrClosed.
//   - The goroutine whose select the pattern completed answers the calls
//     of that firing, each at most once, before it runs a select over the
//     same pattern again. "Runs a select" means: the first time any select
//     (Pattern.Wait, guard.Wait, selectx's Select, PriSelect or Fair)
//     looks at the pattern — polls it, fires it or waits on it. Every call
//     of the previous firing still unanswered at that moment returns
//     ErrNoReply, and a later Reply to it panics. Pattern.Ready is a probe
//     and does not count; a PriSelect that completes an earlier guard
//     without reaching the pattern does not either.
//   - Close releases every caller still waiting with chanop.ErrClosed:
//     those whose message no firing took yet, and those taken and not yet
//     answered. A Reply after that returns false and is dropped: Reply
//     reports whether its answer reached the caller, so an owner that
//     hands out a resource in a reply can take it back.
//   - An owner that never answers and never selects on its pattern again,
//     with the Call never closed, leaves its callers waiting, as a receiver
//     that never receives would; they wait on a sync.Cond, so inside a
//     testing/synctest bubble this is a reported deadlock, not a hang.
//   - A caller that also waits for something else selects its CallOp
//     against it (a timeout, a context); that withdraws the offer only while
//     no firing has taken it. Once a select returned the CallOp without an
//     error, CallOp.Wait returns the answer.
//   - Cancellation: a caller that gives up when a context ends calls
//     Call.CallContext, or CallOp.WaitContext after its select. Either
//     returns ctx.Err() as soon as ctx ends, whether or not a firing has
//     taken the call: an offer not taken is withdrawn; a call taken and not
//     yet answered is cancelled, and the owner's later Reply reports false
//     and drops its answer, as after Close. An answer that reached the
//     caller first is returned. So every call ends exactly one way:
//     answered (Reply true), refused (Reply false: Close or cancellation),
//     expired (ErrNoReply), or never taken (an error). CallContext costs a
//     select over the offer and chanop.Done until a firing takes the call,
//     then one context.AfterFunc while it waits for the answer; with a
//     context that never ends it is Call.
//   - Costs: a pattern with no part over a Call pays one nil check per
//     select. Call allocates one object besides its select's; a call
//     offered with a CallOp allocates its Request when a firing takes it.
//     BenchmarkCall measures a call answered by a server goroutine against
//     a Go channel of requests that carry their own reply channel.
//
// # Matching protocol
//
// Locks: a pattern's state is guarded by the locks of all its channels,
// taken together in chanop's lock order. Claims: a firing claims, with
// guard.ClaimAll, the waiter of every sender it takes from and, when it
// fires for a parked owner, the owner; claims are taken in address order
// and either all succeed (then the firing takes the messages and completes
// every waiter) or are all released (a sender completed elsewhere; the match
// is redone without it). Lazy matching: a parked owner is not woken to look
// at each arriving message; the party whose message arrives runs the match
// (Pattern.Notify) and, if the pattern fires, completes and wakes the
// owner: one wake-up per firing (Pattern.Stats counts them). A pattern
// whose messages are all stored (a lock's token, a philosopher's
// chopsticks) is not fired for its owner: the owner is woken to fire it
// itself, and the party that stored them may take them back first
// (stealing, as a sync.Mutex lets a running goroutine barge), which keeps
// a contended lock from turning every acquisition into a hand-off to a
// goroutine that is not running. Why no wake-up is lost and where stealing
// happens is argued at the top of pattern.go.
package join
