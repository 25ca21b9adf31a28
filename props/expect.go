package props

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// expectEnv tells a child test binary which negative control to run: the
// test's name and the control's, joined by expectSep.
const (
	expectEnv = "CHORD_PROPS_EXPECT_VIOLATION"
	expectSep = "\x1f"
)

// expectPassed marks the output of a child whose property held.
const expectPassed = "props: the negative control passed"

// expectLimit bounds a negative control's run, shrinking included.
const expectLimit = 3 * time.Minute

// ExpectViolation is a negative control in one call: it checks prop as
// Check does, expects it to fail, and returns the failure report (rapid's
// verdict on the shrunk run, the property's messages and the schedule), so
// that the test can assert that it quotes the failure it is meant to
// catch. It fails t if prop holds: a checker that cannot fail is a defect.
//
// A failing check cannot be undone in the test that ran it, so
// ExpectViolation runs the check in a copy of the test binary restricted to
// t's test (it runs t's test function again there), with rapid's fail
// files off: nothing is written under testdata. Call it once per test or
// subtest, and keep the code before it free of side effects that must not
// happen twice. name labels the control in messages.
func ExpectViolation(t *testing.T, name string, prop func(*Run)) string {
	t.Helper()
	out := ExpectFailure(t, name, func(t *testing.T) {
		t.Helper()
		Check(t, prop)
	})
	if !strings.Contains(out, "[rapid] ") {
		t.Fatalf("props: negative control %q failed, but not as a property; output:\n%s", name, out)
	}
	return failureReport(out)
}

// ExpectFailure is ExpectViolation for any test body: f must fail t (an
// Explore that finds a violating schedule, a hand-written rapid.Check).
// It returns the output of the failed run.
func ExpectFailure(t *testing.T, name string, f func(t *testing.T)) string {
	t.Helper()
	key := t.Name() + expectSep + name
	if v, ok := os.LookupEnv(expectEnv); ok {
		// The child: run f for real; its failure is the point.
		if v != key {
			t.Skipf("props: this process runs the negative control %q only", strings.ReplaceAll(v, expectSep, ": "))
		}
		f(t)
		t.Fatal(expectPassed)
		return ""
	}
	ctx, cancel := context.WithTimeout(context.Background(), expectLimit)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0],
		"-test.run="+runPattern(t.Name()),
		"-test.count=1",
		"-test.v",
		"-test.timeout="+expectLimit.String(),
		"-rapid.nofailfile",
		"-rapid.shrinktime=20s",
	)
	cmd.Env = append(os.Environ(), expectEnv+"="+key)
	cmd.WaitDelay = 5 * time.Second
	start := time.Now()
	outb, err := cmd.CombinedOutput()
	out := string(outb)
	if ctx.Err() != nil {
		t.Fatalf("props: negative control %q did not finish within %v; output:\n%s", name, expectLimit, out)
	}
	var exit *exec.ExitError
	switch {
	case strings.Contains(out, expectPassed):
		t.Fatalf("props: negative control %q passed: a checker that cannot fail is a defect", name)
	case !errors.As(err, &exit):
		t.Fatalf("props: negative control %q: the test passed (%v); output:\n%s", name, err, out)
	}
	t.Logf("props: negative control %q failed as expected (%v)", name, time.Since(start).Round(time.Millisecond))
	return out
}

// runPattern is the -test.run pattern that selects exactly the test or
// subtest called name.
func runPattern(name string) string {
	parts := strings.Split(name, "/")
	for i, p := range parts {
		parts[i] = "^" + regexp.QuoteMeta(p) + "$"
	}
	return strings.Join(parts, "/")
}

// failureReport cuts rapid's failure report out of a test binary's output:
// from rapid's verdict to the end of the failing test's output.
func failureReport(out string) string {
	i := strings.Index(out, "[rapid] failed")
	if j := strings.Index(out, "[rapid] panic"); i < 0 || (j >= 0 && j < i) {
		i = j
	}
	if i < 0 {
		return out
	}
	out = out[i:]
	if j := strings.Index(out, "\n--- FAIL"); j >= 0 {
		out = out[:j]
	}
	return out
}
