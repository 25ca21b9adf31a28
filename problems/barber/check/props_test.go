package check_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/gochord/chord/internal/checktest"
	"github.com/gochord/chord/problems/barber"
	"github.com/gochord/chord/problems/barber/check"
	"github.com/gochord/chord/props"
)

// TestBarberUnderPropsCheck runs the solution under props' controlled
// scheduler, which owns every interleaving of its chord operations (the
// trace's recorder included): every property holds, whatever the schedule.
func TestBarberUnderPropsCheck(t *testing.T) {
	props.Check(t, func(r *props.Run) {
		ms := func(label string, hi int) time.Duration {
			return time.Duration(rapid.IntRange(0, hi).Draw(r.T, label)) * time.Millisecond
		}
		cfg := barber.Config{
			Chairs:    rapid.IntRange(1, 3).Draw(r.T, "Chairs"),
			Customers: rapid.IntRange(0, 6).Draw(r.T, "Customers"),
			Seed:      rapid.Uint64().Draw(r.T, "Seed"),
			Arrive:    barber.Span{Max: ms("Arrive.Max", 10)},
		}
		cfg.Cut.Min = ms("Cut.Min", 3)
		cfg.Cut.Max = cfg.Cut.Min + ms("Cut.Max-Min", 2)
		res, err := barber.Run(context.Background(), cfg)
		require.NoError(r.T, err)
		checktest.FailOn(r, props.CheckAll(res.Events, check.Properties(cfg)...))
	})
}

// TestBarberUnlockedCountIsCaughtByProps is the negative control of
// Chairs under props' scheduler: customers who check an unprotected count,
// then sit, share a chair, and the shrunk report says so.
func TestBarberUnlockedCountIsCaughtByProps(t *testing.T) {
	out := props.ExpectViolation(t, "unlocked", func(r *props.Run) {
		cfg := barber.DefaultConfig()
		cfg.Seed, cfg.Unlocked = rapid.Uint64().Draw(r.T, "Seed"), true
		res, err := barber.Run(context.Background(), cfg)
		require.NoError(r.T, err)
		checktest.FailOn(r, props.CheckAll(res.Events, check.Properties(cfg)...))
	})
	require.Contains(t, out, check.ChairsName)
}
