package props_test

// Why negative controls run in a subprocess (props.ExpectViolation):
// TestSyncTestRefusesAFakeTB.

import (
	"flag"
	"fmt"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

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
