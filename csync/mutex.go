package csync

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/gochord/chord/internal/sched"
)

// A Mutex is a mutual exclusion lock, sync.Mutex's drop-in: the same
// methods with the same semantics. Under props every Lock, TryLock and
// Unlock is a scheduling point, a goroutine waiting in Lock is parked in a
// chord operation, and the controller knows who holds the lock.
//
// The zero value for a Mutex is an unlocked mutex. A Mutex must not be
// copied after first use.
//
// As with sync.Mutex, a locked Mutex is not associated with a particular
// goroutine: one goroutine may lock it and another unlock it.
//
// Fairness is sync.Mutex's: a goroutine woken by Unlock competes for the
// lock with goroutines that have just called Lock, which usually win
// (they are running); but once a waiter has waited more than a
// millisecond, the mutex hands the lock over to its waiters, in the order
// they (last) began to wait, until the queue is empty or a waiter that
// got the lock had waited less than a millisecond. (Under props that is a
// millisecond of the run's fake time.)
type Mutex struct {
	// state holds mutexLocked, mutexWoken (a goroutine woken from sema,
	// or spinning, is about to try for the lock: Unlock need not wake
	// another), mutexStarving (Unlock hands the lock to a waiter) and the
	// number of waiters, shifted by mutexWaiterShift. A waiter counted in
	// state has committed to acquire sema once; an Unlock that uncounts
	// one, or hands the lock over, releases sema once.
	state int32
	sema  sema
}

var _ sync.Locker = (*Mutex)(nil)

// Lock locks m. If the lock is already in use, the calling goroutine
// blocks until the mutex is available (see Mutex on fairness).
func (m *Mutex) Lock() {
	// The fast path, inlined: no scheduler, and the lock is free.
	if !sched.Installed() && atomic.CompareAndSwapInt32(&m.state, 0, mutexLocked) {
		return
	}
	m.lockSlow()
}

// lockSlow is Lock with a scheduler installed (the scheduling point and
// the events), or with the lock not free at first sight.
func (m *Mutex) lockSlow() {
	sched.Yield()
	m.lockWait(m, "Lock")
	sched.Record(sched.Acquired, m, "Lock", nil)
}

// TryLock tries to lock m and reports whether it succeeded. As the
// standard library says of sync.Mutex.TryLock, correct uses are rare.
func (m *Mutex) TryLock() bool {
	sched.Yield()
	if !m.tryLock() {
		return false
	}
	sched.Record(sched.Acquired, m, "TryLock", nil)
	return true
}

// Unlock unlocks m. It panics if m is not locked on entry to Unlock (a
// fatal error for sync.Mutex). It never waits for the goroutine it wakes.
func (m *Mutex) Unlock() {
	// The fast path, inlined: no scheduler, and no waiter.
	if !sched.Installed() && atomic.CompareAndSwapInt32(&m.state, mutexLocked, 0) {
		return
	}
	m.unlockSlow()
}

// unlockSlow is Unlock with a scheduler installed, or with waiters.
func (m *Mutex) unlockSlow() {
	sched.Yield()
	if sched.Installed() && atomic.LoadInt32(&m.state)&mutexLocked != 0 {
		sched.Record(sched.Released, m, "Unlock", nil)
	}
	m.unlockWake()
}

// The unexported methods are a Mutex without scheduling points and
// events: the lock inside RWMutex and Once, which have their own.

const (
	mutexLocked      = 1
	mutexWoken       = 2
	mutexStarving    = 4
	mutexWaiterShift = 3

	// starvationThreshold is how long a waiter waits before the mutex
	// turns to handing the lock over.
	starvationThreshold = time.Millisecond
)

func (m *Mutex) lock() {
	if !atomic.CompareAndSwapInt32(&m.state, 0, mutexLocked) {
		m.lockWait(nil, "")
	}
}

func (m *Mutex) tryLock() bool {
	old := atomic.LoadInt32(&m.state)
	return old&(mutexLocked|mutexStarving) == 0 && atomic.CompareAndSwapInt32(&m.state, old, old|mutexLocked)
}

func (m *Mutex) unlock() {
	if !atomic.CompareAndSwapInt32(&m.state, mutexLocked, 0) {
		m.unlockWake()
	}
}

// lockWait takes the lock when the fast path failed. owner, if not nil,
// is the lock the user sees, named with the method in the event that the
// caller waits.
func (m *Mutex) lockWait(owner any, method string) {
	var waitStart time.Time
	starving := false // the caller has waited longer than starvationThreshold
	awoke := false    // the caller set mutexWoken, or was woken with it set
	i := 0            // spinning rounds since the caller last woke
	spin := -1        // whether the caller may spin: -1 not asked yet, 0 no, 1 yes
	var spun uint32   // spinDelay's work
	old := atomic.LoadInt32(&m.state)
	for {
		// Spin while the lock is held, unless it is handed over.
		if old&(mutexLocked|mutexStarving) == mutexLocked && i < spinRounds && spin != 0 {
			if spin < 0 {
				spin = 0
				if spinning() {
					spin = 1
				}
				continue
			}
			// Tell Unlock not to wake a waiter: the caller will try.
			if !awoke && old&mutexWoken == 0 && old>>mutexWaiterShift != 0 &&
				atomic.CompareAndSwapInt32(&m.state, old, old|mutexWoken) {
				awoke = true
			}
			spinDelay(&spun)
			i++
			old = atomic.LoadInt32(&m.state)
			continue
		}
		next := old
		if old&mutexStarving == 0 {
			next |= mutexLocked // a lock handed over is not for newcomers
		}
		if old&(mutexLocked|mutexStarving) != 0 {
			next += 1 << mutexWaiterShift
		}
		if starving && old&mutexLocked != 0 {
			next |= mutexStarving
		}
		if awoke {
			next &^= mutexWoken
		}
		if !atomic.CompareAndSwapInt32(&m.state, old, next) {
			old = atomic.LoadInt32(&m.state)
			continue
		}
		if old&(mutexLocked|mutexStarving) == 0 {
			return // taken
		}
		if waitStart.IsZero() {
			waitStart = time.Now()
			if owner != nil {
				sched.Record(sched.Waiting, owner, method, nil)
			}
		}
		m.sema.acquire()
		starving = starving || time.Since(waitStart) > starvationThreshold
		old = atomic.LoadInt32(&m.state)
		if old&mutexStarving != 0 {
			// The lock was handed over to the caller, who is still counted
			// as a waiter and has not set mutexLocked.
			delta := int32(mutexLocked - 1<<mutexWaiterShift)
			if !starving || old>>mutexWaiterShift == 1 {
				delta -= mutexStarving // the last waiter, or one that did not starve
			}
			atomic.AddInt32(&m.state, delta)
			return
		}
		awoke, i = true, 0 // Unlock set mutexWoken for us
	}
}

// unlockWake unlocks m, and wakes a waiter if there is one and nobody is
// awake to take the lock (a woken or spinning goroutine, or one that took
// it already), or hands the lock over to a waiter. It panics if m is not
// locked, leaving m as it was.
func (m *Mutex) unlockWake() {
	if atomic.LoadInt32(&m.state)&mutexLocked == 0 {
		panic("csync: unlock of unlocked mutex")
	}
	next := atomic.AddInt32(&m.state, -mutexLocked)
	if (next+mutexLocked)&mutexLocked == 0 {
		// Unlocked concurrently: two Unlocks of one Lock.
		atomic.AddInt32(&m.state, mutexLocked)
		panic("csync: unlock of unlocked mutex")
	}
	if next&mutexStarving != 0 {
		m.sema.release() // the waiter that gets it owns the lock
		return
	}
	for old := next; old>>mutexWaiterShift != 0 && old&(mutexLocked|mutexWoken|mutexStarving) == 0; old = atomic.LoadInt32(&m.state) {
		if atomic.CompareAndSwapInt32(&m.state, old, (old-1<<mutexWaiterShift)|mutexWoken) {
			m.sema.release()
			return
		}
	}
}
