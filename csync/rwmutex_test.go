package csync_test

import (
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/csync"
)

// rwLocker is what sync.RWMutex and csync.RWMutex have in common.
type rwLocker interface {
	tryLocker
	RLock()
	RUnlock()
	TryRLock() bool
	RLocker() sync.Locker
}

var rwmutexes = []struct {
	name string
	new  func() rwLocker
}{
	{"sync", func() rwLocker { return new(sync.RWMutex) }},
	{"csync", func() rwLocker { return new(csync.RWMutex) }},
}

// TestRWMutexExclusion: g goroutines, a quarter of the sections writes;
// no writer overlaps anybody, readers see consistent data (and -race
// checks the plain fields).
func TestRWMutexExclusion(t *testing.T) {
	for _, m := range rwmutexes {
		t.Run(m.name, func(t *testing.T) {
			rw := m.new()
			var a, b, writes int // a == b outside a write
			var state atomic.Int64
			const writer = 1 << 32
			var bad atomic.Int64
			within(t, patience, func() {
				var wg sync.WaitGroup
				for i := range 8 {
					wg.Go(func() {
						for k := range 2000 {
							if (i+k)%4 == 0 {
								rw.Lock()
								if state.Add(writer) != writer {
									bad.Add(1)
								}
								a++
								b++
								writes++
								state.Add(-writer)
								rw.Unlock()
							} else {
								lk := sync.Locker(rw.RLocker())
								if k%2 == 0 {
									rw.RLock()
									lk = nil
								} else {
									lk.Lock()
								}
								if state.Add(1) >= writer {
									bad.Add(1)
								}
								if a != b {
									bad.Add(1)
								}
								state.Add(-1)
								if lk != nil {
									lk.Unlock()
								} else {
									rw.RUnlock()
								}
							}
						}
					})
				}
				wg.Wait()
			})
			assert.Zero(t, bad.Load(), "overlapping writers or torn reads")
			assert.Equal(t, 8*2000/4, writes)
		})
	}
}

// TestRWMutexReadersConcurrent: readers hold the lock together.
func TestRWMutexReadersConcurrent(t *testing.T) {
	for _, m := range rwmutexes {
		t.Run(m.name, func(t *testing.T) {
			rw := m.new()
			const n = 4
			var in sync.WaitGroup
			in.Add(n)
			out := make(chan struct{})
			var wg sync.WaitGroup
			within(t, patience, func() {
				for range n {
					wg.Go(func() {
						rw.RLock()
						in.Done()
						<-out // hold the read lock until all n have it
						rw.RUnlock()
					})
				}
				in.Wait() // all n readers inside at once
				assert.False(t, rw.TryLock(), "TryLock with readers")
				assert.True(t, rw.TryRLock(), "TryRLock with readers")
				rw.RUnlock()
				close(out)
				wg.Wait()
				assert.True(t, rw.TryLock())
				assert.False(t, rw.TryRLock(), "TryRLock with a writer")
				assert.False(t, rw.TryLock(), "TryLock with a writer")
				rw.Unlock()
			})
		})
	}
}

// TestRWMutexWriterWaits: a writer waits for the readers; readers arriving
// after it wait for it (writers are not starved), and get in when it
// unlocks.
func TestRWMutexWriterWaits(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var rw csync.RWMutex
		var log []string
		var mu sync.Mutex // guards log
		note := func(s string) {
			mu.Lock()
			log = append(log, s)
			mu.Unlock()
		}
		rw.RLock()
		var wg csync.WaitGroup
		wg.Go(func() {
			rw.Lock()
			note("writer in")
			rw.Unlock()
		})
		synctest.Wait()
		wg.Go(func() {
			rw.RLock() // a writer is waiting: waits for it
			note("late reader in")
			rw.RUnlock()
		})
		synctest.Wait()
		assert.Empty(t, log, "writer or late reader got in beside a reader")
		rw.RUnlock()
		wg.Wait()
		assert.Equal(t, []string{"writer in", "late reader in"}, log)
	})
}

// TestRWMutexReadersWaitForWriter: readers wait while a writer holds the
// lock; its Unlock lets all of them in at once.
func TestRWMutexReadersWaitForWriter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var rw csync.RWMutex
		rw.Lock()
		var in atomic.Int32
		hold := make(chan struct{})
		var wg csync.WaitGroup
		for range 3 {
			wg.Go(func() {
				rw.RLock()
				in.Add(1)
				<-hold
				rw.RUnlock()
			})
		}
		synctest.Wait()
		assert.EqualValues(t, 0, in.Load())
		rw.Unlock()
		synctest.Wait()
		assert.EqualValues(t, 3, in.Load(), "readers inside together after the writer left")
		close(hold)
		wg.Wait()
	})
}

func TestRWMutexMisusePanics(t *testing.T) {
	var rw csync.RWMutex
	assertPanics(t, "csync: RUnlock of unlocked RWMutex", rw.RUnlock, "RUnlock of a zero RWMutex")
	assertPanics(t, "csync: Unlock of unlocked RWMutex", rw.Unlock, "Unlock of a zero RWMutex")
	rw.RLock()
	assertPanics(t, "csync: Unlock of unlocked RWMutex", rw.Unlock, "Unlock of a read-locked RWMutex")
	rw.RUnlock()
	rw.Lock()
	assertPanics(t, "csync: RUnlock of unlocked RWMutex", rw.RUnlock, "RUnlock of a write-locked RWMutex")
	rw.Unlock()
	// The panics left it as it was: unlocked.
	require.True(t, rw.TryLock())
	rw.Unlock()
	require.True(t, rw.TryRLock())
	rw.RUnlock()
}

// TestRWMutexZeroValue: an RWMutex in a zero struct is usable both ways.
func TestRWMutexZeroValue(t *testing.T) {
	var s struct{ rw csync.RWMutex }
	s.rw.RLock()
	s.rw.RLock()
	assert.False(t, s.rw.TryLock())
	s.rw.RUnlock()
	s.rw.RUnlock()
	s.rw.Lock()
	assert.False(t, s.rw.TryRLock())
	s.rw.Unlock()
	l := s.rw.RLocker()
	l.Lock()
	assert.False(t, s.rw.TryLock())
	l.Unlock()
}
