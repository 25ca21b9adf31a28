// Package csync provides the standard library's synchronization
// primitives built on chord, so that property tests see them: Mutex,
// RWMutex, WaitGroup, Cond and Once have the same method sets as sync's
// and the same semantics; under props every operation is a scheduling
// point.
//
// The API, beside package sync's:
//
//	csync.Mutex      Lock, Unlock, TryLock                    sync.Mutex
//	csync.RWMutex    Lock, Unlock, TryLock,                   sync.RWMutex
//	                 RLock, RUnlock, TryRLock, RLocker
//	csync.WaitGroup  Add, Done, Go, Wait                      sync.WaitGroup (Go 1.25)
//	csync.Cond       NewCond(l sync.Locker), L, Wait,         sync.Cond
//	                 Signal, Broadcast
//	csync.Once       Do                                       sync.Once
//
// Replacing the import of "sync" by csync (for these five types) changes
// nothing in a program's behaviour. The zero values of Mutex, RWMutex,
// WaitGroup and Once are ready to use, as sync's are; a Cond is made by
// NewCond. None may be copied after first use (go vet's copylocks check
// reports copies). Misuse that is a fatal error in sync panics instead,
// with a "csync: ..." message: Unlock of an unlocked Mutex or RWMutex,
// RUnlock of an RWMutex not locked for reading and a negative WaitGroup
// counter leave the primitive as it was (so a test may recover and go
// on); the WaitGroup misuses sync detects (Add concurrent with Wait, reuse
// before Wait returned) are detected too.
//
// # Under props
//
// Under props.Check and props.Explore every method is a scheduling point,
// like each of chord's channel operations: the controlled scheduler
// decides which goroutine goes on at each Lock, Unlock, Add, Done, Wait,
// Signal, Broadcast and Do. A goroutine that must wait (for a lock, for a
// WaitGroup's counter to fall to zero, for a Signal, for another's Do) is
// parked in a chord channel operation, so that the run's deadlocks are
// detected and reported: a lock-order inversion that props.Explore finds
// reports each goroutine blocked in Mutex.Lock at its call site, the lock
// it waits for and who holds it, and the locks it holds:
//
//	deadlock: main, worker 0 and worker 1 are blocked, and nothing can wake them
//		worker 0: blocked in Mutex.Lock at x_test.go:31, waiting for mutex 1 (held by worker 1), holding mutex 0
//		worker 1: blocked in Mutex.Lock at x_test.go:38, waiting for mutex 0 (held by worker 0), holding mutex 1
//
// The locks record their events (a Lock waiting, taking the lock, an
// Unlock) in the run's trace (props.Run.Events): "worker 0 locks mutex 0".
// A goroutine that waits shows there too as a receive from its
// semaphore's channel, and its waker as a send on it ("worker 0 offers {}
// on chan 0"); a wait is two steps of the schedule, the method's and the
// channel receive's.
// The synchronization of sync's own primitives, by contrast, is invisible
// to the scheduler: a goroutine blocked on a sync.Mutex holds up the whole
// run, and an interleaving that differs only at a sync.Mutex is never
// explored.
//
// # Design
//
// Outside props the primitives are ordinary ones, and about as cheap as
// sync's: the paths that do not wait are the same atomic operations as
// sync's, plus the scheduler's hook (one atomic load and a branch when no
// scheduler is installed). A goroutine that must wait parks on a counting
// semaphore whose waits are chanop.Chan receives and whose wake-ups are
// sends.
//
//   - Mutex: a state word with sync.Mutex's locked, woken and starving
//     bits and a count of waiters; Lock spins briefly on a multiprocessor,
//     then parks on the semaphore; Unlock wakes one waiter, which competes
//     for the lock with newcomers, or, once a waiter has waited more than
//     a millisecond, hands the lock over (see Mutex).
//   - RWMutex: sync.RWMutex's algorithm over a Mutex for writers, a count
//     of readers that a writer makes negative, and two semaphores.
//   - WaitGroup: a counter and a count of waiters in one word; the Add
//     that brings the counter to zero releases the waiters' semaphore.
//   - Cond: a queue of waiters, each with its own semaphore; Signal
//     releases the oldest, Broadcast all.
//   - Once: a done flag, and a Mutex held while f runs.
package csync
