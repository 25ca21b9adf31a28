package buffer_test

import (
	"fmt"
	"testing"

	"github.com/gochord/chord/internal/testkit"
)

// TestMain raises rapid's defaults (unless -rapid.checks, -rapid.steps or
// their RAPID_ variables say otherwise, or -short): TestBufferMatchesModel
// needs about a thousand sequences to meet its rarer states (a full buffer
// with blocked senders when a pattern fires) every time, and that takes
// about a second under -race. It fails the run if any test left a
// goroutine behind.
func TestMain(m *testing.M) {
	testkit.Main(m, map[string]string{"rapid.checks": "1000", "rapid.steps": "100"})
}

// noLeak fails t if goroutines started during t are still running when
// it ends. Inside a synctest bubble, synctest.Test checks this too.
func noLeak(t *testing.T) { testkit.NoLeak(t) }

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
