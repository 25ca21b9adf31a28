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

// TestBarberHasEveryProperty runs the solution over random days and
// schedules, each in a synctest bubble; across the runs some customers
// must have found the room full.
func TestBarberHasEveryProperty(t *testing.T) {
	checktest.AtLeastChecks(t, checktest.Checks)
	balked := 0
	rapid.Check(t, func(t *rapid.T) {
		ms := func(label string, hi int) time.Duration {
			return time.Duration(rapid.IntRange(0, hi).Draw(t, label)) * time.Millisecond
		}
		cfg := barber.Config{
			Chairs:    rapid.IntRange(1, 4).Draw(t, "Chairs"),
			Customers: rapid.IntRange(0, 12).Draw(t, "Customers"),
			Seed:      rapid.Uint64().Draw(t, "Seed"),
			Arrive:    barber.Span{Max: ms("Arrive.Max", 10)},
		}
		cfg.Cut.Min = ms("Cut.Min", 3)
		cfg.Cut.Max = cfg.Cut.Min + ms("Cut.Max-Min", 2)
		defer checktest.DrawProcs(t)()
		rapid.SyncTest(t, func(t *rapid.T) {
			defer checktest.Schedule(t, 64)()
			res, err := barber.Run(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			checktest.FailOnViolations(t, props.CheckAll(res.Events, check.Properties(cfg)...), res.Events)
			balked += res.Stats.Balked
		})
	})
	require.Positive(t, balked, "no customer ever found the room full")
}

// TestBarberUnlockedCountIsCaught is the negative control of Chairs:
// customers who check an unprotected count, then sit, share a chair.
func TestBarberUnlockedCountIsCaught(t *testing.T) {
	caught := checktest.CaughtIn(t, check.ChairsName, func(seed uint64) ([]*props.Violation, error) {
		cfg := barber.DefaultConfig()
		cfg.Seed, cfg.Unlocked = seed, true
		res, err := barber.Run(context.Background(), cfg)
		return props.CheckAll(res.Events, check.Properties(cfg)...), err
	})
	t.Logf("the unlocked count put two customers on one chair in %d of 20 days", caught)
	require.Positive(t, caught)
}

func TestBarberCheckersRejectBadTraces(t *testing.T) {
	ev := func(k barber.Kind, who, chair int) barber.Event { return barber.Event{Kind: k, Who: who, Chair: chair} }
	cfg := barber.Config{Chairs: 1, Customers: 2}
	good := []barber.Event{ev(barber.Arrive, 0, 0), ev(barber.Sit, 0, 0), ev(barber.Arrive, 1, 0), ev(barber.Balk, 1, 0),
		ev(barber.Cut, 0, 0), ev(barber.Up, 0, 0), ev(barber.Done, 0, 0), ev(barber.Leave, 0, 0)}
	require.Empty(t, props.CheckAll(good, check.Properties(cfg)...))
	for _, c := range []struct {
		name  string
		trace []barber.Event
		want  string
	}{
		{"shared chair", []barber.Event{ev(barber.Sit, 0, 0), ev(barber.Sit, 1, 0)}, check.ChairsName},
		{"no such chair", []barber.Event{ev(barber.Sit, 0, 1)}, check.ChairsName},
		{"balk with a free chair", []barber.Event{ev(barber.Balk, 1, 0)}, check.BalkName},
		{"cut unseated", []barber.Event{ev(barber.Cut, 0, 0)}, check.ServedName},
		{"never served", good[:4], check.ServedName},
		{"two at once", []barber.Event{ev(barber.Sit, 0, 0), ev(barber.Cut, 0, 0), ev(barber.Cut, 0, 0)}, check.OneCutsName},
	} {
		var names []string
		for _, v := range props.CheckAll(c.trace, check.Properties(cfg)...) {
			names = append(names, v.Property)
		}
		require.Contains(t, names, c.want, c.name)
	}
}
