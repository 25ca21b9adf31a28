package check_test

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/gochord/chord/internal/checktest"
	"github.com/gochord/chord/problems/river"
	"github.com/gochord/chord/problems/river/check"
	"github.com/gochord/chord/props"
)

func drawRiver(t *rapid.T) river.Config {
	ms := func(label string, hi int) time.Duration {
		return time.Duration(rapid.IntRange(0, hi).Draw(t, label)) * time.Millisecond
	}
	cfg := river.Config{
		Hackers: rapid.IntRange(0, 10).Draw(t, "Hackers"),
		Serfs:   rapid.IntRange(0, 10).Draw(t, "Serfs"),
		Seed:    rapid.Uint64().Draw(t, "Seed"),
	}
	cfg.Arrive = river.Span{Max: ms("Arrive.Max", 6)}
	cfg.Row.Min = ms("Row.Min", 2)
	cfg.Row.Max = cfg.Row.Min + ms("Row.Max-Min", 2)
	return cfg
}

// TestRiverHasEveryProperty runs the join solution over random crowds and
// schedules, each in a synctest bubble.
func TestRiverHasEveryProperty(t *testing.T) {
	checktest.AtLeastChecks(t, checktest.Checks)
	mixed := 0
	rapid.Check(t, func(t *rapid.T) {
		cfg := drawRiver(t)
		defer checktest.DrawProcs(t)()
		rapid.SyncTest(t, func(t *rapid.T) {
			defer checktest.Schedule(t, 64)()
			res, err := river.Run(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			checktest.FailOnViolations(t, props.CheckAll(res.Events, check.Properties(cfg)...), res.Events)
			mixed += res.Stats.Mixed
		})
	})
	require.Positive(t, mixed, "no run filled a boat of two and two")
}

// TestRiverFirstFourIsCaught is the negative control of SafeBoats: a
// captain who boards the first four to arrive sails a boat of three and one.
func TestRiverFirstFourIsCaught(t *testing.T) {
	caught := 0
	for seed := range uint64(20) {
		cfg := river.Config{Hackers: 6, Serfs: 6, Seed: seed, FirstFour: true, Arrive: river.Span{Max: 5 * time.Millisecond}}
		synctest.Test(t, func(t *testing.T) {
			res, err := river.Run(context.Background(), cfg)
			require.NoError(t, err)
			vs := props.CheckAll(res.Events, check.Properties(cfg)...)
			if res.Stats.Unsafe == 0 {
				return
			}
			require.NotEmpty(t, vs)
			require.Equal(t, check.SafeBoatsName, vs[0].Property)
			if caught == 0 {
				t.Log(vs[0])
			}
			caught++
		})
	}
	t.Logf("the first-four captain sailed an unsafe boat in %d of 20 runs", caught)
	require.Positive(t, caught)
}

func TestRiverCheckersRejectBadTraces(t *testing.T) {
	h := func(n int) river.Person { return river.Person{Side: river.Hacker, N: n} }
	s := func(n int) river.Person { return river.Person{Side: river.Serf, N: n} }
	arr := func(p river.Person) river.Event { return river.Event{Kind: river.Arrive, Person: p} }
	board := func(b int, ps ...river.Person) river.Event {
		return river.Event{Kind: river.Board, Boat: b, Riders: ps}
	}
	land := func(p river.Person, b int) river.Event { return river.Event{Kind: river.Land, Person: p, Boat: b} }
	cfg := river.Config{Hackers: 2, Serfs: 2}
	good := []river.Event{arr(h(0)), arr(s(0)), arr(h(1)), arr(s(1)), board(1, h(0), h(1), s(0), s(1)), land(h(0), 1), land(h(1), 1), land(s(0), 1), land(s(1), 1)}
	require.Empty(t, props.CheckAll(good, check.Properties(cfg)...))
	for _, c := range []struct {
		name  string
		trace []river.Event
		want  string
	}{
		{"three and one", []river.Event{arr(h(0)), arr(h(1)), arr(h(2)), arr(s(0)), board(1, h(0), h(1), h(2), s(0))}, check.SafeBoatsName},
		{"three people", []river.Event{arr(h(0)), arr(h(1)), arr(s(0)), board(1, h(0), h(1), s(0))}, check.SafeBoatsName},
		{"twice", []river.Event{arr(h(0)), arr(h(1)), arr(s(0)), board(1, h(0), h(0), s(0), s(0))}, check.SafeBoatsName},
		{"lands early", []river.Event{arr(h(0)), land(h(0), 1)}, check.LandName},
		{"not aboard", append(good[:5:5], land(h(3), 1)), check.LandName},
		{"no boat", good[:4], check.AllBoatsName},
	} {
		vs := props.CheckAll(c.trace, check.Properties(cfg)...)
		require.NotEmpty(t, vs, c.name)
		require.Equal(t, c.want, vs[0].Property, "%s: %v", c.name, vs)
	}
}
