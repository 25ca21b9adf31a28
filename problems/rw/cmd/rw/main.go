// Command rw narrates readers–writers without starvation (package rw): the
// queue of requests, who is in the room, and when the doorman's pattern
// All(FromN(leave, k)) fires and lets a writer in.
//
//	go run ./problems/rw/cmd/rw                   # the solution
//	go run ./problems/rw/cmd/rw -broken           # the classic mistake (-readers-first): writers starve
//	go run ./problems/rw/cmd/rw -svg rw.svg
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
	"github.com/gochord/chord/problems/rw"
	"github.com/gochord/chord/problems/rw/check"
	"github.com/gochord/chord/props"
)

// brokenSeed is the seed -broken plays unless -seed is given: one that shows
// the mistake.
const brokenSeed = 3

func main() {
	cfg := rw.DefaultConfig()
	demo.Flags.IntVar(&cfg.Readers, "readers", cfg.Readers, "readers")
	demo.Flags.IntVar(&cfg.Writers, "writers", cfg.Writers, "writers")
	demo.Flags.IntVar(&cfg.Visits, "visits", cfg.Visits, "times each reader and writer uses the room")
	demo.Main("rw", &cfg, &cfg.Seed, brokenSeed, &cfg.ReadersFirst, "readers-first", "the classic mistake: readers come in while a writer waits", play)
}

// play runs cfg, narrating it to w, prints the summary and the checkers'
// verdict, and writes the timeline to svg if it is not empty. It reports
// whether every property held.
func play(ctx context.Context, w io.Writer, cfg rw.Config, svg string) (bool, error) {
	fmt.Fprintf(w, "Readers-writers: %d readers (r) and %d writers (w), %d visits each. Seed %d.\n", cfg.Readers, cfg.Writers, cfg.Visits, cfg.Seed)
	if cfg.ReadersFirst {
		fmt.Fprint(w, "BROKEN (-readers-first): the doorman lets a reader in whenever no writer is inside, even while\n"+
			"a writer waits; the writer gets the room only when it happens to be empty.\n")
	} else {
		fmt.Fprint(w, "Everyone Sends a request on one unbounded buffer, requests, and waits for its grant.\n"+
			"The doorman takes requests in order. A reader goes in at once; for a writer the doorman waits\n"+
			"for the k readers inside with one pattern, All(FromN(leave, k)), then lets the writer in.\n"+
			"Whoever asked later waits behind: no side can starve the other.\n")
	}
	fmt.Fprint(w, "\nLegend\n"+
		"  queue[w0 r3]     requests waiting in the requests buffer, oldest first\n"+
		"  room[r1 r2]      who is inside\n"+
		"  ?  asks          an actor Sends its request\n"+
		"  =  doorman waits the doorman waits on All(FromN(leave, k)) for the k readers inside\n"+
		"  >  enters        the doorman grants the room (for a writer: the pattern fired)\n"+
		"  <  leaves        an actor Sends on leave and goes\n"+
		"  !  overtakes     someone enters before an earlier conflicting request (starvation)\n\n")

	var queue, room []rw.Actor
	var events []rw.Event
	overtakes := 0
	cfg.Observe = func(e rw.Event) {
		events = append(events, e)
		var what string
		switch e.Kind {
		case rw.Request:
			queue = append(queue, e.Actor)
			what = fmt.Sprintf("?  %v asks for the room", e.Actor)
		case rw.Drain:
			what = fmt.Sprintf("=  for %v the doorman waits on All(FromN(leave, %d)): the %d readers inside must leave", e.Actor, e.Count, e.Count)
		case rw.Enter:
			i := slices.Index(queue, e.Actor)
			var passed []string
			for _, q := range queue[:max(i, 0)] {
				if q.Writer || e.Actor.Writer {
					passed = append(passed, q.String())
				}
			}
			if i >= 0 {
				queue = slices.Delete(queue, i, i+1)
			}
			room = append(room, e.Actor)
			what = fmt.Sprintf(">  %v enters", e.Actor)
			if e.Actor.Writer && !cfg.ReadersFirst {
				what = fmt.Sprintf(">  the pattern fired (the room is empty): writer %v enters alone", e.Actor)
			}
			if len(passed) > 0 {
				overtakes++
				what = fmt.Sprintf("!  %v enters, OVERTAKING %s, who asked first", e.Actor, strings.Join(passed, ", "))
			}
		case rw.Leave:
			room = slices.DeleteFunc(room, func(a rw.Actor) bool { return a == e.Actor })
			what = fmt.Sprintf("<  %v leaves (Sends on leave)", e.Actor)
		}
		fmt.Fprintf(w, "%6.2fs  queue%-26s room%-16s %s\n", e.At.Seconds(), fmt.Sprint(queue), fmt.Sprint(room), what)
	}
	res, err := rw.Run(ctx, cfg)
	st := res.Stats
	fmt.Fprintf(w, "\nSummary after %.2fs\n", st.Elapsed.Seconds())
	fmt.Fprintf(w, "  visits         %d of %d; at most %d readers in the room together\n", st.Visits, (cfg.Readers+cfg.Writers)*cfg.Visits, st.MaxReaders)
	fmt.Fprintf(w, "  longest waits  reader %v, writer %v\n", st.ReadWait.Round(time.Millisecond), st.WriteWait.Round(time.Millisecond))
	fmt.Fprintf(w, "  check          times someone entered before an earlier conflicting request: %d (must be 0)\n", overtakes)
	ok := demo.Verdict(w, "readers-writers", props.CheckAll(res.Events, check.Properties(cfg)...))
	if werr := demo.WriteChart(w, svg, func() timeline.Chart { return chart(cfg, events) }); werr != nil {
		return ok, werr
	}
	return ok, err
}

// chart draws the run: the doorman's lane and one per actor.
func chart(cfg rw.Config, events []rw.Event) timeline.Chart {
	const (
		waiting = iota
		reading
		writing
		draining
	)
	states := timeline.States("waits for the room", "#f4b400", "reads", "#0f9d58", "writes", "#db4437", "doorman waits on All(FromN(leave, k))", "#90caf9")
	lanes := []string{"doorman"}
	lane := func(a rw.Actor) int {
		if a.Writer {
			return 1 + cfg.Readers + a.N
		}
		return 1 + a.N
	}
	for i := range cfg.Readers {
		lanes = append(lanes, fmt.Sprintf("reader %d", i))
	}
	for i := range cfg.Writers {
		lanes = append(lanes, fmt.Sprintf("writer %d", i))
	}
	title := "Readers-writers: requests in order; a writer waits on All(FromN(leave, k))"
	if cfg.ReadersFirst {
		title = "Readers-writers, BROKEN: readers first, writers starve"
	}
	b := timeline.NewBuilder(title, lanes, states)
	var left []int // readers who left since the doorman last drained
	var end time.Duration
	inside := make([]bool, len(lanes)) // lanes in the room
	for _, e := range events {
		end = e.At
		switch e.Kind {
		case rw.Request:
			b.Set(lane(e.Actor), waiting, e.At)
			for l, in := range inside {
				// A writer waits for whoever is inside, a reader for a writer.
				if in && (e.Actor.Writer || l > cfg.Readers) {
					b.WaitFor(lane(e.Actor), l, e.At, "the room, where "+lanes[l]+" is")
				}
			}
		case rw.Drain:
			b.Set(0, draining, e.At)
			for l, in := range inside {
				if in {
					b.WaitFor(0, l, e.At, "the leave of "+lanes[l])
				}
			}
		case rw.Enter:
			inside[lane(e.Actor)] = true
			if e.Actor.Writer {
				b.Set(lane(e.Actor), writing, e.At)
				b.Set(0, -1, e.At)
				b.Link(e.At, fmt.Sprintf("%v enters", e.Actor), append([]int{0, lane(e.Actor)}, left...)...)
				left = left[:0]
			} else {
				b.Set(lane(e.Actor), reading, e.At)
			}
		case rw.Leave:
			inside[lane(e.Actor)] = false
			b.Set(lane(e.Actor), -1, e.At)
			if !e.Actor.Writer {
				left = append(left, lane(e.Actor))
			}
		}
		b.Note(e.At, e.String())
	}
	end += end / 50
	demo.MarkViolations(b, props.CheckAll(events, check.Properties(cfg)...), events, func(e rw.Event) time.Duration { return e.At }, end)
	return b.Chart(end)
}
