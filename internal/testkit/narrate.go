package testkit

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/gochord/chord/internal/sched"
	"github.com/gochord/chord/internal/timeline"
)

// A Play is the play function of a narrated command under problems/: it
// runs cfg, narrates it to w, writes the timeline to the file svg unless
// svg is empty, and reports whether every property held.
type Play[C any] func(ctx context.Context, w io.Writer, cfg C, svg string) (bool, error)

// Narrates plays cfg in a synctest bubble, drawing it, and fails t unless
// every property held, the narration contains each of want, and the
// timeline is an SVG drawing with at least minLines <line> elements.
func Narrates[C any](t *testing.T, play Play[C], cfg C, minLines int, want ...string) {
	t.Helper()
	synctest.Test(t, func(t *testing.T) {
		var out strings.Builder
		svg := filepath.Join(t.TempDir(), "timeline.svg")
		ok, err := play(context.Background(), &out, cfg, svg)
		if err != nil || !ok {
			t.Fatalf("ok=%v err=%v\n%s", ok, err, out.String())
		}
		containsAll(t, out.String(), want)
		data, err := os.ReadFile(svg)
		if err != nil {
			t.Fatal(err)
		}
		if _, lines, err := timeline.Parse(string(data)); err != nil || lines < minLines {
			t.Fatalf("SVG: %d lines, %v", lines, err)
		}
	})
}

// NarratesViolation plays cfg, a classic mistake, in a synctest bubble and
// fails t unless play ends without error with a property violated and the
// narration contains each of want.
func NarratesViolation[C any](t *testing.T, play Play[C], cfg C, want ...string) {
	t.Helper()
	synctest.Test(t, func(t *testing.T) {
		var out strings.Builder
		ok, err := play(context.Background(), &out, cfg, "")
		if err != nil || ok {
			t.Fatalf("ok=%v err=%v\n%s", ok, err, out.String())
		}
		containsAll(t, out.String(), want)
	})
}

// containsAll reports each of want that out lacks.
func containsAll(t *testing.T, out string, want []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
}

// Replays plays cfg twice, as its command does (sched.Seeded by seed, the
// seed of cfg too), each time in a synctest bubble, and fails t unless the
// two verdicts, from "Verdict of package props" on, are the same byte for
// byte (the properties violated and the events their counterexamples
// quote, with their times): the seed decides the outcome of a run. It
// returns the first narration and whether every property held. Under the
// race detector (Race), which shuffles goroutines on purpose, it only
// checks that both runs end with a verdict.
//
// Only the verdicts: on one processor, with every select choice and
// duration drawn from the seed, the narrations too are usually identical,
// but goroutines woken at the same instant (by one cancellation, or all
// starting at once) may still run in an order that the Go runtime picks.
func Replays[C any](t *testing.T, play Play[C], cfg C, seed uint64) (string, bool) {
	t.Helper()
	var outs [2]string
	var oks [2]bool
	for i := range outs {
		synctest.Test(t, func(t *testing.T) {
			var out strings.Builder
			restore := sched.Seeded(seed)
			defer restore()
			ok, err := play(context.Background(), &out, cfg, "")
			if err != nil {
				t.Fatalf("err=%v\n%s", err, out.String())
			}
			outs[i], oks[i] = out.String(), ok
		})
	}
	v0, v1 := verdict(outs[0]), verdict(outs[1])
	if v0 == "" || !Race && (v0 != v1 || oks[0] != oks[1]) {
		t.Fatalf("seed %d: two runs end with different verdicts:\n%s\n----\n%s", seed, v0, v1)
	}
	return outs[0], oks[0]
}

// verdict returns the verdict at the end of a narration, or "".
func verdict(out string) string {
	if i := strings.LastIndex(out, "Verdict of package props"); i >= 0 {
		return out[i:]
	}
	return ""
}
