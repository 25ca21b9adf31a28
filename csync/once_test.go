package csync_test

import (
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"

	"github.com/gochord/chord/csync"
)

// once is what sync.Once and csync.Once have in common.
type once interface{ Do(func()) }

var onces = []struct {
	name string
	new  func() once
}{
	{"sync", func() once { return new(sync.Once) }},
	{"csync", func() once { return new(csync.Once) }},
}

// TestOnce: f runs once however many goroutines call Do, and no Do
// returns before it has.
func TestOnce(t *testing.T) {
	for _, o := range onces {
		t.Run(o.name, func(t *testing.T) {
			on := o.new()
			var calls, finished atomic.Int32
			within(t, patience, func() {
				var wg sync.WaitGroup
				for range 16 {
					wg.Go(func() {
						on.Do(func() {
							calls.Add(1)
							finished.Store(1)
						})
						if finished.Load() != 1 {
							t.Error("Do returned before f did")
						}
					})
				}
				wg.Wait()
			})
			assert.EqualValues(t, 1, calls.Load())
			on.Do(func() { t.Error("f called a second time") })
		})
	}
}

// TestOnceWaits: a Do that comes while f runs waits for it, durably.
func TestOnceWaits(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var on csync.Once
		release := make(chan struct{})
		var second atomic.Bool
		var wg csync.WaitGroup
		wg.Go(func() { on.Do(func() { <-release }) })
		synctest.Wait()
		wg.Go(func() {
			on.Do(func() { t.Error("f called twice") })
			second.Store(true)
		})
		synctest.Wait()
		assert.False(t, second.Load(), "the second Do returned while f runs")
		close(release)
		wg.Wait()
		assert.True(t, second.Load())
	})
}

// TestOncePanic: if f panics, Do panics with it, and considers f done:
// later calls do not call f.
func TestOncePanic(t *testing.T) {
	for _, o := range onces {
		t.Run(o.name, func(t *testing.T) {
			on := o.new()
			assert.PanicsWithValue(t, "boom", func() { on.Do(func() { panic("boom") }) })
			called := false
			on.Do(func() { called = true })
			assert.False(t, called, "f called after the first one panicked")
		})
	}
}

// TestZeroValues: the zero values of everything but Cond are ready to use,
// as sync's are.
func TestZeroValues(t *testing.T) {
	var s struct {
		mu   csync.Mutex
		rw   csync.RWMutex
		wg   csync.WaitGroup
		once csync.Once
	}
	n := 0
	s.mu.Lock()
	n++
	s.mu.Unlock()
	s.rw.RLock()
	n++
	s.rw.RUnlock()
	s.rw.Lock()
	n++
	s.rw.Unlock()
	s.wg.Wait()
	s.wg.Go(func() {})
	s.wg.Wait()
	s.once.Do(func() { n++ })
	s.once.Do(func() { n++ })
	assert.Equal(t, 4, n)
	cv := csync.NewCond(&s.mu)
	assert.Same(t, &s.mu, cv.L)
}
