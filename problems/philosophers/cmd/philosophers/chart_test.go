package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gochord/chord/internal/page"
	"github.com/gochord/chord/internal/timeline"
	"github.com/gochord/chord/problems/philosophers"
)

// A deadlocked dinner is drawn to the moment the watchdog detected it,
// with the deadlock marked there, each chopstick naming its holder and
// each philosopher's wait for his right chopstick still open: the cycle.
func TestChartOfTheDeadlock(t *testing.T) {
	cfg := philosophers.Config{N: 3, Meals: 1, LeftThenRight: true, Reach: 100 * time.Millisecond,
		Eat: philosophers.Range{Min: 300 * time.Millisecond, Max: 700 * time.Millisecond}}
	var events []philosophers.Event
	for p := range 3 {
		at := time.Duration(p) * time.Microsecond
		events = append(events,
			philosophers.Event{At: at, Kind: philosophers.Thinking, Who: p},
			philosophers.Event{At: at, Kind: philosophers.Hungry, Who: p, Meal: 1},
			philosophers.Event{At: at + time.Microsecond, Kind: philosophers.Took, Who: p, Meal: 1, Chopsticks: []int{p}})
	}
	c := chart(cfg, events)
	detected := 3*time.Microsecond + quiet(cfg)
	if c.End != detected {
		t.Errorf("the chart ends at %v; want the detection, %v", c.End, detected)
	}
	deadlocks := 0
	for _, m := range c.Marks {
		if m.Kind == "deadlock" {
			deadlocks++
			if m.At != detected {
				t.Errorf("deadlock marked at %v; want %v", m.At, detected)
			}
		}
	}
	if deadlocks != 1 {
		t.Errorf("marks %+v; want one deadlock", c.Marks)
	}
	open := map[int]int{} // waiter → lane waited for
	for _, w := range c.Waits {
		if w.Open {
			open[w.Waiter] = w.On
		}
	}
	for p := range 3 {
		if open[p] != 3+philosophers.Right(p, 3) {
			t.Errorf("P%d's open wait is for lane %d; want chopstick %d (lane %d): waits %+v", p, open[p], philosophers.Right(p, 3), 3+philosophers.Right(p, 3), c.Waits)
		}
	}
	held := 0
	for _, s := range c.Spans {
		if s.Lane >= 3 && len(s.Holders) == 1 && s.Holders[0] == s.Lane-3 && s.To == detected {
			held++
		}
	}
	if held != 3 {
		t.Errorf("%d chopsticks held by their left philosopher to the end; want 3: %+v", held, c.Spans)
	}
	var svg strings.Builder
	if err := c.WriteSVG(&svg); err != nil {
		t.Fatal(err)
	}
	if _, _, err := timeline.Parse(svg.String()); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"deadlock detected", "P0 waits for chopstick 1", "held by P2"} {
		if !strings.Contains(svg.String(), want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
}

// The page of a real dinner, and of a deadlocked one, plays in a browser.
func TestPagesPlayInABrowser(t *testing.T) {
	if _, err := page.Browser(); err != nil {
		t.Skip(err.Error() + ": the browser test skips")
	}
	dir := t.TempDir()
	for _, broken := range []bool{false, true} {
		path := filepath.Join(dir, fmt.Sprintf("dinner-%v.html", broken))
		synctest.Test(t, func(t *testing.T) {
			cfg := philosophers.Config{N: 4, Meals: 2, Seed: 3, Reach: 100 * time.Millisecond, LeftThenRight: broken,
				Think: philosophers.Range{Min: 10 * time.Millisecond, Max: 40 * time.Millisecond},
				Eat:   philosophers.Range{Min: 20 * time.Millisecond, Max: 50 * time.Millisecond}}
			if broken {
				cfg.Think = philosophers.Range{}
			}
			var out strings.Builder
			if _, err := dine(context.Background(), &out, cfg, false, path); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out.String(), "Interactive page written to") {
				t.Fatalf("no page written:\n%s", out.String())
			}
		})
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		res, err := page.SelfTest(ctx, path)
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(res, "SELFTEST PASS") {
			t.Errorf("broken=%v: self-test:\n%s", broken, res)
		}
		if broken && !strings.Contains(res, "marks 3") {
			t.Errorf("the deadlocked dinner's page lacks its deadlock and two violations:\n%s", res)
		}
	}
}
