package main

import (
	"testing"

	"github.com/gochord/chord/internal/testkit"
	"github.com/gochord/chord/problems/bus"
)

func TestPlayNarratesAndDraws(t *testing.T) {
	testkit.Narrates(t, play, bus.DefaultConfig(), 5,
		"Legend", "fires", "5 of 5 left", "0 LATE", "every senate bus property holds")
}

func TestLateBoardingEndsWithTheVerdict(t *testing.T) {
	cfg := bus.DefaultConfig()
	cfg.LateBoarding = true
	testkit.NarratesViolation(t, play, cfg, "LATE: it came after", "bus/no-late-boarding", "late comers wait")
}
