package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/gochord/chord/internal/timeline"
	"github.com/gochord/chord/problems/savages"
)

func TestPlayNarratesAndDraws(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var out strings.Builder
		svg := filepath.Join(t.TempDir(), "savages.svg")
		ok, err := play(context.Background(), &out, savages.DefaultConfig(), svg)
		if err != nil || !ok {
			t.Fatalf("ok=%v err=%v\n%s", ok, err, out.String())
		}
		for _, want := range []string{"Legend", "the last one, so he knows", "20 of 20 eaten", "every dining savages property holds"} {
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

func TestPeekEndsWithTheVerdict(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var out strings.Builder
		cfg := savages.DefaultConfig()
		cfg.Peek = true
		ok, err := play(context.Background(), &out, cfg, "")
		if err != nil || ok {
			t.Fatalf("ok=%v err=%v\n%s", ok, err, out.String())
		}
		for _, want := range []string{"savages/refill-only-when-empty", "THE POT STILL HOLDS"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("output lacks %q:\n%s", want, out.String())
			}
		}
	})
}
