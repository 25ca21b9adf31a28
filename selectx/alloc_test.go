package selectx_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/internal/testkit"
	"github.com/gochord/chord/selectx"
)

// TestSelectReadyPathAllocatesNothing: the package doc's "allocates nothing
// when a guard is ready".
func TestSelectReadyPathAllocatesNothing(t *testing.T) {
	idle := chanop.New[int]()
	gs := []chanop.Guard{idle.RecvOp(), chanop.When(false, chanop.Skip()), chanop.Skip(), idle.SendOp(1), chanop.After(0)}
	var f selectx.Fair
	for name, sel := range map[string]selectFn{"Select": selectx.Select, "PriSelect": selectx.PriSelect, "Fair": f.Select} {
		assert.Zero(t, testkit.AllocsWithin(t, func() { _, _ = sel(gs...) }), name)
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
			allocs := testkit.AllocsWithPoller(t, cs[n-1].SendOp(1), func() { _, _ = selectx.Select(gs...) })
			want := 2.0
			if n > 16 {
				want = 3
			}
			assert.LessOrEqual(t, allocs, want, "objects allocated by a blocking select over %d guards", n)
		})
	}
}
