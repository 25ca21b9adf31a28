package check_test

import (
	"context"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"pgregory.net/rapid"

	"github.com/gochord/chord/internal/testkit"
	"github.com/gochord/chord/problems/sushi"
	"github.com/gochord/chord/problems/sushi/check"
	"github.com/gochord/chord/props"
)

func draw(t *rapid.T) sushi.Config {
	ms := func(label string, hi int) time.Duration {
		return time.Duration(rapid.IntRange(0, hi).Draw(t, label)) * time.Millisecond
	}
	cfg := sushi.Config{
		Customers: rapid.IntRange(0, 8).Draw(t, "Customers"),
		Seats:     rapid.IntRange(1, 3).Draw(t, "Seats"),
		Seed:      rapid.Uint64().Draw(t, "Seed"),
	}
	cfg.Arrive = sushi.Span{Max: ms("Arrive.Max", 4)}
	cfg.Eat.Min = ms("Eat.Min", 2)
	cfg.Eat.Max = cfg.Eat.Min + ms("Eat.Max-Min", 3)
	return cfg
}

// check runs cfg and fails r on a violation, with a message short enough
// for rapid to shrink.
func checkRun(r *props.Run, cfg sushi.Config) {
	res, err := sushi.Run(context.Background(), cfg)
	if err != nil {
		r.T.Fatal(err)
	}
	if vs := props.CheckAll(res.Events, check.Properties(cfg)...); len(vs) > 0 {
		for _, v := range vs {
			r.T.Log(v)
		}
		r.T.Fatalf("property %q violated", vs[0].Property)
	}
}

// TestBarHasEveryProperty runs the solution over random evenings under the
// controlled scheduler.
func TestBarHasEveryProperty(t *testing.T) {
	testkit.SetRapidFlag(t, "rapid.checks", "40", false)
	props.Check(t, func(r *props.Run) { checkRun(r, draw(r.T)) })
}

// TestDefaultRunsHaveEveryProperty plays the default evening in plain
// synctest bubbles (which also fail on a goroutine left behind); the bar
// must fill in some of them.
func TestDefaultRunsHaveEveryProperty(t *testing.T) {
	parties := 0
	for seed := range uint64(10) {
		synctest.Test(t, func(t *testing.T) {
			cfg := sushi.DefaultConfig()
			cfg.Seed = seed
			res, err := sushi.Run(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			if vs := props.CheckAll(res.Events, check.Properties(cfg)...); len(vs) > 0 {
				t.Fatalf("seed %d: %v", seed, vs)
			}
			if st := res.Stats; st.Served != cfg.Customers || st.Intruders != 0 {
				t.Fatalf("seed %d: %+v", seed, st)
			}
			parties += res.Stats.Parties
		})
	}
	if parties == 0 {
		t.Error("the bar never filled: the party rule was never tested")
	}
}

// TestRefillIsCaught is the negative control of PartyFirst under the
// controlled scheduler.
func TestRefillIsCaught(t *testing.T) {
	out := props.ExpectViolation(t, "refill", func(r *props.Run) {
		cfg := draw(r.T)
		cfg.Customers = max(cfg.Customers, cfg.Seats+1)
		cfg.Refill = true
		checkRun(r, cfg)
	})
	if !strings.Contains(out, check.PartyFirstName) {
		t.Errorf("the report does not name %s:\n%s", check.PartyFirstName, out)
	}
}

// TestRefillDefaultRunIsCaught: default evenings with the refilling host
// seat intruders, and the checker quotes the party and the intruder.
func TestRefillDefaultRunIsCaught(t *testing.T) {
	caught := 0
	for seed := range uint64(10) {
		synctest.Test(t, func(t *testing.T) {
			cfg := sushi.DefaultConfig()
			cfg.Seed, cfg.Refill = seed, true
			res, err := sushi.Run(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			vs := props.CheckAll(res.Events, check.Properties(cfg)...)
			if res.Stats.Intruders == 0 {
				return
			}
			if len(vs) != 1 || vs[0].Property != check.PartyFirstName || len(vs[0].Events) != cfg.Seats+1 {
				t.Fatalf("seed %d: %d intruders; violations %v", seed, res.Stats.Intruders, vs)
			}
			caught++
		})
	}
	if caught < 5 {
		t.Fatalf("the refilling host was caught in %d of 10 runs; want at least 5", caught)
	}
}

func TestCheckersRejectBadTraces(t *testing.T) {
	ev := func(k sushi.Kind, c sushi.Customer) sushi.Event { return sushi.Event{Kind: k, Customer: c} }
	arr := func(c sushi.Customer) sushi.Event { return ev(sushi.Arrive, c) }
	sit := func(c sushi.Customer) sushi.Event { return ev(sushi.Sit, c) }
	leave := func(c sushi.Customer) sushi.Event { return ev(sushi.Leave, c) }
	cfg := sushi.Config{Customers: 3, Seats: 2}
	good := []sushi.Event{arr(0), arr(1), sit(0), arr(2), sit(1), leave(0), leave(1), sit(2), leave(2)}
	if vs := props.CheckAll(good, check.Properties(cfg)...); len(vs) > 0 {
		t.Fatal(vs)
	}
	for _, c := range []struct {
		name  string
		trace []sushi.Event
		want  string
	}{
		{"three seated", []sushi.Event{arr(0), arr(1), arr(2), sit(0), sit(1), sit(2)}, check.SeatsName},
		{"refill", []sushi.Event{arr(0), arr(1), arr(2), sit(0), sit(1), leave(0), sit(2)}, check.PartyFirstName},
		{"twice", []sushi.Event{arr(0), sit(0), leave(0), sit(0)}, check.SitOnceName},
		{"never came", []sushi.Event{sit(0)}, check.AllServedName},
		{"not all", good[:7], check.AllServedName},
	} {
		vs := props.CheckAll(c.trace, check.Properties(cfg)...)
		if len(vs) == 0 || vs[0].Property != c.want {
			t.Errorf("%s: %v; want a violation of %s first", c.name, vs, c.want)
		}
	}
}

func TestValidateRejectsImpossibleConfigs(t *testing.T) {
	for _, edit := range []func(*sushi.Config){
		func(c *sushi.Config) { c.Seats = 0 },
		func(c *sushi.Config) { c.Customers = -1 },
		func(c *sushi.Config) { c.Eat = sushi.Span{Min: time.Second} },
	} {
		cfg := sushi.DefaultConfig()
		edit(&cfg)
		if _, err := sushi.Run(context.Background(), cfg); err == nil {
			t.Errorf("Run(%+v) = nil error", cfg)
		}
	}
}

func TestCancelledRunEndsEverybody(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := sushi.DefaultConfig()
		cfg.Customers = 1000
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		res, err := sushi.Run(ctx, cfg)
		if err != context.DeadlineExceeded {
			t.Fatalf("Run = %v; want the deadline", err)
		}
		if v := check.AllServed(cfg).Check(res.Events); v == nil {
			t.Fatal("AllServed holds for a cancelled run")
		}
	})
}
