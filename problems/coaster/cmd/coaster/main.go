// Command coaster narrates the roller coaster solved with two count
// patterns (package coaster): who queues for the car, the load pattern
// taking a full car at once, the riders getting out, and the unload
// pattern that lets the car load again.
//
//	go run ./problems/coaster/cmd/coaster               # the join solution
//	go run ./problems/coaster/cmd/coaster -broken       # the classic mistake (-eager): load before the riders are out
//	go run ./problems/coaster/cmd/coaster -svg coaster.svg
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
	"github.com/gochord/chord/problems/coaster"
	"github.com/gochord/chord/problems/coaster/check"
	"github.com/gochord/chord/props"
)

// brokenSeed is the seed -broken plays unless -seed is given: one that shows
// the mistake.
const brokenSeed = 1

func main() {
	cfg := coaster.DefaultConfig()
	demo.Flags.IntVar(&cfg.Passengers, "passengers", cfg.Passengers, "passengers in the park")
	demo.Flags.IntVar(&cfg.Capacity, "capacity", cfg.Capacity, "seats in the car")
	demo.Flags.IntVar(&cfg.Rides, "rides", cfg.Rides, "rides the car makes")
	demo.Main("coaster", &cfg, &cfg.Seed, brokenSeed, &cfg.Eager, "eager", "the classic mistake: load the next riders before the last ones are out", play)
}

// play runs cfg, narrating it to w, prints the summary and the checkers'
// verdict, and writes the timeline to svg if it is not empty. It reports
// whether every property held.
func play(ctx context.Context, w io.Writer, cfg coaster.Config, svg string) (bool, error) {
	fmt.Fprintf(w, "Roller coaster: %d passengers, a car of %d seats, %d rides. Seed %d.\n",
		cfg.Passengers, cfg.Capacity, cfg.Rides, cfg.Seed)
	if cfg.Eager {
		fmt.Fprint(w, "BROKEN (-eager): once the ride is over the car lets its riders go and loads again at once,\n"+
			"without waiting for them to get out.\n")
	} else {
		fmt.Fprintf(w, "Each passenger Sends on the queue channel and stays blocked. The car loads with\n"+
			"  load   = All(FromN(queue, %d))    a full car at once, or nobody\n"+
			"and after the ride waits until its riders are out with\n"+
			"  unload = All(FromN(ashore, %d))   each rider reports on the ashore buffer once out\n", cfg.Capacity, cfg.Capacity)
	}
	fmt.Fprint(w, "\nLegend\n"+
		"  queue[…] car[…]   passengers queued (blocked in Send), and in the car\n"+
		"  +  p3 queues      a passenger is back from wandering and Sends on queue\n"+
		"  *  load fires     the car took a full load at once; the ride begins\n"+
		"  -  p3 gets out    a rider is out of the car after the ride\n"+
		"  x  p3 goes home   the rides are over\n\n")

	var queued, inCar []coaster.Passenger
	var events []coaster.Event
	cfg.Observe = func(e coaster.Event) {
		events = append(events, e)
		drop := func(ps []coaster.Passenger, p coaster.Passenger) []coaster.Passenger {
			return slices.DeleteFunc(ps, func(q coaster.Passenger) bool { return q == p })
		}
		var what string
		switch e.Kind {
		case coaster.Arrive:
			queued = append(queued, e.Passenger)
			what = fmt.Sprintf("+  %v queues", e.Passenger)
		case coaster.Board:
			for _, p := range e.Riders {
				queued = drop(queued, p)
			}
			stale := len(inCar)
			inCar = append(inCar, e.Riders...)
			if stale > 0 {
				what = fmt.Sprintf("*  ride %d: %v climb in while %d of the last ride are still in the car — OVERLAP", e.Ride, e.Riders, stale)
			} else {
				what = fmt.Sprintf("*  load fires: takes %v at once; ride %d begins", e.Riders, e.Ride)
			}
		case coaster.Unboard:
			inCar = drop(inCar, e.Passenger)
			what = fmt.Sprintf("-  %v gets out after ride %d", e.Passenger, e.Ride)
			if len(inCar) == 0 && !cfg.Eager {
				what += "; the car is empty: unload fires"
			}
		case coaster.Home:
			queued = drop(queued, e.Passenger)
			what = fmt.Sprintf("x  %v goes home", e.Passenger)
		}
		fmt.Fprintf(w, "%6.2fs  queue%-16s car%-22s %s\n", e.At.Seconds(), demo.List(queued, 0), demo.List(inCar, 0), what)
	}
	res, err := coaster.Run(ctx, cfg)
	st := res.Stats
	sum := demo.Summarize(w, st.Elapsed)
	sum.Rowf("rides", "%d of %d, carrying %d riders (%d seats a ride)", st.Rides, cfg.Rides, st.Riders, cfg.Capacity)
	sum.Rowf("longest wait", "%v from queueing to boarding", st.MaxWait.Round(time.Millisecond))
	sum.Rowf("check", "%d OVERLAPS: rides that boarded while riders of the one before were still in the car (must be 0)", st.Overlaps)
	return demo.Conclude(w, "roller coaster", props.CheckAll(res.Events, check.Properties(cfg)...), svg,
		func() timeline.Chart { return chart(cfg, events) }, err)
}

// chart draws the run: a lane per passenger and the car's.
func chart(cfg coaster.Config, events []coaster.Event) timeline.Chart {
	const (
		queued = iota
		riding
		overlap
		home
	)
	states := timeline.States("queued", "#f4b400", "in the car", "#0f9d58", "in the car with the last ride's riders", "#db4437", "gone home", "#9e9e9e")
	lanes, car := demo.Lanes[coaster.Passenger](cfg.Passengers, "car")
	title := fmt.Sprintf("Roller coaster: All(FromN(queue, %d)) to load, All(FromN(ashore, %d)) to unload", cfg.Capacity, cfg.Capacity)
	if cfg.Eager {
		title = "Roller coaster, BROKEN: the eager car loads before its riders are out"
	}
	b := timeline.NewBuilder(title, lanes, states)
	var end time.Duration
	aboard := map[coaster.Passenger]bool{}
	inCar := func() []int {
		var ls []int
		for p := range cfg.Passengers {
			if aboard[coaster.Passenger(p)] {
				ls = append(ls, p)
			}
		}
		return ls
	}
	for _, e := range events {
		end = e.At
		switch e.Kind {
		case coaster.Arrive:
			b.Set(int(e.Passenger), queued, e.At)
			if len(aboard) > 0 {
				b.WaitFor(int(e.Passenger), car, e.At, "the car, which is out")
			}
		case coaster.Board:
			st := riding
			if len(aboard) > 0 {
				st = overlap
			}
			ls := []int{car}
			for _, p := range e.Riders {
				aboard[p] = true
				b.Set(int(p), st, e.At)
				ls = append(ls, int(p))
			}
			b.Hold(car, st, e.At, inCar()...)
			b.Link(e.At, fmt.Sprintf("ride %d %v", e.Ride, e.Riders), ls...)
		case coaster.Unboard:
			delete(aboard, e.Passenger)
			b.Set(int(e.Passenger), -1, e.At)
			if len(aboard) == 0 {
				b.Set(car, -1, e.At)
			}
		case coaster.Home:
			b.Set(int(e.Passenger), home, e.At)
		}
		b.Note(e.At, e.String())
	}
	end += end / 50
	demo.MarkViolations(b, props.CheckAll(events, check.Properties(cfg)...), events, func(e coaster.Event) time.Duration { return e.At }, end)
	return b.Chart(end)
}
