package main

import (
	"testing"

	"github.com/gochord/chord/internal/testkit"
	"github.com/gochord/chord/problems/savages"
)

func TestPlayNarratesAndDraws(t *testing.T) {
	testkit.Narrates(t, play, savages.DefaultConfig(), 3,
		"Legend", "the last one, so he knows", "20 of 20 eaten", "every dining savages property holds")
}

func TestPeekEndsWithTheVerdict(t *testing.T) {
	cfg := savages.DefaultConfig()
	cfg.Peek = true
	testkit.NarratesViolation(t, play, cfg, "savages/refill-only-when-empty", "THE POT STILL HOLDS")
}
