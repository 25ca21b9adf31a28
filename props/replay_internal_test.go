package props

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/gochord/chord/buffer"
	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/internal/testkit"
)

// leftThenRight is the classic broken dinner: three philosophers each take
// the left chopstick, then the right one, with two receives. Whether it
// deadlocks depends on the schedule.
func leftThenRight(r *Run) {
	const n = 3
	sticks := make([]*buffer.Buffer[int], n)
	for i := range sticks {
		sticks[i] = buffer.New[int](1)
		_ = sticks[i].Send(i)
	}
	done := chanop.New[int]()
	for i := range n {
		r.Go(fmt.Sprintf("philosopher %d", i), func() {
			left, right := sticks[i], sticks[(i+1)%n]
			l, _ := left.Recv()
			rr, _ := right.Recv()
			_ = left.Send(l)
			_ = right.Send(rr)
			_ = done.Send(i)
		})
	}
	for range n {
		_, _ = done.Recv()
	}
}

// replayEnv makes the test binary the child that replays.
const replayEnv = "CHORD_PROPS_REPLAY_CHILD"

// replays is how many times the failing seed is replayed.
const replays = 50

// TestFailingSeedReplaysExactly finds a seed on which the broken dinner
// deadlocks and replays it 50 times: every replay must fail with a
// byte-identical report (verdict, blocked goroutines, schedule); then it
// explores the dinner for a deadlocking schedule and replays that one 50
// times from its decisions. Under -race too: the child inherits the
// parent's build. The replays run in a
// child process because a deadlocked run leaves its goroutines parked
// for good.
func TestFailingSeedReplaysExactly(t *testing.T) {
	if os.Getenv(replayEnv) == "" {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestFailingSeedReplaysExactly$", "-test.v", "-test.count=1", "-rapid.nofailfile")
		cmd.Env = append(os.Environ(), replayEnv+"=1")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "the replaying child failed:\n%s", out)
		for _, l := range strings.Split(string(out), "\n") {
			if strings.Contains(l, " replays, ") {
				t.Log(strings.TrimSpace(l))
			}
		}
		return
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	testkit.SetRapidFlag(t, "rapid.checks", "1", false)
	seed, first := 0, ""
	for s := 1; s <= 500 && first == ""; s++ {
		if failed, rep := replayOnce(t, s); failed {
			seed, first = s, rep
		}
	}
	require.NotEmpty(t, first, "no seed in 1..500 made the broken dinner deadlock")
	require.Contains(t, first, "deadlock: main, philosopher 0, philosopher 1 and philosopher 2 are blocked")
	start := time.Now()
	for i := range replays {
		failed, rep := replayOnce(t, seed)
		require.True(t, failed, "replay %d of seed %d passed", i, seed)
		require.Equal(t, first, rep, "replay %d of seed %d differs", i, seed)
	}
	t.Logf("seed %d: %d replays, each the same %d-byte report (%v):\n%s", seed, replays, len(first), time.Since(start).Round(time.Millisecond), first)

	// The same for a schedule that exploration finds: its decisions replay
	// it (Bound.Replay) to the same report.
	var found []int
	var report string
	rapid.Check(t, func(rt *rapid.T) {
		var prefix []int
		for k := 0; k <= 2 && found == nil; k++ {
			for {
				e := &explorer{prefix: prefix}
				if c := runOnce(rt, e, leftThenRight); c.failed() {
					found, report = e.schedule(), c.report()
					return
				}
				next, ok, _ := e.next(Bound{Preemptions: k}, k, 0)
				if !ok {
					break
				}
				prefix = next
			}
			prefix = nil
		}
	})
	require.NotNil(t, found, "exploration found no deadlock")
	for i := range replays {
		rapid.Check(t, func(rt *rapid.T) {
			c := runOnce(rt, &explorer{prefix: found}, leftThenRight)
			require.Equal(t, report, c.report(), "replay %d of schedule %s differs", i, formatSchedule(found))
		})
	}
	t.Logf("schedule %s: %d replays, each the same %d-byte report", formatSchedule(found), replays, len(report))
}

// replayOnce runs leftThenRight once from rapid's seed and returns whether
// it failed and its report.
func replayOnce(t *testing.T, seed int) (failed bool, report string) {
	testkit.SetRapidFlag(t, "rapid.seed", strconv.Itoa(seed), false)
	rapid.Check(t, func(rt *rapid.T) {
		c := runOnce(rt, &drawChooser{t: rt}, leftThenRight)
		failed, report = c.failed(), c.report()
	})
	return failed, report
}
