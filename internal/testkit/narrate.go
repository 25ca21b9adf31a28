package testkit

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"

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
