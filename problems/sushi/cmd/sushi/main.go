// Command sushi narrates the sushi bar solved with a select and a count
// pattern (package sushi): who waits at the door, who sits, when the bar
// fills and the host waits for the whole party to leave.
//
//	go run ./problems/sushi/cmd/sushi             # the solution
//	go run ./problems/sushi/cmd/sushi -broken     # the classic mistake (-refill): seat a newcomer as soon as a seat is free
//	go run ./problems/sushi/cmd/sushi -svg sushi.svg
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
	"github.com/gochord/chord/problems/sushi"
	"github.com/gochord/chord/problems/sushi/check"
	"github.com/gochord/chord/props"
)

// brokenSeed is the seed -broken plays unless -seed is given: one that shows
// the mistake.
const brokenSeed = 1

func main() {
	cfg := sushi.DefaultConfig()
	demo.Flags.IntVar(&cfg.Customers, "customers", cfg.Customers, "customers of the evening")
	demo.Flags.IntVar(&cfg.Seats, "seats", cfg.Seats, "seats at the bar")
	demo.Main("sushi", &cfg, &cfg.Seed, brokenSeed, &cfg.Refill, "refill", "the classic mistake: seat a newcomer whenever a seat is free, even while a full party is there", play)
}

// play runs cfg, narrating it to w, prints the summary and the checkers'
// verdict, and writes the timeline to svg if it is not empty. It reports
// whether every property held.
func play(ctx context.Context, w io.Writer, cfg sushi.Config, svg string) (bool, error) {
	fmt.Fprintf(w, "Sushi bar: %d customers, %d seats. Seed %d.\n", cfg.Customers, cfg.Seats, cfg.Seed)
	if cfg.Refill {
		fmt.Fprint(w, "BROKEN (-refill): the host takes a customer in whenever a seat is free,\n"+
			"even while the party that filled the bar is still eating.\n")
	} else {
		fmt.Fprintf(w, "Customers Send on the door and stay blocked; diners report on the leave buffer as they go.\n"+
			"While a seat is free the host selects  PriSelect(leave.RecvOp(), When(seated < %d, door.RecvOp())).\n"+
			"Once all seats are taken it waits instead for the whole party:  All(FromN(leave, %d)).\n", cfg.Seats, cfg.Seats)
	}
	fmt.Fprint(w, "\nLegend\n"+
		"  door[…] bar[…]   customers waiting at the door (blocked in Send), and eating\n"+
		"  +  c3 comes      a customer comes and waits at the door\n"+
		"  v  c3 sits       the host took it in\n"+
		"  ^  c3 leaves     a diner is done\n"+
		"  FULL             every seat is taken: nobody sits until the whole party has left\n\n")

	var door, bar []sushi.Customer
	var events []sushi.Event
	full := false
	cfg.Observe = func(e sushi.Event) {
		events = append(events, e)
		drop := func(cs []sushi.Customer) []sushi.Customer {
			return slices.DeleteFunc(cs, func(c sushi.Customer) bool { return c == e.Customer })
		}
		var what string
		switch e.Kind {
		case sushi.Arrive:
			door = append(door, e.Customer)
			what = fmt.Sprintf("+  %v comes", e.Customer)
		case sushi.Sit:
			door = drop(door)
			bar = append(bar, e.Customer)
			what = fmt.Sprintf("v  %v sits", e.Customer)
			switch {
			case full:
				what += " while the full party is still there — INTRUDER"
			case len(bar) == cfg.Seats:
				full = true
				what += "; FULL: the host waits for All(FromN(leave, " + fmt.Sprint(cfg.Seats) + "))"
			}
		case sushi.Leave:
			bar = drop(bar)
			what = fmt.Sprintf("^  %v leaves", e.Customer)
			if full && len(bar) == 0 {
				full = false
				what += "; the party has left: the bar is open again"
			}
		}
		fmt.Fprintf(w, "%6.2fs  door%-24s bar%-18s %s\n", e.At.Seconds(), demo.List(door, 0), demo.List(bar, 0), what)
	}
	res, err := sushi.Run(ctx, cfg)
	st := res.Stats
	sum := demo.Summarize(w, st.Elapsed)
	sum.Rowf("served", "%d of %d customers", st.Served, cfg.Customers)
	sum.Rowf("parties", "the bar was full %d times", st.Parties)
	sum.Rowf("longest wait", "%v from coming to sitting", st.MaxWait.Round(time.Millisecond))
	sum.Rowf("check", "%d INTRUDERS sat down while a full party was still there (must be 0)", st.Intruders)
	return demo.Conclude(w, "sushi bar", props.CheckAll(res.Events, check.Properties(cfg)...), svg,
		func() timeline.Chart { return chart(cfg, events) }, err)
}

// chart draws the run: a lane per customer and the bar's.
func chart(cfg sushi.Config, events []sushi.Event) timeline.Chart {
	const (
		waiting = iota
		eating
		intruding
		full
	)
	states := timeline.States("waits at the door", "#f4b400", "eats", "#0f9d58", "sat down in a full party", "#db4437", "full: the party must leave", "#4285f4")
	lanes, bar := demo.Lanes[sushi.Customer](cfg.Customers, "bar")
	title := fmt.Sprintf("Sushi bar: PriSelect(leave, When(seated < %d, door)), and All(FromN(leave, %d)) when full", cfg.Seats, cfg.Seats)
	if cfg.Refill {
		title = "Sushi bar, BROKEN: the host refills a full bar"
	}
	b := timeline.NewBuilder(title, lanes, states)
	var end time.Duration
	var party []int // the bar and the diners of a full party, while one of them is there
	var seated []int
	for _, e := range events {
		end = e.At
		c := int(e.Customer)
		switch e.Kind {
		case sushi.Arrive:
			b.Set(c, waiting, e.At)
			if party != nil || len(seated) >= cfg.Seats {
				b.WaitFor(c, bar, e.At, "a seat: the bar is full")
			}
		case sushi.Sit:
			seated = append(seated, c)
			if party != nil {
				b.Set(c, intruding, e.At)
				b.Hold(bar, full, e.At, seated...)
				break
			}
			b.Set(c, eating, e.At)
			if len(seated) == cfg.Seats {
				b.Hold(bar, full, e.At, seated...)
				party = append([]int{bar}, seated...)
				b.Link(e.At, "full", party...)
			}
		case sushi.Leave:
			seated = slices.DeleteFunc(seated, func(d int) bool { return d == c })
			b.Set(c, -1, e.At)
			if len(seated) == 0 && party != nil {
				b.Set(bar, -1, e.At)
				party = nil
			} else if party != nil {
				b.Hold(bar, full, e.At, seated...)
			}
		}
		b.Note(e.At, e.String())
	}
	end += end / 50
	demo.MarkViolations(b, props.CheckAll(events, check.Properties(cfg)...), events, func(e sushi.Event) time.Duration { return e.At }, end)
	return b.Chart(end)
}
