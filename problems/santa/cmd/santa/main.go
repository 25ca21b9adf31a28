// Command santa runs the Santa Claus problem and narrates it: who comes
// back, who waits, which group Santa takes and why, and a summary at the
// end. It runs in real time and takes a few seconds.
//
//	go run ./problems/santa/cmd/santa
//	go run ./problems/santa/cmd/santa -broken          # no reindeer priority: the elves go first
//	go run ./problems/santa/cmd/santa -speed=4 -v      # faster, every arrival
//
// Flags set the problem's sizes and workload (-reindeer, -elves, -group,
// -deliveries, -visits), Santa's select (-choose pri, random or fair), and
// a time scale (-speed 2 runs twice as fast). -trace prints the raw event
// trace instead of the story.
//
// Two classic mistakes can be played: -broken (the same as -choose=random:
// Santa sleeps in selectx.Select instead of PriSelect, so the reindeer lose
// their priority) and -consult-in-background (Santa does not wait for a
// consultation to end before he takes the next group: a fourth elf in the
// study).
//
// Every narrated command takes the same flags (see -h): -seed N decides
// the whole run, its durations and its select choices; -broken plays the
// classic mistake, at a seed that shows it unless -seed is given; -svg FILE
// and -html FILE draw the run; -q prints the verdict only. The run ends
// with the verdict of the problem's checkers (package check) and the
// command line that plays it again ("rerun: go run … -seed N").
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/internal/demo"
	"github.com/gochord/chord/internal/timeline"
	"github.com/gochord/chord/problems/santa"
	"github.com/gochord/chord/problems/santa/check"
	"github.com/gochord/chord/props"
	"github.com/gochord/chord/selectx"
)

// brokenSeed is the seed -broken plays unless -seed is given: one where the
// draw of Santa's select goes against the waiting team.
const brokenSeed = 3

func main() {
	def := santa.DefaultConfig()
	cfg := def
	demo.Flags.IntVar(&cfg.Reindeer, "reindeer", def.Reindeer, "number of reindeer")
	demo.Flags.IntVar(&cfg.Elves, "elves", def.Elves, "number of elves")
	demo.Flags.IntVar(&cfg.ElfGroup, "group", def.ElfGroup, "how many elves it takes to wake Santa")
	demo.Flags.IntVar(&cfg.Deliveries, "deliveries", def.Deliveries, "number of deliveries (each reindeer comes back this many times)")
	demo.Flags.IntVar(&cfg.ElfVisits, "visits", def.ElfVisits, "number of consultations (groups of elves helped, in all)")
	speed := demo.Flags.Float64("speed", 1, "time scale: 2 runs twice as fast, 0.5 twice as slow")
	choose := demo.Flags.String("choose", "pri", "Santa's select: pri (reindeer first), random (selectx.Select) or fair (selectx.Fair)")
	verbose := demo.Flags.Bool("v", false, "narrate every reindeer's return, not just the first and the last of a team")
	trace := demo.Flags.Bool("trace", false, "print the raw event trace instead of the story")
	var broken bool
	demo.Define("santa", &cfg.Seed, brokenSeed, &broken, "", "the classic mistake: -choose=random, no reindeer priority")
	demo.Flags.BoolVar(&cfg.ConsultInBackground, "consult-in-background", false, "the other mistake: Santa takes the next group before the consultation ends")
	demo.Flags.Usage = func() {
		fmt.Fprintf(demo.Flags.Output(), "usage: santa [flags]\n\nRuns the Santa Claus problem with join patterns and narrates it.\n\n")
		demo.Flags.PrintDefaults()
	}
	demo.Parse()
	if demo.Flags.NArg() > 0 {
		demo.Flags.Usage()
		os.Exit(2)
	}

	if broken {
		*choose = "random"
	}
	if *speed <= 0 {
		fmt.Fprintf(os.Stderr, "santa: -speed = %v; need a positive time scale\n", *speed)
		os.Exit(2)
	}
	cfg = cfg.Scaled(1 / *speed)
	switch *choose {
	case "pri":
	case "random":
		cfg.Choose = selectx.Select
	case "fair":
		var f selectx.Fair
		cfg.Choose = func(gs ...chanop.Guard) (chanop.Guard, error) { return f.Select(gs...) }
	default:
		fmt.Fprintf(os.Stderr, "santa: -choose = %q; want pri, random or fair\n", *choose)
		os.Exit(2)
	}
	if err := cfg.Validate(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	restore := demo.Seeded(cfg.Seed)
	ok, err := play(ctx, demo.Out(os.Stdout), cfg, *choose, *verbose, *trace, *speed, demo.Common.SVG)
	restore()
	demo.PrintRerun(os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if !ok {
		os.Exit(3)
	}
}

// play runs cfg, whose select chooser names (pri, random or fair), and
// narrates it to w (or prints its raw events with rawTrace), with the
// summary, the checkers' verdict and the timeline, drawn to svg unless it
// is empty. It reports whether every property held.
func play(ctx context.Context, w io.Writer, cfg santa.Config, chooser string, verbose, rawTrace bool, speed float64, svg string) (bool, error) {
	n := newNarrator(w, cfg, verbose)
	n.chooser = chooser
	if rawTrace {
		cfg.Observe = func(e santa.Event) { fmt.Fprintln(w, e) }
	} else {
		n.header(speed)
		cfg.Observe = n.event
	}
	var events []santa.Event
	observe := cfg.Observe
	cfg.Observe = func(e santa.Event) {
		events = append(events, e)
		observe(e)
	}
	res, err := santa.Run(ctx, cfg)
	n.summary(res, err)
	ok := demo.Verdict(w, "Santa", props.CheckAll(res.Events, check.Properties(cfg)...))
	if werr := demo.WriteChart(w, svg, func() timeline.Chart { return chart(cfg, events) }); werr != nil {
		return ok, werr
	}
	return ok, err
}
