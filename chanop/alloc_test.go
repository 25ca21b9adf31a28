package chanop_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/guard"
	"github.com/gochord/chord/internal/testkit"
)

// TestOperationCostsMatchThePackageDoc: "An operation that finds a partner
// waiting allocates nothing; one that blocks allocates nothing either once
// its channel (Send, Recv) or the package (Wait) has a recycled block". The figures include the partner's
// polls (AllocsPerRun counts every goroutine's allocations), which find
// the blocked operation waiting, so they check the first half too.
func TestOperationCostsMatchThePackageDoc(t *testing.T) {
	c := chanop.New[int]()
	s, r := c.SendOp(1), c.RecvOp()

	assert.Zero(t, testkit.AllocsWithPoller(t, c.RecvOp(), func() { _ = c.Send(1) }), "blocking Send")
	assert.Zero(t, testkit.AllocsWithPoller(t, c.SendOp(2), func() { _, _ = c.Recv() }), "blocking Recv")
	assert.Zero(t, testkit.AllocsWithPoller(t, c.RecvOp(), func() { _ = guard.Wait(s) }), "blocking Wait(SendOp)")
	assert.Zero(t, testkit.AllocsWithPoller(t, c.SendOp(3), func() { _ = guard.Wait(r) }), "blocking Wait(RecvOp)")

	closed := chanop.New[int]()
	closed.Close()
	skip := chanop.Skip() // one tiny allocation per Skip call; none per select
	assert.Zero(t, testkit.AllocsWithin(t, func() {
		_ = closed.Send(1)
		_, _ = closed.Recv()
		_ = guard.Wait(skip)
	}), "operations that complete at once")
}
