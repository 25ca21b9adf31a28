package selectx_test

import (
	"os"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/guard"
	"github.com/gochord/chord/internal/testkit"
	"github.com/gochord/chord/selectx"
)

const deadlockHelperEnv = "CHORD_SELECTX_DEADLOCK_HELPER"

// TestHelperSelectDeadlock is the deadlocking program of
// TestSelectDeadlockInBubbleIsReported, run only in its subprocess: two
// goroutines each select on receiving from the channel the other will send
// on only after its own receive, so both selects park forever.
func TestHelperSelectDeadlock(t *testing.T) {
	if os.Getenv(deadlockHelperEnv) != "1" {
		t.Skip("helper of TestSelectDeadlockInBubbleIsReported; runs only in its subprocess")
	}
	synctest.Test(t, func(t *testing.T) {
		c1, c2, never := chanop.New[int](), chanop.New[int](), chanop.New[int]()
		var wg sync.WaitGroup
		wg.Go(func() {
			if _, err := selectx.Select(c1.RecvOp(), never.RecvOp()); err == nil {
				_ = c2.Send(1)
			}
		})
		wg.Go(func() {
			if _, err := selectx.PriSelect(c2.RecvOp(), never.RecvOp()); err == nil {
				_ = c1.Send(2)
			}
		})
		wg.Wait()
	})
	t.Error("the deadlock was not detected")
}

// TestSelectDeadlockInBubbleIsReported checks that goroutines parked in a
// select count as durably blocked for testing/synctest: the deadlocked
// program fails promptly with synctest's report instead of hanging.
func TestSelectDeadlockInBubbleIsReported(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a subprocess")
	}
	out := testkit.RunFailingChild(t, "TestHelperSelectDeadlock", deadlockHelperEnv)
	assert.Contains(t, out, "deadlock: ", "synctest's deadlock report is missing; output:\n%s", out)
	assert.Contains(t, out, "selectx.PriSelect(", "the report should show the goroutines blocked in a select; output:\n%s", out)
	assert.NotContains(t, out, "the deadlock was not detected")
}

const warmDeadlockHelperEnv = "CHORD_SELECTX_WARM_DEADLOCK_HELPER"

// TestHelperDeadlockWithPoolsWarmedOutsideTheBubble is the program of
// TestDeadlockWithRecycledWaitersIsReported, run only in its subprocess:
// outside any bubble it parks and wakes many selects, Waits, Sends and
// Recvs, so that the pools and the channels' free lists hold waiters used
// outside; then it deadlocks inside a bubble on those same channels.
func TestHelperDeadlockWithPoolsWarmedOutsideTheBubble(t *testing.T) {
	if os.Getenv(warmDeadlockHelperEnv) != "1" {
		t.Skip("helper of TestDeadlockWithRecycledWaitersIsReported; runs only in its subprocess")
	}
	c1, c2, never := chanop.New[int](), chanop.New[int](), chanop.New[int]()
	for range 200 {
		var wg sync.WaitGroup
		wg.Go(func() { _, _ = selectx.Select(c1.RecvOp(), never.RecvOp()) })
		wg.Go(func() { _ = guard.Wait(c2.RecvOp()) })
		wg.Go(func() { _, _ = c2.Recv() })
		_ = c1.Send(1)
		_ = c2.Send(2)
		_ = c2.Send(3)
		wg.Wait()
	}
	synctest.Test(t, func(t *testing.T) {
		var wg sync.WaitGroup
		wg.Go(func() {
			if _, err := selectx.Select(c1.RecvOp(), never.RecvOp()); err == nil {
				_ = c2.Send(1)
			}
		})
		wg.Go(func() {
			if err := guard.Wait(c2.RecvOp()); err == nil {
				_ = c1.Send(2)
			}
		})
		wg.Wait()
	})
	t.Error("the deadlock was not detected")
}

// TestDeadlockWithRecycledWaitersIsReported: waiters recycled from outside
// a bubble still park durably inside it (a sync.Cond belongs to no
// bubble), so synctest reports the deadlock instead of hanging.
func TestDeadlockWithRecycledWaitersIsReported(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a subprocess")
	}
	out := testkit.RunFailingChild(t, "TestHelperDeadlockWithPoolsWarmedOutsideTheBubble", warmDeadlockHelperEnv)
	assert.Contains(t, out, "deadlock: ", "synctest's deadlock report is missing; output:\n%s", out)
	assert.NotContains(t, out, "the deadlock was not detected")
}
