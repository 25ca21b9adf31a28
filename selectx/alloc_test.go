package selectx_test

import (
	"fmt"
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

// TestSelectReadyPathAllocatesNothing: the package doc's "allocates nothing
// when a guard is ready".
func TestSelectReadyPathAllocatesNothing(t *testing.T) {
	idle := chanop.New[int]()
	gs := []chanop.Guard{idle.RecvOp(), chanop.When(false, chanop.Skip()), chanop.Skip(), idle.SendOp(1), chanop.After(0)}
	var f selectx.Fair
	for name, sel := range map[string]selectFn{"Select": selectx.Select, "PriSelect": selectx.PriSelect, "Fair": f.Select} {
		assert.Zero(t, allocsWithin(t, func() { _, _ = sel(gs...) }), name)
	}
}

// TestBlockingSelectAllocatesConstantObjectsWhateverTheNumberOfGuards:
// chanop's package doc promises that a blocking select allocates two
// objects, three when its guards hold more than 16 locks, whatever their
// number (DESIGN.md: O(1) objects per call, not O(n)). An earlier version
// grew its lock list by append: 2 + ⌈log2(n/16)⌉ objects.
func TestBlockingSelectAllocatesConstantObjectsWhateverTheNumberOfGuards(t *testing.T) {
	for _, n := range []int{1, 2, 16, 17, 64, 512} {
		t.Run(fmt.Sprintf("n=%d", n), func(t *testing.T) {
			cs := make([]*chanop.Chan[int], n)
			gs := make([]chanop.Guard, n)
			for i := range cs {
				cs[i] = chanop.New[int]()
				gs[i] = cs[i].RecvOp()
			}
			allocs := allocsWithPoller(t, cs[n-1].SendOp(1), func() { _, _ = selectx.Select(gs...) })
			want := 2.0
			if n > 16 {
				want = 3
			}
			assert.LessOrEqual(t, allocs, want, "objects allocated by a blocking select over %d guards", n)
		})
	}
}
