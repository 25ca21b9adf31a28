package csync

import (
	"sync/atomic"

	"github.com/gochord/chord/internal/sched"
)

// A Once is an object that will perform exactly one action,
// sync.Once's drop-in. Under props every Do is a scheduling point, and a
// goroutine waiting for another's Do to finish is parked in a chord
// operation.
//
// The zero value for a Once is ready to use. A Once must not be copied
// after first use.
type Once struct {
	_    noCopy
	done uint32 // 1 once f has run (atomic)
	m    Mutex
}

// Do calls the function f if and only if Do is being called for the first
// time for this instance of Once. In other words, given
//
//	var once Once
//
// if once.Do(f) is called multiple times, only the first call will invoke
// f, even if f has a different value in each invocation.
//
// No call to Do returns until the one call to f returns; so if f calls Do
// on the same Once it deadlocks (under props, a reported deadlock). If f
// panics, Do considers it to have returned: future calls of Do return
// without calling f.
func (o *Once) Do(f func()) {
	// The fast path, inlined: no scheduler, and f has run.
	if atomic.LoadUint32(&o.done) == 0 || sched.Installed() {
		o.doSlow(f)
	}
}

func (o *Once) doSlow(f func()) {
	sched.Yield()
	if atomic.LoadUint32(&o.done) == 1 {
		return
	}
	o.m.lock()
	defer o.m.unlock()
	if atomic.LoadUint32(&o.done) == 0 {
		defer atomic.StoreUint32(&o.done, 1)
		f()
	}
}
