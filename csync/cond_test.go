package csync_test

import (
	"sync"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"

	"github.com/gochord/chord/csync"
)

// cond is what sync.Cond and csync.Cond have in common (but the field L).
type cond interface {
	Wait()
	Signal()
	Broadcast()
}

var conds = []struct {
	name string
	new  func(sync.Locker) cond
}{
	{"sync", func(l sync.Locker) cond { return sync.NewCond(l) }},
	{"csync", func(l sync.Locker) cond { return csync.NewCond(l) }},
}

// lockers are the Lockers a csync.Cond is tested with.
var lockers = []struct {
	name string
	new  func() sync.Locker
}{
	{"csync.Mutex", func() sync.Locker { return new(csync.Mutex) }},
	{"sync.Mutex", func() sync.Locker { return new(sync.Mutex) }},
}

// TestCondSignalBroadcast: Signal wakes one waiter, Broadcast all of them;
// Wait holds the lock again when it returns. In a synctest bubble, so a
// waiter not woken shows as blocked. sync.Cond passes the same test.
func TestCondSignalBroadcast(t *testing.T) {
	for _, c := range conds {
		for _, l := range lockers {
			t.Run(c.name+"/"+l.name, func(t *testing.T) {
				synctest.Test(t, func(t *testing.T) {
					mu := l.new()
					cv := c.new(mu)
					woken := 0
					var wg sync.WaitGroup
					for range 4 {
						wg.Go(func() {
							mu.Lock()
							cv.Wait()
							woken++ // under mu again
							mu.Unlock()
						})
					}
					synctest.Wait()
					mu.Lock()
					assert.Equal(t, 0, woken, "woken without a signal")
					cv.Signal()
					mu.Unlock()
					synctest.Wait()
					mu.Lock()
					assert.Equal(t, 1, woken, "after one Signal")
					mu.Unlock()
					cv.Signal() // without holding the lock
					synctest.Wait()
					mu.Lock()
					assert.Equal(t, 2, woken, "after two Signals")
					cv.Broadcast()
					mu.Unlock()
					wg.Wait()
					assert.Equal(t, 4, woken, "after Broadcast")
					cv.Signal() // nobody waits: nothing happens, and none is kept
					cv.Broadcast()
				})
			})
		}
	}
}

// TestCondSignalOrder: Signal wakes the goroutine that has waited longest.
func TestCondSignalOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu csync.Mutex
		cv := csync.NewCond(&mu)
		var order []int
		var wg csync.WaitGroup
		for i := range 4 {
			wg.Go(func() {
				mu.Lock()
				cv.Wait()
				order = append(order, i)
				mu.Unlock()
			})
			synctest.Wait() // i waits before i+1
		}
		for range 4 {
			cv.Signal()
			synctest.Wait()
		}
		wg.Wait()
		assert.Equal(t, []int{0, 1, 2, 3}, order)
	})
}

// TestCondNoLostWakeup: a Signal between a waiter's queueing and its park
// is not lost (Wait unlocks L only after queueing), and a Broadcast wakes
// only the goroutines waiting at the time: one that waits after it stays
// waiting. Many rounds of a ping-pong between two goroutines.
func TestCondNoLostWakeup(t *testing.T) {
	for _, c := range conds {
		t.Run(c.name, func(t *testing.T) {
			var mu csync.Mutex
			cv := c.new(&mu)
			turn := 0
			within(t, patience, func() {
				var wg sync.WaitGroup
				for me := range 2 {
					wg.Go(func() {
						for range 2000 {
							mu.Lock()
							for turn != me {
								cv.Wait()
							}
							turn = 1 - me
							cv.Signal()
							mu.Unlock()
						}
					})
				}
				wg.Wait()
			})
		})
	}
}

// TestCondBroadcastNotLater: a Broadcast wakes the waiters of the time
// only; a goroutine that starts waiting after it waits for the next one.
func TestCondBroadcastNotLater(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu csync.Mutex
		cv := csync.NewCond(&mu)
		gen, woken := 0, 0
		var wg csync.WaitGroup
		wait := func() {
			mu.Lock()
			for g := gen; gen == g; {
				cv.Wait()
			}
			woken++
			mu.Unlock()
		}
		for range 3 {
			wg.Go(wait)
		}
		synctest.Wait()
		mu.Lock()
		gen++
		cv.Broadcast()
		mu.Unlock()
		wg.Go(wait) // waits for gen 2
		synctest.Wait()
		mu.Lock()
		assert.Equal(t, 3, woken)
		gen++
		cv.Broadcast()
		mu.Unlock()
		wg.Wait()
		assert.Equal(t, 4, woken)
	})
}

// TestCondWaitUnlockedPanics: Wait without holding c.L panics (sync.Cond
// makes it a fatal error through its Locker), and c stays usable: the
// failed Wait does not take a later Signal.
func TestCondWaitUnlockedPanics(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu csync.Mutex
		cv := csync.NewCond(&mu)
		assertPanics(t, "csync: unlock of unlocked mutex", cv.Wait, "Wait without the lock")
		woken := false
		done := make(chan struct{})
		go func() {
			defer close(done)
			mu.Lock()
			cv.Wait()
			woken = true
			mu.Unlock()
		}()
		synctest.Wait()
		cv.Signal()
		<-done
		assert.True(t, woken)
	})
}
