package buffer_test

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestMain raises rapid's defaults (unless -rapid.checks, -rapid.steps or
// their RAPID_ variables say otherwise, or -short): TestBufferMatchesModel
// needs about a thousand sequences to meet its rarer states (a full buffer
// with blocked senders when a pattern fires) every time, and that takes
// about a second under -race. It fails the run if any test left a
// goroutine behind.
func TestMain(m *testing.M) {
	flag.Parse()
	if !testing.Short() {
		given := map[string]bool{}
		flag.Visit(func(f *flag.Flag) { given[f.Name] = true })
		for name, v := range map[string]string{"rapid.checks": "1000", "rapid.steps": "100"} {
			env := "RAPID_" + strings.ToUpper(strings.TrimPrefix(name, "rapid."))
			if _, ok := os.LookupEnv(env); !ok && !given[name] {
				flag.Set(name, v)
			}
		}
	}
	base := runtime.NumGoroutine()
	code := m.Run()
	if code == 0 {
		if n, stacks := settleGoroutines(base); n > base {
			fmt.Fprintf(os.Stderr, "goroutines: %d before the tests, %d after\n%s\n", base, n, stacks)
			code = 1
		}
	}
	os.Exit(code)
}

// noLeak fails t if goroutines started during t are still running when
// it ends. Inside a synctest bubble, synctest.Test checks this too.
func noLeak(t *testing.T) {
	t.Helper()
	base := runtime.NumGoroutine()
	t.Cleanup(func() {
		if n, stacks := settleGoroutines(base); n > base {
			t.Errorf("goroutines: %d at start, %d at end\n%s", base, n, stacks)
		}
	})
}

// settleGoroutines waits up to 5s for the goroutine count to come back to
// base and returns the count and, if it did not, every goroutine's stack.
func settleGoroutines(base int) (int, string) {
	deadline := time.Now().Add(5 * time.Second)
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

// goAsync runs f in a new goroutine; the channel receives its result.
func goAsync[R any](f func() R) <-chan R {
	c := make(chan R, 1)
	go func() { c <- f() }()
	return c
}

// mustBeDone returns what c delivered, failing t if it has not (call it in
// a synctest bubble after synctest.Wait, so "not yet" means "blocked").
func mustBeDone[R any](t *testing.T, c <-chan R, what string) R {
	t.Helper()
	select {
	case r := <-c:
		return r
	default:
		t.Fatalf("%s is blocked; want it done", what)
		panic("unreachable")
	}
}

// mustBeBlocked fails t if c has delivered.
func mustBeBlocked[R any](t *testing.T, c <-chan R, what string) {
	t.Helper()
	select {
	case r := <-c:
		t.Fatalf("%s is done (%v); want it blocked", what, r)
	default:
	}
}

// recvResult is what a goroutine's Recv returned.
type recvResult struct {
	v   int
	err error
}

func (r recvResult) String() string { return fmt.Sprintf("(%d, %v)", r.v, r.err) }

// mustPanic fails t unless f panics with the message want.
func mustPanic(t *testing.T, want string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if r == nil {
			t.Fatalf("no panic; want %q", want)
		}
		if fmt.Sprint(r) != want {
			t.Fatalf("panic %q; want %q", r, want)
		}
	}()
	f()
}
