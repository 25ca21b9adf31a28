// Command bus narrates the senate bus solved with a join pattern over
// ticketed places (package bus): who waits at the stop, how many a bus
// counts as it stops, the pattern that boards them, and who is left for
// the next bus.
//
//	go run ./problems/bus/cmd/bus                    # the join solution
//	go run ./problems/bus/cmd/bus -broken            # the classic mistake (-late-boarding): late comers board too
//	go run ./problems/bus/cmd/bus -svg bus.svg
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
	"github.com/gochord/chord/problems/bus"
	"github.com/gochord/chord/problems/bus/check"
	"github.com/gochord/chord/props"
)

// brokenSeed is the seed -broken plays unless -seed is given: one that shows
// the mistake.
const brokenSeed = 1

func main() {
	cfg := bus.DefaultConfig()
	demo.Flags.IntVar(&cfg.Riders, "riders", cfg.Riders, "riders who come to the stop")
	demo.Flags.IntVar(&cfg.Capacity, "capacity", cfg.Capacity, "seats in a bus (Downey's 50)")
	demo.Flags.IntVar(&cfg.Buses, "buses", cfg.Buses, "buses before the service ends")
	demo.Main("bus", &cfg, &cfg.Seed, brokenSeed, &cfg.LateBoarding, "late-boarding", "the classic mistake: the bus boards whoever is at the stop until it is empty, late comers too", play)
}

// play runs cfg, narrating it to w, prints the summary and the checkers'
// verdict, and writes the timeline to svg if it is not empty. It reports
// whether every property held.
func play(ctx context.Context, w io.Writer, cfg bus.Config, svg string) (bool, error) {
	fmt.Fprintf(w, "Senate bus: %d riders, %d buses of %d seats. Seed %d.\n", cfg.Riders, cfg.Buses, cfg.Capacity, cfg.Seed)
	if cfg.LateBoarding {
		fmt.Fprint(w, "BROKEN (-late-boarding): the bus Recvs the riders at the stop one at a time, as they board,\n"+
			"until nobody is left or it is full: riders who come while it boards get on too.\n")
	} else {
		fmt.Fprintf(w, "A rider takes the next ticket as it comes and Sends on that ticket's place, blocked.\n"+
			"As a bus stops it reads the ticket counter: the waiting riders are tickets next … counter-1,\n"+
			"and it boards n = min(waiting, %d) of them at once with  All(Each(places[next:next+n]...)).\n"+
			"A rider who comes while the bus boards holds a later ticket: it waits for the next bus.\n", cfg.Capacity)
	}
	fmt.Fprint(w, "\nLegend\n"+
		"  stop[…]          riders waiting at the stop, in ticket order\n"+
		"  +  r3 comes      a rider comes, takes a ticket and waits on its place\n"+
		"  B  bus 2 stops   a bus stops and counts the riders waiting\n"+
		"  *  aboard fires  the pattern took the counted riders at once\n"+
		"  ^  r3 boards     a rider climbs in\n"+
		"  >  bus 2 leaves  with its riders\n"+
		"  x  r3 goes home  the service is over\n\n")

	var waiting []bus.Rider
	var events []bus.Event
	counted := map[bus.Rider]bool{} // the riders the bus at the stop counted
	cfg.Observe = func(e bus.Event) {
		events = append(events, e)
		var what string
		switch e.Kind {
		case bus.Arrive:
			waiting = append(waiting, e.Rider)
			what = fmt.Sprintf("+  %v comes and waits", e.Rider)
		case bus.Stop:
			clear(counted)
			for _, r := range waiting {
				counted[r] = true
			}
			what = fmt.Sprintf("B  bus %d stops: %d waiting, %d seats", e.Bus, e.Waiting, cfg.Capacity)
			if !cfg.LateBoarding && e.Waiting > 0 {
				what += fmt.Sprintf("; aboard = All(Each(%d places)) fires", min(e.Waiting, cfg.Capacity))
			}
		case bus.Board:
			waiting = slices.DeleteFunc(waiting, func(r bus.Rider) bool { return r == e.Rider })
			what = fmt.Sprintf("^  %v boards bus %d", e.Rider, e.Bus)
			if !counted[e.Rider] {
				what += " — LATE: it came after the bus stopped"
			}
		case bus.Depart:
			what = fmt.Sprintf(">  bus %d leaves with %d riders %v", e.Bus, len(e.Riders), e.Riders)
			if len(waiting) > 0 {
				what += fmt.Sprintf("; %d wait for the next", len(waiting))
			}
		case bus.Stranded:
			waiting = slices.DeleteFunc(waiting, func(r bus.Rider) bool { return r == e.Rider })
			what = fmt.Sprintf("x  %v goes home without a bus", e.Rider)
		}
		fmt.Fprintf(w, "%6.2fs  stop%-36s %s\n", e.At.Seconds(), demo.List(waiting, 8), what)
	}
	res, err := bus.Run(ctx, cfg)
	st := res.Stats
	sum := demo.Summarize(w, st.Elapsed)
	sum.Rowf("buses", "%d of %d left, carrying %d riders", st.Buses, cfg.Buses, st.Carried)
	sum.Rowf("stranded", "%d riders went home without a bus", st.Stranded)
	sum.Rowf("longest wait", "%v from coming to the stop to boarding", st.MaxWait.Round(time.Millisecond))
	sum.Rowf("check", "%d LATE riders boarded a bus that was already at the stop when they came (must be 0)", st.Late)
	return demo.Conclude(w, "senate bus", props.CheckAll(res.Events, check.Properties(cfg)...), svg,
		func() timeline.Chart { return chart(cfg, events) }, err)
}

// chart draws the run: a lane per rider and the stop's.
func chart(cfg bus.Config, events []bus.Event) timeline.Chart {
	const (
		waiting = iota
		boarding
		late
		stranded
	)
	states := timeline.States("waits at the stop", "#f4b400", "on a bus", "#0f9d58", "on a bus it came after", "#db4437", "went home", "#9e9e9e")
	lanes, stop := demo.Lanes[bus.Rider](cfg.Riders, "bus at the stop")
	title := fmt.Sprintf("Senate bus: All(Each(places[next:next+n])), n = min(waiting, %d)", cfg.Capacity)
	if cfg.LateBoarding {
		title = "Senate bus, BROKEN: late comers board the bus at the stop"
	}
	b := timeline.NewBuilder(title, lanes, states)
	var end time.Duration
	lateSeq := map[int]bool{}
	for _, e := range bus.LateRiders(events) {
		lateSeq[e.Seq] = true
	}
	var aboard []int
	atStop := false
	for _, e := range events {
		end = e.At
		switch e.Kind {
		case bus.Arrive:
			b.Set(int(e.Rider), waiting, e.At)
			if atStop {
				b.WaitFor(int(e.Rider), stop, e.At, "the next bus: this one is boarding")
			}
		case bus.Stop:
			atStop = true
			b.Set(stop, boarding, e.At)
			aboard = []int{stop}
		case bus.Board:
			st := boarding
			if lateSeq[e.Seq] {
				st = late
			}
			b.Set(int(e.Rider), st, e.At)
			aboard = append(aboard, int(e.Rider))
			b.Hold(stop, boarding, e.At, aboard[1:]...)
		case bus.Depart:
			atStop = false
			for _, l := range aboard {
				b.Set(l, -1, e.At)
			}
			b.Link(e.At, fmt.Sprintf("bus %d %v", e.Bus, e.Riders), aboard...)
		case bus.Stranded:
			b.Set(int(e.Rider), stranded, e.At)
		}
		b.Note(e.At, e.String())
	}
	end += end / 50
	demo.MarkViolations(b, props.CheckAll(events, check.Properties(cfg)...), events, func(e bus.Event) time.Duration { return e.At }, end)
	return b.Chart(end)
}
