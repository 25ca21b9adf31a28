package check_test

import (
	"context"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/gochord/chord/internal/checktest"
	"github.com/gochord/chord/problems/bus"
	"github.com/gochord/chord/problems/bus/check"
	"github.com/gochord/chord/props"
)

func draw(t *rapid.T) bus.Config {
	cfg := bus.Config{
		Riders:   rapid.IntRange(0, 8).Draw(t, "Riders"),
		Capacity: rapid.IntRange(1, 4).Draw(t, "Capacity"),
		Buses:    rapid.IntRange(0, 4).Draw(t, "Buses"),
		Seed:     rapid.Uint64().Draw(t, "Seed"),
	}
	cfg.Arrive = bus.Span{Max: checktest.Millis(t, "Arrive.Max", 6)}
	cfg.Interval = bus.Span{Max: checktest.Millis(t, "Interval.Max", 3)}
	cfg.Board = bus.Span{Max: checktest.Millis(t, "Board.Max", 2)}
	return cfg
}

// check runs cfg and fails r on a violation, with a message short enough
// for rapid to shrink.
func checkRun(r *props.Run, cfg bus.Config) {
	res, err := bus.Run(context.Background(), cfg)
	if err != nil {
		r.T.Fatal(err)
	}
	checktest.FailOnViolations(r.T, props.CheckAll(res.Events, check.Properties(cfg)...), res.Events)
}

// TestBusHasEveryProperty runs the solution over random services under
// the controlled scheduler.
func TestBusHasEveryProperty(t *testing.T) {
	checktest.UnderProps(t, 40, func(r *props.Run) { checkRun(r, draw(r.T)) })
}

// TestDefaultRunsHaveEveryProperty plays the default service in plain
// synctest bubbles (which also fail on a goroutine left behind); across
// the seeds some bus must leave riders behind for lack of room, and some
// rider must come while a bus boards.
func TestDefaultRunsHaveEveryProperty(t *testing.T) {
	full := 0
	checktest.InBubbles(t, 10, func(t *testing.T, seed uint64) {
		cfg := bus.DefaultConfig()
		cfg.Seed = seed
		res, err := bus.Run(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		if vs := props.CheckAll(res.Events, check.Properties(cfg)...); len(vs) > 0 {
			t.Fatalf("seed %d: %v", seed, vs)
		}
		if st := res.Stats; st.Buses != cfg.Buses || st.Late != 0 || st.Carried+st.Stranded != cfg.Riders {
			t.Fatalf("seed %d: %+v", seed, st)
		}
		for _, e := range res.Events {
			if e.Kind == bus.Stop && e.Waiting > cfg.Capacity {
				full++
			}
		}
	})
	if full == 0 {
		t.Error("no bus found more riders than seats")
	}
}

// TestLateBoardingIsCaught is the negative control of NoLateBoarding
// under the controlled scheduler.
func TestLateBoardingIsCaught(t *testing.T) {
	checktest.ExpectCaught(t, "late boarding", check.NoLateBoardingName, func(r *props.Run) {
		cfg := draw(r.T)
		cfg.LateBoarding = true
		checkRun(r, cfg)
	})
}

// TestLateBoardingDefaultRunIsCaught: default services with the mistake
// board late comers, and the checker quotes one.
func TestLateBoardingDefaultRunIsCaught(t *testing.T) {
	checktest.CaughtAtLeast(t, "late boarding", 10, 5, func(t *testing.T, seed uint64) bool {
		cfg := bus.DefaultConfig()
		cfg.Seed, cfg.LateBoarding = seed, true
		res, err := bus.Run(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		vs := props.CheckAll(res.Events, check.Properties(cfg)...)
		if res.Stats.Late == 0 {
			return false
		}
		if len(vs) == 0 || vs[0].Property != check.NoLateBoardingName || len(vs[0].Events) != 3 {
			t.Fatalf("seed %d: %d late riders; violations %v", seed, res.Stats.Late, vs)
		}
		return true
	})
}

func TestCheckersRejectBadTraces(t *testing.T) {
	arr := func(r bus.Rider) bus.Event { return bus.Event{Kind: bus.Arrive, Rider: r} }
	stop := func(b int) bus.Event { return bus.Event{Kind: bus.Stop, Bus: b} }
	board := func(r bus.Rider, b int) bus.Event { return bus.Event{Kind: bus.Board, Rider: r, Bus: b} }
	depart := func(b int, rs ...bus.Rider) bus.Event { return bus.Event{Kind: bus.Depart, Bus: b, Riders: rs} }
	stranded := func(r bus.Rider) bus.Event { return bus.Event{Kind: bus.Stranded, Rider: r} }
	cfg := bus.Config{Riders: 4, Capacity: 2, Buses: 2}
	good := []bus.Event{arr(0), arr(1), arr(2), stop(1), board(0, 1), arr(3), board(1, 1), depart(1, 0, 1),
		stop(2), board(2, 2), board(3, 2), depart(2, 2, 3)}
	checktest.Holds(t, good, check.Properties(cfg)...)
	for i := range good {
		good[i].Seq = i + 1
	}
	for _, c := range []struct {
		name  string
		trace []bus.Event
		want  string
	}{
		{"twice", []bus.Event{arr(0), stop(1), board(0, 1), depart(1, 0), stop(2), board(0, 2)}, check.BoardOnceName},
		{"late", []bus.Event{{Seq: 1, Kind: bus.Stop, Bus: 1}, {Seq: 2, Kind: bus.Arrive, Rider: 0}, {Seq: 3, Kind: bus.Board, Rider: 0, Bus: 1}}, check.NoLateBoardingName},
		{"left behind", []bus.Event{arr(0), arr(1), stop(1), board(0, 1), depart(1, 0)}, check.FillFromStopName},
		{"overfull", []bus.Event{arr(0), arr(1), arr(2), stop(1), board(0, 1), board(1, 1), board(2, 1), depart(1, 0, 1, 2)}, check.FillFromStopName},
		{"wrong list", []bus.Event{arr(0), stop(1), board(0, 1), depart(1, 3)}, check.FillFromStopName},
		{"both", append(good[:8:8], stranded(0)), check.AllBusesName},
		{"too few buses", good[:8], check.AllBusesName},
	} {
		checktest.ViolatesFirst(t, c.name, c.trace, c.want, check.Properties(cfg)...)
	}
}

func TestValidateRejectsImpossibleConfigs(t *testing.T) {
	checktest.RejectsConfigs(t, bus.DefaultConfig, run,
		func(c *bus.Config) { c.Capacity = 0 },
		func(c *bus.Config) { c.Riders = -1 },
		func(c *bus.Config) { c.Buses = -1 },
		func(c *bus.Config) { c.Board = bus.Span{Min: time.Second} },
	)
}

func run(cfg bus.Config) error {
	_, err := bus.Run(context.Background(), cfg)
	return err
}

func TestCancelledRunEndsEverybody(t *testing.T) {
	cfg := bus.DefaultConfig()
	cfg.Buses = 1000
	checktest.CancelledRunFails(t, time.Second, func(ctx context.Context) ([]bus.Event, error) {
		res, err := bus.Run(ctx, cfg)
		return res.Events, err
	}, "AllBuses", check.AllBuses(cfg))
}
