package csync

import (
	"sync/atomic"

	"github.com/gochord/chord/internal/sched"
)

// A WaitGroup waits for a collection of tasks to finish, sync.WaitGroup's
// drop-in: the same methods with the same semantics. Under props every
// Add, Done, Go and Wait is a scheduling point and a goroutine blocked in
// Wait is parked in a chord operation.
//
// The zero value for a WaitGroup is ready to use: no tasks. A WaitGroup
// must not be copied after first use.
//
// Typically, a main goroutine starts tasks, each in a new goroutine, by
// calling WaitGroup.Go and then waits for all tasks to complete by calling
// WaitGroup.Wait.
type WaitGroup struct {
	_     noCopy
	state atomic.Uint64 // the counter in the high 32 bits, the waiters in the low 32
	sema  sema
}

// Add adds delta, which may be negative, to the WaitGroup's task counter.
// If the counter becomes zero, all goroutines blocked on Wait are
// released. If the counter goes negative, Add panics.
//
// As with sync.WaitGroup, calls with a positive delta that occur when the
// counter is zero must happen before a Wait; a WaitGroup reused to wait
// for a new set of tasks must see the previous Wait calls return before
// new Add calls. Callers should prefer WaitGroup.Go.
func (wg *WaitGroup) Add(delta int) {
	sched.Yield()
	wg.add(delta)
}

func (wg *WaitGroup) add(delta int) {
	state := wg.state.Add(uint64(delta) << 32)
	v := int32(state >> 32)
	w := uint32(state)
	if v < 0 {
		wg.state.Add(-uint64(delta) << 32) // undo, so that the panic leaves wg as it was
		panic("csync: negative WaitGroup counter")
	}
	if w != 0 && delta > 0 && v == int32(delta) {
		panic("csync: WaitGroup misuse: Add called concurrently with Wait")
	}
	if v > 0 || w == 0 {
		return
	}
	// The counter is 0 and there are waiters: nothing may change state now
	// (an Add from 0 must happen before Wait, and a Wait does not add
	// itself once the counter is 0).
	if wg.state.Load() != state {
		panic("csync: WaitGroup misuse: Add called concurrently with Wait")
	}
	wg.state.Store(0)
	for ; w != 0; w-- {
		wg.sema.release()
	}
}

// Done decrements the WaitGroup's task counter by one. It is equivalent
// to Add(-1).
func (wg *WaitGroup) Done() {
	sched.Yield()
	wg.add(-1)
}

// Go calls f in a new goroutine and adds that task to the WaitGroup. When
// f returns, the task is removed from the WaitGroup.
//
// The function f must not panic. As with sync.WaitGroup.Go, a panic in f
// is not recovered and does not mark the task done: it crashes the
// program as the panic of any goroutine does, without letting Wait return
// first.
//
// If the WaitGroup is empty, Go must happen before a WaitGroup.Wait.
// Typically, this simply means Go is called to start tasks before Wait is
// called. If the WaitGroup is not empty, Go may happen at any time: a
// task may start others.
func (wg *WaitGroup) Go(f func()) {
	wg.Add(1)
	go func() {
		defer func() {
			if x := recover(); x != nil {
				panic(x) // do not let Wait return before the crash
			}
			wg.Done() // f returned, or called runtime.Goexit
		}()
		f()
	}()
}

// Wait blocks until the WaitGroup's task counter is zero.
func (wg *WaitGroup) Wait() {
	sched.Yield()
	for {
		state := wg.state.Load()
		if int32(state>>32) == 0 {
			return
		}
		if wg.state.CompareAndSwap(state, state+1) {
			wg.sema.acquire()
			if wg.state.Load() != 0 {
				panic("csync: WaitGroup is reused before previous Wait has returned")
			}
			return
		}
	}
}

// noCopy makes go vet's copylocks check report copies of the struct that
// embeds it (see sync.noCopy).
type noCopy struct{}

// Lock is a no-op used by go vet's copylocks check.
func (*noCopy) Lock() {}

// Unlock is a no-op used by go vet's copylocks check.
func (*noCopy) Unlock() {}
