package csync_test

import (
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"

	"github.com/gochord/chord/csync"
	"github.com/gochord/chord/internal/testkit"
)

// waitGroup is what sync.WaitGroup and csync.WaitGroup have in common.
type waitGroup interface {
	Add(int)
	Done()
	Go(func())
	Wait()
}

var waitGroups = []struct {
	name string
	new  func() waitGroup
}{
	{"sync", func() waitGroup { return new(sync.WaitGroup) }},
	{"csync", func() waitGroup { return new(csync.WaitGroup) }},
}

// TestWaitGroup: Wait returns only after every task is done, for every
// waiter, and the group is reusable once Wait has returned.
func TestWaitGroup(t *testing.T) {
	for _, w := range waitGroups {
		t.Run(w.name, func(t *testing.T) {
			wg := w.new()
			wg.Wait() // zero: returns at once
			within(t, patience, func() {
				for round := range 3 {
					const n = 50
					var done atomic.Int32
					for i := range n {
						if i%2 == 0 {
							wg.Go(func() { done.Add(1) })
						} else {
							wg.Add(1)
							go func() {
								done.Add(1)
								wg.Done()
							}()
						}
					}
					// Several waiters, all released.
					var waiters sync.WaitGroup
					seen := make([]int32, 4)
					for k := range seen {
						waiters.Go(func() {
							wg.Wait()
							seen[k] = done.Load()
						})
					}
					wg.Wait()
					assert.EqualValues(t, n, done.Load(), "round %d", round)
					waiters.Wait()
					for k, s := range seen {
						assert.EqualValues(t, n, s, "round %d: waiter %d returned early", round, k)
					}
				}
			})
		})
	}
}

// TestWaitGroupWaitBlocks: Wait waits, durably, until the counter is zero;
// Add with a larger delta and Done in any goroutine.
func TestWaitGroupWaitBlocks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var wg csync.WaitGroup
		wg.Add(3)
		var returned atomic.Bool
		done := make(chan struct{})
		go func() {
			wg.Wait()
			returned.Store(true)
			close(done)
		}()
		synctest.Wait()
		wg.Done()
		wg.Add(-1)
		synctest.Wait()
		assert.False(t, returned.Load(), "Wait returned with the counter at 1")
		wg.Done()
		<-done
		assert.True(t, returned.Load())
	})
}

func TestWaitGroupNegativePanics(t *testing.T) {
	var wg csync.WaitGroup
	assertPanics(t, "csync: negative WaitGroup counter", wg.Done, "Done of a zero WaitGroup")
	wg.Add(1)
	assertPanics(t, "csync: negative WaitGroup counter", func() { wg.Add(-2) }, "Add(-2) at 1")
	// The panics left the counter as it was: 1.
	wg.Done()
	wg.Wait()
}

// TestWaitGroupGoPanic: as with sync.WaitGroup.Go, a task that panics
// crashes the program without marking the task done, so Wait does not
// return first. The crash happens in a child process.
func TestWaitGroupGoPanic(t *testing.T) {
	const env = "CSYNC_TEST_WAITGROUP_GO_PANIC"
	if os.Getenv(env) == "1" {
		var wg csync.WaitGroup
		wg.Go(func() { panic("task failed") })
		wg.Wait()
		t.Log("Wait returned")
		os.Exit(0) // a child that gets here passes, and the parent fails
	}
	out := testkit.RunFailingChild(t, "TestWaitGroupGoPanic", env)
	assert.Contains(t, out, "panic: task failed")
	assert.NotContains(t, out, "Wait returned")
}
