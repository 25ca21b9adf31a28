package selectx_test

import (
	"os"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/internal/testkit"
	"github.com/gochord/chord/selectx"
)

const selectorDeadlockHelperEnv = "CHORD_SELECTX_SELECTOR_DEADLOCK_HELPER"

// TestHelperSelectorDeadlock is the deadlocking program of
// TestSelectorDeadlockInBubbleIsReported, run only in its subprocess: a
// Selector over channels nobody sends on, and a plain guard nobody
// completes.
func TestHelperSelectorDeadlock(t *testing.T) {
	if os.Getenv(selectorDeadlockHelperEnv) != "1" {
		t.Skip("helper of TestSelectorDeadlockInBubbleIsReported; runs only in its subprocess")
	}
	synctest.Test(t, func(t *testing.T) {
		a, b := chanop.New[int](), chanop.New[int]()
		s := selectx.NewSelector(a.RecvOp(), b.RecvOp(), b.SendOp(1))
		defer s.Close()
		_, _ = s.Select()
	})
	t.Error("the deadlock was not detected")
}

// TestSelectorDeadlockInBubbleIsReported: a parked Selector counts as
// durably blocked for testing/synctest, so a deadlock is reported, not
// hung.
func TestSelectorDeadlockInBubbleIsReported(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a subprocess")
	}
	out := testkit.RunFailingChild(t, "TestHelperSelectorDeadlock", selectorDeadlockHelperEnv)
	assert.Contains(t, out, "deadlock: ", "synctest's deadlock report is missing; output:\n%s", out)
	assert.Contains(t, out, "(*Selector).Select(", "the report should show the parked Selector; output:\n%s", out)
	assert.NotContains(t, out, "the deadlock was not detected")
}
