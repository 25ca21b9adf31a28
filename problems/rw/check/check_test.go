package check_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/gochord/chord/internal/checktest"
	"github.com/gochord/chord/problems/rw"
	"github.com/gochord/chord/problems/rw/check"
	"github.com/gochord/chord/props"
)

// TestRWHasEveryProperty runs the solution over random workloads and
// schedules, each in a synctest bubble; across the runs readers must have
// shared the room.
func TestRWHasEveryProperty(t *testing.T) {
	checktest.AtLeastChecks(t, checktest.Checks)
	shared := 0
	rapid.Check(t, func(t *rapid.T) {
		ms := func(label string, hi int) time.Duration {
			return time.Duration(rapid.IntRange(0, hi).Draw(t, label)) * time.Millisecond
		}
		cfg := rw.Config{
			Readers: rapid.IntRange(0, 5).Draw(t, "Readers"),
			Writers: rapid.IntRange(0, 3).Draw(t, "Writers"),
			Visits:  rapid.IntRange(0, 3).Draw(t, "Visits"),
			Seed:    rapid.Uint64().Draw(t, "Seed"),
		}
		cfg.Think = rw.Span{Max: ms("Think.Max", 3)}
		cfg.Read = rw.Span{Max: ms("Read.Max", 4)}
		cfg.Write = rw.Span{Max: ms("Write.Max", 3)}
		defer checktest.DrawProcs(t)()
		rapid.SyncTest(t, func(t *rapid.T) {
			defer checktest.Schedule(t, 64)()
			res, err := rw.Run(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			checktest.FailOnViolations(t, props.CheckAll(res.Events, check.Properties(cfg)...), res.Events)
			if res.Stats.MaxReaders > 1 {
				shared++
			}
		})
	})
	require.Positive(t, shared, "readers never shared the room: the solution may serialise them")
}

// TestRWReadersFirstIsCaught is the negative control of NoOvertaking:
// with the readers' preference, readers who asked later overtake a
// waiting writer.
func TestRWReadersFirstIsCaught(t *testing.T) {
	caught := checktest.CaughtIn(t, check.NoOvertakingName, func(seed uint64) ([]*props.Violation, error) {
		cfg := rw.DefaultConfig()
		cfg.Seed, cfg.ReadersFirst = seed, true
		res, err := rw.Run(context.Background(), cfg)
		return props.CheckAll(res.Events, check.Properties(cfg)...), err
	})
	t.Logf("readers overtook a waiting writer in %d of 20 runs", caught)
	require.Positive(t, caught)
}

func TestRWCheckersRejectBadTraces(t *testing.T) {
	r := func(n int) rw.Actor { return rw.Actor{N: n} }
	w := func(n int) rw.Actor { return rw.Actor{Writer: true, N: n} }
	ev := func(k rw.Kind, a rw.Actor) rw.Event { return rw.Event{Kind: k, Actor: a} }
	cfg := rw.Config{Readers: 2, Writers: 1, Visits: 1}
	good := []rw.Event{ev(rw.Request, r(0)), ev(rw.Enter, r(0)), ev(rw.Request, w(0)), ev(rw.Request, r(1)),
		ev(rw.Leave, r(0)), ev(rw.Enter, w(0)), ev(rw.Leave, w(0)), ev(rw.Enter, r(1)), ev(rw.Leave, r(1))}
	require.Empty(t, props.CheckAll(good, check.Properties(cfg)...))
	for _, c := range []struct {
		name  string
		trace []rw.Event
		want  string
	}{
		{"writer with a reader", []rw.Event{ev(rw.Request, r(0)), ev(rw.Request, w(0)), ev(rw.Enter, r(0)), ev(rw.Enter, w(0))}, check.ExclusionName},
		{"reader with a writer", []rw.Event{ev(rw.Request, w(0)), ev(rw.Request, r(0)), ev(rw.Enter, w(0)), ev(rw.Enter, r(0))}, check.ExclusionName},
		{"reader overtakes writer", []rw.Event{ev(rw.Request, r(0)), ev(rw.Enter, r(0)), ev(rw.Request, w(0)), ev(rw.Request, r(1)), ev(rw.Enter, r(1))}, check.NoOvertakingName},
		{"no request", []rw.Event{ev(rw.Enter, r(0))}, check.NoOvertakingName},
		{"unserved", good[:5], check.AllServedName},
	} {
		var names []string
		for _, v := range props.CheckAll(c.trace, check.Properties(cfg)...) {
			names = append(names, v.Property)
		}
		require.Contains(t, names, c.want, c.name)
	}
}
