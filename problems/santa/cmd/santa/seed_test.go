package main

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/gochord/chord/internal/testkit"
	"github.com/gochord/chord/problems/santa"
	"github.com/gochord/chord/selectx"
)

// TestSeedDecidesTheVerdict plays the command's runs twice each, in fake
// time: the default run holds every property, and the broken mode (Santa
// chooses at random) at its default seed violates the reindeer priority,
// with the same verdict both times.
func TestSeedDecidesTheVerdict(t *testing.T) {
	cfg := santa.DefaultConfig()
	pri := func(ctx context.Context, w io.Writer, cfg santa.Config, svg string) (bool, error) {
		return play(ctx, w, cfg, "pri", false, false, 1, svg)
	}
	if out, ok := testkit.Replays(t, pri, cfg, cfg.Seed); !ok && !testkit.Race {
		t.Errorf("the default run violates a property:\n%s", out)
	}
	random := func(ctx context.Context, w io.Writer, cfg santa.Config, svg string) (bool, error) {
		return play(ctx, w, cfg, "random", false, false, 1, svg)
	}
	cfg.Choose, cfg.Seed = selectx.Select, brokenSeed
	out, ok := testkit.Replays(t, random, cfg, brokenSeed)
	if !testkit.Race && (ok || !strings.Contains(out, `property "santa/reindeer-priority" violated`) || !strings.Contains(out, "and yet the elves go first")) {
		t.Errorf("the broken mode's seed %d does not show the mistake:\n%s", brokenSeed, out)
	}
}
