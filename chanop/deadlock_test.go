package chanop_test

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
)

// deadlockHelperEnv makes TestHelperDeadlock run its deadlocking program;
// it is set only in the subprocess that TestDeadlockInBubbleIsReported
// starts.
const deadlockHelperEnv = "CHORD_CHANOP_DEADLOCK_HELPER"

// TestHelperDeadlock is not a test of its own: it is the deadlocking
// program, run in a subprocess. Each goroutine waits to receive before it
// sends, on the channel the other one sends on, so both block forever.
func TestHelperDeadlock(t *testing.T) {
	if os.Getenv(deadlockHelperEnv) != "1" {
		t.Skip("helper of TestDeadlockInBubbleIsReported; runs only in its subprocess")
	}
	synctest.Test(t, func(t *testing.T) {
		c1, c2 := chanop.New[int](), chanop.New[int]()
		var wg sync.WaitGroup
		wg.Go(func() {
			if _, err := c1.Recv(); err == nil {
				_ = c2.Send(1)
			}
		})
		wg.Go(func() {
			if _, err := c2.Recv(); err == nil {
				_ = c1.Send(2)
			}
		})
		wg.Wait()
	})
	t.Error("the deadlock was not detected")
}

// runDeadlockHelper re-executes the test binary to run only the helper test
// named by run, with env set, and returns its combined output. It fails t
// if the child did not end by itself well within a generous timeout: a
// deadlock must be reported, never hung.
func runDeadlockHelper(t *testing.T, run, env string) string {
	t.Helper()
	const patience = 20 * time.Second
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0],
		"-test.run=^"+run+"$", "-test.count=1", "-test.v", "-test.timeout=15s")
	cmd.Env = append(os.Environ(), env+"=1")
	start := time.Now()
	out, err := cmd.CombinedOutput()
	elapsed := time.Since(start)
	require.NoError(t, ctx.Err(), "the deadlocked child hung and was killed after %v; output:\n%s", elapsed, out)
	require.Error(t, err, "the deadlocked child passed; output:\n%s", out)
	assert.NotContains(t, string(out), "test timed out", "the child hung until its own test timeout")
	t.Logf("child reported the deadlock after %v", elapsed.Round(time.Millisecond))
	return string(out)
}

func TestDeadlockInBubbleIsReported(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a subprocess")
	}
	out := runDeadlockHelper(t, "TestHelperDeadlock", deadlockHelperEnv)
	assert.Contains(t, out, "deadlock: ", "synctest's deadlock report is missing; output:\n%s", out)
	assert.Contains(t, out, "(*Chan[...]).Recv", "the report should show the goroutines blocked in Recv; output:\n%s", out)
	assert.NotContains(t, out, "the deadlock was not detected")
}
