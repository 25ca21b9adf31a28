package join_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/guard"
	"github.com/gochord/chord/join"
	"github.com/gochord/chord/selectx"
)

// misusePanic runs f and returns its panic message, failing t if f did not
// panic or panicked with a runtime error (a nil dereference) instead of a
// "join: …" message.
func misusePanic(t *testing.T, f func()) string {
	t.Helper()
	var r any
	func() {
		defer func() { r = recover() }()
		f()
	}()
	if r == nil {
		t.Fatal("no panic")
	}
	if _, ok := r.(runtime.Error); ok {
		t.Fatalf("runtime error instead of a misuse message: %v", r)
	}
	msg := fmt.Sprint(r)
	if !strings.HasPrefix(msg, "join: ") {
		t.Fatalf("panic %q, want a \"join: \" message", msg)
	}
	return msg
}

// TestZeroValuePatternIsRefusedNotFired: a Pattern that All did not make
// has no parts; a select must refuse it, not find it ready and "fire" it
// taking nothing.
//
// Regression test (issue 10, item 1): selectx.Select(&p, After(10ms))
// returned &p, nil at once.
func TestZeroValuePatternIsRefusedNotFired(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var p join.Pattern
		msg := misusePanic(t, func() { _, _ = selectx.Select(&p, chanop.After(10*time.Millisecond)) })
		if !strings.Contains(msg, "zero-value Pattern") {
			t.Errorf("message %q does not name the mistake", msg)
		}
		misusePanic(t, func() { _ = p.Wait() })
		misusePanic(t, func() { p.Ready() })
		misusePanic(t, func() { p.Stats() })
		var np *join.Pattern
		misusePanic(t, func() { _ = np.Wait() })
		misusePanic(t, func() { np.Ready() })
		misusePanic(t, func() { _ = guard.Wait(np) })
	})
}

// TestZeroValuePartIsRefusedByAll: All(new(Part[int])) built a pattern
// with a part over no sources, which then fired at once taking nothing.
//
// Regression test (issue 10, item 1).
func TestZeroValuePartIsRefusedByAll(t *testing.T) {
	msg := misusePanic(t, func() { join.All(new(join.Part[int])) })
	if !strings.Contains(msg, "zero-value Part") {
		t.Errorf("message %q does not name the mistake", msg)
	}
	c := chanop.New[int]()
	misusePanic(t, func() { join.All(join.From[int](c), new(join.Part[string])) })
	p := join.All(join.From[int](c))
	if p.Ready() {
		t.Fatal("pattern over an idle channel is ready")
	}
}
