package main

import (
	"testing"

	"github.com/gochord/chord/internal/testkit"
	"github.com/gochord/chord/problems/bathroom"
)

func TestPlayNarratesAndDraws(t *testing.T) {
	testkit.Narrates(t, play, bathroom.DefaultConfig(), 0,
		"Legend", "goes in", "24 of 24", "OVERTAKEN at most 0 times", "every unisex bathroom property holds")
}

func TestLightswitchEndsWithTheVerdict(t *testing.T) {
	cfg := bathroom.DefaultConfig()
	cfg.Lightswitch = true
	testkit.NarratesViolation(t, play, cfg, "overtook", "bathroom/no-starvation", "overtaken")
}
