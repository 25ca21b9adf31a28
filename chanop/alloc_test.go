package chanop_test

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/selectx"
)

// allocsWithin is testing.AllocsPerRun(100, f), failing t instead of
// hanging if f blocks for good.
func allocsWithin(t *testing.T, f func()) float64 {
	t.Helper()
	res := make(chan float64, 1)
	go func() { res <- testing.AllocsPerRun(100, f) }()
	select {
	case a := <-res:
		return a
	case <-time.After(20 * time.Second):
		t.Fatal("the operation under measurement blocked for good")
		return 0
	}
}

// allocsWithPoller measures the allocations of f, a blocking operation,
// while a partner goroutine polls g with PriSelect(g, Skip) until it
// completes it. The partner's poll takes the ready path, which allocates
// nothing, so the figure is f's own.
func allocsWithPoller(t *testing.T, g chanop.Guard, f func()) float64 {
	t.Helper()
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Go(func() {
		skip := chanop.Skip()
		for !stop.Load() {
			if x, _ := selectx.PriSelect(g, skip); x == skip {
				runtime.Gosched()
			}
		}
	})
	defer wg.Wait()
	defer stop.Store(true)
	return allocsWithin(t, f)
}

// TestOperationCostsMatchThePackageDoc: "An operation that finds a partner
// waiting allocates nothing; one that blocks allocates one object (Send,
// Recv)", and Wait's single waitBlock. The figures include the partner's
// polls (AllocsPerRun counts every goroutine's allocations), which find
// the blocked operation waiting, so they check the first half too.
func TestOperationCostsMatchThePackageDoc(t *testing.T) {
	c := chanop.New[int]()
	s, r := c.SendOp(1), c.RecvOp()

	assert.LessOrEqual(t, allocsWithPoller(t, c.RecvOp(), func() { _ = c.Send(1) }), 1.0, "blocking Send")
	assert.LessOrEqual(t, allocsWithPoller(t, c.SendOp(2), func() { _, _ = c.Recv() }), 1.0, "blocking Recv")
	assert.LessOrEqual(t, allocsWithPoller(t, c.RecvOp(), func() { _ = chanop.Wait(s) }), 1.0, "blocking Wait(SendOp)")
	assert.LessOrEqual(t, allocsWithPoller(t, c.SendOp(3), func() { _ = chanop.Wait(r) }), 1.0, "blocking Wait(RecvOp)")

	closed := chanop.New[int]()
	closed.Close()
	assert.Zero(t, allocsWithin(t, func() {
		_ = closed.Send(1)
		_, _ = closed.Recv()
		_ = chanop.Wait(chanop.Skip())
	}), "operations that complete at once")
}
