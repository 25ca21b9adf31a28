package main

import (
	"strings"
	"testing"

	"github.com/gochord/chord/internal/testkit"
	"github.com/gochord/chord/problems/bus"
)

// TestSeedDecidesTheVerdict plays the command's runs twice each, in fake
// time: the default run holds every property, and the broken mode at its
// default seed violates bus/no-late-boarding, with the same verdict both times.
func TestSeedDecidesTheVerdict(t *testing.T) {
	cfg := bus.DefaultConfig()
	if out, ok := testkit.Replays(t, play, cfg, cfg.Seed); !ok && !testkit.Race {
		t.Errorf("the default run violates a property:\n%s", out)
	}
	cfg.LateBoarding, cfg.Seed = true, brokenSeed
	out, ok := testkit.Replays(t, play, cfg, brokenSeed)
	if !testkit.Race && (ok || !strings.Contains(out, `property "bus/no-late-boarding" violated`)) {
		t.Errorf("the broken mode's seed %d does not show the mistake:\n%s", brokenSeed, out)
	}
}
