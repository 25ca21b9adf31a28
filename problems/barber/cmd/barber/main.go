// Command barber narrates the sleeping barber with n chairs (package
// barber): which chairs are taken, who waits on the queue channel, when the
// barber sleeps, and which rendezvous releases whom.
//
//	go run ./problems/barber/cmd/barber                # the solution
//	go run ./problems/barber/cmd/barber -broken        # the classic mistake (-unlocked): an unprotected count
//	go run ./problems/barber/cmd/barber -svg barber.svg
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
	"github.com/gochord/chord/problems/barber"
	"github.com/gochord/chord/problems/barber/check"
	"github.com/gochord/chord/props"
)

// brokenSeed is the seed -broken plays unless -seed is given: one that shows
// the mistake.
const brokenSeed = 1

func main() {
	cfg := barber.DefaultConfig()
	demo.Flags.IntVar(&cfg.Chairs, "chairs", cfg.Chairs, "chairs in the waiting room")
	demo.Flags.IntVar(&cfg.Customers, "customers", cfg.Customers, "customers who come during the day")
	demo.Main("barber", &cfg, &cfg.Seed, brokenSeed, &cfg.Unlocked, "unlocked", "the classic mistake: customers check an unprotected count of occupied chairs, then sit", play)
}

// play runs cfg, narrating it to w, prints the summary and the checkers'
// verdict, and writes the timeline to svg if it is not empty. It reports
// whether every property held.
func play(ctx context.Context, w io.Writer, cfg barber.Config, svg string) (bool, error) {
	fmt.Fprintf(w, "Sleeping barber: %d chairs in the waiting room, %d customers. Seed %d.\n", cfg.Chairs, cfg.Customers, cfg.Seed)
	if cfg.Unlocked {
		fmt.Fprint(w, "BROKEN (-unlocked): a customer reads a shared count of occupied chairs, looks around the room\n"+
			"for a moment, then sits on the chair the count named and writes count+1 back.\n")
	} else {
		fmt.Fprint(w, "The free chairs are tokens in a buffer.New[int](n). A customer takes one or leaves in one\n"+
			"step: PriSelect(chairs.RecvOp(), Skip()). Seated, he Sends on the synchronous channel queue\n"+
			"and stays blocked; the barber sleeps in a Recv on queue, and their rendezvous releases both.\n")
	}
	fmt.Fprint(w, "\nLegend\n"+
		"  chairs[3 _ 7]       who sits on each chair (_ free)\n"+
		"  barber Z / C4       the barber sleeps (Z), or cuts customer 4's hair\n"+
		"  +  arrives          a customer arrives\n"+
		"  s  sits             he took a chair token: seated, he Sends on queue and waits\n"+
		"  ?  looks            (-unlocked) he read the count of occupied chairs\n"+
		"  x  leaves           no chair was free\n"+
		"  *  queue rendezvous the barber's Recv took the customer's Send: both are released together\n"+
		"  -  done             the haircut is over; the barber Sends on the customer's done channel\n\n")

	chairs := make([]int, cfg.Chairs)
	for i := range chairs {
		chairs[i] = -1
	}
	state := "Z"
	var events []barber.Event
	cfg.Observe = func(e barber.Event) {
		events = append(events, e)
		var what string
		switch e.Kind {
		case barber.Arrive:
			what = fmt.Sprintf("+  customer %d arrives", e.Who)
		case barber.Look:
			what = fmt.Sprintf("?  customer %d reads the count: %d occupied", e.Who, e.Chair)
		case barber.Sit:
			if e.Chair >= 0 && e.Chair < len(chairs) {
				if chairs[e.Chair] >= 0 {
					what = fmt.Sprintf("s  customer %d sits on chair %d — ON customer %d!", e.Who, e.Chair, chairs[e.Chair])
				}
				chairs[e.Chair] = e.Who
			} else {
				what = fmt.Sprintf("s  customer %d sits on chair %d — there is no such chair: he stands", e.Who, e.Chair)
			}
			if what == "" {
				what = fmt.Sprintf("s  customer %d takes chair %d and Sends on queue", e.Who, e.Chair)
			}
		case barber.Balk:
			what = fmt.Sprintf("x  customer %d finds no free chair and leaves", e.Who)
		case barber.Sleep:
			state = "Z"
			what = "z  the barber finds nobody on queue and sleeps in Recv"
		case barber.Cut:
			state = fmt.Sprintf("C%d", e.Who)
			what = fmt.Sprintf("*  queue rendezvous: the barber takes customer %d; both released, the haircut starts", e.Who)
		case barber.Up:
			if e.Chair >= 0 && e.Chair < len(chairs) && chairs[e.Chair] == e.Who {
				chairs[e.Chair] = -1
			}
			what = fmt.Sprintf("^  customer %d gives chair %d back", e.Who, e.Chair)
		case barber.Done:
			state = "-"
			what = fmt.Sprintf("-  haircut done: the barber Sends on customer %d's done channel", e.Who)
		case barber.Leave:
			what = fmt.Sprintf("-  customer %d leaves with a haircut", e.Who)
		}
		fmt.Fprintf(w, "%6.2fs  chairs%-12s barber %-4s %s\n", e.At.Seconds(), seats(chairs), state, what)
	}
	res, err := barber.Run(ctx, cfg)
	st := res.Stats
	fmt.Fprintf(w, "\nSummary after %.2fs\n", st.Elapsed.Seconds())
	fmt.Fprintf(w, "  customers      %d served, %d found the room full and left\n", st.Served, st.Balked)
	fmt.Fprintf(w, "  check          most customers seated at once: %d (the room has %d chairs; more means someone shared or stood)\n", st.MaxSeated, cfg.Chairs)
	ok := demo.Verdict(w, "sleeping barber", props.CheckAll(res.Events, check.Properties(cfg)...))
	if werr := demo.WriteChart(w, svg, func() timeline.Chart { return chart(cfg, events) }); werr != nil {
		return ok, werr
	}
	return ok, err
}

func seats(cs []int) string {
	var ps []string
	for _, c := range cs {
		if c < 0 {
			ps = append(ps, "_")
		} else {
			ps = append(ps, fmt.Sprint(c))
		}
	}
	return "[" + strings.Join(ps, " ") + "]"
}

// chart draws the day: the barber's lane and one per customer.
func chart(cfg barber.Config, events []barber.Event) timeline.Chart {
	const (
		seated = iota
		haircut
		balked
		sleeping
		cutting
	)
	states := timeline.States("seated, blocked in Send on queue", "#f4b400", "having a haircut", "#0f9d58", "left: no chair", "#9e9e9e",
		"barber sleeps", "#90caf9", "barber cuts", "#0b8043")
	lanes := []string{"barber"}
	for c := range cfg.Customers {
		lanes = append(lanes, fmt.Sprintf("customer %d", c))
	}
	title := fmt.Sprintf("Sleeping barber, %d chairs: PriSelect(chairs.RecvOp(), Skip()) then Send on queue", cfg.Chairs)
	if cfg.Unlocked {
		title = "Sleeping barber, BROKEN: an unprotected count of chairs"
	}
	b := timeline.NewBuilder(title, lanes, states)
	var end time.Duration
	busy := -1 // the customer in the barber's chair
	for _, e := range events {
		end = e.At
		switch e.Kind {
		case barber.Sit:
			b.Set(1+e.Who, seated, e.At)
			if busy >= 0 {
				b.WaitFor(1+e.Who, 0, e.At, fmt.Sprintf("the barber, cutting customer %d", busy))
			}
		case barber.Balk:
			b.Set(1+e.Who, balked, e.At)
			b.Set(1+e.Who, -1, e.At+40*time.Millisecond) // a mark: he is gone at once
		case barber.Sleep:
			b.Set(0, sleeping, e.At)
		case barber.Cut:
			busy = e.Who
			b.Hold(0, cutting, e.At, 1+e.Who)
			b.Set(1+e.Who, haircut, e.At)
			b.Link(e.At, fmt.Sprintf("queue rendezvous: customer %d", e.Who), 0, 1+e.Who)
		case barber.Done:
			busy = -1
			b.Set(0, -1, e.At)
		case barber.Leave:
			b.Set(1+e.Who, -1, e.At)
		}
		b.Note(e.At, e.String())
	}
	end += end / 50
	demo.MarkViolations(b, props.CheckAll(events, check.Properties(cfg)...), events, func(e barber.Event) time.Duration { return e.At }, end)
	return b.Chart(end)
}
