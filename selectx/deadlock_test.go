package selectx_test

import (
	"context"
	"os"
	"os/exec"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/chanop"
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
	const patience = 20 * time.Second
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0],
		"-test.run=^TestHelperSelectDeadlock$", "-test.count=1", "-test.v", "-test.timeout=15s")
	cmd.Env = append(os.Environ(), deadlockHelperEnv+"=1")
	start := time.Now()
	b, err := cmd.CombinedOutput()
	out := string(b)
	require.NoError(t, ctx.Err(), "the deadlocked child hung and was killed after %v; output:\n%s", time.Since(start), out)
	require.Error(t, err, "the deadlocked child passed; output:\n%s", out)
	assert.NotContains(t, out, "test timed out", "the child hung until its own test timeout")
	assert.Contains(t, out, "deadlock: ", "synctest's deadlock report is missing; output:\n%s", out)
	assert.Contains(t, out, "selectx.PriSelect(", "the report should show the goroutines blocked in a select; output:\n%s", out)
	assert.NotContains(t, out, "the deadlock was not detected")
}
