package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gochord/chord/internal/timeline"
	"github.com/gochord/chord/problems/philosophers"
)

func TestDineNarratesAndSummarises(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var out strings.Builder
		cfg := philosophers.Config{N: 4, Meals: 2, Seed: 3,
			Think: philosophers.Range{Min: 10 * time.Millisecond, Max: 40 * time.Millisecond},
			Eat:   philosophers.Range{Min: 20 * time.Millisecond, Max: 50 * time.Millisecond}}
		svg := filepath.Join(t.TempDir(), "p.svg")
		ok, err := dine(context.Background(), &out, cfg, true, svg)
		if err != nil || !ok {
			t.Fatalf("ok=%v err=%v\n%s", ok, err, out.String())
		}
		data, err := os.ReadFile(svg)
		if err != nil {
			t.Fatal(err)
		}
		if _, lines, err := timeline.Parse(string(data)); err != nil || lines < 8 {
			t.Fatalf("SVG: %d lines, %v", lines, err)
		}
		s := out.String()
		for _, want := range []string{
			"Dining philosophers: 4 at the table, 2 meals each",
			"is hungry: waits for chopsticks",
			"takes chopsticks",
			"has eaten all his meals and leaves",
			"P3  2/2 meals",
			"8 meals in",
			"4 of 4 chopsticks back on the table",
			"Legend",
			"H is hungry and waits, holding nothing",
			"held while waiting for the other: 0",
			"every philosophers property holds",
		} {
			if !strings.Contains(s, want) {
				t.Errorf("output lacks %q:\n%s", want, s)
			}
		}
	})
}

func TestLeftThenRightEndsWithTheDeadlockExplained(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var out strings.Builder
		cfg := philosophers.Config{N: 5, Meals: 3, Seed: 1, LeftThenRight: true, Reach: 100 * time.Millisecond,
			Eat: philosophers.Range{Min: 300 * time.Millisecond, Max: 700 * time.Millisecond}}
		ok, err := dine(context.Background(), &out, cfg, true, "")
		if err != nil || ok {
			t.Fatalf("ok=%v err=%v\n%s", ok, err, out.String())
		}
		for _, want := range []string{"Deadlock", "P0 holds chopstick 0 and waits for chopstick 1, which P1 holds", "circular wait",
			"philosophers/all-meals-eaten", "took"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("output lacks %q:\n%s", want, out.String())
			}
		}
	})
}
