package testkit

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// argsEnv tells a child test binary to run a command's main with the
// command line it holds: the test's name, then the arguments, separated by
// unit separators (0x1f).
const argsEnv = "CHORD_TESTKIT_ARGS"

// runChild is the child's side of Run: if the environment says so, it
// runs main with the arguments it gives, and exits 0 if main returns (a
// command whose properties all held returns from main).
func runChild(t *testing.T, main func()) {
	v, ok := os.LookupEnv(argsEnv)
	if !ok {
		return
	}
	parts := strings.Split(v, "\x1f")
	if parts[0] != t.Name() {
		return
	}
	os.Args = append([]string{os.Args[0]}, parts[1:]...)
	main()
	os.Exit(0)
}

// A Result is what a command printed, on its standard output and error
// together, and its exit code.
type Result struct {
	Out  string
	Code int
}

// Run runs main, a narrated command's main function, with each command
// line of args, concurrently, and returns what each printed and its exit
// code. It re-executes the test binary to run only t's test, in which Run
// calls main (which may exit); call it first in the test, and once.
func Run(t *testing.T, main func(), args ...[]string) []Result {
	t.Helper()
	runChild(t, main)
	res := make([]Result, len(args))
	var wg sync.WaitGroup
	for i, a := range args {
		wg.Go(func() {
			cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$", "-test.count=1")
			cmd.Env = append(os.Environ(), argsEnv+"="+strings.Join(append([]string{t.Name()}, a...), "\x1f"))
			out, err := cmd.CombinedOutput()
			res[i].Out = string(out)
			if ee, ok := err.(*exec.ExitError); ok {
				res[i].Code = ee.ExitCode()
			} else if err != nil {
				res[i].Code = -1
				res[i].Out += err.Error()
			}
		})
	}
	wg.Wait()
	return res
}

// CommandLine checks the command line every narrated command shares, by
// running main, the command's, in child processes (see Run; call it first
// in the test, and once): name is the command's (problems/name/cmd/name),
// property the property its broken mode's default seed violates.
//
//   - -h and -help print a usage that lists the common flags -seed,
//     -broken, -svg, -html and -q, and none of rapid's or testing's, and
//     exit 0;
//   - -q prints the verdict only, that every property holds, and the
//     rerun line, and exits 0;
//   - -broken -q, twice, prints the verdict only, a violation of
//     property, and the rerun line with the broken mode's seed, and exits
//     3; both verdicts name the same violated properties (under the race
//     detector, Race, only that each ends with a verdict).
//
// The runs are in real time, on a machine that may be loaded: two timers
// due a few milliseconds apart may fire in either order, and the
// counterexamples may then quote other events. Replays checks, in fake
// time, that a seed decides the verdict byte for byte.
func CommandLine(t *testing.T, main func(), name, property string) {
	t.Helper()
	rs := Run(t, main, []string{"-h"}, []string{"-help"}, []string{"-q"}, []string{"-broken", "-q"}, []string{"-broken", "-q"})
	for _, r := range rs[:2] {
		require.Equal(t, 0, r.Code, "-h did not exit 0:\n%s", r.Out)
		for _, f := range []string{"-seed", "-broken", "-svg", "-html", "-q"} {
			assert.Regexp(t, "\n  "+f+"[ \t\n]", r.Out, "the usage lacks %s", f)
		}
		assert.NotContains(t, r.Out, "-rapid.")
		assert.NotContains(t, r.Out, "-test.")
	}
	rerun := "rerun: go run ./problems/" + name + "/cmd/" + name + " "
	quiet := func(r Result, code int, verdict string) {
		t.Helper()
		assert.Equal(t, code, r.Code, "exit code; output:\n%s", r.Out)
		assert.True(t, strings.HasPrefix(r.Out, "Verdict of package props:"), "-q printed more than the verdict:\n%s", r.Out)
		assert.Contains(t, r.Out, verdict)
		assert.Contains(t, r.Out, rerun)
		for _, not := range []string{"Legend", "Summary"} {
			assert.NotContains(t, r.Out, not)
		}
	}
	quiet(rs[2], 0, "property holds")
	assert.Contains(t, rs[3].Out, "-broken -seed ")
	if Race {
		// The race detector shuffles the goroutines on purpose: the seed
		// no longer decides the run, which may or may not go wrong.
		for _, r := range rs[3:] {
			if r.Code == 0 {
				quiet(r, 0, "property holds")
			} else {
				quiet(r, 3, "violated")
			}
		}
		return
	}
	quiet(rs[3], 3, `property "`+property+`" violated`)
	quiet(rs[4], 3, `property "`+property+`" violated`)
	assert.Equal(t, violated(rs[3].Out), violated(rs[4].Out), "two runs of -broken -q with the same seed violate different properties")
}

// violated lists the properties a verdict says are violated.
func violated(out string) []string {
	var ps []string
	for _, m := range property.FindAllStringSubmatch(out, -1) {
		ps = append(ps, m[1])
	}
	return ps
}

var property = regexp.MustCompile(`(?m)^  property "([^"]+)" violated`)
