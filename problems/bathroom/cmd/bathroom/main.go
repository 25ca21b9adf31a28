// Command bathroom narrates the unisex bathroom without starvation
// (package bathroom): the doorman's queue, who goes in and who waits for
// the bathroom to empty, and how often anyone was overtaken.
//
//	go run ./problems/bathroom/cmd/bathroom                # the queue solution
//	go run ./problems/bathroom/cmd/bathroom -broken        # the classic mistake (-lightswitch): the sex inside walks in past the queue
//	go run ./problems/bathroom/cmd/bathroom -svg bathroom.svg
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
	"github.com/gochord/chord/problems/bathroom"
	"github.com/gochord/chord/problems/bathroom/check"
	"github.com/gochord/chord/props"
)

// brokenSeed is the seed -broken plays unless -seed is given: one that shows
// the mistake.
const brokenSeed = 1

func main() {
	cfg := bathroom.DefaultConfig()
	demo.Flags.IntVar(&cfg.Women, "women", cfg.Women, "women")
	demo.Flags.IntVar(&cfg.Men, "men", cfg.Men, "men")
	demo.Flags.IntVar(&cfg.Capacity, "capacity", cfg.Capacity, "people the bathroom holds")
	demo.Flags.IntVar(&cfg.Visits, "visits", cfg.Visits, "visits each person makes")
	demo.Main("bathroom", &cfg, &cfg.Seed, brokenSeed, &cfg.Lightswitch, "lightswitch", "the classic mistake: whoever is of the sex inside walks in past those waiting", play)
}

// play runs cfg, narrating it to w, prints the summary and the checkers'
// verdict, and writes the timeline to svg if it is not empty. It reports
// whether every property held.
func play(ctx context.Context, w io.Writer, cfg bathroom.Config, svg string) (bool, error) {
	fmt.Fprintf(w, "Unisex bathroom: %d women and %d men, %d visits each, room for %d. Seed %d.\n",
		cfg.Women, cfg.Men, cfg.Visits, cfg.Capacity, cfg.Seed)
	if cfg.Lightswitch {
		fmt.Fprint(w, "BROKEN (-lightswitch): whoever is of the sex inside goes in when there is room,\n"+
			"past anyone of the other sex who queued before them: a stream of one sex starves the other.\n")
	} else {
		fmt.Fprint(w, "Each visitor Sends on the door, then waits for the doorman's word on its own channel.\n"+
			"The doorman queues visitors in order and lets in only the head of the queue, when there is\n"+
			"room and nobody of the other sex inside; otherwise he waits in PriSelect(leave.RecvOp(), door.RecvOp()).\n"+
			"The head of the queue is the turnstile: nobody passes a man waiting for the women to leave.\n")
	}
	fmt.Fprint(w, "\nLegend\n"+
		"  queue[…] in[…]    the doorman's queue, in order, and who is inside (w: woman, m: man)\n"+
		"  +  w3 queues      a visitor reached the doorman\n"+
		"  >  w3 goes in     the doorman let it in\n"+
		"  <  w3 leaves      a visitor is out\n"+
		"  overtook          (-lightswitch) went in ahead of people who queued before\n\n")

	var queue, inside []bathroom.Person
	var events []bathroom.Event
	cfg.Observe = func(e bathroom.Event) {
		events = append(events, e)
		drop := func(ps []bathroom.Person) []bathroom.Person {
			return slices.DeleteFunc(ps, func(p bathroom.Person) bool { return p == e.Person })
		}
		var what string
		switch e.Kind {
		case bathroom.Queue:
			queue = append(queue, e.Person)
			what = fmt.Sprintf("+  %v queues", e.Person)
			if len(inside) > 0 && inside[0].Sex != e.Person.Sex {
				what += " behind the " + plural(inside[0].Sex) + " inside"
			}
		case bathroom.Enter:
			i := slices.Index(queue, e.Person)
			ahead := queue[:max(i, 0)]
			queue = drop(queue)
			inside = append(inside, e.Person)
			what = fmt.Sprintf(">  %v goes in", e.Person)
			if len(ahead) > 0 {
				what += fmt.Sprintf(" — overtook %v", ahead)
			}
		case bathroom.Leave:
			inside = drop(inside)
			what = fmt.Sprintf("<  %v leaves", e.Person)
			if len(inside) == 0 {
				what += "; the bathroom is empty"
			}
		}
		fmt.Fprintf(w, "%6.2fs  queue%-24s in%-12s %s\n", e.At.Seconds(), demo.List(queue, 0), demo.List(inside, 0), what)
	}
	res, err := bathroom.Run(ctx, cfg)
	st := res.Stats
	sum := demo.Summarize(w, st.Elapsed)
	sum.Rowf("visits", "%d of %d", st.Visits, (cfg.Women+cfg.Men)*cfg.Visits)
	sum.Rowf("inside", "at most %d at once; the bathroom changed from one sex to the other %d times", st.MaxInside, st.Switches)
	sum.Rowf("longest wait", "%v from queueing to going in", st.MaxWait.Round(time.Millisecond))
	sum.Rowf("check", "OVERTAKEN at most %d times: people who went in ahead of one who queued before them (the queue: 0)", st.MaxOvertaken)
	return demo.Conclude(w, "unisex bathroom", props.CheckAll(res.Events, check.Properties(cfg)...), svg,
		func() timeline.Chart { return chart(cfg, events) }, err)
}

func plural(s bathroom.Sex) string {
	if s == bathroom.Woman {
		return "women"
	}
	return "men"
}

// chart draws the run: a lane per person and the bathroom's.
func chart(cfg bathroom.Config, events []bathroom.Event) timeline.Chart {
	const (
		queued = iota
		women
		men
	)
	states := timeline.States("queued", "#f4b400", "inside (women)", "#db4437", "inside (men)", "#4285f4")
	var lanes []string
	for i := range cfg.Women {
		lanes = append(lanes, bathroom.Person{Sex: bathroom.Woman, N: i}.String())
	}
	for i := range cfg.Men {
		lanes = append(lanes, bathroom.Person{Sex: bathroom.Man, N: i}.String())
	}
	room := len(lanes)
	lanes = append(lanes, "bathroom")
	lane := func(p bathroom.Person) int {
		if p.Sex == bathroom.Man {
			return cfg.Women + p.N
		}
		return p.N
	}
	title := "Unisex bathroom: a queue whose head alone may go in"
	if cfg.Lightswitch {
		title = "Unisex bathroom, BROKEN: the lightswitch lets the sex inside pass the queue"
	}
	b := timeline.NewBuilder(title, lanes, states)
	var end time.Duration
	var inside []int
	roomState := queued
	for _, e := range events {
		end = e.At
		switch e.Kind {
		case bathroom.Queue:
			b.Set(lane(e.Person), queued, e.At)
			if len(inside) > 0 {
				b.WaitFor(lane(e.Person), room, e.At, "the bathroom, occupied")
			}
		case bathroom.Enter:
			st := women
			if e.Person.Sex == bathroom.Man {
				st = men
			}
			if len(inside) == 0 {
				roomState = st
			}
			inside = append(inside, lane(e.Person))
			b.Hold(room, roomState, e.At, inside...)
			b.Set(lane(e.Person), st, e.At)
		case bathroom.Leave:
			inside = slices.DeleteFunc(inside, func(l int) bool { return l == lane(e.Person) })
			b.Set(lane(e.Person), -1, e.At)
			if len(inside) == 0 {
				b.Set(room, -1, e.At)
			} else {
				b.Hold(room, roomState, e.At, inside...)
			}
		}
		b.Note(e.At, e.String())
	}
	end += end / 50
	demo.MarkViolations(b, props.CheckAll(events, check.Properties(cfg)...), events, func(e bathroom.Event) time.Duration { return e.At }, end)
	return b.Chart(end)
}
