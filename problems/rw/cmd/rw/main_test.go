package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/gochord/chord/internal/timeline"
	"github.com/gochord/chord/problems/rw"
)

func TestPlayNarratesAndDraws(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var out strings.Builder
		svg := filepath.Join(t.TempDir(), "rw.svg")
		ok, err := play(context.Background(), &out, rw.DefaultConfig(), svg)
		if err != nil || !ok {
			t.Fatalf("ok=%v err=%v\n%s", ok, err, out.String())
		}
		for _, want := range []string{"Legend", "the pattern fired", "must be 0", "every readers-writers property holds"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("output lacks %q:\n%s", want, out.String())
			}
		}
		data, err := os.ReadFile(svg)
		if err != nil {
			t.Fatal(err)
		}
		if _, lines, err := timeline.Parse(string(data)); err != nil || lines < 3 {
			t.Fatalf("SVG: %d lines, %v", lines, err)
		}
	})
}

func TestReadersFirstEndsWithTheVerdict(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var out strings.Builder
		cfg := rw.DefaultConfig()
		cfg.ReadersFirst = true
		ok, err := play(context.Background(), &out, cfg, "")
		if err != nil || ok {
			t.Fatalf("ok=%v err=%v\n%s", ok, err, out.String())
		}
		for _, want := range []string{"rw/no-overtaking", "OVERTAKING"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("output lacks %q:\n%s", want, out.String())
			}
		}
	})
}
