package csync_test

import (
	"runtime"
	"testing"
	"time"

	"github.com/gochord/chord/internal/testkit"
)

// TestMain fails the run if a goroutine outlives the tests. Tests never
// hang: whatever could block for good if the package regressed runs in a
// synctest bubble (a deadlock there is reported) or under a deadline
// (within).
func TestMain(m *testing.M) { testkit.Main(m, nil) }

var assertPanics = testkit.AssertPanicsWithPrefix

// within runs f and fails the test if it has not returned after d, with
// every goroutine's stack: a deadlock fails instead of hanging.
func within(t *testing.T, d time.Duration, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(d):
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		t.Fatalf("not done after %v; goroutines:\n%s", d, buf)
	}
}

const patience = 20 * time.Second
