// Package testkit holds test helpers shared by chord's packages: a TestMain
// that fails the run when a goroutine outlives the tests, goroutine probes,
// panic checks, the checks of the narrated commands' play functions
// (Narrates, NarratesViolation, Replays) and of their command line (Run,
// Help, CommandLine). It is imported only by _test.go files.
package testkit

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"strconv"
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
		for name, v := range rapidDefaults {
			if !userChose(name) {
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

// SetRapidFlag sets rapid's flag name (e.g. "rapid.checks") to value for
// the rest of t, unless the user chose it with the flag or its RAPID_
// variable; with raise, only if value is a larger number than the current
// one. The old value comes back when t ends.
func SetRapidFlag(t testing.TB, name, value string, raise bool) {
	t.Helper()
	f := flag.Lookup(name)
	if f == nil {
		t.Fatalf("rapid's -%s flag is not registered", name)
	}
	if userChose(name) {
		return
	}
	old := f.Value.String()
	if raise {
		cur, err1 := strconv.Atoi(old)
		want, err2 := strconv.Atoi(value)
		if err1 == nil && err2 == nil && cur >= want {
			return
		}
	}
	// Value.Set, unlike flag.Set, leaves the flag looking unset, so the
	// next test still sees it as a default it may change.
	if err := f.Value.Set(value); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Value.Set(old) })
}

// userChose reports whether rapid's flag name was given on the command line
// or through its RAPID_ environment variable.
func userChose(name string) bool {
	env := "RAPID_" + strings.ToUpper(strings.TrimPrefix(name, "rapid."))
	if _, ok := os.LookupEnv(env); ok {
		return true
	}
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}
