package check_test

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/gochord/chord/internal/checktest"
	"github.com/gochord/chord/problems/h2o"
	"github.com/gochord/chord/problems/h2o/check"
	"github.com/gochord/chord/props"
)

func drawH2O(t *rapid.T) h2o.Config {
	ms := func(label string, hi int) time.Duration {
		return time.Duration(rapid.IntRange(0, hi).Draw(t, label)) * time.Millisecond
	}
	cfg := h2o.Config{
		Hydrogen: rapid.IntRange(0, 9).Draw(t, "Hydrogen"),
		Oxygen:   rapid.IntRange(0, 5).Draw(t, "Oxygen"),
		Seed:     rapid.Uint64().Draw(t, "Seed"),
	}
	cfg.Arrive = h2o.Span{Max: ms("Arrive.Max", 5)}
	cfg.Bond.Min = ms("Bond.Min", 2)
	cfg.Bond.Max = cfg.Bond.Min + ms("Bond.Max-Min", 2)
	return cfg
}

// TestH2OHasEveryProperty runs the join solution over random workloads and
// schedules, each in a synctest bubble, and checks every H₂O property.
func TestH2OHasEveryProperty(t *testing.T) {
	checktest.AtLeastChecks(t, checktest.Checks)
	rapid.Check(t, func(t *rapid.T) {
		cfg := drawH2O(t)
		defer checktest.DrawProcs(t)()
		rapid.SyncTest(t, func(t *rapid.T) {
			defer checktest.Schedule(t, 64)()
			res, err := h2o.Run(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			checktest.FailOnViolations(t, props.CheckAll(res.Events, check.Properties(cfg)...), res.Events)
			if res.Stats.Molecules != cfg.Molecules() {
				t.Fatalf("Stats.Molecules = %d; want %d", res.Stats.Molecules, cfg.Molecules())
			}
		})
	})
}

// TestH2OGreedySitesAreCaught is the negative control of AllFormed: the
// greedy bonding sites, which take one atom at a time, deadlock holding
// atoms, and the checker says which.
func TestH2OGreedySitesAreCaught(t *testing.T) {
	cfg := h2o.Config{Hydrogen: 4, Oxygen: 2, Greedy: true, Arrive: h2o.Span{Max: 3 * time.Millisecond}}
	caught := 0
	for seed := range uint64(20) {
		cfg.Seed = seed
		synctest.Test(t, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			res, err := h2o.Run(ctx, cfg)
			vs := props.CheckAll(res.Events, check.Properties(cfg)...)
			if err == nil {
				require.Empty(t, vs, "a greedy run that finished must still be correct")
				return
			}
			require.Len(t, vs, 1, "%v", vs)
			require.Equal(t, check.AllFormedName, vs[0].Property)
			require.NotEmpty(t, vs[0].Events, "the verdict quotes the held atoms")
			if caught == 0 {
				t.Log(vs[0])
			}
			caught++
		})
	}
	t.Logf("greedy sites deadlocked in %d of 20 runs", caught)
	require.Positive(t, caught, "the greedy sites never deadlocked: the negative control proves nothing")
}

// The other two checkers must reject hand-made traces that break them.
func TestH2OCheckersRejectBadTraces(t *testing.T) {
	h := func(n int) h2o.Atom { return h2o.Atom{Elem: h2o.H, N: n} }
	o := func(n int) h2o.Atom { return h2o.Atom{Elem: h2o.O, N: n} }
	arr := func(a h2o.Atom) h2o.Event { return h2o.Event{Kind: h2o.Arrive, Atom: a} }
	bond := func(m int, as ...h2o.Atom) h2o.Event { return h2o.Event{Kind: h2o.Bond, Molecule: m, Atoms: as} }
	leave := func(a h2o.Atom, m int) h2o.Event { return h2o.Event{Kind: h2o.Leave, Atom: a, Molecule: m} }
	cfg := h2o.Config{Hydrogen: 2, Oxygen: 1}
	good := []h2o.Event{arr(h(0)), arr(o(0)), arr(h(1)), bond(1, h(0), h(1), o(0)), leave(h(1), 1), leave(h(0), 1), leave(o(0), 1)}
	require.Empty(t, props.CheckAll(good, check.Properties(cfg)...))
	for _, c := range []struct {
		name  string
		trace []h2o.Event
		want  string
	}{
		{"H3", []h2o.Event{arr(h(0)), arr(h(1)), arr(h(2)), bond(1, h(0), h(1), h(2))}, check.CompositionName},
		{"same H twice", []h2o.Event{arr(h(0)), arr(o(0)), bond(1, h(0), h(0), o(0))}, check.CompositionName},
		{"not arrived", []h2o.Event{arr(h(0)), arr(h(1)), bond(1, h(0), h(1), o(0))}, check.CompositionName},
		{"leaves early", []h2o.Event{arr(h(0)), leave(h(0), 1)}, check.ReleaseName},
		{"wrong molecule", append(good[:4:4], leave(h(0), 1), arr(h(5)), leave(h(5), 1)), check.ReleaseName},
		{"too few", good[:3], check.AllFormedName},
	} {
		vs := props.CheckAll(c.trace, check.Properties(cfg)...)
		require.NotEmpty(t, vs, c.name)
		require.Equal(t, c.want, vs[0].Property, "%s: %v", c.name, vs)
	}
}
