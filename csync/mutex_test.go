package csync_test

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/csync"
)

// tryLocker is what sync.Mutex and csync.Mutex have in common.
type tryLocker interface {
	sync.Locker
	TryLock() bool
}

// mutexes are the implementations the semantic tests run side by side:
// each must pass the same assertions.
var mutexes = []struct {
	name string
	new  func() tryLocker
}{
	{"sync", func() tryLocker { return new(sync.Mutex) }},
	{"csync", func() tryLocker { return new(csync.Mutex) }},
	{"csync.RWMutex", func() tryLocker { return new(csync.RWMutex) }},
}

// hammer has g goroutines increment a plain counter n times each inside
// lock/unlock, and reports the counter and the most goroutines seen inside
// at once. Under -race a lapse of mutual exclusion is also a data race.
func hammer(g, n int, lock, unlock func()) (counter int, most int64) {
	var in, max atomic.Int64
	var wg sync.WaitGroup
	for range g {
		wg.Go(func() {
			for range n {
				lock()
				if k := in.Add(1); k > max.Load() {
					max.Store(k)
				}
				counter++
				in.Add(-1)
				unlock()
			}
		})
	}
	wg.Wait()
	return counter, max.Load()
}

func TestMutualExclusion(t *testing.T) {
	for _, m := range mutexes {
		t.Run(m.name, func(t *testing.T) {
			for _, g := range []int{1, 2, 8} {
				mu := m.new()
				within(t, patience, func() {
					c, most := hammer(g, 3000, mu.Lock, mu.Unlock)
					assert.Equal(t, g*3000, c, "g=%d", g)
					assert.EqualValues(t, 1, most, "g=%d: goroutines inside at once", g)
				})
			}
		})
	}
}

// TestMutualExclusionTryLock mixes TryLock (spinning on failure) with Lock.
func TestMutualExclusionTryLock(t *testing.T) {
	for _, m := range mutexes {
		t.Run(m.name, func(t *testing.T) {
			mu := m.new()
			within(t, patience, func() {
				lock := func() {
					for !mu.TryLock() {
						runtime.Gosched()
					}
				}
				var wg sync.WaitGroup
				var c1, c2 int
				var most1, most2 int64
				wg.Go(func() { c1, most1 = hammer(2, 1000, lock, mu.Unlock) })
				wg.Go(func() { c2, most2 = hammer(2, 1000, mu.Lock, mu.Unlock) })
				wg.Wait()
				assert.Equal(t, 2000, c1)
				assert.Equal(t, 2000, c2)
				_, _ = most1, most2
			})
		})
	}
}

func TestTryLock(t *testing.T) {
	for _, m := range mutexes {
		t.Run(m.name, func(t *testing.T) {
			mu := m.new()
			require.True(t, mu.TryLock(), "TryLock of an unlocked mutex")
			assert.False(t, mu.TryLock(), "TryLock of a locked mutex")
			mu.Unlock()
			mu.Lock()
			assert.False(t, mu.TryLock())
			mu.Unlock()
			assert.True(t, mu.TryLock())
			mu.Unlock()
		})
	}
}

// TestMutexZeroValue: a Mutex in a zero struct is unlocked and usable.
func TestMutexZeroValue(t *testing.T) {
	var s struct {
		mu csync.Mutex
		n  int
	}
	s.mu.Lock()
	s.n++
	s.mu.Unlock()
	assert.True(t, s.mu.TryLock())
	s.mu.Unlock()
}

// TestMutexBlocks: Lock waits while the mutex is held, durably (synctest
// sees the waiter blocked, so a deadlock is detectable), and one Unlock
// lets exactly one waiter in.
func TestMutexBlocks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu csync.Mutex
		var inside atomic.Int32
		mu.Lock()
		release := make(chan struct{})
		var wg csync.WaitGroup
		for range 3 {
			wg.Go(func() {
				mu.Lock()
				inside.Add(1)
				<-release
				mu.Unlock()
			})
		}
		synctest.Wait()
		assert.EqualValues(t, 0, inside.Load(), "Lock returned while the mutex was held")
		mu.Unlock()
		synctest.Wait()
		assert.EqualValues(t, 1, inside.Load(), "one Unlock let in")
		close(release)
		wg.Wait()
		assert.EqualValues(t, 3, inside.Load())
	})
}

// TestMutexUnlockByAnother: as with sync.Mutex, the goroutine that
// unlocks need not be the one that locked.
func TestMutexUnlockByAnother(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu csync.Mutex
		mu.Lock()
		done := make(chan struct{})
		go func() {
			mu.Unlock()
			close(done)
		}()
		<-done
		mu.Lock() // does not block
		assert.False(t, mu.TryLock())
		mu.Unlock()
	})
}

func TestMutexUnlockUnlockedPanics(t *testing.T) {
	var mu csync.Mutex
	assertPanics(t, "csync: unlock of unlocked mutex", mu.Unlock, "Unlock of a zero Mutex")
	mu.Lock()
	assert.False(t, mu.TryLock())
	mu.Unlock()
	assertPanics(t, "csync: unlock of unlocked mutex", mu.Unlock, "second Unlock")
	// The panic left the mutex as it was: unlocked and usable.
	require.True(t, mu.TryLock())
	mu.Unlock()
}

// TestMutexDeadlockIsDurable: a goroutine locking a mutex it holds is
// blocked durably, as synctest sees it: a deadlock in a bubble is
// reported rather than hung. (Here it is undone by another goroutine.)
func TestMutexDeadlockIsDurable(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu csync.Mutex
		var twice atomic.Bool
		done := make(chan struct{})
		go func() {
			defer close(done)
			mu.Lock()
			mu.Lock() // self-deadlock
			twice.Store(true)
			mu.Unlock()
		}()
		synctest.Wait() // returns: the goroutine is durably blocked
		assert.False(t, twice.Load())
		mu.Unlock()
		<-done
		assert.True(t, twice.Load())
	})
}

// TestMutexStarvation: a goroutine that relocks at once, holding the lock
// for 100µs at a time, does not keep a waiter out for long: once it has
// waited a millisecond the lock is handed over to it (fake time).
func TestMutexStarvation(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu csync.Mutex
		var stop atomic.Bool
		var wg csync.WaitGroup
		rounds := 0
		wg.Go(func() {
			for !stop.Load() && rounds < 10000 {
				mu.Lock()
				time.Sleep(100 * time.Microsecond)
				rounds++
				mu.Unlock()
			}
		})
		time.Sleep(time.Microsecond) // the greedy goroutine holds the lock
		start := time.Now()
		mu.Lock()
		waited := time.Since(start)
		stop.Store(true)
		mu.Unlock()
		wg.Wait()
		assert.Less(t, waited, 5*time.Millisecond, "the waiter waited %d rounds", rounds)
		t.Logf("waited %v", waited)
	})
}
