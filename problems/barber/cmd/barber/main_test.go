package main

import (
	"testing"

	"github.com/gochord/chord/internal/testkit"
	"github.com/gochord/chord/problems/barber"
)

func TestPlayNarratesAndDraws(t *testing.T) {
	testkit.Narrates(t, play, barber.DefaultConfig(), 3,
		"Legend", "queue rendezvous", "found the room full", "every sleeping barber property holds")
}

func TestUnlockedEndsWithTheVerdict(t *testing.T) {
	cfg := barber.DefaultConfig()
	cfg.Unlocked = true
	testkit.NarratesViolation(t, play, cfg, "barber/one-customer-per-chair", "while customer")
}
