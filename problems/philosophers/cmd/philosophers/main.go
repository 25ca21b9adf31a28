// Command philosophers narrates a dinner of the dining philosophers, solved
// with join patterns (package philosophers), for a person studying it.
//
// Usage:
//
//	go run ./problems/philosophers/cmd/philosophers [flags]
//
// Each line is one event: the time since the dinner began, the state of the
// table (one letter per philosopher: T thinking, H hungry, E eating,
// - gone), and what happened. Watch for H: a hungry philosopher holds no
// chopstick while he waits, because his join pattern takes both at the same
// instant or neither. The summary gives each philosopher's meals and longest
// wait, and how many philosophers ate at the same time: more than one, so
// the solution is not a global lock.
//
// The flags set the table (-n), the meals (-meals) and the think and eat
// times (-think-min, -think-max, -eat-min, -eat-max). With the defaults a
// dinner takes a few seconds. Interrupt it and the philosophers put down
// their chopsticks and leave.
//
// -broken (or -left-then-right) plays the classic mistake instead: each
// philosopher picks up his left chopstick, then his right one. Everybody
// is hungry at once, everybody holds his left chopstick, and the dinner
// deadlocks; the command notices that nothing happens any more, stops the
// dinner, and explains the circular wait.
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
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/gochord/chord/internal/demo"
	"github.com/gochord/chord/internal/timeline"
	"github.com/gochord/chord/problems/philosophers"
	"github.com/gochord/chord/problems/philosophers/check"
	"github.com/gochord/chord/props"
)

// brokenSeed is the seed -broken plays unless -seed is given. Every seed
// shows the mistake: with it everybody is hungry at once.
const brokenSeed = 1

func main() {
	cfg := defaultConfig()
	demo.Flags.IntVar(&cfg.N, "n", cfg.N, "number of philosophers (and chopsticks), at least 2")
	demo.Flags.IntVar(&cfg.Meals, "meals", cfg.Meals, "meals each philosopher eats")
	demo.Flags.DurationVar(&cfg.Think.Min, "think-min", cfg.Think.Min, "shortest think time")
	demo.Flags.DurationVar(&cfg.Think.Max, "think-max", cfg.Think.Max, "longest think time")
	demo.Flags.DurationVar(&cfg.Eat.Min, "eat-min", cfg.Eat.Min, "shortest meal")
	demo.Flags.DurationVar(&cfg.Eat.Max, "eat-max", cfg.Eat.Max, "longest meal")
	demo.Define("philosophers", &cfg.Seed, brokenSeed, &cfg.LeftThenRight, "left-then-right",
		"the classic mistake: pick up the left chopstick, then the right one (deadlocks)")
	demo.Flags.Usage = func() {
		fmt.Fprintf(demo.Flags.Output(), "usage: philosophers [flags]\n\nNarrates a dinner of the dining philosophers solved with join patterns.\n\n")
		demo.Flags.PrintDefaults()
	}
	demo.Parse()
	if demo.Flags.NArg() > 0 {
		demo.Flags.Usage()
		os.Exit(2)
	}
	if cfg.LeftThenRight {
		set := map[string]bool{}
		demo.Flags.Visit(func(f *flag.Flag) { set[f.Name] = true })
		cfg = broken(cfg, !set["think-min"] && !set["think-max"])
	}
	if err := cfg.Validate(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	restore := demo.Seeded(cfg.Seed)
	ok, err := dine(ctx, demo.Out(os.Stdout), cfg, true, demo.Common.SVG)
	restore()
	demo.PrintRerun(os.Stdout)
	if err == nil && !ok {
		os.Exit(3)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		if errors.Is(err, context.Canceled) {
			os.Exit(130)
		}
		os.Exit(1)
	}
}

// defaultConfig is the dinner the command plays without flags.
func defaultConfig() philosophers.Config {
	return philosophers.Config{N: 5, Meals: 3, Seed: 1,
		Think: philosophers.Range{Min: 200 * time.Millisecond, Max: 800 * time.Millisecond},
		Eat:   philosophers.Range{Min: 300 * time.Millisecond, Max: 700 * time.Millisecond}}
}

// broken is cfg with the classic mistake, left then right, and a reach
// between the two chopsticks; with noThink everybody is hungry at once,
// and the deadlock shows at the first meal.
func broken(cfg philosophers.Config, noThink bool) philosophers.Config {
	cfg.LeftThenRight = true
	if noThink {
		cfg.Think = philosophers.Range{}
	}
	cfg.Reach = 100 * time.Millisecond
	return cfg
}

// dine runs a dinner, narrating it to w if narrate is set, prints the
// summary and the checkers' verdict, and draws the timeline to svg if it
// is not empty. It reports whether every property held.
func dine(ctx context.Context, w io.Writer, cfg philosophers.Config, narrate bool, svg string) (bool, error) {
	n := cfg.N
	fmt.Fprintf(w, "Dining philosophers: %d at the table, %d meals each, think %v, eat %v, seed %d.\n",
		n, cfg.Meals, cfg.Think, cfg.Eat, cfg.Seed)
	if cfg.LeftThenRight {
		fmt.Fprintf(w, "BROKEN (-left-then-right): philosopher i Recvs chopstick i (left), waits %v, then Recvs chopstick\n"+
			"i+1 mod %d (right), holding the left one meanwhile.\n", cfg.Reach, n)
	} else {
		fmt.Fprintf(w, "Philosopher i eats with chopsticks i (left) and i+1 mod %d (right), taken together by one join pattern.\n", n)
		fmt.Fprint(w, "Each chopstick is a one-place buffer holding its number while it lies on the table. A hungry\n"+
			"philosopher waits on All(Each(left, right)): it takes both tokens at the same instant or neither,\n"+
			"so he never holds one chopstick while he waits for the other. He puts them back with two Sends\n"+
			"that never block.\n")
	}
	fmt.Fprint(w, "\nLegend\n"+
		"  table    one letter per philosopher, P0 first:\n"+
		"           T thinks  H is hungry and waits, holding nothing  h holds one chopstick (the mistake)\n"+
		"           E eats, holding both  - has left the table  . not seated yet\n"+
		"  takes chopsticks i and j together   his pattern All(Each(i, j)) fired and released him\n"+
		"  puts down chopsticks i and j        two Sends on the chopstick buffers\n")

	table := []byte(strings.Repeat(".", n)) // nobody seated yet
	var events []philosophers.Event
	dog, ctx := demo.NewWatchdog(ctx, quiet(cfg))
	defer dog.Stop()
	observe := func(e philosophers.Event) {
		dog.Touch()
		events = append(events, e)
		if e.Kind == philosophers.Took && e.Who >= 0 && e.Who < n {
			table[e.Who] = 'h'
		}
	}
	cfg.Observe = observe
	if narrate {
		fmt.Fprintf(w, "\n%8s  %-*s  %s\n", "time", max(n, 5), "table", "event")
		cfg.Observe = func(e philosophers.Event) {
			observe(e)
			if e.Kind == philosophers.OnTable {
				return // counted in the summary
			}
			if e.Who >= 0 && e.Who < n && int(e.Kind) < len(letters) {
				was := table[e.Who]
				table[e.Who] = letters[e.Kind]
				if e.Kind == philosophers.Thinking && was == 'T' {
					return // "puts down … and thinks" said it
				}
			}
			fmt.Fprintf(w, "%7.3fs  %-*s  %s\n", e.At.Seconds(), max(n, 5), table, describe(e, cfg))
		}
	}
	res, err := philosophers.Run(ctx, cfg)
	summarize(w, cfg, &res)
	if dog.Fired() {
		fmt.Fprint(w, "\nDeadlock: nothing happened for a while, so the dinner was stopped. At that moment:\n")
		holds := map[int]int{} // philosopher → chopstick he holds alone
		for _, e := range events {
			switch e.Kind {
			case philosophers.Took:
				holds[e.Who] = e.Chopsticks[0]
			case philosophers.Eating:
				delete(holds, e.Who)
			}
		}
		for i := range n {
			if c, ok := holds[i]; ok {
				fmt.Fprintf(w, "  P%d holds chopstick %d and waits for chopstick %d, which P%d holds\n",
					i, c, philosophers.Right(i, n), philosophers.Right(i, n))
			}
		}
		fmt.Fprint(w, "  A circular wait: each holds what the next one needs (Coffman's hold-and-wait).\n")
		err = nil
	}
	ok := demo.Verdict(w, "philosophers", props.CheckAll(res.Events, check.Properties(cfg)...))
	if werr := demo.WriteChart(w, svg, func() timeline.Chart { return chart(cfg, events) }); werr != nil {
		return ok, werr
	}
	return ok, err
}

// chart draws the dinner: a lane per philosopher and per chopstick; each
// meal is a link joining the philosopher and the two chopsticks his
// pattern took together.
func chart(cfg philosophers.Config, events []philosophers.Event) timeline.Chart {
	const (
		thinking = iota
		hungry
		holding
		eating
		inHand
	)
	states := timeline.States("thinks", "#cfd8dc", "hungry, holding nothing", "#f4b400", "holds one chopstick", "#db4437",
		"eats", "#0f9d58", "chopstick in a hand", "#8d6e63")
	n := cfg.N
	var lanes []string
	for i := range n {
		lanes = append(lanes, fmt.Sprintf("P%d", i))
	}
	for c := range n {
		lanes = append(lanes, fmt.Sprintf("chopstick %d", c))
	}
	title := "Dining philosophers: each waits on All(Each(left, right))"
	if cfg.LeftThenRight {
		title = "Dining philosophers, BROKEN: left, then right"
	}
	b := timeline.NewBuilder(title, lanes, states)
	var end time.Duration
	holder := make([]int, n) // per chopstick: the philosopher holding it, or -1
	for c := range holder {
		holder[c] = -1
	}
	take := func(who, c int, at time.Duration) {
		holder[c] = who
		b.Hold(n+c, inHand, at, who)
	}
	for _, e := range events {
		end = e.At
		if e.Who < 0 || e.Who >= n {
			if e.Kind == philosophers.OnTable {
				b.Note(e.At, describe(e, cfg))
			}
			continue
		}
		switch e.Kind {
		case philosophers.Thinking:
			b.Set(e.Who, thinking, e.At)
		case philosophers.Hungry:
			b.Set(e.Who, hungry, e.At)
			for _, c := range []int{philosophers.Left(e.Who, n), philosophers.Right(e.Who, n)} {
				if h := holder[c]; h >= 0 {
					b.WaitFor(e.Who, n+c, e.At, fmt.Sprintf("chopstick %d, which P%d holds", c, h))
				}
			}
		case philosophers.Took:
			b.Set(e.Who, holding, e.At)
			take(e.Who, e.Chopsticks[0], e.At)
			// He reaches for the right one next: he waits for it from then on.
			r := philosophers.Right(e.Who, n)
			b.WaitFor(e.Who, n+r, e.At+cfg.Reach, fmt.Sprintf("chopstick %d, holding chopstick %d", r, e.Chopsticks[0]))
		case philosophers.Eating:
			b.Set(e.Who, eating, e.At)
			ls := []int{e.Who}
			for _, c := range e.Chopsticks {
				take(e.Who, c, e.At)
				ls = append(ls, n+c)
			}
			b.Link(e.At, fmt.Sprintf("P%d takes %v", e.Who, e.Chopsticks), ls...)
		case philosophers.Released:
			for _, c := range e.Chopsticks {
				holder[c] = -1
				b.Set(n+c, -1, e.At)
			}
		case philosophers.Finished:
			b.Set(e.Who, -1, e.At)
		}
		b.Note(e.At, describe(e, cfg))
	}
	end += end / 50
	if cfg.LeftThenRight && deadlocked(events) {
		// The watchdog stopped the dinner quiet(cfg) after the last event:
		// draw the run to then, the deadlock marked where it was detected.
		end = events[len(events)-1].At + quiet(cfg)
		b.Mark(end, "deadlock", "deadlock detected: each holds his left chopstick and waits for his right one")
	}
	demo.MarkViolations(b, props.CheckAll(events, check.Properties(cfg)...), events,
		func(e philosophers.Event) time.Duration { return e.At }, end)
	return b.Chart(end)
}

// quiet is how long the dinner may go without an event before the
// watchdog calls it a deadlock.
func quiet(cfg philosophers.Config) time.Duration {
	return cfg.Think.Max + cfg.Eat.Max + cfg.Reach + time.Second
}

// deadlocked reports whether the dinner ended with philosophers still at
// the table: only the watchdog ends such a dinner.
func deadlocked(events []philosophers.Event) bool {
	if len(events) == 0 {
		return false
	}
	seated := map[int]bool{}
	for _, e := range events {
		switch e.Kind {
		case philosophers.Thinking, philosophers.Hungry:
			seated[e.Who] = true
		case philosophers.Finished:
			delete(seated, e.Who)
		}
	}
	return len(seated) > 0
}

// letters shows each philosopher's state in the table column, by the kind
// of his last event.
var letters = [...]byte{
	philosophers.Thinking: 'T',
	philosophers.Hungry:   'H',
	philosophers.Took:     'h',
	philosophers.Eating:   'E',
	philosophers.Released: 'T',
	philosophers.Finished: '-',
}

// describe tells what e means, in words.
func describe(e philosophers.Event, cfg philosophers.Config) string {
	p := fmt.Sprintf("P%d", e.Who)
	switch e.Kind {
	case philosophers.Thinking:
		return p + " thinks"
	case philosophers.Hungry:
		return fmt.Sprintf("%s is hungry: waits for chopsticks %s, holding neither", p,
			pair(philosophers.Left(e.Who, cfg.N), philosophers.Right(e.Who, cfg.N)))
	case philosophers.Took:
		return fmt.Sprintf("%s picks up chopstick %v", p, e.Chopsticks)
	case philosophers.Eating:
		return fmt.Sprintf("%s takes chopsticks %s together and eats meal %d/%d (waited %v)",
			p, pair(e.Chopsticks...), e.Meal, cfg.Meals, round(e.Wait))
	case philosophers.Released:
		if e.Meal < cfg.Meals {
			return fmt.Sprintf("%s puts down chopsticks %s and thinks", p, pair(e.Chopsticks...))
		}
		return fmt.Sprintf("%s puts down chopsticks %s", p, pair(e.Chopsticks...))
	case philosophers.Finished:
		return p + " has eaten all his meals and leaves"
	case philosophers.OnTable:
		return fmt.Sprintf("chopstick %d is back on the table", e.Chopsticks[0])
	}
	return e.String()
}

// pair formats two chopsticks, "2 and 3".
func pair(cs ...int) string {
	if len(cs) == 2 {
		return fmt.Sprintf("%d and %d", cs[0], cs[1])
	}
	return fmt.Sprint(cs)
}

// summarize prints the figures of a dinner.
func summarize(w io.Writer, cfg philosophers.Config, res *philosophers.Result) {
	fmt.Fprintf(w, "\nSummary\n")
	for i, s := range res.Stats {
		avg := time.Duration(0)
		if s.Meals > 0 {
			avg = s.TotalWait / time.Duration(s.Meals)
		}
		fmt.Fprintf(w, "  P%d  %d/%d meals  longest wait %-8v  average wait %v\n",
			i, s.Meals, cfg.Meals, round(s.LongestWait), round(avg))
	}
	onTable := 0
	for _, e := range res.Events {
		if e.Kind == philosophers.OnTable {
			onTable++
		}
	}
	fmt.Fprintf(w, "  %d meals in %v.\n", res.Meals(), res.Elapsed.Round(time.Millisecond))
	fmt.Fprintf(w, "  At most %d philosophers ate at the same time (the table allows %d: no two neighbours).\n",
		res.MaxEating, cfg.N/2)
	fmt.Fprintf(w, "  %d of %d chopsticks back on the table.\n", onTable, cfg.N)
	took := 0
	for _, e := range res.Events {
		if e.Kind == philosophers.Took {
			took++
		}
	}
	fmt.Fprintf(w, "  Check: chopsticks picked up alone, held while waiting for the other: %d (0 with the join pattern).\n", took)
}

// round rounds d for display: to the millisecond, or to the microsecond below
// one millisecond.
func round(d time.Duration) time.Duration {
	if d < time.Millisecond {
		return d.Round(time.Microsecond)
	}
	return d.Round(time.Millisecond)
}
