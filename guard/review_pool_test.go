package guard_test

// Adversarial review of guard.Slot/Pool and Parking: the owner reusing a
// waiter, late timers (ClaimGen), and Pool's concurrency contract.

import (
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gochord/chord/guard"
)

type reviewOp struct {
	busy atomic.Int32 // 1 while a goroutine holds the slot
}

// completeSlot completes s's entry as a partner would, without a queue.
func completeSlot(s *guard.Slot[reviewOp]) {
	w := s.Entry().W
	if !w.Claim() {
		panic("claim failed")
	}
	w.Complete(s.Entry(), nil)
	w.Wake()
}

// TestReviewPoolSerialisedGets: Gets serialised by a lock (as every Pool
// in chord does it, under its channel's mutex) while Parks push slots back
// concurrently: no slot is handed out twice, and a waiter's generation
// moves on at every reuse, so a stale ClaimGen fails.
func TestReviewPoolSerialisedGets(t *testing.T) {
	var p guard.Pool[reviewOp]
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 2000 {
				mu.Lock()
				s, fresh := p.Get()
				mu.Unlock()
				if fresh {
					s.Init(nil)
				}
				if !s.Op.busy.CompareAndSwap(0, 1) {
					t.Error("a slot handed out twice")
					return
				}
				gen := s.Entry().W.Gen()
				completeSlot(s)
				s.Op.busy.Store(0)
				w := s.Entry().W
				if err := p.Park(s, func(*reviewOp) {}); err != nil {
					t.Error(err)
					return
				}
				// A late timer of the finished generation: it must not
				// claim the waiter (which another goroutine may hold now).
				if w.ClaimGen(gen) {
					t.Error("ClaimGen of a finished generation succeeded")
					w.Release()
					return
				}
			}
		}()
	}
	wg.Wait()
}
