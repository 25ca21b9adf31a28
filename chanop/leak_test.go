package chanop_test

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestMain fails the run if a goroutine started by a test or an example is
// still alive once they have all finished: no goroutine outlives a test.
// Goroutines in a synctest bubble are checked by synctest itself (a bubble
// does not end while one of its goroutines is blocked); this catches the
// rest, e.g. an example's sender that never got its partner.
//
// Tests never hang: an operation that could block forever if the library
// regressed runs in a synctest bubble (a deadlock there is reported) or
// under a real-time deadline.
func TestMain(m *testing.M) {
	base := runtime.NumGoroutine()
	code := m.Run()
	if code == 0 {
		if leaked := leakedGoroutines(base, 2*time.Second); leaked != "" {
			fmt.Fprintf(os.Stderr, "FAIL: goroutines outlived the tests (baseline %d):\n%s\n", base, leaked)
			code = 1
		}
	}
	os.Exit(code)
}

// leakedGoroutines waits up to patience for the number of goroutines to fall
// back to base, and returns a dump of all goroutines if it does not.
func leakedGoroutines(base int, patience time.Duration) string {
	deadline := time.Now().Add(patience)
	for {
		if runtime.NumGoroutine() <= base {
			return ""
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			return string(buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// probe records the outcome of a call run in its own goroutine (goCall).
// Returned is set last, so once it reports true, V and Err may be read.
type probe[T any] struct {
	returned atomic.Bool
	V        T
	Err      error
}

func (p *probe[T]) Returned() bool { return p.returned.Load() }

// goCall runs f in a new goroutine and returns a probe of its outcome.
func goCall[T any](f func() (T, error)) *probe[T] {
	p := new(probe[T])
	go func() {
		p.V, p.Err = f()
		p.returned.Store(true)
	}()
	return p
}

// goErr is goCall for a function that returns only an error.
func goErr(f func() error) *probe[struct{}] {
	return goCall(func() (struct{}, error) { return struct{}{}, f() })
}

// panicValue calls f and returns what it panicked with, or nil.
func panicValue(f func()) (v any) {
	defer func() { v = recover() }()
	f()
	return nil
}

// assertPanicsWithPrefix checks that f panics with a string (or error)
// starting with prefix, the package's "pkg: what went wrong" convention.
func assertPanicsWithPrefix(t testing.TB, prefix string, f func(), what string) bool {
	t.Helper()
	v := panicValue(f)
	if v == nil {
		t.Errorf("%s: did not panic; want a panic starting with %q", what, prefix)
		return false
	}
	var msg string
	switch v := v.(type) {
	case string:
		msg = v
	case error:
		msg = v.Error()
	default:
		msg = fmt.Sprint(v)
	}
	if !strings.HasPrefix(msg, prefix) {
		t.Errorf("%s: panicked with %q (%T); want a message starting with %q", what, msg, v, prefix)
		return false
	}
	return true
}
