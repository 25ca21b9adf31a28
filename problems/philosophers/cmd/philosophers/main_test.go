package main

import (
	"context"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gochord/chord/problems/philosophers"
)

func TestDineNarratesAndSummarises(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var out strings.Builder
		cfg := philosophers.Config{N: 4, Meals: 2, Seed: 3,
			Think: philosophers.Range{Min: 10 * time.Millisecond, Max: 40 * time.Millisecond},
			Eat:   philosophers.Range{Min: 20 * time.Millisecond, Max: 50 * time.Millisecond}}
		if err := dine(context.Background(), &out, cfg, true); err != nil {
			t.Fatal(err)
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
		} {
			if !strings.Contains(s, want) {
				t.Errorf("output lacks %q:\n%s", want, s)
			}
		}
	})
}
