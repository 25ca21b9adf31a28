//go:build chorddebug

package join

import (
	"strings"
	"testing"
	"testing/synctest"

	"github.com/gochord/chord/buffer"
	"github.com/gochord/chord/guard"
)

// TestAssertNotifyFilterSkipsAFiring breaks the count the lock-free filter
// of Notify reads (avail, as if an arrival had not been counted) and
// expects the assertion mode to catch the firing the filter then skips.
func TestAssertNotifyFilterSkipsAFiring(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := buffer.New[int](1)
		p := All(From(b))
		done := make(chan error)
		go func() { done <- p.Wait() }()
		synctest.Wait() // the owner waits, listening on b

		guard.LockAll(p.locks)
		p.avail[0].Store(-100) // the broken count
		guard.UnlockAll(p.locks)

		func() {
			defer func() {
				msg, _ := recover().(string)
				if !strings.HasPrefix(msg, "join: assertion failed: Notify's lock-free filter skipped") {
					t.Errorf("got panic %q; want the filter assertion", msg)
				}
			}()
			_ = b.Send(1) // its Notify's filter returns early: caught
		}()

		// Repair the count; Close notifies again and the pattern fires.
		p.avail[0].Store(1)
		b.Close()
		if err := <-done; err != nil {
			t.Fatalf("Wait = %v after the repair; want nil", err)
		}
	})
}
