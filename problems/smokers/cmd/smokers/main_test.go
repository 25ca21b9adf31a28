package main

import (
	"testing"

	"github.com/gochord/chord/internal/testkit"
	"github.com/gochord/chord/problems/smokers"
)

func TestPlayNarratesAndDraws(t *testing.T) {
	testkit.Narrates(t, play, smokers.DefaultConfig(), 8,
		"Legend", "fires: takes both", "8 of 8", "every smokers property holds")
}

func TestOneAtATimeEndsWithTheDeadlockExplained(t *testing.T) {
	cfg := smokers.DefaultConfig()
	cfg.OneAtATime = true
	testkit.NarratesViolation(t, play, cfg, "Deadlock", "smokers/all-rounds-smoked", "Took smoker")
}
