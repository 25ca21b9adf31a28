package main

import (
	"context"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/gochord/chord/internal/testkit"
	"github.com/gochord/chord/problems/h2o"
)

func TestPlayNarratesAndDraws(t *testing.T) {
	testkit.Narrates(t, play, h2o.DefaultConfig(), 4,
		"water fires", "Legend", "4 of 4 possible", "every H2O property holds")
}

func TestGreedyEndsWithTheDeadlockExplained(t *testing.T) {
	deadlocked := false
	for seed := uint64(1); seed <= 10 && !deadlocked; seed++ {
		synctest.Test(t, func(t *testing.T) {
			var out strings.Builder
			cfg := h2o.DefaultConfig()
			cfg.Greedy, cfg.Seed = true, seed
			ok, err := play(context.Background(), &out, cfg, "")
			if err != nil {
				t.Fatal(err)
			}
			if ok {
				return // this seed happened to bond everything
			}
			deadlocked = true
			for _, want := range []string{"Deadlock", "holds", "h2o/all-molecules-formed", "Took H"} {
				if !strings.Contains(out.String(), want) {
					t.Errorf("output lacks %q:\n%s", want, out.String())
				}
			}
		})
	}
	if !deadlocked {
		t.Fatal("no greedy run of 10 deadlocked")
	}
}
