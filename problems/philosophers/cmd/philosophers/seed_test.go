package main

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/gochord/chord/internal/testkit"
	"github.com/gochord/chord/problems/philosophers"
)

// TestSeedDecidesTheVerdict plays the command's runs twice each, in fake
// time: the default dinner holds every property, and the broken mode at
// its default seed deadlocks, with the same verdict both times.
func TestSeedDecidesTheVerdict(t *testing.T) {
	play := func(ctx context.Context, w io.Writer, cfg philosophers.Config, svg string) (bool, error) {
		return dine(ctx, w, cfg, true, svg)
	}
	cfg := defaultConfig()
	if out, ok := testkit.Replays(t, play, cfg, cfg.Seed); !ok && !testkit.Race {
		t.Errorf("the default dinner violates a property:\n%s", out)
	}
	cfg = broken(cfg, true)
	cfg.Seed = brokenSeed
	out, ok := testkit.Replays(t, play, cfg, brokenSeed)
	if !testkit.Race && (ok || !strings.Contains(out, `property "philosophers/all-meals-eaten" violated`) || !strings.Contains(out, "circular wait")) {
		t.Errorf("the broken mode's seed %d does not show the mistake:\n%s", brokenSeed, out)
	}
}
