// Package testkit holds test helpers shared by chord's packages: a TestMain
// that fails the run when a goroutine outlives the tests, goroutine probes,
// and panic checks. It is imported only by _test.go files.
package testkit

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Main runs the tests and fails the run if a goroutine started by a test or
// an example is still alive once they have all finished (no goroutine
// outlives a test; goroutines in a synctest bubble are checked by synctest
// itself). rapidDefaults raises rapid's flags (e.g. "rapid.checks": "1000")
// unless the flag, its RAPID_ variable or -short says otherwise.
func Main(m *testing.M, rapidDefaults map[string]string) {
	flag.Parse()
	if !testing.Short() {
		given := map[string]bool{}
		flag.Visit(func(f *flag.Flag) { given[f.Name] = true })
		for name, v := range rapidDefaults {
			env := "RAPID_" + strings.ToUpper(strings.TrimPrefix(name, "rapid."))
			if _, ok := os.LookupEnv(env); !ok && !given[name] {
				if err := flag.Set(name, v); err != nil {
					panic(err)
				}
			}
		}
	}
	base := runtime.NumGoroutine()
	code := m.Run()
	if code == 0 {
		if n, stacks := Settle(base, 5*time.Second); n > base {
			fmt.Fprintf(os.Stderr, "FAIL: goroutines outlived the tests: %d before, %d after\n%s\n", base, n, stacks)
			code = 1
		}
	}
	os.Exit(code)
}

// NoLeak fails t if goroutines started during t are still running when it
// ends.
func NoLeak(t testing.TB) {
	t.Helper()
	base := runtime.NumGoroutine()
	t.Cleanup(func() {
		if n, stacks := Settle(base, 5*time.Second); n > base {
			t.Errorf("goroutines: %d at start, %d at end\n%s", base, n, stacks)
		}
	})
}

// Settle waits up to patience for the number of goroutines to fall back to
// base and returns the count and, if it did not, every goroutine's stack.
func Settle(base int, patience time.Duration) (int, string) {
	deadline := time.Now().Add(patience)
	for {
		n := runtime.NumGoroutine()
		if n <= base {
			return n, ""
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			return n, string(buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(time.Millisecond)
	}
}

// A Probe records the outcome of a call run in its own goroutine (Go).
// Returned is set last, so once it reports true, V and Err may be read.
type Probe[T any] struct {
	returned atomic.Bool
	V        T
	Err      error
}

// Returned reports whether the call has returned.
func (p *Probe[T]) Returned() bool { return p.returned.Load() }

// Go runs f in a new goroutine and returns a probe of its outcome.
func Go[T any](f func() (T, error)) *Probe[T] {
	p := new(Probe[T])
	go func() {
		p.V, p.Err = f()
		p.returned.Store(true)
	}()
	return p
}

// GoErr is Go for a function that returns only an error.
func GoErr(f func() error) *Probe[struct{}] {
	return Go(func() (struct{}, error) { return struct{}{}, f() })
}

// PanicValue calls f and returns what it panicked with, or nil.
func PanicValue(f func()) (v any) {
	defer func() { v = recover() }()
	f()
	return nil
}

// AssertPanicsWithPrefix checks that f panics with a string (or error)
// starting with prefix, the "pkg: what went wrong" convention.
func AssertPanicsWithPrefix(t testing.TB, prefix string, f func(), what string) bool {
	t.Helper()
	v := PanicValue(f)
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
