package chanop_test

import (
	"os"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/internal/testkit"
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

func TestDeadlockInBubbleIsReported(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a subprocess")
	}
	out := testkit.RunFailingChild(t, "TestHelperDeadlock", deadlockHelperEnv)
	assert.Contains(t, out, "deadlock: ", "synctest's deadlock report is missing; output:\n%s", out)
	assert.Contains(t, out, "(*Chan[...]).Recv", "the report should show the goroutines blocked in Recv; output:\n%s", out)
	assert.NotContains(t, out, "the deadlock was not detected")
}
