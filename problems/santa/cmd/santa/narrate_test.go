package main

import (
	"context"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/gochord/chord/problems/santa"
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
		} {
			if !strings.Contains(story, want) {
				t.Errorf("the story lacks %q:\n%s", want, story)
			}
		}
		if lines := strings.Count(story, "\n"); lines > 90 {
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
