package check_test

import (
	"context"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"pgregory.net/rapid"

	"github.com/gochord/chord/internal/testkit"
	"github.com/gochord/chord/problems/bathroom"
	"github.com/gochord/chord/problems/bathroom/check"
	"github.com/gochord/chord/props"
)

func draw(t *rapid.T) bathroom.Config {
	ms := func(label string, hi int) time.Duration {
		return time.Duration(rapid.IntRange(0, hi).Draw(t, label)) * time.Millisecond
	}
	cfg := bathroom.Config{
		Women:    rapid.IntRange(0, 4).Draw(t, "Women"),
		Men:      rapid.IntRange(0, 4).Draw(t, "Men"),
		Capacity: rapid.IntRange(1, 3).Draw(t, "Capacity"),
		Visits:   rapid.IntRange(0, 3).Draw(t, "Visits"),
		Seed:     rapid.Uint64().Draw(t, "Seed"),
	}
	cfg.Away = bathroom.Span{Max: ms("Away.Max", 4)}
	cfg.Use.Min = ms("Use.Min", 2)
	cfg.Use.Max = cfg.Use.Min + ms("Use.Max-Min", 3)
	return cfg
}

// check runs cfg and fails r on a violation, with a message short enough
// for rapid to shrink.
func checkRun(r *props.Run, cfg bathroom.Config) {
	res, err := bathroom.Run(context.Background(), cfg)
	if err != nil {
		r.T.Fatal(err)
	}
	if vs := props.CheckAll(res.Events, check.Properties(cfg)...); len(vs) > 0 {
		for _, v := range vs {
			r.T.Log(v)
		}
		r.T.Fatalf("property %q violated", vs[0].Property)
	}
	if !cfg.Lightswitch && res.Stats.MaxOvertaken != 0 {
		r.T.Fatalf("Stats.MaxOvertaken = %d; the queue overtakes nobody", res.Stats.MaxOvertaken)
	}
}

// TestBathroomHasEveryProperty runs the solution over random days under
// the controlled scheduler.
func TestBathroomHasEveryProperty(t *testing.T) {
	testkit.SetRapidFlag(t, "rapid.checks", "40", false)
	props.Check(t, func(r *props.Run) { checkRun(r, draw(r.T)) })
}

// TestDefaultRunsHaveEveryProperty plays the default day in plain synctest
// bubbles (which also fail on a goroutine left behind); the bathroom must
// fill and change hands.
func TestDefaultRunsHaveEveryProperty(t *testing.T) {
	full, switches := 0, 0
	for seed := range uint64(10) {
		synctest.Test(t, func(t *testing.T) {
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
	}
	if full == 0 || switches == 0 {
		t.Errorf("in 10 runs the bathroom was full %d times and changed hands %d times", full, switches)
	}
}

// TestLightswitchIsCaught is the negative control of NoStarvation under
// the controlled scheduler.
func TestLightswitchIsCaught(t *testing.T) {
	out := props.ExpectViolation(t, "lightswitch", func(r *props.Run) {
		cfg := draw(r.T)
		cfg.Lightswitch = true
		checkRun(r, cfg)
	})
	if !strings.Contains(out, check.NoStarvationName) {
		t.Errorf("the report does not name %s:\n%s", check.NoStarvationName, out)
	}
}

// TestLightswitchDefaultRunIsCaught: default days with the lightswitch
// starve somebody, and the checker quotes the overtakings.
func TestLightswitchDefaultRunIsCaught(t *testing.T) {
	caught := 0
	for seed := range uint64(10) {
		synctest.Test(t, func(t *testing.T) {
			cfg := bathroom.DefaultConfig()
			cfg.Seed, cfg.Lightswitch = seed, true
			res, err := bathroom.Run(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			vs := props.CheckAll(res.Events, check.Properties(cfg)...)
			if res.Stats.MaxOvertaken <= cfg.Capacity {
				return
			}
			if len(vs) != 1 || vs[0].Property != check.NoStarvationName || len(vs[0].Events) != cfg.Capacity+2 {
				t.Fatalf("seed %d: overtaken %d times; violations %v", seed, res.Stats.MaxOvertaken, vs)
			}
			caught++
		})
	}
	if caught < 5 {
		t.Fatalf("the lightswitch was caught in %d of 10 runs; want at least 5", caught)
	}
}

func TestCheckersRejectBadTraces(t *testing.T) {
	w := func(n int) bathroom.Person { return bathroom.Person{Sex: bathroom.Woman, N: n} }
	m := func(n int) bathroom.Person { return bathroom.Person{Sex: bathroom.Man, N: n} }
	q := func(p bathroom.Person) bathroom.Event { return bathroom.Event{Kind: bathroom.Queue, Person: p} }
	in := func(p bathroom.Person) bathroom.Event { return bathroom.Event{Kind: bathroom.Enter, Person: p} }
	out := func(p bathroom.Person) bathroom.Event { return bathroom.Event{Kind: bathroom.Leave, Person: p} }
	cfg := bathroom.Config{Women: 2, Men: 1, Capacity: 1, Visits: 1}
	good := []bathroom.Event{q(w(0)), in(w(0)), q(m(0)), q(w(1)), out(w(0)), in(m(0)), out(m(0)), in(w(1)), out(w(1))}
	if vs := props.CheckAll(good, check.Properties(cfg)...); len(vs) > 0 {
		t.Fatal(vs)
	}
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
		vs := props.CheckAll(c.trace, check.Properties(c.cfg)...)
		if len(vs) == 0 || vs[0].Property != c.want {
			t.Errorf("%s: %v; want a violation of %s first", c.name, vs, c.want)
		}
	}
}

func TestValidateRejectsImpossibleConfigs(t *testing.T) {
	for _, edit := range []func(*bathroom.Config){
		func(c *bathroom.Config) { c.Capacity = 0 },
		func(c *bathroom.Config) { c.Women = -1 },
		func(c *bathroom.Config) { c.Visits = -1 },
		func(c *bathroom.Config) { c.Use = bathroom.Span{Min: time.Second} },
	} {
		cfg := bathroom.DefaultConfig()
		edit(&cfg)
		if _, err := bathroom.Run(context.Background(), cfg); err == nil {
			t.Errorf("Run(%+v) = nil error", cfg)
		}
	}
}

func TestCancelledRunEndsEverybody(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := bathroom.DefaultConfig()
		cfg.Visits = 1000
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		res, err := bathroom.Run(ctx, cfg)
		if err != context.DeadlineExceeded {
			t.Fatalf("Run = %v; want the deadline", err)
		}
		if v := check.AllVisits(cfg).Check(res.Events); v == nil {
			t.Fatal("AllVisits holds for a cancelled run")
		}
	})
}
