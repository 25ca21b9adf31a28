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
	w           Mutex // held by writers, and by a writer waiting for readers
	writerSem   sema  // a writer waits here for the readers to leave
	readerSem   sema  // readers wait here for the writer to leave
	readerCount int32 // readers holding or waiting; minus rwmutexMaxReaders with a writer (atomic)
	readerWait  int32 // readers the waiting writer waits for (atomic)
}

// rwmutexMaxReaders is the most readers an RWMutex admits at once.
const rwmutexMaxReaders = 1 << 30

var _ sync.Locker = (*RWMutex)(nil)

// RLock locks rw for reading. It must not be used for recursive read
// locking (see RWMutex).
func (rw *RWMutex) RLock() {
	// The fast path, inlined: no scheduler, and no writer.
	if inst := sched.Installed(); inst || atomic.AddInt32(&rw.readerCount, 1) < 0 {
		rw.rLockSlow(inst)
	}
}

// rLockSlow is RLock with a scheduler installed (inst: the reader is not
// counted yet), or with a writer holding the lock or waiting for it.
func (rw *RWMutex) rLockSlow(inst bool) {
	if inst {
		sched.Yield()
		if atomic.AddInt32(&rw.readerCount, 1) >= 0 {
			sched.Record(sched.Acquired, rw, "RLock", nil)
			return
		}
	}
	sched.Record(sched.Waiting, rw, "RLock", nil)
	rw.readerSem.acquire()
	sched.Record(sched.Acquired, rw, "RLock", nil)
}

// TryRLock tries to lock rw for reading and reports whether it succeeded.
func (rw *RWMutex) TryRLock() bool {
	sched.Yield()
	for {
		c := atomic.LoadInt32(&rw.readerCount)
		if c < 0 {
			return false
		}
		if atomic.CompareAndSwapInt32(&rw.readerCount, c, c+1) {
			sched.Record(sched.Acquired, rw, "TryRLock", nil)
			return true
		}
	}
}

// RUnlock undoes a single RLock call. It panics if rw is not locked for
// reading on entry to RUnlock (a fatal error for sync.RWMutex).
func (rw *RWMutex) RUnlock() {
	// The fast path, inlined: no scheduler, and no writer waiting.
	if inst := sched.Installed(); inst || atomic.AddInt32(&rw.readerCount, -1) < 0 {
		rw.rUnlockSlow(inst)
	}
}

// rUnlockSlow is RUnlock with a scheduler installed (inst: the reader is
// still counted), or with a writer waiting, or with rw not locked for
// reading.
func (rw *RWMutex) rUnlockSlow(inst bool) {
	var r int32 // readerCount after the reader left
	if inst {
		sched.Yield()
		if r = atomic.AddInt32(&rw.readerCount, -1); r >= 0 {
			sched.Record(sched.Released, rw, "RUnlock", nil)
			return
		}
	} else {
		// Not the exact count after the fast path's Add, but with rw
		// locked for reading it stays at -rwmutexMaxReaders or above until
		// this reader has left readerWait below, and at -1 only if rw was
		// not locked.
		r = atomic.LoadInt32(&rw.readerCount)
	}
	if r == -1 || r < -rwmutexMaxReaders {
		atomic.AddInt32(&rw.readerCount, 1) // undo, so that the panic leaves rw as it was
		panic("csync: RUnlock of unlocked RWMutex")
	}
	sched.Record(sched.Released, rw, "RUnlock", nil)
	if atomic.AddInt32(&rw.readerWait, -1) == 0 {
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
	r := atomic.AddInt32(&rw.readerCount, -rwmutexMaxReaders) + rwmutexMaxReaders
	if r != 0 && atomic.AddInt32(&rw.readerWait, r) != 0 {
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
	if !atomic.CompareAndSwapInt32(&rw.readerCount, 0, -rwmutexMaxReaders) {
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
	if atomic.LoadInt32(&rw.readerCount) >= 0 {
		panic("csync: Unlock of unlocked RWMutex")
	}
	sched.Record(sched.Released, rw, "Unlock", nil)
	// Announce to readers there is no active writer.
	r := atomic.AddInt32(&rw.readerCount, rwmutexMaxReaders)
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
