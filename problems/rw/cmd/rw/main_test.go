package main

import (
	"testing"

	"github.com/gochord/chord/internal/testkit"
	"github.com/gochord/chord/problems/rw"
)

func TestPlayNarratesAndDraws(t *testing.T) {
	testkit.Narrates(t, play, rw.DefaultConfig(), 3,
		"Legend", "the pattern fired", "must be 0", "every readers-writers property holds")
}

func TestReadersFirstEndsWithTheVerdict(t *testing.T) {
	cfg := rw.DefaultConfig()
	cfg.ReadersFirst = true
	testkit.NarratesViolation(t, play, cfg, "rw/no-overtaking", "OVERTAKING")
}
