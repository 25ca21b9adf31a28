package check_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/gochord/chord/internal/checktest"
	"github.com/gochord/chord/problems/savages"
	"github.com/gochord/chord/problems/savages/check"
	"github.com/gochord/chord/props"
)

// TestSavagesHaveEveryProperty runs the solution over random feasts and
// schedules, each in a synctest bubble.
func TestSavagesHaveEveryProperty(t *testing.T) {
	checktest.AtLeastChecks(t, checktest.Checks)
	rapid.Check(t, func(t *rapid.T) {
		ms := func(label string, hi int) time.Duration {
			return time.Duration(rapid.IntRange(0, hi).Draw(t, label)) * time.Millisecond
		}
		cfg := savages.Config{
			Savages:  rapid.IntRange(0, 6).Draw(t, "Savages"),
			Meals:    rapid.IntRange(0, 4).Draw(t, "Meals"),
			Servings: rapid.IntRange(1, 5).Draw(t, "Servings"),
			Seed:     rapid.Uint64().Draw(t, "Seed"),
		}
		cfg.Eat.Min = ms("Eat.Min", 2)
		cfg.Eat.Max = cfg.Eat.Min + ms("Eat.Max-Min", 2)
		cfg.Cook.Min = ms("Cook.Min", 2)
		cfg.Cook.Max = cfg.Cook.Min + ms("Cook.Max-Min", 2)
		defer checktest.DrawProcs(t)()
		rapid.SyncTest(t, func(t *rapid.T) {
			defer checktest.Schedule(t, 64)()
			res, err := savages.Run(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			checktest.FailOnViolations(t, props.CheckAll(res.Events, check.Properties(cfg)...), res.Events)
		})
	})
}

// TestSavagesPeekIsCaught is the negative control of RefillWhenEmpty:
// savages who look at the pot and wake the cook when they see it empty wake
// him twice, and he refills a full pot.
func TestSavagesPeekIsCaught(t *testing.T) {
	caught := checktest.CaughtIn(t, check.RefillWhenEmptyName, func(seed uint64) ([]*props.Violation, error) {
		cfg := savages.DefaultConfig()
		cfg.Seed, cfg.Peek = seed, true
		res, err := savages.Run(context.Background(), cfg)
		return props.CheckAll(res.Events, check.Properties(cfg)...), err
	})
	t.Logf("peeking savages made the cook refill a pot that was not empty in %d of 20 feasts", caught)
	require.Positive(t, caught)
}

func TestSavageCheckersRejectBadTraces(t *testing.T) {
	refill := func(n int) savages.Event {
		return savages.Event{Kind: savages.Refill, Who: savages.Cook, Serving: savages.Serving{Pot: n}}
	}
	take := func(who, pot, n int) savages.Event {
		return savages.Event{Kind: savages.Take, Who: who, Serving: savages.Serving{Pot: pot, N: n}}
	}
	cfg := savages.Config{Savages: 1, Meals: 2, Servings: 1}
	good := []savages.Event{refill(1), take(0, 1, 1), refill(2), take(0, 2, 1)}
	require.Empty(t, props.CheckAll(good, check.Properties(cfg)...))
	for _, c := range []struct {
		name  string
		trace []savages.Event
		want  string
	}{
		{"refill a full pot", []savages.Event{refill(1), refill(2), take(0, 1, 1), take(0, 2, 1)}, check.RefillWhenEmptyName},
		{"twice", []savages.Event{refill(1), take(0, 1, 1), take(0, 1, 1)}, check.ServingOnceName},
		{"never cooked", []savages.Event{take(0, 1, 1), take(0, 1, 2)}, check.ServingOnceName},
		{"hungry", good[:2], check.AllFedName},
	} {
		var names []string
		for _, v := range props.CheckAll(c.trace, check.Properties(cfg)...) {
			names = append(names, v.Property)
		}
		require.Contains(t, names, c.want, c.name)
	}
}
