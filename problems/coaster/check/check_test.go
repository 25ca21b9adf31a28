package check_test

import (
	"context"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/gochord/chord/internal/checktest"
	"github.com/gochord/chord/problems/coaster"
	"github.com/gochord/chord/problems/coaster/check"
	"github.com/gochord/chord/props"
)

// draw draws a small park whose car can always fill.
func draw(t *rapid.T) coaster.Config {
	cfg := coaster.Config{Capacity: rapid.IntRange(1, 3).Draw(t, "Capacity"), Rides: rapid.IntRange(0, 3).Draw(t, "Rides"), Seed: rapid.Uint64().Draw(t, "Seed")}
	cfg.Passengers = cfg.Capacity + rapid.IntRange(0, 3).Draw(t, "Passengers-Capacity")
	cfg.Wander = coaster.Span{Max: checktest.Millis(t, "Wander.Max", 3)}
	cfg.Ride = coaster.Span{Max: checktest.Millis(t, "Ride.Max", 2)}
	cfg.Unload = coaster.Span{Max: checktest.Millis(t, "Unload.Max", 2)}
	return cfg
}

// check runs cfg under the property's scheduler and fails it on a
// violation, with a message short enough for rapid to shrink.
func checkRun(r *props.Run, cfg coaster.Config) {
	res, err := coaster.Run(context.Background(), cfg)
	if err != nil {
		r.T.Fatal(err)
	}
	checktest.FailOnViolations(r.T, props.CheckAll(res.Events, check.Properties(cfg)...), res.Events)
	if res.Stats.Rides != cfg.Rides {
		r.T.Fatalf("Stats.Rides = %d; want %d", res.Stats.Rides, cfg.Rides)
	}
}

// TestCarHasEveryProperty runs the solution over random parks under the
// controlled scheduler (a deadlock would be reported and shrunk).
func TestCarHasEveryProperty(t *testing.T) {
	checktest.UnderProps(t, 40, func(r *props.Run) { checkRun(r, draw(r.T)) })
}

// TestDefaultRunsHaveEveryProperty plays the default park, quickened, in
// plain synctest bubbles (which also fail on a goroutine left behind).
func TestDefaultRunsHaveEveryProperty(t *testing.T) {
	checktest.InBubbles(t, 10, func(t *testing.T, seed uint64) {
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

// TestEagerCarIsCaught is the negative control of UnloadBeforeLoad under
// the controlled scheduler: rapid must find a run where the eager car
// boards new riders while the old are still in it.
func TestEagerCarIsCaught(t *testing.T) {
	checktest.ExpectCaught(t, "eager car", check.UnloadBeforeLoadName, func(r *props.Run) {
		cfg := draw(r.T)
		cfg.Eager = true
		checkRun(r, cfg)
	})
}

// TestEagerDefaultRunIsCaught: the default park with the eager car
// violates UnloadBeforeLoad, and the checker quotes the riders in the car.
func TestEagerDefaultRunIsCaught(t *testing.T) {
	checktest.CaughtAtLeast(t, "the eager car", 10, 5, func(t *testing.T, seed uint64) bool {
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
			return false
		}
		if len(vs) != 1 || vs[0].Property != check.UnloadBeforeLoadName || len(vs[0].Events) <= cfg.Capacity {
			t.Fatalf("seed %d: %d overlaps; violations %v", seed, res.Stats.Overlaps, vs)
		}
		return true
	})
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
	checktest.Holds(t, good, check.Properties(cfg)...)
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
		checktest.ViolatesFirst(t, c.name, c.trace, c.want, check.Properties(cfg)...)
	}
}

func TestValidateRejectsImpossibleConfigs(t *testing.T) {
	checktest.RejectsConfigs(t, coaster.DefaultConfig, run,
		func(c *coaster.Config) { c.Capacity = 0 },
		func(c *coaster.Config) { c.Passengers = c.Capacity - 1 },
		func(c *coaster.Config) { c.Rides = -1 },
		func(c *coaster.Config) { c.Ride = coaster.Span{Min: time.Second} },
	)
}

func run(cfg coaster.Config) error {
	_, err := coaster.Run(context.Background(), cfg)
	return err
}

func TestCancelledRunEndsEverybody(t *testing.T) {
	cfg := coaster.DefaultConfig()
	cfg.Rides = 1000
	checktest.CancelledRunFails(t, 2*time.Second, func(ctx context.Context) ([]coaster.Event, error) {
		res, err := coaster.Run(ctx, cfg)
		return res.Events, err
	}, "AllRides", check.AllRides(cfg))
}
