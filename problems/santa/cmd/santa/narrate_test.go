package main

import (
	"context"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/gochord/chord/internal/demo"
	"github.com/gochord/chord/internal/timeline"
	"github.com/gochord/chord/problems/santa"
	"github.com/gochord/chord/problems/santa/check"
	"github.com/gochord/chord/props"
	"github.com/gochord/chord/selectx"
)

// TestNarratorTellsTheWholeStory narrates the default run in fake time and
// checks that the story has its landmarks: a header, both kinds of
// wake-up, the reindeer priority (the default seed has one such decision),
// Santa's retirement and the summary.
func TestNarratorTellsTheWholeStory(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var out strings.Builder
		cfg := santa.DefaultConfig()
		n := newNarrator(&out, cfg, false)
		n.header(1)
		cfg.Observe = n.event
		res, err := santa.Run(context.Background(), cfg)
		n.summary(res, err)
		if err != nil {
			t.Fatal(err)
		}
		story := out.String()
		for _, want := range []string{
			"The Santa Claus problem: 9 reindeer, 10 elves who wake Santa 3 at a time.",
			"wakes: 3 elves need help",
			"wakes: all 9 reindeer are back",
			"reindeer go first",
			"harnesses all 9 reindeer; the sleigh leaves (delivery 1 of 2)",
			"(consultation 7 of 7)",
			"Santa        retires: the work is done",
			"deliveries      2 of 2",
			"the reindeer went first 1 time",
			"reindeer = All(Each(deer[0], …, deer[8]))",
			"Legend",
			"* the reindeer pattern fires: takes one message from each of the 9 deer channels at once",
			"* the elves pattern fires: takes the messages of elves",
			"the elves were served 0 times while all 9 reindeer were back",
		} {
			if !strings.Contains(story, want) {
				t.Errorf("the story lacks %q:\n%s", want, story)
			}
		}
		if lines := strings.Count(story, "\n"); lines > 110 { // with the mechanism and the legend
			t.Errorf("the story has %d lines; it should be readable, not a firehose:\n%s", lines, story)
		}
	})
}

func TestNarratorWithoutPriority(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var out strings.Builder
		cfg := santa.DefaultConfig()
		cfg.Choose = selectx.Select
		n := newNarrator(&out, cfg, true)
		n.chooser = "random"
		n.header(4)
		cfg.Observe = n.event
		res, err := santa.Run(context.Background(), cfg)
		n.summary(res, err)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "no reindeer priority") || !strings.Contains(out.String(), "(5 of 9)") {
			t.Errorf("unexpected story:\n%s", out.String())
		}
	})
}

// TestChartIsWellFormed draws the default run and parses the SVG.
func TestChartIsWellFormed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := santa.DefaultConfig()
		var events []santa.Event
		cfg.Observe = func(e santa.Event) { events = append(events, e) }
		if _, err := santa.Run(context.Background(), cfg); err != nil {
			t.Fatal(err)
		}
		var svg strings.Builder
		if err := chart(cfg, events).WriteSVG(&svg); err != nil {
			t.Fatal(err)
		}
		if _, lines, err := timeline.Parse(svg.String()); err != nil || lines < 9 {
			t.Fatalf("SVG: %d lines, %v", lines, err)
		}
	})
}

// TestBrokenRunsAreCaughtByTheVerdict plays Santa without priority until
// the elves are served while the whole team waits, and checks that the
// narration counts it and props's verdict names the priority property.
func TestBrokenRunsAreCaughtByTheVerdict(t *testing.T) {
	for try := range 20 {
		var out strings.Builder
		caught := false
		synctest.Test(t, func(t *testing.T) {
			cfg := santa.DefaultConfig()
			cfg.Seed, cfg.Choose = 90, selectx.Select
			n := newNarrator(&out, cfg, false)
			n.chooser = "random"
			n.header(1)
			cfg.Observe = n.event
			res, err := santa.Run(context.Background(), cfg)
			n.summary(res, err)
			caught = !demo.Verdict(&out, "Santa", props.CheckAll(res.Events, check.Properties(cfg)...))
		})
		if caught {
			for _, want := range []string{"santa/reindeer-priority", "and yet the elves go first"} {
				if !strings.Contains(out.String(), want) {
					t.Errorf("output lacks %q:\n%s", want, out.String())
				}
			}
			if strings.Contains(out.String(), "served 0 times while all 9") {
				t.Errorf("the summary does not count the violation:\n%s", out.String())
			}
			t.Logf("caught at try %d", try)
			return
		}
	}
	t.Fatal("20 runs without priority never served the elves before a waiting team")
}

func TestList(t *testing.T) {
	for _, tc := range []struct {
		in   []int
		want string
	}{{[]int{7}, "7"}, {[]int{7, 3}, "3 and 7"}, {[]int{9, 1, 4}, "1, 4 and 9"}} {
		if got := list(tc.in); got != tc.want {
			t.Errorf("list(%v) = %q; want %q", tc.in, got, tc.want)
		}
	}
}
