package csync

import (
	"sync"
	"sync/atomic"

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
// goroutine: one goroutine may lock it and another unlock it. Unlike
// sync.Mutex, which falls back to handing the lock over in arrival order
// when a waiter has waited more than a millisecond, a Mutex always lets
// a goroutine arriving at Lock take a free lock before the waiters it
// woke (see Lock).
type Mutex struct {
	m mutex
}

var _ sync.Locker = (*Mutex)(nil)

// Lock locks m. If the lock is already in use, the calling goroutine
// blocks until the mutex is available. A goroutine woken by Unlock
// competes for the lock with goroutines that have just called Lock, and
// waits again if one of them is faster.
func (m *Mutex) Lock() {
	sched.Yield()
	if !m.m.state.CompareAndSwap(0, mutexLocked) {
		m.m.lockSlow(m, "Lock")
	}
	sched.Record(sched.Acquired, m, "Lock", nil)
}

// TryLock tries to lock m and reports whether it succeeded. As the
// standard library says of sync.Mutex.TryLock, correct uses are rare.
func (m *Mutex) TryLock() bool {
	sched.Yield()
	if !m.m.tryLock() {
		return false
	}
	sched.Record(sched.Acquired, m, "TryLock", nil)
	return true
}

// Unlock unlocks m. It panics if m is not locked on entry to Unlock (a
// fatal error for sync.Mutex). It never waits for the goroutine it wakes.
func (m *Mutex) Unlock() {
	sched.Yield()
	if m.m.state.Load()&mutexLocked != 0 {
		sched.Record(sched.Released, m, "Unlock", nil)
	}
	if !m.m.state.CompareAndSwap(mutexLocked, 0) {
		m.m.unlockSlow()
	}
}

// mutex is a Mutex without scheduling points and events: the lock inside
// RWMutex and Once, which have their own.
//
// state holds mutexLocked, mutexWoken (a goroutine woken from the
// semaphore, or spinning, is about to try for the lock: Unlock need not
// wake another) and the number of waiters, shifted by mutexWaiterShift.
// A waiter counted in state has committed to acquire sema once; an
// Unlock that uncounts one releases sema once.
type mutex struct {
	state atomic.Int32
	sema  sema
}

const (
	mutexLocked      = 1
	mutexWoken       = 2
	mutexWaiterShift = 2
)

func (m *mutex) lock() {
	if !m.state.CompareAndSwap(0, mutexLocked) {
		m.lockSlow(nil, "")
	}
}

func (m *mutex) tryLock() bool {
	old := m.state.Load()
	return old&mutexLocked == 0 && m.state.CompareAndSwap(old, old|mutexLocked)
}

func (m *mutex) unlock() {
	if !m.state.CompareAndSwap(mutexLocked, 0) {
		m.unlockSlow()
	}
}

// lockSlow takes the lock when the fast path failed. owner, if not nil,
// is the lock the user sees, named with the method in the event that the
// caller waits.
func (m *mutex) lockSlow(owner any, method string) {
	awoke := false // the caller set mutexWoken, or was woken with it set
	recorded := false
	for i := 0; ; {
		old := m.state.Load()
		if old&mutexLocked == 0 {
			next := old | mutexLocked
			if awoke {
				next &^= mutexWoken
			}
			if m.state.CompareAndSwap(old, next) {
				return
			}
			continue
		}
		if canSpin(i) {
			// Tell Unlock not to wake a waiter: the caller will try.
			if !awoke && old&mutexWoken == 0 && old>>mutexWaiterShift != 0 &&
				m.state.CompareAndSwap(old, old|mutexWoken) {
				awoke = true
			}
			spinDelay()
			i++
			continue
		}
		next := old + 1<<mutexWaiterShift
		if awoke {
			next &^= mutexWoken
		}
		if !m.state.CompareAndSwap(old, next) {
			continue
		}
		if owner != nil && !recorded {
			sched.Record(sched.Waiting, owner, method, nil)
			recorded = true
		}
		m.sema.acquire()
		awoke, i = true, 0 // Unlock set mutexWoken for us
	}
}

// unlockSlow unlocks when there are waiters (it wakes one, unless one is
// awake already), or panics when the mutex is not locked.
func (m *mutex) unlockSlow() {
	for {
		old := m.state.Load()
		if old&mutexLocked == 0 {
			panic("csync: unlock of unlocked mutex")
		}
		next := old &^ mutexLocked
		wake := old>>mutexWaiterShift != 0 && old&mutexWoken == 0
		if wake {
			next = (next - 1<<mutexWaiterShift) | mutexWoken
		}
		if m.state.CompareAndSwap(old, next) {
			if wake {
				m.sema.release()
			}
			return
		}
	}
}
