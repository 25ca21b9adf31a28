package testkit

import (
	"context"
	"os"
	"os/exec"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/selectx"
)

// RunFailingChild re-executes the test binary to run only the test named
// run, with the environment variable env set to 1, and returns its combined
// output. It fails t unless the child failed by itself, well within a
// generous timeout: a deadlock must be reported, never hung.
func RunFailingChild(t *testing.T, run, env string) string {
	t.Helper()
	const patience = 20 * time.Second
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0],
		"-test.run=^"+run+"$", "-test.count=1", "-test.v", "-test.timeout=15s")
	cmd.Env = append(os.Environ(), env+"=1")
	start := time.Now()
	out, err := cmd.CombinedOutput()
	elapsed := time.Since(start)
	require.NoError(t, ctx.Err(), "the child hung and was killed after %v; output:\n%s", elapsed, out)
	require.Error(t, err, "the child passed; output:\n%s", out)
	assert.NotContains(t, string(out), "test timed out", "the child hung until its own test timeout")
	t.Logf("child failed as expected after %v", elapsed.Round(time.Millisecond))
	return string(out)
}

// AllocsWithin is testing.AllocsPerRun(100, f), failing t instead of
// hanging if f blocks for good.
func AllocsWithin(t *testing.T, f func()) float64 {
	t.Helper()
	res := make(chan float64, 1)
	go func() { res <- testing.AllocsPerRun(100, f) }()
	select {
	case a := <-res:
		return a
	case <-time.After(20 * time.Second):
		t.Fatal("the operation under measurement blocked for good")
		return 0
	}
}

// AllocsWithPoller measures the allocations of f, a blocking operation,
// while a partner goroutine polls g with PriSelect(g, Skip) until it
// completes it. The partner's poll takes the ready path, which allocates
// nothing, so the figure is f's own.
func AllocsWithPoller(t *testing.T, g chanop.Guard, f func()) float64 {
	t.Helper()
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Go(func() {
		skip := chanop.Skip()
		for !stop.Load() {
			if x, _ := selectx.PriSelect(g, skip); x == skip {
				runtime.Gosched()
			}
		}
	})
	defer wg.Wait()
	defer stop.Store(true)
	return AllocsWithin(t, f)
}

// Help runs main, a narrated command's main function, with the command
// line "-help" (which is -h too) and returns what it printed. It
// re-executes the test binary to run only t's test, in which Help calls
// main (which exits, as a flag set does on -help), and fails t unless main
// exited 0 having printed a usage.
//
// The test binary's flag.CommandLine holds the testing package's flags and
// rapid's: a command that parsed it instead of its own flag set would show
// them. Call Help once per test, first.
func Help(t *testing.T, main func()) string {
	t.Helper()
	r := Run(t, main, []string{"-help"})[0]
	require.Equal(t, 0, r.Code, "the command's -help did not exit 0; output:\n%s", r.Out)
	require.Contains(t, r.Out, "-svg", "the command's -help printed no usage")
	return r.Out
}
