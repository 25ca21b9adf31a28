package props_test

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/csync"
	"github.com/gochord/chord/props"
)

// TestShrunkDeadlockKeepsItsGoroutines is a negative control: a
// lock-order inversion among workers whose end the property's goroutine
// waits for on a sync.WaitGroup, then checks that every worker did its
// work. While a run is ended, the workers exit and the WaitGroup lets the
// main goroutine go on to its check: what it finds then is not the run's
// verdict, and a shrunk run must still be the deadlock, with the same
// goroutines blocked at the same places.
func TestShrunkDeadlockKeepsItsGoroutines(t *testing.T) {
	out := props.ExpectViolation(t, "inversion", func(r *props.Run) {
		var a, b csync.Mutex
		var wg sync.WaitGroup
		done := 0
		c := chanop.New[int]()
		go func() {
			for {
				if _, err := c.Recv(); err != nil {
					return
				}
			}
		}()
		for i := range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_ = c.Send(i)
				if i == 2 {
					b.Lock()
					_ = c.Send(i)
					a.Lock()
					done++
					a.Unlock()
					b.Unlock()
				} else {
					a.Lock()
					_ = c.Send(i)
					b.Lock()
					done++
					b.Unlock()
					a.Unlock()
				}
			}()
		}
		wg.Wait()
		c.Close()
		if done != 3 {
			r.T.Fatalf("only %d workers done", done)
		}
	})
	assert.Contains(t, out, "deadlock: main, ")
	assert.Regexp(t, `main: blocked in WaitGroup.Wait at hang_test.go:\d+ \(not scheduled by props: use csync.WaitGroup\)`, out)
	assert.Regexp(t, `go \d: blocked in Mutex.Lock at hang_test.go:\d+, waiting for mutex 1 \(held by go \d\), holding mutex 0`, out)
	assert.Regexp(t, `go \d: blocked in Mutex.Lock at hang_test.go:\d+, waiting for mutex 0 \(held by go \d\), holding mutex 1`, out)
	assert.NotContains(t, out, "workers done")
}

// TestBlockedOnPlainMutexIsReported is a negative control: a goroutine
// blocked on a sync.Mutex held by one parked at a scheduling point is at
// no scheduling point, and the run would wait for it for ever. The
// watchdog reports it within seconds: who, where, and what to use instead.
func TestBlockedOnPlainMutexIsReported(t *testing.T) {
	out := props.ExpectFailure(t, "plain mutex", func(t *testing.T) {
		props.Check(t, func(r *props.Run) {
			var mu sync.Mutex
			c := chanop.New[int]()
			r.Go("holder", func() {
				mu.Lock()
				_ = c.Send(1) // parks at a scheduling point, holding mu
				mu.Unlock()
			})
			r.Go("waiter", func() {
				mu.Lock()
				_ = c
				mu.Unlock()
			})
			_, _ = c.Recv()
		})
	})
	require.Contains(t, out, "props: the run hangs: waiter is blocked outside chord")
	assert.Regexp(t, `waiter: blocked in Mutex.Lock at hang_test.go:\d+: props does not schedule it; use csync.Mutex`, out)
	assert.Contains(t, out, "schedule: ")
}

// TestBlockedOnGoChannelIsAdvised is a negative control: a goroutine
// blocked for good on a Go channel made in the run shows in the deadlock
// report, with what to use instead.
func TestBlockedOnGoChannelIsAdvised(t *testing.T) {
	out := props.ExpectViolation(t, "go channel", func(r *props.Run) {
		ch := make(chan int)
		c := chanop.New[int]()
		r.Go("waiter", func() { <-ch })
		_, _ = c.Recv()
	})
	assert.Regexp(t, `waiter: blocked in a chan receive at hang_test.go:\d+ \(not scheduled by props: use chanop.Chan\)`, out)
}
