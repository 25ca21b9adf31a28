package csync

import (
	"runtime"
	"sync/atomic"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/internal/sched"
)

// A sema is a counting semaphore whose waits are chord operations: a
// goroutine that must wait receives a token from a chanop.Chan, so under
// props it is parked in chord (a scheduling point, and a deadlock the
// controller reports) rather than in the runtime.
//
// n counts the tokens available when positive and, when negative, the
// goroutines committed to receiving one. A release that finds a committed
// acquirer sends it a token: the Send returns as soon as the acquirer
// reaches its Recv, which it does without waiting for anything else. The
// channel is made on first need, so that a zero sema is ready to use and
// costs two words.
type sema struct {
	n  atomic.Int64
	ch atomic.Pointer[chanop.Chan[struct{}]]
}

// acquire takes a token, waiting for one if none is available.
func (s *sema) acquire() {
	if s.n.Add(-1) >= 0 {
		return
	}
	if _, err := s.chan_().Recv(); err != nil {
		panic("csync: internal error: " + err.Error()) // never closed
	}
}

// release gives a token back, to a waiting acquirer if there is one.
func (s *sema) release() {
	if s.n.Add(1) > 0 {
		return
	}
	if err := s.chan_().Send(struct{}{}); err != nil {
		panic("csync: internal error: " + err.Error())
	}
}

// chan_ returns s's channel, making it on first use.
func (s *sema) chan_() *chanop.Chan[struct{}] {
	if c := s.ch.Load(); c != nil {
		return c
	}
	c := chanop.New[struct{}]()
	if s.ch.CompareAndSwap(nil, c) {
		return c
	}
	return s.ch.Load()
}

// Spinning: on a multiprocessor, a Lock that finds the lock taken polls it
// for a short while before it parks, as sync.Mutex does, since the holder
// is likely running and about to let go. Not under a controlled scheduler
// (props), which runs one goroutine at a time: there the holder cannot
// let go while anybody spins.
const (
	spinRounds = 4  // polls before parking
	spinLoops  = 50 // multiply-adds per poll, about 50 ns
)

var multiprocessor = runtime.NumCPU() > 1

// spinning reports whether a Lock that finds the lock held may poll:
// asked once per Lock that waits (runtime.GOMAXPROCS takes a lock).
func spinning() bool {
	return multiprocessor && !sched.Installed() && runtime.GOMAXPROCS(0) > 1
}

// spinDelay waits a little, without yielding the processor or touching
// shared memory: spinLoops dependent multiply-adds on the caller's *x.
//
//go:noinline
func spinDelay(x *uint32) {
	v := *x
	for range spinLoops {
		v = v*1664525 + 1013904223
	}
	*x = v
}
