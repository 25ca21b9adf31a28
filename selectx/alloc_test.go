package selectx_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/internal/testkit"
	"github.com/gochord/chord/selectx"
)

// TestSelectReadyPathAllocatesNothing: the package doc's "allocates nothing
// when a guard is ready".
func TestSelectReadyPathAllocatesNothing(t *testing.T) {
	// Two guards share idle's lock, so the select takes the sorted path:
	// its short lock list lives on the stack, never in a pool (which may
	// drop items, and does at random under the race detector).
	idle := chanop.New[int]()
	gs := []chanop.Guard{idle.RecvOp(), chanop.When(false, chanop.Skip()), chanop.Skip(), idle.SendOp(1), chanop.After(0)}
	var f selectx.Fair
	for name, sel := range map[string]selectFn{"Select": selectx.Select, "PriSelect": selectx.PriSelect, "Fair": f.Select} {
		assert.Zero(t, testkit.AllocsWithin(t, func() { _, _ = sel(gs...) }), name)
	}
}

// TestBlockingSelectAllocatesNothingInSteadyState: a blocking select takes
// its waiter, entries and lock list from a pool and gives them back, so
// once the pool is warm it allocates nothing, whatever its number of
// guards (DESIGN.md: in steady state the blocking path allocates nothing).
func TestBlockingSelectAllocatesNothingInSteadyState(t *testing.T) {
	if raceEnabled {
		t.Skip("under the race detector sync.Pool drops items at random, so a recycled block is sometimes allocated anew")
	}
	for _, n := range []int{1, 2, 16, 17, 64, 512} {
		t.Run(fmt.Sprintf("n=%d", n), func(t *testing.T) {
			cs := make([]*chanop.Chan[int], n)
			gs := make([]chanop.Guard, n)
			for i := range cs {
				cs[i] = chanop.New[int]()
				gs[i] = cs[i].RecvOp()
			}
			allocs := testkit.AllocsWithPoller(t, cs[n-1].SendOp(1), func() { _, _ = selectx.Select(gs...) })
			assert.Zero(t, allocs, "objects allocated by a blocking select over %d guards", n)
		})
	}
}

// TestBlockingSelectWithTimeoutAllocatesNothing: chanop.After re-arms one
// timer per guard and chanop.Done keeps one context callback per guard, so
// a blocking select over either, reused, allocates nothing in steady state.
func TestBlockingSelectWithTimeoutAllocatesNothing(t *testing.T) {
	if raceEnabled {
		// A dropped pool item is a new block, which no steady state avoids.
		t.Skip("sync.Pool drops items at random under the race detector")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for name, timeout := range map[string]chanop.Guard{
		"After": chanop.After(time.Hour),
		"Done":  chanop.Done(ctx),
	} {
		t.Run(name, func(t *testing.T) {
			c := chanop.New[int]()
			gs := []chanop.Guard{c.RecvOp(), timeout}
			allocs := testkit.AllocsWithPoller(t, c.SendOp(1), func() {
				if g, _ := selectx.Select(gs...); g != gs[0] {
					panic("the timeout completed")
				}
			})
			assert.Zero(t, allocs, "objects allocated by a blocking select with %s", name)
		})
	}
}
