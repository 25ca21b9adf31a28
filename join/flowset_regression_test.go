package join_test

import (
	"runtime"
	"testing"
	"time"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/join"
	"github.com/gochord/chord/selectx"
)

// advWaitLen waits until c has n live senders.
func advWaitLen(t *testing.T, c *chanop.Chan[int], n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for c.Len() != n {
		if time.Now().After(deadline) {
			t.Fatalf("Len=%d, want %d", c.Len(), n)
		}
		time.Sleep(50 * time.Microsecond)
	}
}

func advDump() string {
	buf := make([]byte, 1<<20)
	return string(buf[:runtime.Stack(buf, true)])
}

// TestFlowMatchClaimsEachWaiterOnce: a firing of more than 16 waiters
// that the exhaustive matcher (matchFlow) decides, with a sender whose
// select offers twice on one source. Found by an adversarial review: the
// matcher added its picks to the claim set without the waiter set that
// matcher.has consults beyond 16 waiters, so the double sender was claimed
// twice and ClaimAll spun for ever on its own claim, holding every source
// lock.
func TestFlowMatchClaimsEachWaiterOnce(t *testing.T) {
	d, c, e := chanop.New[int](), chanop.New[int](), chanop.New[int]()
	// X offers on d and c; it is first on d.
	go func() { _, _ = selectx.Select(d.SendOp(100), c.SendOp(101)) }()
	advWaitLen(t, d, 1)
	// Y on d only.
	go func() { _ = d.Send(200) }()
	advWaitLen(t, d, 2)
	// 15 plain senders on e.
	for i := range 15 {
		go func() { _ = e.Send(i) }()
		advWaitLen(t, e, i+1)
	}
	// S0: a select offering twice on e, queued last.
	go func() { _, _ = selectx.Select(e.SendOp(300), e.SendOp(301)) }()
	// e.Len counts entries of live waiters: 15 + 2.
	advWaitLen(t, e, 17)

	p := join.All(join.From[int](d), join.From[int](c), join.FromN[int](e, 16))
	done := make(chan error, 1)
	go func() { done <- p.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Wait: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("pattern Wait hung: a waiter is claimed twice\n%s", advDump())
	}
}

// TestFlowMatchForParkedOwnerClaimsEachWaiterOnce: the same through lazy
// matching: the owner is parked first, and the last sender's Notify runs
// the exhaustive matcher.
func TestFlowMatchForParkedOwnerClaimsEachWaiterOnce(t *testing.T) {
	d, c, e := chanop.New[int](), chanop.New[int](), chanop.New[int]()
	p := join.All(join.From[int](d), join.From[int](c), join.FromN[int](e, 16))
	done := make(chan error, 1)
	go func() { done <- p.Wait() }()
	time.Sleep(10 * time.Millisecond) // owner parked, listening
	go func() { _, _ = selectx.Select(d.SendOp(100), c.SendOp(101)) }()
	advWaitLen(t, d, 1)
	go func() { _ = d.Send(200) }()
	advWaitLen(t, d, 2)
	for i := range 15 {
		go func() { _ = e.Send(i) }()
		advWaitLen(t, e, i+1)
	}
	go func() { _, _ = selectx.Select(e.SendOp(300), e.SendOp(301)) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Wait: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("pattern never fired: Notify spins in ClaimAll on a duplicated waiter\n%s", advDump())
	}
}
