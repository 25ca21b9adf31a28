// Package guard is chord's guard protocol: what a select (package selectx)
// and a join pattern (package join) run, for people who implement guards
// and sources of their own. Users of channels, selects and patterns never
// import it: a user type reaches its protocol through one method,
// GuardOps (chanop.Guard) or SourceOps (chanop.Source), as a net.Conn
// reaches its file descriptor through SyscallConn.
//
// The API:
//   - The contracts: [Guard] (Locks, Poll, Commit, Enqueue, Dequeue,
//     AfterUnlock), which a select runs; [Source], whose messages join
//     patterns take; the optional [Detacher], [Disabler], [Timed],
//     [Watchable], [Describer], [Counter] and [OnChannel]; [Handle], the
//     user side's one method (chanop.Source is its twin for sources).
//   - Locks in one global order: [Mutex], [SortLocks], [LockAll],
//     [UnlockAll], [LockAbove].
//   - Blocked selects: [Waiter] ([Waiter.Claim], [Waiter.ClaimGen],
//     [Waiter.Complete], [Waiter.Wake], [Waiter.Release]), [ClaimAll],
//     [WakeAll]; [Entry] and [Queue], a waiting select's presence in a
//     channel; [Listener], [NotifyAll], [NotifyUntil].
//   - The life of a parked waiter, owned here: [Slot] and [Pool] for a
//     plain send or receive, [Parking] for a select, [DequeueAll].
//   - Running guards: [Wait] (a select over one guard), [Commit],
//     [EnqueueAll], [Enabled].
//   - Sources' closed flags: [Closing], and [Closings], the counter join
//     patterns read.
//   - [Preference] and [Preferences], who runs first after a hand-off;
//     [ErrNoGuards].
//
// The rules — which locks are held in which call, who may claim a waiter,
// why no wake-up is lost, when a waiter may be reused — are the Invariants
// at the top of protocol.go and the rules on Guard and Source.
//
// # The assertion mode
//
// Built with the tag chorddebug (go test -tags chorddebug ./...), the
// package checks the rules where chord relies on them, as the Go runtime's
// debugChan and debugSelect do: a waiter counts its queued entries and is
// never reused while one is left; lock lists are sorted and a guard's
// Locks stable; a Commit that fails leaves its guard not ready; and join
// patterns re-check every early return of their lock-free notify filter
// under the locks. A broken rule panics with "guard: assertion failed: …"
// (or "join: assertion failed: …"). It is off by default; chord's CI runs
// the whole suite with it on.
package guard
