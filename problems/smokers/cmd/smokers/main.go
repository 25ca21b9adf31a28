// Command smokers narrates the cigarette smokers problem solved with join
// patterns (package smokers): what lies on the table, which smoker's
// pattern fires, and whom it releases.
//
//	go run ./problems/smokers/cmd/smokers                 # the join solution
//	go run ./problems/smokers/cmd/smokers -broken         # the classic mistake (-one-at-a-time): deadlock
//	go run ./problems/smokers/cmd/smokers -svg smokers.svg
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
	"strings"
	"time"

	"github.com/gochord/chord/internal/demo"
	"github.com/gochord/chord/internal/timeline"
	"github.com/gochord/chord/problems/smokers"
	"github.com/gochord/chord/problems/smokers/check"
	"github.com/gochord/chord/props"
)

// brokenSeed is the seed -broken plays unless -seed is given: one that shows
// the mistake.
const brokenSeed = 1

func main() {
	cfg := smokers.DefaultConfig()
	demo.Flags.IntVar(&cfg.Rounds, "rounds", cfg.Rounds, "cigarettes to smoke")
	demo.Main("smokers", &cfg, &cfg.Seed, brokenSeed, &cfg.OneAtATime, "one-at-a-time", "the classic mistake: each smoker receives his two ingredients one after the other", play)
}

var letter = [3]string{"T", "P", "M"}

// play runs cfg, narrating it to w, prints the summary and the checkers'
// verdict, and writes the timeline to svg if it is not empty. It reports
// whether every property held.
func play(ctx context.Context, w io.Writer, cfg smokers.Config, svg string) (bool, error) {
	fmt.Fprintf(w, "Cigarette smokers: %d rounds, seed %d.\n", cfg.Rounds, cfg.Seed)
	fmt.Fprint(w, "The agent puts two of tobacco (T), paper (P) and matches (M) on the table: each is a one-place\n"+
		"buffer holding the round number. Smoker T has tobacco and so on; each needs the other two.\n")
	if cfg.OneAtATime {
		fmt.Fprint(w, "BROKEN (-one-at-a-time): each smoker Recvs his first missing ingredient, then his second,\n"+
			"holding the first while he waits.\n")
	} else {
		fmt.Fprint(w, "Each smoker waits on one join pattern over the two he lacks, e.g. smoker T on\n"+
			"All(From(paper), From(matches)): it takes both at the same instant or neither.\n")
	}
	fmt.Fprint(w, "\nLegend\n"+
		"  table[P M]          the ingredients lying on the table (messages in their buffers)\n"+
		"  smokers T. P. M*    each smoker's state: . waits on his pattern, h holds one ingredient, * smokes\n"+
		"  +  agent puts       the agent Sends two ingredients (never blocks: the buffers are empty)\n"+
		"  *  pattern fires    a smoker's pattern took both ingredients at once and released him to smoke\n"+
		"  <  takes one        (-one-at-a-time) a smoker received one ingredient and holds it\n"+
		"  -  done             the smoker finished and Sends on done, which releases the agent\n\n")

	var onTable []smokers.Ingredient
	state := []byte("...")
	var events []smokers.Event
	dog, ctx := demo.NewWatchdog(ctx, quiet(cfg))
	defer dog.Stop()
	cfg.Observe = func(e smokers.Event) {
		dog.Touch()
		events = append(events, e)
		var what string
		take := func(ins ...smokers.Ingredient) {
			for _, in := range ins {
				for i, x := range onTable {
					if x == in {
						onTable = append(onTable[:i:i], onTable[i+1:]...)
						break
					}
				}
			}
		}
		switch e.Kind {
		case smokers.Put:
			onTable = append(onTable, e.Ingredients...)
			what = fmt.Sprintf("+  agent puts %v and %v out (round %d) and waits on done", e.Ingredients[0], e.Ingredients[1], e.Round)
		case smokers.Took:
			take(e.Ingredients...)
			state[e.Who] = 'h'
			what = fmt.Sprintf("<  smoker %s takes %v alone and holds it", letter[e.Who], e.Ingredients[0])
		case smokers.Smoke:
			state[e.Who] = '*'
			if cfg.OneAtATime {
				what = fmt.Sprintf("*  smoker %s has %v and %v: smokes", letter[e.Who], e.Ingredients[0], e.Ingredients[1])
			} else {
				take(e.Ingredients...)
				what = fmt.Sprintf("*  smoker %s's pattern All(From(%v), From(%v)) fires: takes both, releases him to smoke",
					letter[e.Who], e.Ingredients[0], e.Ingredients[1])
			}
		case smokers.Done:
			state[e.Who] = '.'
			what = fmt.Sprintf("-  smoker %s is done: Sends on done, the agent wakes", letter[e.Who])
		}
		fmt.Fprintf(w, "%6.2fs  table%-20s smokers %-4s %s\n", e.At.Seconds(), names(onTable), smokersState(state), what)
	}
	res, err := smokers.Run(ctx, cfg)
	st := res.Stats
	fmt.Fprintf(w, "\nSummary after %.2fs\n", st.Elapsed.Seconds())
	fmt.Fprintf(w, "  rounds smoked   %d of %d (smoker T %d, P %d, M %d)\n", st.Rounds, cfg.Rounds, st.Smoked[0], st.Smoked[1], st.Smoked[2])
	right, held := 0, 0
	puts := map[int][]smokers.Ingredient{}
	for _, e := range res.Events {
		switch e.Kind {
		case smokers.Put:
			puts[e.Round] = e.Ingredients
		case smokers.Smoke:
			if p := puts[e.Round]; len(p) == 2 && p[0] != smokers.Ingredient(e.Who) && p[1] != smokers.Ingredient(e.Who) {
				right++
			}
		case smokers.Took:
			held++
		}
	}
	fmt.Fprintf(w, "  check           %d of %d rounds smoked by the smoker who lacked exactly what was out; ingredients held alone: %d\n", right, st.Rounds, held)
	if dog.Fired() {
		fmt.Fprintf(w, "\nDeadlock: nothing happened for a while, so the run was stopped. At that moment: table%s, smokers %s.\n", names(onTable), smokersState(state))
		fmt.Fprint(w, "  Two smokers each hold one ingredient of the round and wait for the other, which the other holds.\n")
		err = nil
	}
	ok := demo.Verdict(w, "smokers", props.CheckAll(res.Events, check.Properties(cfg)...))
	if werr := demo.WriteChart(w, svg, func() timeline.Chart { return chart(cfg, events) }); werr != nil {
		return ok, werr
	}
	return ok, err
}

func smokersState(s []byte) string {
	return fmt.Sprintf("T%c P%c M%c", s[0], s[1], s[2])
}

func names(ins []smokers.Ingredient) string {
	var ps []string
	for _, in := range ins {
		ps = append(ps, in.String())
	}
	return "[" + strings.Join(ps, " ") + "]"
}

// chart draws the run: the agent's lane and one per smoker.
func chart(cfg smokers.Config, events []smokers.Event) timeline.Chart {
	const (
		waiting = iota
		holdsOne
		smoking
		agentWaits
	)
	states := timeline.States("waits on his pattern", "#f4b400", "holds one ingredient", "#db4437", "smokes", "#0f9d58", "agent waits on done", "#90caf9")
	title := "Cigarette smokers: each smoker waits on All(From(a), From(b))"
	if cfg.OneAtATime {
		title = "Cigarette smokers, BROKEN: one ingredient at a time"
	}
	b := timeline.NewBuilder(title, []string{"agent", "smoker T", "smoker P", "smoker M"}, states)
	for s := range 3 {
		b.Set(1+s, waiting, 0)
	}
	var end time.Duration
	var holding [3]bool // one-at-a-time: the smokers holding one ingredient
	smoked := 0
	for _, e := range events {
		end = e.At
		switch e.Kind {
		case smokers.Put:
			b.Set(0, agentWaits, e.At)
		case smokers.Took:
			holding[e.Who] = true
			b.Set(1+e.Who, holdsOne, e.At)
		case smokers.Smoke:
			smoked++
			holding[e.Who] = false
			b.Set(1+e.Who, smoking, e.At)
			b.WaitFor(0, 1+e.Who, e.At, "done from the smoker who smokes")
			b.Link(e.At, fmt.Sprintf("round %d: smoker %s takes %v", e.Round, letter[e.Who], e.Ingredients), 0, 1+e.Who)
		case smokers.Done:
			b.Set(1+e.Who, waiting, e.At)
			b.Set(0, -1, e.At)
		}
		b.Note(e.At, e.String())
	}
	end += end / 50
	var holders []int
	for s, h := range holding {
		if h {
			holders = append(holders, s)
		}
	}
	if cfg.OneAtATime && len(holders) > 1 {
		// Deadlock: the watchdog stopped the run quiet after the last event.
		// Each smoker holding one ingredient waits for the other one of the
		// pair, which another smoker holds; the agent waits for done.
		end = events[len(events)-1].At + quiet(cfg)
		for i, s := range holders {
			o := holders[(i+1)%len(holders)]
			b.WaitFor(1+s, 1+o, end, fmt.Sprintf("the ingredient smoker %s holds", letter[o]))
		}
		b.Mark(end, "deadlock", "deadlock detected: smokers each hold one ingredient and wait for one another holds")
	}
	demo.MarkViolations(b, props.CheckAll(events, check.Properties(cfg)...), events, func(e smokers.Event) time.Duration { return e.At }, end)
	return b.Chart(end)
}

// quiet is how long a run may go without an event before the watchdog
// calls it a deadlock.
func quiet(cfg smokers.Config) time.Duration { return cfg.Smoke.Max + time.Second }
