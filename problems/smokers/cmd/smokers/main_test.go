package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/gochord/chord/internal/timeline"
	"github.com/gochord/chord/problems/smokers"
)

func TestPlayNarratesAndDraws(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var out strings.Builder
		svg := filepath.Join(t.TempDir(), "smokers.svg")
		ok, err := play(context.Background(), &out, smokers.DefaultConfig(), svg)
		if err != nil || !ok {
			t.Fatalf("ok=%v err=%v\n%s", ok, err, out.String())
		}
		for _, want := range []string{"Legend", "fires: takes both", "8 of 8", "every smokers property holds"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("output lacks %q:\n%s", want, out.String())
			}
		}
		data, err := os.ReadFile(svg)
		if err != nil {
			t.Fatal(err)
		}
		if _, lines, err := timeline.Parse(string(data)); err != nil || lines < 8 {
			t.Fatalf("SVG: %d lines, %v", lines, err)
		}
	})
}

func TestOneAtATimeEndsWithTheDeadlockExplained(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var out strings.Builder
		cfg := smokers.DefaultConfig()
		cfg.OneAtATime = true
		ok, err := play(context.Background(), &out, cfg, "")
		if err != nil || ok {
			t.Fatalf("ok=%v err=%v\n%s", ok, err, out.String())
		}
		for _, want := range []string{"Deadlock", "smokers/all-rounds-smoked", "Took smoker"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("output lacks %q:\n%s", want, out.String())
			}
		}
	})
}
