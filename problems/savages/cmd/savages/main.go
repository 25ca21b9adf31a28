// Command savages narrates the dining savages (package savages): how many
// servings are in the pot, who waits on it, who empties it and wakes the
// cook, and whom a refill releases.
//
//	go run ./problems/savages/cmd/savages                # the solution
//	go run ./problems/savages/cmd/savages -broken        # the classic mistake (-peek): check the pot, then wake the cook
//	go run ./problems/savages/cmd/savages -svg savages.svg
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
	"time"

	"github.com/gochord/chord/internal/demo"
	"github.com/gochord/chord/internal/timeline"
	"github.com/gochord/chord/problems/savages"
	"github.com/gochord/chord/problems/savages/check"
	"github.com/gochord/chord/props"
)

// brokenSeed is the seed -broken plays unless -seed is given: one that shows
// the mistake.
const brokenSeed = 2

func main() {
	cfg := savages.DefaultConfig()
	demo.Flags.IntVar(&cfg.Savages, "savages", cfg.Savages, "savages in the tribe")
	demo.Flags.IntVar(&cfg.Meals, "meals", cfg.Meals, "servings each savage eats")
	demo.Flags.IntVar(&cfg.Servings, "m", cfg.Servings, "servings in a full pot")
	demo.Main("savages", &cfg, &cfg.Seed, brokenSeed, &cfg.Peek, "peek", "the classic mistake: a savage who sees the pot empty wakes the cook, then waits", play)
}

// play runs cfg, narrating it to w, prints the summary and the checkers'
// verdict, and writes the timeline to svg if it is not empty. It reports
// whether every property held.
func play(ctx context.Context, w io.Writer, cfg savages.Config, svg string) (bool, error) {
	fmt.Fprintf(w, "Dining savages: %d savages eat %d servings each from a pot of %d. Seed %d.\n",
		cfg.Savages, cfg.Meals, cfg.Servings, cfg.Seed)
	if cfg.Peek {
		fmt.Fprint(w, "BROKEN (-peek): a hungry savage looks at the pot (Len) and, if he sees it empty,\n"+
			"Sends on wake before he waits: several see the same empty pot.\n")
	} else {
		fmt.Fprintf(w, "The pot is a buffer.New[Serving](%d). The cook numbers each potful's servings 1…%d and the\n"+
			"buffer hands them out in order, so the savage who receives serving %d emptied the pot: he alone\n"+
			"Sends on wake. Everyone else just Recvs on the pot, and waits there while it is empty.\n", cfg.Servings, cfg.Servings, cfg.Servings)
	}
	fmt.Fprint(w, "\nLegend\n"+
		"  pot 4/6 of #2        servings left in the pot, of potful number 2\n"+
		"  waiting[1 3]         savages blocked in Recv on the pot\n"+
		"  h  hungry            a savage Recvs on the pot\n"+
		"  t  takes 2.6         he received serving 6 of potful 2 (numbered servings: potful.serving)\n"+
		"  w  wakes the cook    he Sends on wake\n"+
		"  *  refill            the cook's Sends fill the pot; they release the waiting savages' Recvs\n\n")

	left, potful := 0, 0
	var waiting []int
	var events []savages.Event
	cfg.Observe = func(e savages.Event) {
		events = append(events, e)
		var what string
		switch e.Kind {
		case savages.Hungry:
			waiting = append(waiting, e.Who)
			what = fmt.Sprintf("h  savage %d is hungry and Recvs on the pot", e.Who)
		case savages.Take:
			waiting = slices.DeleteFunc(waiting, func(s int) bool { return s == e.Who })
			left--
			what = fmt.Sprintf("t  savage %d takes serving %v", e.Who, e.Serving)
			if e.Serving.N == cfg.Servings && !cfg.Peek {
				what += ": the last one, so he knows the pot is empty"
			}
		case savages.Wake:
			what = fmt.Sprintf("w  savage %d Sends on wake: the cook gets up", e.Who)
		case savages.Refill:
			if left > 0 && potful > 0 {
				what = fmt.Sprintf("*  the cook puts in potful %d — THE POT STILL HOLDS %d", e.Serving.Pot, left)
			} else {
				what = fmt.Sprintf("*  the cook Sends %d servings of potful %d; releases %s", cfg.Servings, e.Serving.Pot, who(waiting))
			}
			left += cfg.Servings
			potful = e.Serving.Pot
		}
		fmt.Fprintf(w, "%6.2fs  pot %2d/%d of #%-3d waiting%-14s %s\n", e.At.Seconds(), max(left, 0), cfg.Servings, potful, fmt.Sprint(waiting), what)
	}
	res, err := savages.Run(ctx, cfg)
	st := res.Stats
	fmt.Fprintf(w, "\nSummary after %.2fs\n", st.Elapsed.Seconds())
	fmt.Fprintf(w, "  meals          %d of %d eaten\n", st.Meals, cfg.Savages*cfg.Meals)
	fmt.Fprintf(w, "  potfuls        %d cooked (at least %d needed)\n", st.Refills, (cfg.Savages*cfg.Meals+cfg.Servings-1)/cfg.Servings)
	wakes := 0
	for _, e := range res.Events {
		if e.Kind == savages.Wake {
			wakes++
		}
	}
	fmt.Fprintf(w, "  check          wake-ups of the cook: %d; each must follow the last serving of a potful\n", wakes)
	ok := demo.Verdict(w, "dining savages", props.CheckAll(res.Events, check.Properties(cfg)...))
	if werr := demo.WriteChart(w, svg, func() timeline.Chart { return chart(cfg, events) }); werr != nil {
		return ok, werr
	}
	return ok, err
}

func who(ss []int) string {
	switch len(ss) {
	case 0:
		return "nobody: no savage is waiting"
	case 1:
		return fmt.Sprintf("savage %d, who was waiting", ss[0])
	}
	return fmt.Sprintf("savages %v, who were waiting", ss)
}

// chart draws the feast: the cook's lane and one per savage.
func chart(cfg savages.Config, events []savages.Event) timeline.Chart {
	const (
		hungry = iota
		eating
		cooks
	)
	states := timeline.States("hungry: blocked in Recv on the pot", "#f4b400", "eating", "#0f9d58", "cook cooks", "#db4437")
	lanes := []string{"cook"}
	for s := range cfg.Savages {
		lanes = append(lanes, fmt.Sprintf("savage %d", s))
	}
	title := fmt.Sprintf("Dining savages: a buffer of %d numbered servings", cfg.Servings)
	if cfg.Peek {
		title = "Dining savages, BROKEN: peek at the pot, then wake the cook"
	}
	b := timeline.NewBuilder(title, lanes, states)
	var waiting []int
	var end time.Duration
	cooking := false
	for _, e := range events {
		end = e.At
		switch e.Kind {
		case savages.Hungry:
			b.Set(1+e.Who, hungry, e.At)
			waiting = append(waiting, e.Who)
			if cooking {
				b.WaitFor(1+e.Who, 0, e.At, "the pot the cook fills")
			}
		case savages.Take:
			b.Set(1+e.Who, eating, e.At)
			waiting = slices.DeleteFunc(waiting, func(s int) bool { return s == e.Who })
		case savages.Wake:
			if cooking {
				break // another wake-up for the same potful (-peek)
			}
			cooking = true
			b.Set(0, cooks, e.At)
			for _, s := range waiting {
				b.WaitFor(1+s, 0, e.At, "the pot the cook fills")
			}
		case savages.Refill:
			cooking = false
			b.Set(0, -1, e.At)
			ls := []int{0}
			for _, s := range waiting {
				ls = append(ls, 1+s)
			}
			b.Link(e.At, fmt.Sprintf("potful %d", e.Serving.Pot), ls...)
		}
		b.Note(e.At, e.String())
	}
	for s := range cfg.Savages {
		b.Set(1+s, -1, end)
	}
	end += end / 50
	demo.MarkViolations(b, props.CheckAll(events, check.Properties(cfg)...), events, func(e savages.Event) time.Duration { return e.At }, end)
	return b.Chart(end)
}
