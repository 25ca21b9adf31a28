package check_test

import (
	"context"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/gochord/chord/internal/checktest"
	"github.com/gochord/chord/problems/bathroom"
	"github.com/gochord/chord/problems/bathroom/check"
	"github.com/gochord/chord/props"
)

func draw(t *rapid.T) bathroom.Config {
	cfg := bathroom.Config{
		Women:    rapid.IntRange(0, 4).Draw(t, "Women"),
		Men:      rapid.IntRange(0, 4).Draw(t, "Men"),
		Capacity: rapid.IntRange(1, 3).Draw(t, "Capacity"),
		Visits:   rapid.IntRange(0, 3).Draw(t, "Visits"),
		Seed:     rapid.Uint64().Draw(t, "Seed"),
	}
	cfg.Away = bathroom.Span{Max: checktest.Millis(t, "Away.Max", 4)}
	cfg.Use.Min = checktest.Millis(t, "Use.Min", 2)
	cfg.Use.Max = cfg.Use.Min + checktest.Millis(t, "Use.Max-Min", 3)
	return cfg
}

// check runs cfg and fails r on a violation, with a message short enough
// for rapid to shrink.
func checkRun(r *props.Run, cfg bathroom.Config) {
	res, err := bathroom.Run(context.Background(), cfg)
	if err != nil {
		r.T.Fatal(err)
	}
	checktest.FailOnViolations(r.T, props.CheckAll(res.Events, check.Properties(cfg)...), res.Events)
	if !cfg.Lightswitch && res.Stats.MaxOvertaken != 0 {
		r.T.Fatalf("Stats.MaxOvertaken = %d; the queue overtakes nobody", res.Stats.MaxOvertaken)
	}
}

// TestBathroomHasEveryProperty runs the solution over random days under
// the controlled scheduler.
func TestBathroomHasEveryProperty(t *testing.T) {
	checktest.UnderProps(t, 40, func(r *props.Run) { checkRun(r, draw(r.T)) })
}

// TestDefaultRunsHaveEveryProperty plays the default day in plain synctest
// bubbles (which also fail on a goroutine left behind); the bathroom must
// fill and change hands.
func TestDefaultRunsHaveEveryProperty(t *testing.T) {
	full, switches := 0, 0
	checktest.InBubbles(t, 10, func(t *testing.T, seed uint64) {
		cfg := bathroom.DefaultConfig()
		cfg.Seed = seed
		res, err := bathroom.Run(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		if vs := props.CheckAll(res.Events, check.Properties(cfg)...); len(vs) > 0 {
			t.Fatalf("seed %d: %v", seed, vs)
		}
		st := res.Stats
		if st.Visits != (cfg.Women+cfg.Men)*cfg.Visits || st.MaxOvertaken != 0 {
			t.Fatalf("seed %d: %+v", seed, st)
		}
		if st.MaxInside == cfg.Capacity {
			full++
		}
		switches += st.Switches
	})
	if full == 0 || switches == 0 {
		t.Errorf("in 10 runs the bathroom was full %d times and changed hands %d times", full, switches)
	}
}

// TestLightswitchIsCaught is the negative control of NoStarvation under
// the controlled scheduler.
func TestLightswitchIsCaught(t *testing.T) {
	checktest.ExpectCaught(t, "lightswitch", check.NoStarvationName, func(r *props.Run) {
		cfg := draw(r.T)
		cfg.Lightswitch = true
		checkRun(r, cfg)
	})
}

// TestLightswitchDefaultRunIsCaught: default days with the lightswitch
// starve somebody, and the checker quotes the overtakings.
func TestLightswitchDefaultRunIsCaught(t *testing.T) {
	checktest.CaughtAtLeast(t, "the lightswitch", 10, 5, func(t *testing.T, seed uint64) bool {
		cfg := bathroom.DefaultConfig()
		cfg.Seed, cfg.Lightswitch = seed, true
		res, err := bathroom.Run(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		vs := props.CheckAll(res.Events, check.Properties(cfg)...)
		if res.Stats.MaxOvertaken <= cfg.Capacity {
			return false
		}
		if len(vs) != 1 || vs[0].Property != check.NoStarvationName || len(vs[0].Events) != cfg.Capacity+2 {
			t.Fatalf("seed %d: overtaken %d times; violations %v", seed, res.Stats.MaxOvertaken, vs)
		}
		return true
	})
}

func TestCheckersRejectBadTraces(t *testing.T) {
	w := func(n int) bathroom.Person { return bathroom.Person{Sex: bathroom.Woman, N: n} }
	m := func(n int) bathroom.Person { return bathroom.Person{Sex: bathroom.Man, N: n} }
	q := func(p bathroom.Person) bathroom.Event { return bathroom.Event{Kind: bathroom.Queue, Person: p} }
	in := func(p bathroom.Person) bathroom.Event { return bathroom.Event{Kind: bathroom.Enter, Person: p} }
	out := func(p bathroom.Person) bathroom.Event { return bathroom.Event{Kind: bathroom.Leave, Person: p} }
	cfg := bathroom.Config{Women: 2, Men: 1, Capacity: 1, Visits: 1}
	good := []bathroom.Event{q(w(0)), in(w(0)), q(m(0)), q(w(1)), out(w(0)), in(m(0)), out(m(0)), in(w(1)), out(w(1))}
	checktest.Holds(t, good, check.Properties(cfg)...)
	two := cfg
	two.Capacity = 2
	for _, c := range []struct {
		name  string
		cfg   bathroom.Config
		trace []bathroom.Event
		want  string
	}{
		{"two inside", cfg, []bathroom.Event{q(w(0)), q(w(1)), in(w(0)), in(w(1))}, check.CapacityName},
		{"mixed", two, []bathroom.Event{q(w(0)), q(m(0)), in(w(0)), in(m(0))}, check.OneSexName},
		{"starved", cfg, []bathroom.Event{q(m(0)), q(w(0)), q(w(1)), in(w(0)), out(w(0)), in(w(1))}, check.NoStarvationName},
		{"no queue", cfg, []bathroom.Event{in(w(0))}, check.AllVisitsName},
		{"not all", cfg, good[:7], check.AllVisitsName},
	} {
		checktest.ViolatesFirst(t, c.name, c.trace, c.want, check.Properties(c.cfg)...)
	}
}

func TestValidateRejectsImpossibleConfigs(t *testing.T) {
	checktest.RejectsConfigs(t, bathroom.DefaultConfig, run,
		func(c *bathroom.Config) { c.Capacity = 0 },
		func(c *bathroom.Config) { c.Women = -1 },
		func(c *bathroom.Config) { c.Visits = -1 },
		func(c *bathroom.Config) { c.Use = bathroom.Span{Min: time.Second} },
	)
}

func run(cfg bathroom.Config) error {
	_, err := bathroom.Run(context.Background(), cfg)
	return err
}

func TestCancelledRunEndsEverybody(t *testing.T) {
	cfg := bathroom.DefaultConfig()
	cfg.Visits = 1000
	checktest.CancelledRunFails(t, time.Second, func(ctx context.Context) ([]bathroom.Event, error) {
		res, err := bathroom.Run(ctx, cfg)
		return res.Events, err
	}, "AllVisits", check.AllVisits(cfg))
}
