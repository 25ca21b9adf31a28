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
// The flags set the table (-n), the meals (-meals), the think and eat times
// (-think-min, -think-max, -eat-min, -eat-max) and the seed of the random
// times (-seed). With the defaults a dinner takes a few seconds. Interrupt
// it and the philosophers put down their chopsticks and leave.
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

	"github.com/gochord/chord/problems/philosophers"
)

func main() {
	var cfg philosophers.Config
	flag.IntVar(&cfg.N, "n", 5, "number of philosophers (and chopsticks), at least 2")
	flag.IntVar(&cfg.Meals, "meals", 3, "meals each philosopher eats")
	flag.DurationVar(&cfg.Think.Min, "think-min", 200*time.Millisecond, "shortest think time")
	flag.DurationVar(&cfg.Think.Max, "think-max", 800*time.Millisecond, "longest think time")
	flag.DurationVar(&cfg.Eat.Min, "eat-min", 300*time.Millisecond, "shortest meal")
	flag.DurationVar(&cfg.Eat.Max, "eat-max", 700*time.Millisecond, "longest meal")
	flag.Uint64Var(&cfg.Seed, "seed", 1, "seed of the random think and eat times")
	quiet := flag.Bool("q", false, "print the summary only")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: philosophers [flags]\n\nNarrates a dinner of the dining philosophers solved with join patterns.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := cfg.Validate(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	err := dine(ctx, os.Stdout, cfg, !*quiet)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		if errors.Is(err, context.Canceled) {
			os.Exit(130)
		}
		os.Exit(1)
	}
}

// dine runs a dinner, narrating it to w if narrate is set, and prints the
// summary.
func dine(ctx context.Context, w io.Writer, cfg philosophers.Config, narrate bool) error {
	n := cfg.N
	fmt.Fprintf(w, "Dining philosophers: %d at the table, %d meals each, think %v, eat %v, seed %d.\n",
		n, cfg.Meals, cfg.Think, cfg.Eat, cfg.Seed)
	fmt.Fprintf(w, "Philosopher i eats with chopsticks i (left) and i+1 mod %d (right), taken together by one join pattern.\n", n)

	table := []byte(strings.Repeat(".", n)) // nobody seated yet
	if narrate {
		fmt.Fprintf(w, "\n%8s  %-*s  %s\n", "time", max(n, 5), "table", "event")
		cfg.Observe = func(e philosophers.Event) {
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
	return err
}

// letters shows each philosopher's state in the table column, by the kind
// of his last event.
var letters = [...]byte{
	philosophers.Thinking: 'T',
	philosophers.Hungry:   'H',
	philosophers.Took:     'H',
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
}

// round rounds d for display: to the millisecond, or to the microsecond below
// one millisecond.
func round(d time.Duration) time.Duration {
	if d < time.Millisecond {
		return d.Round(time.Microsecond)
	}
	return d.Round(time.Millisecond)
}
