package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/gochord/chord/internal/timeline"
	"github.com/gochord/chord/problems/river"
)

func TestPlayNarratesAndDraws(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var out strings.Builder
		svg := filepath.Join(t.TempDir(), "river.svg")
		ok, err := play(context.Background(), &out, river.DefaultConfig(), svg)
		if err != nil || !ok {
			t.Fatalf("ok=%v err=%v\n%s", ok, err, out.String())
		}
		for _, want := range []string{"Legend", "fires: takes", "3 crossed (3 possible)", "0 UNSAFE", "every river crossing property holds"} {
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

func TestFirstFourEndsWithTheVerdict(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var out strings.Builder
		cfg := river.DefaultConfig()
		cfg.FirstFour = true
		ok, err := play(context.Background(), &out, cfg, "")
		if err != nil || ok {
			t.Fatalf("ok=%v err=%v\n%s", ok, err, out.String())
		}
		for _, want := range []string{"UNSAFE", "river/safe-boats", "thrown overboard"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("output lacks %q:\n%s", want, out.String())
			}
		}
	})
}
