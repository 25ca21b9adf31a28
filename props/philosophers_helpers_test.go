package props_test

// Test machinery shared by the philosophers and join property tests: the
// number of rapid cases, the processors a case runs on, and failing a case
// on violations. (Negative controls run in a subprocess with
// props.ExpectViolation; TestSyncTestRefusesAFakeTB says why.)

import (
	"flag"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/gochord/chord/internal/testkit"
	"github.com/gochord/chord/props"
)

// propsChecks is the number of rapid cases every property test of this
// file's tests runs at least: rapid's default is 100.
const propsChecks = 200

// atLeastChecks raises rapid's case count (-rapid.checks) to n for the rest
// of t, unless it is already higher or was chosen explicitly (the flag or
// RAPID_CHECKS): a user's -rapid.checks=10000 wins, a plain `go test` runs n.
// With -short rapid itself divides the count by 5.
func atLeastChecks(t testing.TB, n int) {
	t.Helper()
	testkit.SetRapidFlag(t, "rapid.checks", strconv.Itoa(n), true)
}

// drawProcs draws how many processors (GOMAXPROCS) the case runs on, 1 or
// 2, sets it, and returns the function that restores the old setting.
//
// Why: the props Scheduler drives chord's choice points from rapid's draws,
// but on two processors the goroutines of a synctest bubble also run in
// parallel, and which of two racing goroutines wins is then up to the
// hardware: more interleavings are explored, but a failure found that way
// may not replay from its seed. rapid shrinks the draw towards 1, where the
// Go scheduler runs a bubble's goroutines in an order fixed by the program
// and the Scheduler's yields, so a failure that still happens there replays
// and shrinks. (Under -race the runtime randomises its run queues on
// purpose, and no interleaving replays exactly: rapid may then report a
// failure as "flaky", still failing the test with the original
// counterexample.)
func drawProcs(t *rapid.T) (restore func()) {
	n := rapid.IntRange(1, 2).Draw(t, "GOMAXPROCS")
	old := runtime.GOMAXPROCS(n)
	return func() { runtime.GOMAXPROCS(old) }
}

// failOnViolations fails t if vs is not empty: it logs each violation with
// its counterexample, and the trace if given, then fails with a message
// that names only the first violated property.
//
// Why the message is short: rapid takes a failure to be the same failure
// only if its message is identical, when it reproduces it and at every
// shrinking step. A counterexample quotes events (message numbers, the
// order of goroutines) that differ between two runs of one case, and would
// make rapid give up shrinking ("flaky test"); the log shows them instead,
// for the shrunk case, under "Failed test output".
func failOnViolations[E any](t *rapid.T, vs []*props.Violation, trace []E) {
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

// recordingTB is a testing.TB that records failures instead of failing: the
// way to assert that a property fails without failing the test, as long as
// the property does not need rapid.SyncTest.
type recordingTB struct {
	testing.TB
	failed bool
	msgs   []string
}

func (r *recordingTB) Helper()             {}
func (r *recordingTB) Log(args ...any)     {}
func (r *recordingTB) Logf(string, ...any) {}
func (r *recordingTB) Fail()               { r.failed = true }
func (r *recordingTB) FailNow()            { r.failed = true }
func (r *recordingTB) Failed() bool        { return r.failed }
func (r *recordingTB) Error(args ...any)   { r.Fail(); r.msgs = append(r.msgs, fmt.Sprint(args...)) }
func (r *recordingTB) Errorf(f string, a ...any) {
	r.Fail()
	r.msgs = append(r.msgs, fmt.Sprintf(f, a...))
}
func (r *recordingTB) Fatal(args ...any)         { r.Error(args...) }
func (r *recordingTB) Fatalf(f string, a ...any) { r.Errorf(f, a...) }

// TestSyncTestRefusesAFakeTB pins down why the negative controls run in a
// subprocess: rapid.SyncTest needs the *testing.T behind rapid.Check, and
// under a recording TB it fails before running the property. If a rapid
// release lifts this, the negative controls could run in-process.
func TestSyncTestRefusesAFakeTB(t *testing.T) {
	// The failure is expected: keep rapid from saving a fail file for it.
	if f := flag.Lookup("rapid.nofailfile"); f != nil {
		old := f.Value.String()
		_ = f.Value.Set("true")
		defer func() { _ = f.Value.Set(old) }()
	}
	rec := &recordingTB{TB: t}
	ran := false
	rapid.Check(rec, func(t *rapid.T) {
		rapid.SyncTest(t, func(*rapid.T) { ran = true })
	})
	if ran || !rec.failed || !strings.Contains(strings.Join(rec.msgs, "\n"), "SyncTest requires a *testing.T") {
		t.Fatalf("rapid.SyncTest under a fake testing.TB: ran=%v failed=%v msgs=%q; the subprocess workaround may be obsolete", ran, rec.failed, rec.msgs)
	}
}
