package main

import (
	"testing"

	"github.com/gochord/chord/internal/testkit"
	"github.com/gochord/chord/problems/river"
)

func TestPlayNarratesAndDraws(t *testing.T) {
	testkit.Narrates(t, play, river.DefaultConfig(), 3,
		"Legend", "fires: takes", "3 crossed (3 possible)", "0 UNSAFE", "every river crossing property holds")
}

func TestFirstFourEndsWithTheVerdict(t *testing.T) {
	cfg := river.DefaultConfig()
	cfg.FirstFour = true
	testkit.NarratesViolation(t, play, cfg, "UNSAFE", "river/safe-boats", "thrown overboard")
}
