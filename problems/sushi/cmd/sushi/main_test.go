package main

import (
	"testing"

	"github.com/gochord/chord/internal/testkit"
	"github.com/gochord/chord/problems/sushi"
)

func TestPlayNarratesAndDraws(t *testing.T) {
	testkit.Narrates(t, play, sushi.DefaultConfig(), 2,
		"Legend", "FULL: the host waits", "14 of 14", "0 INTRUDERS", "every sushi bar property holds")
}

func TestRefillEndsWithTheVerdict(t *testing.T) {
	cfg := sushi.DefaultConfig()
	cfg.Refill = true
	testkit.NarratesViolation(t, play, cfg, "INTRUDER", "sushi/party-leaves-first", "must all leave first")
}
