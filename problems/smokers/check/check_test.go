package check_test

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/gochord/chord/internal/checktest"
	"github.com/gochord/chord/problems/smokers"
	"github.com/gochord/chord/problems/smokers/check"
	"github.com/gochord/chord/props"
)

// TestSmokersHaveEveryProperty runs the join solution over random
// workloads and schedules, each in a synctest bubble.
func TestSmokersHaveEveryProperty(t *testing.T) {
	checktest.AtLeastChecks(t, checktest.Checks)
	rapid.Check(t, func(t *rapid.T) {
		cfg := smokers.Config{
			Rounds: rapid.IntRange(0, 12).Draw(t, "Rounds"),
			Seed:   rapid.Uint64().Draw(t, "Seed"),
		}
		cfg.Smoke.Min = time.Duration(rapid.IntRange(0, 2).Draw(t, "Smoke.Min")) * time.Millisecond
		cfg.Smoke.Max = cfg.Smoke.Min + time.Duration(rapid.IntRange(0, 2).Draw(t, "Smoke.Max-Min"))*time.Millisecond
		defer checktest.DrawProcs(t)()
		rapid.SyncTest(t, func(t *rapid.T) {
			defer checktest.Schedule(t, 64)()
			res, err := smokers.Run(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			checktest.FailOnViolations(t, props.CheckAll(res.Events, check.Properties(cfg)...), res.Events)
		})
	})
}

// TestSmokersOneAtATimeIsCaught is the negative control of
// AllRounds: smokers who take one ingredient at a time deadlock
// holding one each, and the verdict quotes what they hold.
func TestSmokersOneAtATimeIsCaught(t *testing.T) {
	caught := 0
	for seed := range uint64(20) {
		cfg := smokers.Config{Rounds: 10, Seed: seed, OneAtATime: true, Smoke: smokers.Span{Max: time.Millisecond}}
		synctest.Test(t, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			res, err := smokers.Run(ctx, cfg)
			vs := props.CheckAll(res.Events, check.Properties(cfg)...)
			if err == nil {
				require.Empty(t, vs)
				return
			}
			require.Len(t, vs, 1, "%v", vs)
			require.Equal(t, check.AllRoundsName, vs[0].Property)
			require.Contains(t, vs[0].Error(), "Took")
			if caught == 0 {
				t.Log(vs[0])
			}
			caught++
		})
	}
	t.Logf("one-at-a-time smokers deadlocked in %d of 20 runs", caught)
	require.Positive(t, caught)
}

func TestSmokerCheckersRejectBadTraces(t *testing.T) {
	put := func(r int, a, b smokers.Ingredient) smokers.Event {
		return smokers.Event{Kind: smokers.Put, Who: smokers.Agent, Round: r, Ingredients: []smokers.Ingredient{a, b}}
	}
	smoke := func(who, r int) smokers.Event {
		n := smokers.Needs(smokers.Ingredient(who))
		return smokers.Event{Kind: smokers.Smoke, Who: who, Round: r, Ingredients: n[:]}
	}
	done := func(who, r int) smokers.Event { return smokers.Event{Kind: smokers.Done, Who: who, Round: r} }
	cfg := smokers.Config{Rounds: 2}
	good := []smokers.Event{put(1, smokers.Paper, smokers.Matches), smoke(0, 1), done(0, 1), put(2, smokers.Tobacco, smokers.Paper), smoke(2, 2), done(2, 2)}
	require.Empty(t, props.CheckAll(good, check.Properties(cfg)...))
	for _, c := range []struct {
		name  string
		trace []smokers.Event
		want  string
	}{
		{"wrong smoker", []smokers.Event{put(1, smokers.Paper, smokers.Matches), smoke(1, 1), done(1, 1)}, check.RightSmokerName},
		{"never put", []smokers.Event{smoke(1, 1)}, check.RightSmokerName},
		{"agent does not wait", []smokers.Event{put(1, smokers.Paper, smokers.Matches), put(2, smokers.Tobacco, smokers.Paper)}, check.OneRoundName},
		{"smoked twice", []smokers.Event{put(1, smokers.Paper, smokers.Matches), smoke(0, 1), smoke(0, 1)}, check.OneRoundName},
		{"short", good[:3], check.AllRoundsName},
	} {
		vs := props.CheckAll(c.trace, check.Properties(cfg)...)
		require.NotEmpty(t, vs, c.name)
		require.Equal(t, c.want, vs[0].Property, "%s: %v", c.name, vs)
	}
}
