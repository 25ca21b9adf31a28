package main

import (
	"strings"
	"testing"

	"github.com/gochord/chord/internal/testkit"
	"github.com/gochord/chord/problems/river"
)

// TestSeedDecidesTheVerdict plays the command's runs twice each, in fake
// time: the default run holds every property, and the broken mode at its
// default seed violates river/safe-boats, with the same verdict both times.
func TestSeedDecidesTheVerdict(t *testing.T) {
	cfg := river.DefaultConfig()
	if out, ok := testkit.Replays(t, play, cfg, cfg.Seed); !ok && !testkit.Race {
		t.Errorf("the default run violates a property:\n%s", out)
	}
	cfg.FirstFour, cfg.Seed = true, brokenSeed
	out, ok := testkit.Replays(t, play, cfg, brokenSeed)
	if !testkit.Race && (ok || !strings.Contains(out, `property "river/safe-boats" violated`)) {
		t.Errorf("the broken mode's seed %d does not show the mistake:\n%s", brokenSeed, out)
	}
}
