package santa_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gochord/chord/problems/santa"
)

func TestValidateRejectsImpossibleConfigs(t *testing.T) {
	ok := santa.DefaultConfig()
	if err := ok.Validate(); err != nil {
		t.Fatalf("DefaultConfig: %v", err)
	}
	for _, tc := range []struct {
		edit func(*santa.Config)
		want string
	}{
		{func(c *santa.Config) { c.Reindeer = 0 }, "Reindeer = 0"},
		{func(c *santa.Config) { c.Elves = 0 }, "Elves = 0"},
		{func(c *santa.Config) { c.ElfGroup = 0 }, "ElfGroup = 0"},
		{func(c *santa.Config) { c.ElfGroup = 11 }, "ElfGroup = 11 is more than Elves = 10"},
		{func(c *santa.Config) { c.Deliveries = -1 }, "Deliveries = -1 is negative"},
		{func(c *santa.Config) { c.ElfVisits = -2 }, "ElfVisits = -2 is negative"},
		{func(c *santa.Config) { c.Holiday.Min = -time.Second }, "Holiday.Min = -1s is negative"},
		{func(c *santa.Config) { c.Work = santa.Span{Min: 2 * time.Second, Max: time.Second} }, "Work.Max = 1s is less than Work.Min = 2s"},
	} {
		c := ok
		tc.edit(&c)
		err := c.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Validate() = %v; want an error containing %q", err, tc.want)
		}
		if _, runErr := santa.Run(context.Background(), c); runErr == nil || runErr.Error() != err.Error() {
			t.Errorf("Run with an invalid config returned %v; want the Validate error", runErr)
		}
	}
	bad := santa.Config{ElfGroup: 2}
	if err := bad.Validate(); err == nil || strings.Count(err.Error(), "\n") < 1 {
		t.Errorf("Validate() on a zero config = %v; want every problem listed", err)
	}
}

func TestRunDoesTheWorkAndLeavesNoGoroutine(t *testing.T) {
	for seed := range uint64(20) {
		synctest.Test(t, func(t *testing.T) {
			cfg := santa.DefaultConfig()
			cfg.Seed = seed
			res, err := santa.Run(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			st := res.Stats
			if st.Deliveries != cfg.Deliveries || st.Consultations != cfg.ElfVisits {
				t.Errorf("seed %d: %d deliveries, %d consultations; want %d, %d", seed, st.Deliveries, st.Consultations, cfg.Deliveries, cfg.ElfVisits)
			}
			if n := len(res.Events); n == 0 || res.Events[n-1].Kind != santa.Retire {
				t.Errorf("seed %d: trace does not end with Retire", seed)
			}
			if w := santa.Sum(st.ElfWait); w.Count != cfg.ElfVisits*cfg.ElfGroup {
				t.Errorf("seed %d: %d elf visits; want %d", seed, w.Count, cfg.ElfVisits*cfg.ElfGroup)
			}
			if w := santa.Sum(st.ReindeerWait); w.Count != cfg.Deliveries*cfg.Reindeer {
				t.Errorf("seed %d: %d reindeer returns served; want %d", seed, w.Count, cfg.Deliveries*cfg.Reindeer)
			}
			for i, e := range res.Events {
				if e.Seq != i+1 || (i > 0 && e.At < res.Events[i-1].At) {
					t.Fatalf("seed %d: event %v out of order", seed, e)
				}
			}
		})
		// synctest.Test fails the test if a goroutine of the bubble is
		// left blocked when Run returns.
	}
}

func TestRunReturnsContextErrorWhenCancelled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := santa.DefaultConfig()
		cfg.Deliveries, cfg.ElfVisits = 1000, 1000
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		res, err := santa.Run(ctx, cfg)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Run = %v; want context.DeadlineExceeded", err)
		}
		if res.Stats.Elapsed > 4*time.Second {
			t.Errorf("Run took %v after a 3s deadline", res.Stats.Elapsed)
		}
		if res.Stats.Consultations == 0 {
			t.Errorf("no consultation in 3s")
		}
	})
}

func TestZeroWorkloadRetiresAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := santa.DefaultConfig()
		cfg.Deliveries, cfg.ElfVisits = 0, 0
		res, err := santa.Run(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		if res.Stats.Elapsed != 0 {
			t.Errorf("Elapsed = %v; want 0", res.Stats.Elapsed)
		}
	})
}
