package props_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/gochord/chord/problems/savages"
	"github.com/gochord/chord/props"
)

// TestSavagesHaveEveryProperty runs the solution over random feasts and
// schedules, each in a synctest bubble.
func TestSavagesHaveEveryProperty(t *testing.T) {
	atLeastChecks(t, propsChecks)
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
		defer drawProcs(t)()
		rapid.SyncTest(t, func(t *rapid.T) {
			defer props.NewScheduler(t, 64).Install()()
			res, err := savages.Run(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			failOnViolations(t, props.CheckAll(res.Events, props.SavageProperties(cfg)...), res.Events)
		})
	})
}

// TestSavagesPeekIsCaught is the negative control of SavageRefillWhenEmpty:
// savages who look at the pot and wake the cook when they see it empty wake
// him twice, and he refills a full pot.
func TestSavagesPeekIsCaught(t *testing.T) {
	caught := caughtIn(t, props.SavageRefillWhenEmptyName, func(seed uint64) ([]*props.Violation, error) {
		cfg := savages.DefaultConfig()
		cfg.Seed, cfg.Peek = seed, true
		res, err := savages.Run(context.Background(), cfg)
		return props.CheckAll(res.Events, props.SavageProperties(cfg)...), err
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
	require.Empty(t, props.CheckAll(good, props.SavageProperties(cfg)...))
	for _, c := range []struct {
		name  string
		trace []savages.Event
		want  string
	}{
		{"refill a full pot", []savages.Event{refill(1), refill(2), take(0, 1, 1), take(0, 2, 1)}, props.SavageRefillWhenEmptyName},
		{"twice", []savages.Event{refill(1), take(0, 1, 1), take(0, 1, 1)}, props.SavageServingOnceName},
		{"never cooked", []savages.Event{take(0, 1, 1), take(0, 1, 2)}, props.SavageServingOnceName},
		{"hungry", good[:2], props.SavageAllFedName},
	} {
		var names []string
		for _, v := range props.CheckAll(c.trace, props.SavageProperties(cfg)...) {
			names = append(names, v.Property)
		}
		require.Contains(t, names, c.want, c.name)
	}
}
