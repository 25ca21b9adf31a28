// Command river narrates the river crossing solved with join patterns
// (package river): who waits on which bank channel, which of the three
// boat patterns fires, and whom it releases together.
//
//	go run ./problems/river/cmd/river                # the join solution
//	go run ./problems/river/cmd/river -broken        # the classic mistake (-first-four): 3+1 boats
//	go run ./problems/river/cmd/river -svg river.svg
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
	"slices"
	"strings"
	"time"

	"github.com/gochord/chord/internal/demo"
	"github.com/gochord/chord/internal/timeline"
	"github.com/gochord/chord/problems/river"
	"github.com/gochord/chord/problems/river/check"
	"github.com/gochord/chord/props"
)

// brokenSeed is the seed -broken plays unless -seed is given: one that shows
// the mistake.
const brokenSeed = 1

func main() {
	cfg := river.DefaultConfig()
	demo.Flags.IntVar(&cfg.Hackers, "hackers", cfg.Hackers, "hackers in the crowd")
	demo.Flags.IntVar(&cfg.Serfs, "serfs", cfg.Serfs, "serfs in the crowd")
	demo.Main("river", &cfg, &cfg.Seed, brokenSeed, &cfg.FirstFour, "first-four", "the classic mistake: board the first four to arrive, whoever they are", play)
}

// play runs cfg, narrating it to w, prints the summary and the checkers'
// verdict, and writes the timeline to svg if it is not empty. It reports
// whether every property held.
func play(ctx context.Context, w io.Writer, cfg river.Config, svg string) (bool, error) {
	fmt.Fprintf(w, "River crossing: %d hackers and %d serfs, a boat of four; %d safe boats possible. Seed %d.\n",
		cfg.Hackers, cfg.Serfs, cfg.Boats(), cfg.Seed)
	if cfg.FirstFour {
		fmt.Fprint(w, "BROKEN (-first-four): the captain Recvs from either bank, one person at a time,\n"+
			"and rows off with the first four, whatever their kinds.\n")
	} else {
		fmt.Fprint(w, "Each person Sends on the channel of their kind, hackers or serfs, and stays blocked.\n"+
			"The captain selects over three join patterns, the three safe boats:\n"+
			"  fourHackers = All(FromN(hackers, 4))   fourSerfs = All(FromN(serfs, 4))\n"+
			"  mixed       = All(FromN(hackers, 2), FromN(serfs, 2))\n"+
			"One of them fires, takes its four at once, and releases them together. 3+1 is no pattern.\n")
	}
	fmt.Fprint(w, "\nLegend\n"+
		"  hackers[…] serfs[…]   people queued on each channel (arrived, blocked in Send)\n"+
		"  +  h3 arrives         a hacker (h) or serf (s) arrives and Sends on their channel\n"+
		"  *  mixed fires        a boat pattern took four at once; the boat leaves with them\n"+
		"  <  s2 steps in        (-first-four) the captain received one person into the boat\n"+
		"  -  h3 lands           a rider is released on the far bank\n"+
		"  x  s1 stays ashore    the crossings are over\n\n")

	var queued [2][]int
	var events []river.Event
	cfg.Observe = func(e river.Event) {
		events = append(events, e)
		drop := func(p river.Person) {
			queued[p.Side] = slices.DeleteFunc(queued[p.Side], func(n int) bool { return n == p.N })
		}
		var what string
		switch e.Kind {
		case river.Arrive:
			queued[e.Person.Side] = append(queued[e.Person.Side], e.Person.N)
			what = fmt.Sprintf("+  %v arrives and Sends on %s", e.Person, bankName(e.Person.Side))
		case river.Step:
			drop(e.Person)
			what = fmt.Sprintf("<  %v steps into the boat", e.Person)
		case river.Board:
			h := 0
			for _, p := range e.Riders {
				drop(p)
				if p.Side == river.Hacker {
					h++
				}
			}
			switch {
			case cfg.FirstFour && h%2 == 1:
				what = fmt.Sprintf("*  boat %d leaves with %v: %d hackers and %d serfs — UNSAFE", e.Boat, e.Riders, h, 4-h)
			case cfg.FirstFour:
				what = fmt.Sprintf("*  boat %d leaves with %v", e.Boat, e.Riders)
			default:
				what = fmt.Sprintf("*  %s fires: takes %v at once; boat %d leaves with them", patternName(h), e.Riders, e.Boat)
			}
		case river.Land:
			what = fmt.Sprintf("-  %v lands from boat %d", e.Person, e.Boat)
		case river.Ashore:
			drop(e.Person)
			what = fmt.Sprintf("x  %v stays ashore", e.Person)
		}
		fmt.Fprintf(w, "%6.2fs  hackers%-18s serfs%-18s %s\n", e.At.Seconds(), list(queued[river.Hacker], "h"), list(queued[river.Serf], "s"), what)
	}
	res, err := river.Run(ctx, cfg)
	st := res.Stats
	fmt.Fprintf(w, "\nSummary after %.2fs\n", st.Elapsed.Seconds())
	fmt.Fprintf(w, "  boats          %d crossed (%d possible): %d of 4+0 or 0+4, %d of 2+2, %d UNSAFE 3+1\n",
		st.Boats, cfg.Boats(), st.Boats-st.Mixed-st.Unsafe, st.Mixed, st.Unsafe)
	fmt.Fprintf(w, "  ashore         %d people could not fill a safe boat\n", st.Ashore)
	fmt.Fprint(w, "  check          the UNSAFE count must be 0; every boat is four people released by one firing\n")
	ok := demo.Verdict(w, "river crossing", props.CheckAll(res.Events, check.Properties(cfg)...))
	if werr := demo.WriteChart(w, svg, func() timeline.Chart { return chart(cfg, events) }); werr != nil {
		return ok, werr
	}
	return ok, err
}

func patternName(hackers int) string {
	switch hackers {
	case 4:
		return "fourHackers"
	case 0:
		return "fourSerfs"
	}
	return "mixed"
}

func bankName(s river.Side) string {
	if s == river.Hacker {
		return "hackers"
	}
	return "serfs"
}

func list(ns []int, prefix string) string {
	var ps []string
	for _, n := range ns {
		ps = append(ps, fmt.Sprintf("%s%d", prefix, n))
	}
	return "[" + strings.Join(ps, " ") + "]"
}

// chart draws the run: a lane per person and the boat's.
func chart(cfg river.Config, events []river.Event) timeline.Chart {
	const (
		waiting = iota
		aboard
		crossing
		unsafe
		ashore
	)
	states := timeline.States("waits on the bank", "#f4b400", "in a boat not yet full", "#db4437", "crossing", "#0f9d58", "crossing in a 3+1 boat", "#6a1b9a", "stays ashore", "#9e9e9e")
	var lanes []string
	for i := range cfg.Hackers {
		lanes = append(lanes, fmt.Sprintf("hacker %d", i))
	}
	for i := range cfg.Serfs {
		lanes = append(lanes, fmt.Sprintf("serf %d", i))
	}
	boat := len(lanes)
	lanes = append(lanes, "boat")
	lane := func(p river.Person) int {
		if p.Side == river.Serf {
			return cfg.Hackers + p.N
		}
		return p.N
	}
	title := "River crossing: Select(All(FromN(h,4)), All(FromN(s,4)), All(FromN(h,2), FromN(s,2)))"
	if cfg.FirstFour {
		title = "River crossing, BROKEN: the first four to arrive"
	}
	b := timeline.NewBuilder(title, lanes, states)
	var end time.Duration
	sailing := 0 // the boat on the river
	var stepped []int
	for _, e := range events {
		end = e.At
		switch e.Kind {
		case river.Arrive:
			b.Set(lane(e.Person), waiting, e.At)
		case river.Step:
			stepped = append(stepped, lane(e.Person))
			b.Set(lane(e.Person), aboard, e.At)
			b.Hold(boat, aboard, e.At, stepped...)
		case river.Board:
			h, ls := 0, []int{boat}
			for _, p := range e.Riders {
				if p.Side == river.Hacker {
					h++
				}
			}
			st := crossing
			if h%2 == 1 {
				st = unsafe
			}
			var riders []int
			for _, p := range e.Riders {
				b.Set(lane(p), st, e.At)
				ls = append(ls, lane(p))
				riders = append(riders, lane(p))
			}
			stepped = nil
			b.Hold(boat, st, e.At, riders...)
			sailing = e.Boat
			b.Link(e.At, fmt.Sprintf("boat %d %v", e.Boat, e.Riders), ls...)
		case river.Land:
			b.Set(lane(e.Person), -1, e.At)
			if e.Boat == sailing {
				b.Set(boat, -1, e.At)
			}
		case river.Ashore:
			b.Set(lane(e.Person), ashore, e.At)
		}
		b.Note(e.At, e.String())
	}
	end += end / 50
	demo.MarkViolations(b, props.CheckAll(events, check.Properties(cfg)...), events, func(e river.Event) time.Duration { return e.At }, end)
	return b.Chart(end)
}
