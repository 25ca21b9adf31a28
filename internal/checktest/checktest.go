// Package checktest holds the test machinery shared by the property tests
// of the classic problems' checkers (problems/<name>/check) and of the join
// laws (props/joinlaws): the number of rapid cases, a seed-driven
// scheduler of chord's choices (Schedule), failing a case on violations,
// and counting the runs of a negative control that are caught. For the
// checkers whose property tests run under props.Check (UnderProps) it also
// holds their common scaffolding: drawing a span (Millis), the negative
// control under the controlled scheduler (ExpectCaught) and over seeds
// (InBubbles, CaughtAtLeast), the tables of bad traces (Holds,
// ViolatesFirst), the configs Run must reject (RejectsConfigs) and the run
// cancelled half-way (CancelledRunFails). It is imported only by _test.go
// files.
package checktest

import (
	"context"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/gochord/chord/internal/sched"
	"github.com/gochord/chord/internal/testkit"
	"github.com/gochord/chord/props"
)

// Checks is the number of rapid cases every property test of a checker
// runs at least: rapid's default is 100.
const Checks = 200

// AtLeastChecks raises rapid's case count (-rapid.checks) to n for the rest
// of t, unless it is already higher or was chosen explicitly (the flag or
// RAPID_CHECKS): a user's -rapid.checks=10000 wins, a plain `go test` runs n.
// With -short rapid itself divides the count by 5.
func AtLeastChecks(t testing.TB, n int) {
	t.Helper()
	testkit.SetRapidFlag(t, "rapid.checks", strconv.Itoa(n), true)
}

// FailOnViolations fails t if vs is not empty: it logs each violation with
// its counterexample, and the trace if given, then fails with a message
// that names only the first violated property.
//
// Why the message is short: rapid takes a failure to be the same failure
// only if its message is identical, when it reproduces it and at every
// shrinking step. A counterexample quotes events (message numbers, the
// order of goroutines) that differ between two runs of one case, and would
// make rapid give up shrinking ("flaky test"); the log shows them instead,
// for the shrunk case, under "Failed test output".
func FailOnViolations[E any](t *rapid.T, vs []*props.Violation, trace []E) {
	t.Helper()
	if len(vs) == 0 {
		return
	}
	if len(trace) <= 200 {
		for _, e := range trace {
			t.Log(e)
		}
	}
	for _, v := range vs {
		t.Log(v)
	}
	t.Fatalf("property %q violated (see its counterexample above)", vs[0].Property)
}

// FailOn fails r with the first violation, quoting its counterexample.
func FailOn(r *props.Run, vs []*props.Violation) {
	if len(vs) > 0 {
		r.T.Fatalf("%v", vs[0])
	}
}

// CaughtIn runs a negative control that must not deadlock: for seeds 0 to
// 19, each in its own synctest bubble, run plays the mistake with the seed
// and returns the violations of its trace and the run's error, which must
// be nil. It returns how many runs violated a property; the first
// violation of each must be of the property want. It logs the first run
// caught.
func CaughtIn(t *testing.T, want string, run func(seed uint64) ([]*props.Violation, error)) int {
	t.Helper()
	caught := 0
	for seed := range uint64(20) {
		synctest.Test(t, func(t *testing.T) {
			vs, err := run(seed)
			require.NoError(t, err)
			if len(vs) == 0 {
				return
			}
			require.Equal(t, want, vs[0].Property, "%v", vs)
			if caught == 0 {
				t.Log(vs[0])
			}
			caught++
		})
	}
	return caught
}

// Schedule makes chord's choices (which ready guard a select takes, how
// long a goroutine yields before it blocks) from a list of up to n choices
// that it draws from t, and returns the function that stops it. When the
// list runs out every choice is 0, so rapid shrinks a failing run towards
// the shortest list that still fails, and replays it from its seed. Call it
// in the goroutine that runs the property (rapid's draws are not safe for
// concurrent use), inside rapid.SyncTest or synctest.Test, one property at
// a time.
//
// It is what the problems' property tests run under, rather than
// props.Check: their recorders take a lock around some chord operations,
// and a goroutine waiting for that lock is at no scheduling point of
// props' controller, which would wait for it forever. Schedule only
// steers chord's choices and yields; the Go scheduler does the rest.
func Schedule(t *rapid.T, n int) (stop func()) {
	cs := rapid.SliceOfN(rapid.IntRange(0, 255), 0, n).Draw(t, "schedule")
	return sched.Set(&drawn{choices: cs})
}

// drawn is the scheduler Schedule installs: it decides from its drawn
// choices, then 0.
type drawn struct {
	mu      sync.Mutex
	choices []int
	next    int
}

func (s *drawn) draw() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.next >= len(s.choices) {
		return 0
	}
	c := s.choices[s.next]
	s.next++
	return c
}

// Choose implements sched.Scheduler: which ready guard a select takes.
func (s *drawn) Choose(n int) int { return s.draw() % n }

// Yield implements sched.Scheduler: it lets other goroutines run 0 to 3
// times before a goroutine blocks.
func (s *drawn) Yield() { sched.Gosched(s.draw() % 4) }

// DrawProcs draws how many processors (GOMAXPROCS) the case runs on, 1 or
// 2, sets it, and returns the function that restores the old setting.
//
// Why: Schedule drives chord's choice points from rapid's draws, but on
// two processors the goroutines of a synctest bubble also run in parallel,
// and which of two racing goroutines wins is then up to the hardware: more
// interleavings are explored, but a failure found that way may not replay
// from its seed. rapid shrinks the draw towards 1, where the Go scheduler
// runs a bubble's goroutines in an order fixed by the program and
// Schedule's yields, so a failure that still happens there replays and
// shrinks. (Under -race the runtime randomises its run queues on purpose,
// and no interleaving replays exactly: rapid may then report a failure as
// "flaky", still failing the test with the original counterexample.)
func DrawProcs(t *rapid.T) (restore func()) {
	n := rapid.IntRange(1, 2).Draw(t, "GOMAXPROCS")
	old := runtime.GOMAXPROCS(n)
	return func() { runtime.GOMAXPROCS(old) }
}

// UnderProps runs prop under props.Check, the controlled scheduler, for
// checks rapid cases unless -rapid.checks (or RAPID_CHECKS) says
// otherwise: fewer than Checks, as every case explores its schedule.
func UnderProps(t *testing.T, checks int, prop func(*props.Run)) {
	t.Helper()
	testkit.SetRapidFlag(t, "rapid.checks", strconv.Itoa(checks), false)
	props.Check(t, prop)
}

// ExpectCaught runs the negative control prop under props.ExpectViolation
// (name is the control's) and fails t unless the report names property.
func ExpectCaught(t *testing.T, name, property string, prop func(*props.Run)) {
	t.Helper()
	out := props.ExpectViolation(t, name, prop)
	if !strings.Contains(out, property) {
		t.Errorf("the report does not name %s:\n%s", property, out)
	}
}

// InBubbles runs f for seeds 0 to n-1, each in its own synctest bubble
// (which also fails on a goroutine left behind).
func InBubbles(t *testing.T, n uint64, f func(t *testing.T, seed uint64)) {
	t.Helper()
	for seed := range n {
		synctest.Test(t, func(t *testing.T) { f(t, seed) })
	}
}

// CaughtAtLeast runs a negative control for seeds 0 to n-1, each in its
// own synctest bubble (InBubbles): run plays the mistake with the seed,
// fails t if the checkers missed or misnamed it, and reports whether the
// run showed the mistake. CaughtAtLeast then fails t unless at least want
// runs were caught, saying that what "was caught in k of n runs".
func CaughtAtLeast(t *testing.T, what string, n uint64, want int, run func(t *testing.T, seed uint64) bool) {
	t.Helper()
	caught := 0
	InBubbles(t, n, func(t *testing.T, seed uint64) {
		if run(t, seed) {
			caught++
		}
	})
	if caught < want {
		t.Fatalf("%s was caught in %d of %d runs; want at least %d", what, caught, n, want)
	}
}

// Holds fails t at once if trace violates any of ps: the good trace a
// table of bad ones is cut from.
func Holds[E any](t *testing.T, trace []E, ps ...props.Property[E]) {
	t.Helper()
	if vs := props.CheckAll(trace, ps...); len(vs) > 0 {
		t.Fatal(vs)
	}
}

// ViolatesFirst fails t, and goes on, unless the first violation of ps by
// trace (the bad trace called name) is of the property want.
func ViolatesFirst[E any](t *testing.T, name string, trace []E, want string, ps ...props.Property[E]) {
	t.Helper()
	vs := props.CheckAll(trace, ps...)
	if len(vs) == 0 || vs[0].Property != want {
		t.Errorf("%s: %v; want a violation of %s first", name, vs, want)
	}
}

// RejectsConfigs applies each edit to a fresh config from def and fails t,
// and goes on, for each edited config that run accepts (returns nil for).
func RejectsConfigs[C any](t *testing.T, def func() C, run func(C) error, edits ...func(*C)) {
	t.Helper()
	for _, edit := range edits {
		cfg := def()
		edit(&cfg)
		if err := run(cfg); err == nil {
			t.Errorf("Run(%+v) = nil error", cfg)
		}
	}
}

// CancelledRunFails runs run in a synctest bubble with a context that
// ends after timeout, requires it to return context.DeadlineExceeded,
// and fails t if all, the property that everybody finished (called name
// in the message), holds for the events of the cancelled run.
func CancelledRunFails[E any](t *testing.T, timeout time.Duration, run func(ctx context.Context) ([]E, error), name string, all props.Property[E]) {
	t.Helper()
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		events, err := run(ctx)
		if err != context.DeadlineExceeded {
			t.Fatalf("Run = %v; want the deadline", err)
		}
		if v := all.Check(events); v == nil {
			t.Fatalf("%s holds for a cancelled run", name)
		}
	})
}

// Millis draws from t, under label, a duration of 0 to hi milliseconds:
// the spans of a drawn config, small enough for fast cases.
func Millis(t *rapid.T, label string, hi int) time.Duration {
	return time.Duration(rapid.IntRange(0, hi).Draw(t, label)) * time.Millisecond
}
