package csync

import (
	"sync"
	"sync/atomic"

	"github.com/gochord/chord/internal/sched"
)

// An RWMutex is a reader/writer mutual exclusion lock, sync.RWMutex's
// drop-in: the lock can be held by any number of readers or a single
// writer. Under props every method is a scheduling point, a goroutine that
// must wait is parked in a chord operation, and the controller knows who
// holds the lock, and how.
//
// The zero value for an RWMutex is an unlocked mutex. An RWMutex must not
// be copied after first use.
//
// As with sync.RWMutex, if any goroutine calls Lock while the lock is
// already held by one or more readers, concurrent calls to RLock block
// until the writer has acquired (and released) the lock, so that the
// writer eventually gets it. This prohibits recursive read-locking: a
// goroutine must not expect to RLock a lock it holds for reading while
// a writer may be waiting. A lock held for reading cannot be upgraded to
// one held for writing, nor the reverse.
type RWMutex struct {
	w           Mutex        // held by writers, and by a writer waiting for readers
	writerSem   sema         // a writer waits here for the readers to leave
	readerSem   sema         // readers wait here for the writer to leave
	readerCount atomic.Int32 // readers holding or waiting; minus rwmutexMaxReaders with a writer
	readerWait  atomic.Int32 // readers the waiting writer waits for
}

// rwmutexMaxReaders is the most readers an RWMutex admits at once.
const rwmutexMaxReaders = 1 << 30

var _ sync.Locker = (*RWMutex)(nil)

// RLock locks rw for reading. It must not be used for recursive read
// locking (see RWMutex).
func (rw *RWMutex) RLock() {
	sched.Yield()
	if rw.readerCount.Add(1) < 0 {
		// A writer holds the lock or waits for it.
		sched.Record(sched.Waiting, rw, "RLock", nil)
		rw.readerSem.acquire()
	}
	sched.Record(sched.Acquired, rw, "RLock", nil)
}

// TryRLock tries to lock rw for reading and reports whether it succeeded.
func (rw *RWMutex) TryRLock() bool {
	sched.Yield()
	for {
		c := rw.readerCount.Load()
		if c < 0 {
			return false
		}
		if rw.readerCount.CompareAndSwap(c, c+1) {
			sched.Record(sched.Acquired, rw, "TryRLock", nil)
			return true
		}
	}
}

// RUnlock undoes a single RLock call. It panics if rw is not locked for
// reading on entry to RUnlock (a fatal error for sync.RWMutex).
func (rw *RWMutex) RUnlock() {
	sched.Yield()
	if r := rw.readerCount.Add(-1); r < 0 {
		rw.rUnlockSlow(r)
		return
	}
	sched.Record(sched.Released, rw, "RUnlock", nil)
}

// rUnlockSlow is RUnlock with a writer waiting or holding the lock, or
// with rw not locked for reading.
func (rw *RWMutex) rUnlockSlow(r int32) {
	if r+1 == 0 || r+1 == -rwmutexMaxReaders {
		rw.readerCount.Add(1) // undo, so that the panic leaves rw as it was
		panic("csync: RUnlock of unlocked RWMutex")
	}
	sched.Record(sched.Released, rw, "RUnlock", nil)
	if rw.readerWait.Add(-1) == 0 {
		// The last reader the waiting writer waits for.
		rw.writerSem.release()
	}
}

// Lock locks rw for writing. If the lock is already locked for reading or
// writing, Lock blocks until it is available.
func (rw *RWMutex) Lock() {
	sched.Yield()
	if !atomic.CompareAndSwapInt32(&rw.w.state, 0, mutexLocked) {
		rw.w.lockWait(rw, "Lock")
	}
	// Announce the writer to the readers, then wait for the active ones.
	r := rw.readerCount.Add(-rwmutexMaxReaders) + rwmutexMaxReaders
	if r != 0 && rw.readerWait.Add(r) != 0 {
		sched.Record(sched.Waiting, rw, "Lock", nil)
		rw.writerSem.acquire()
	}
	sched.Record(sched.Acquired, rw, "Lock", nil)
}

// TryLock tries to lock rw for writing and reports whether it succeeded.
func (rw *RWMutex) TryLock() bool {
	sched.Yield()
	if !rw.w.tryLock() {
		return false
	}
	if !rw.readerCount.CompareAndSwap(0, -rwmutexMaxReaders) {
		rw.w.unlock()
		return false
	}
	sched.Record(sched.Acquired, rw, "TryLock", nil)
	return true
}

// Unlock unlocks rw for writing. It panics if rw is not locked for writing
// on entry to Unlock (a fatal error for sync.RWMutex).
//
// As with Mutexes, a locked RWMutex is not associated with a particular
// goroutine: one goroutine may RLock (Lock) it and another RUnlock
// (Unlock) it.
func (rw *RWMutex) Unlock() {
	sched.Yield()
	if rw.readerCount.Load() >= 0 {
		panic("csync: Unlock of unlocked RWMutex")
	}
	sched.Record(sched.Released, rw, "Unlock", nil)
	// Announce to readers there is no active writer.
	r := rw.readerCount.Add(rwmutexMaxReaders)
	// Unblock the readers that arrived meanwhile, if any.
	for range r {
		rw.readerSem.release()
	}
	rw.w.unlock()
}

// RLocker returns a sync.Locker that implements Lock and Unlock by calling
// rw.RLock and rw.RUnlock.
func (rw *RWMutex) RLocker() sync.Locker {
	return (*rlocker)(rw)
}

type rlocker RWMutex

func (r *rlocker) Lock()   { (*RWMutex)(r).RLock() }
func (r *rlocker) Unlock() { (*RWMutex)(r).RUnlock() }
