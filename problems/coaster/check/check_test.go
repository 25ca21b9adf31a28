package check_test

import (
	"context"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"pgregory.net/rapid"

	"github.com/gochord/chord/internal/testkit"
	"github.com/gochord/chord/problems/coaster"
	"github.com/gochord/chord/problems/coaster/check"
	"github.com/gochord/chord/props"
)

// draw draws a small park whose car can always fill.
func draw(t *rapid.T) coaster.Config {
	ms := func(label string, hi int) time.Duration {
		return time.Duration(rapid.IntRange(0, hi).Draw(t, label)) * time.Millisecond
	}
	cfg := coaster.Config{Capacity: rapid.IntRange(1, 3).Draw(t, "Capacity"), Rides: rapid.IntRange(0, 3).Draw(t, "Rides"), Seed: rapid.Uint64().Draw(t, "Seed")}
	cfg.Passengers = cfg.Capacity + rapid.IntRange(0, 3).Draw(t, "Passengers-Capacity")
	cfg.Wander = coaster.Span{Max: ms("Wander.Max", 3)}
	cfg.Ride = coaster.Span{Max: ms("Ride.Max", 2)}
	cfg.Unload = coaster.Span{Max: ms("Unload.Max", 2)}
	return cfg
}

// check runs cfg under the property's scheduler and fails it on a
// violation, with a message short enough for rapid to shrink.
func checkRun(r *props.Run, cfg coaster.Config) {
	res, err := coaster.Run(context.Background(), cfg)
	if err != nil {
		r.T.Fatal(err)
	}
	if vs := props.CheckAll(res.Events, check.Properties(cfg)...); len(vs) > 0 {
		for _, v := range vs {
			r.T.Log(v)
		}
		r.T.Fatalf("property %q violated", vs[0].Property)
	}
	if res.Stats.Rides != cfg.Rides {
		r.T.Fatalf("Stats.Rides = %d; want %d", res.Stats.Rides, cfg.Rides)
	}
}

// TestCarHasEveryProperty runs the solution over random parks under the
// controlled scheduler (a deadlock would be reported and shrunk).
func TestCarHasEveryProperty(t *testing.T) {
	testkit.SetRapidFlag(t, "rapid.checks", "40", false)
	props.Check(t, func(r *props.Run) { checkRun(r, draw(r.T)) })
}

// TestDefaultRunsHaveEveryProperty plays the default park, quickened, in
// plain synctest bubbles (which also fail on a goroutine left behind).
func TestDefaultRunsHaveEveryProperty(t *testing.T) {
	for seed := range uint64(10) {
		synctest.Test(t, func(t *testing.T) {
			cfg := coaster.DefaultConfig()
			cfg.Seed = seed
			res, err := coaster.Run(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			if vs := props.CheckAll(res.Events, check.Properties(cfg)...); len(vs) > 0 {
				t.Fatalf("seed %d: %v", seed, vs)
			}
			if st := res.Stats; st.Rides != cfg.Rides || st.Riders != cfg.Rides*cfg.Capacity || st.Overlaps != 0 {
				t.Fatalf("seed %d: %+v", seed, st)
			}
		})
	}
}

// TestEagerCarIsCaught is the negative control of UnloadBeforeLoad under
// the controlled scheduler: rapid must find a run where the eager car
// boards new riders while the old are still in it.
func TestEagerCarIsCaught(t *testing.T) {
	out := props.ExpectViolation(t, "eager car", func(r *props.Run) {
		cfg := draw(r.T)
		cfg.Eager = true
		checkRun(r, cfg)
	})
	if !strings.Contains(out, check.UnloadBeforeLoadName) {
		t.Errorf("the report does not name %s:\n%s", check.UnloadBeforeLoadName, out)
	}
}

// TestEagerDefaultRunIsCaught: the default park with the eager car
// violates UnloadBeforeLoad, and the checker quotes the riders in the car.
func TestEagerDefaultRunIsCaught(t *testing.T) {
	caught := 0
	for seed := range uint64(10) {
		synctest.Test(t, func(t *testing.T) {
			cfg := coaster.DefaultConfig()
			cfg.Seed, cfg.Eager = seed, true
			res, err := coaster.Run(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			vs := props.CheckAll(res.Events, check.Properties(cfg)...)
			if res.Stats.Overlaps == 0 {
				if len(vs) > 0 {
					t.Fatalf("seed %d: no overlap, yet %v", seed, vs)
				}
				return
			}
			if len(vs) != 1 || vs[0].Property != check.UnloadBeforeLoadName || len(vs[0].Events) <= cfg.Capacity {
				t.Fatalf("seed %d: %d overlaps; violations %v", seed, res.Stats.Overlaps, vs)
			}
			caught++
		})
	}
	if caught < 5 {
		t.Fatalf("the eager car was caught in %d of 10 runs; want at least 5", caught)
	}
}

func TestCheckersRejectBadTraces(t *testing.T) {
	arr := func(p coaster.Passenger) coaster.Event { return coaster.Event{Kind: coaster.Arrive, Passenger: p} }
	board := func(r int, ps ...coaster.Passenger) coaster.Event {
		return coaster.Event{Kind: coaster.Board, Ride: r, Riders: ps}
	}
	off := func(p coaster.Passenger, r int) coaster.Event {
		return coaster.Event{Kind: coaster.Unboard, Passenger: p, Ride: r}
	}
	home := func(p coaster.Passenger) coaster.Event { return coaster.Event{Kind: coaster.Home, Passenger: p} }
	cfg := coaster.Config{Passengers: 4, Capacity: 2, Rides: 2}
	good := []coaster.Event{arr(0), arr(1), arr(2), board(1, 0, 1), off(1, 1), arr(3), off(0, 1), board(2, 2, 3), off(2, 2), off(3, 2),
		home(0), home(1), home(2), home(3)}
	if vs := props.CheckAll(good, check.Properties(cfg)...); len(vs) > 0 {
		t.Fatal(vs)
	}
	for _, c := range []struct {
		name  string
		trace []coaster.Event
		want  string
	}{
		{"part full", []coaster.Event{arr(0), board(1, 0)}, check.FullCarName},
		{"not queued", []coaster.Event{arr(0), board(1, 0, 1)}, check.FullCarName},
		{"overlap", []coaster.Event{arr(0), arr(1), arr(2), arr(3), board(1, 0, 1), off(0, 1), board(2, 2, 3)}, check.UnloadBeforeLoadName},
		{"wrong ride", []coaster.Event{arr(0), arr(1), board(1, 0, 1), off(0, 2)}, check.AllRidesName},
		{"home from the car", []coaster.Event{arr(0), arr(1), board(1, 0, 1), home(0)}, check.AllRidesName},
		{"too few rides", good[:7], check.AllRidesName},
	} {
		vs := props.CheckAll(c.trace, check.Properties(cfg)...)
		if len(vs) == 0 || vs[0].Property != c.want {
			t.Errorf("%s: %v; want a violation of %s first", c.name, vs, c.want)
		}
	}
}

func TestValidateRejectsImpossibleConfigs(t *testing.T) {
	for _, edit := range []func(*coaster.Config){
		func(c *coaster.Config) { c.Capacity = 0 },
		func(c *coaster.Config) { c.Passengers = c.Capacity - 1 },
		func(c *coaster.Config) { c.Rides = -1 },
		func(c *coaster.Config) { c.Ride = coaster.Span{Min: time.Second} },
	} {
		cfg := coaster.DefaultConfig()
		edit(&cfg)
		if _, err := coaster.Run(context.Background(), cfg); err == nil {
			t.Errorf("Run(%+v) = nil error", cfg)
		}
	}
}

func TestCancelledRunEndsEverybody(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := coaster.DefaultConfig()
		cfg.Rides = 1000
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		res, err := coaster.Run(ctx, cfg)
		if err != context.DeadlineExceeded {
			t.Fatalf("Run = %v; want the deadline", err)
		}
		if v := check.AllRides(cfg).Check(res.Events); v == nil {
			t.Fatal("AllRides holds for a cancelled run")
		}
	})
}
