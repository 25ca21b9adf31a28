package main

import (
	"testing"

	"github.com/gochord/chord/internal/testkit"
	"github.com/gochord/chord/problems/coaster"
)

func TestPlayNarratesAndDraws(t *testing.T) {
	testkit.Narrates(t, play, coaster.DefaultConfig(), 5,
		"Legend", "load fires: takes", "5 of 5", "0 OVERLAPS", "every roller coaster property holds")
}

func TestEagerEndsWithTheVerdict(t *testing.T) {
	cfg := coaster.DefaultConfig()
	cfg.Eager = true
	testkit.NarratesViolation(t, play, cfg, "OVERLAP", "coaster/unload-before-load", "inside at once")
}
