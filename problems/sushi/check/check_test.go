package check_test

import (
	"context"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/gochord/chord/internal/checktest"
	"github.com/gochord/chord/problems/sushi"
	"github.com/gochord/chord/problems/sushi/check"
	"github.com/gochord/chord/props"
)

func draw(t *rapid.T) sushi.Config {
	cfg := sushi.Config{
		Customers: rapid.IntRange(0, 8).Draw(t, "Customers"),
		Seats:     rapid.IntRange(1, 3).Draw(t, "Seats"),
		Seed:      rapid.Uint64().Draw(t, "Seed"),
	}
	cfg.Arrive = sushi.Span{Max: checktest.Millis(t, "Arrive.Max", 4)}
	cfg.Eat.Min = checktest.Millis(t, "Eat.Min", 2)
	cfg.Eat.Max = cfg.Eat.Min + checktest.Millis(t, "Eat.Max-Min", 3)
	return cfg
}

// check runs cfg and fails r on a violation, with a message short enough
// for rapid to shrink.
func checkRun(r *props.Run, cfg sushi.Config) {
	res, err := sushi.Run(context.Background(), cfg)
	if err != nil {
		r.T.Fatal(err)
	}
	checktest.FailOnViolations(r.T, props.CheckAll(res.Events, check.Properties(cfg)...), res.Events)
}

// TestBarHasEveryProperty runs the solution over random evenings under the
// controlled scheduler.
func TestBarHasEveryProperty(t *testing.T) {
	checktest.UnderProps(t, 40, func(r *props.Run) { checkRun(r, draw(r.T)) })
}

// TestDefaultRunsHaveEveryProperty plays the default evening in plain
// synctest bubbles (which also fail on a goroutine left behind); the bar
// must fill in some of them.
func TestDefaultRunsHaveEveryProperty(t *testing.T) {
	parties := 0
	checktest.InBubbles(t, 10, func(t *testing.T, seed uint64) {
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
	if parties == 0 {
		t.Error("the bar never filled: the party rule was never tested")
	}
}

// TestRefillIsCaught is the negative control of PartyFirst under the
// controlled scheduler.
func TestRefillIsCaught(t *testing.T) {
	checktest.ExpectCaught(t, "refill", check.PartyFirstName, func(r *props.Run) {
		cfg := draw(r.T)
		cfg.Customers = max(cfg.Customers, cfg.Seats+1)
		cfg.Refill = true
		checkRun(r, cfg)
	})
}

// TestRefillDefaultRunIsCaught: default evenings with the refilling host
// seat intruders, and the checker quotes the party and the intruder.
func TestRefillDefaultRunIsCaught(t *testing.T) {
	checktest.CaughtAtLeast(t, "the refilling host", 10, 5, func(t *testing.T, seed uint64) bool {
		cfg := sushi.DefaultConfig()
		cfg.Seed, cfg.Refill = seed, true
		res, err := sushi.Run(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		vs := props.CheckAll(res.Events, check.Properties(cfg)...)
		if res.Stats.Intruders == 0 {
			return false
		}
		if len(vs) != 1 || vs[0].Property != check.PartyFirstName || len(vs[0].Events) != cfg.Seats+1 {
			t.Fatalf("seed %d: %d intruders; violations %v", seed, res.Stats.Intruders, vs)
		}
		return true
	})
}

func TestCheckersRejectBadTraces(t *testing.T) {
	ev := func(k sushi.Kind, c sushi.Customer) sushi.Event { return sushi.Event{Kind: k, Customer: c} }
	arr := func(c sushi.Customer) sushi.Event { return ev(sushi.Arrive, c) }
	sit := func(c sushi.Customer) sushi.Event { return ev(sushi.Sit, c) }
	leave := func(c sushi.Customer) sushi.Event { return ev(sushi.Leave, c) }
	cfg := sushi.Config{Customers: 3, Seats: 2}
	good := []sushi.Event{arr(0), arr(1), sit(0), arr(2), sit(1), leave(0), leave(1), sit(2), leave(2)}
	checktest.Holds(t, good, check.Properties(cfg)...)
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
		checktest.ViolatesFirst(t, c.name, c.trace, c.want, check.Properties(cfg)...)
	}
}

func TestValidateRejectsImpossibleConfigs(t *testing.T) {
	checktest.RejectsConfigs(t, sushi.DefaultConfig, run,
		func(c *sushi.Config) { c.Seats = 0 },
		func(c *sushi.Config) { c.Customers = -1 },
		func(c *sushi.Config) { c.Eat = sushi.Span{Min: time.Second} },
	)
}

func run(cfg sushi.Config) error {
	_, err := sushi.Run(context.Background(), cfg)
	return err
}

func TestCancelledRunEndsEverybody(t *testing.T) {
	cfg := sushi.DefaultConfig()
	cfg.Customers = 1000
	checktest.CancelledRunFails(t, time.Second, func(ctx context.Context) ([]sushi.Event, error) {
		res, err := sushi.Run(ctx, cfg)
		return res.Events, err
	}, "AllServed", check.AllServed(cfg))
}
