// Command h2o narrates Downey's "Building H₂O" solved with one join
// pattern (package h2o): which atoms are queued on which channel, when the
// pattern fires, and which three atoms it releases together.
//
//	go run ./problems/h2o/cmd/h2o                 # the join solution
//	go run ./problems/h2o/cmd/h2o -broken         # the classic mistake (-greedy): sites that take one atom at a time
//	go run ./problems/h2o/cmd/h2o -svg h2o.svg    # also draw the run as a timeline
//	go run ./problems/h2o/cmd/h2o -hydrogen 12 -oxygen 7
//
// Every narrated command takes the same flags (see -h): -seed N decides
// the whole run, its durations and its select choices; -broken plays the
// classic mistake, at a seed that shows it unless -seed is given; -svg FILE
// and -html FILE draw the run; -q prints the verdict only. The run ends
// with the verdict of the problem's checkers (package check) and the
// command line that plays it again ("rerun: go run … -seed N").
//
// A greedy run usually deadlocks, and the verdict names the atoms the sites
// hold.
package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/gochord/chord/internal/demo"
	"github.com/gochord/chord/internal/timeline"
	"github.com/gochord/chord/problems/h2o"
	"github.com/gochord/chord/problems/h2o/check"
	"github.com/gochord/chord/props"
)

// brokenSeed is the seed -broken plays unless -seed is given: one that shows
// the mistake.
const brokenSeed = 1

func main() {
	cfg := h2o.DefaultConfig()
	demo.Flags.IntVar(&cfg.Hydrogen, "hydrogen", cfg.Hydrogen, "hydrogen atoms")
	demo.Flags.IntVar(&cfg.Oxygen, "oxygen", cfg.Oxygen, "oxygen atoms")
	demo.Main("h2o", &cfg, &cfg.Seed, brokenSeed, &cfg.Greedy, "greedy", "the classic mistake: bonding sites take one atom at a time and hold it", play)
}

// play runs cfg, narrating it to w, prints the summary and the checkers'
// verdict, and writes the timeline to svg if it is not empty. It reports
// whether every property held.
func play(ctx context.Context, w io.Writer, cfg h2o.Config, svg string) (bool, error) {
	fmt.Fprintf(w, "Building H2O: %d hydrogen and %d oxygen atoms, enough for %d molecules. Seed %d.\n",
		cfg.Hydrogen, cfg.Oxygen, cfg.Molecules(), cfg.Seed)
	if cfg.Greedy {
		fmt.Fprintf(w, "BROKEN (-greedy): %d bonding sites each Recv a hydrogen, a hydrogen, then an oxygen,\n"+
			"one at a time, and hold what they took while they wait for the rest.\n", sites(cfg))
	} else {
		fmt.Fprint(w, "Each atom sends on its element's channel, hydrogen or oxygen, and stays blocked in Send.\n"+
			"The bonder waits on one join pattern,  water = All(FromN(hydrogen, 2), From(oxygen)),\n"+
			"which takes two hydrogens and one oxygen at the same instant or nothing;\n"+
			"its firing is what releases the three senders, together.\n")
	}
	fmt.Fprint(w, "\nLegend\n"+
		"  hydrogen[…] oxygen[…]  atoms queued on each channel (arrived, blocked in Send)\n"+
		"  +  H3 arrives          an atom arrives and sends on its channel\n"+
		"  *  water fires         the pattern took these three messages at once and released their senders\n"+
		"  <  site 1 takes H3     (-greedy) a site received one atom and holds it\n"+
		"  -  H3 leaves           an atom leaves, part of its molecule\n"+
		"  x  H3 goes home        the run is over and the atoms never bonded\n\n")

	var queued [2][]int // atoms waiting on hydrogen and oxygen
	held := map[int][]h2o.Atom{}
	var events []h2o.Event
	dog, ctx := demo.NewWatchdog(ctx, cfg.Arrive.Max+cfg.Bond.Max+time.Second)
	defer dog.Stop()
	var stuck []string  // what was blocked when the watchdog fired
	var home []h2o.Atom // the atoms that went home unbonded
	var homeAt time.Duration
	cfg.Observe = func(e h2o.Event) {
		if dog.Fired() && stuck == nil {
			for _, s := range slices.Sorted(maps.Keys(held)) {
				stuck = append(stuck, fmt.Sprintf("site %d holds %v and waits on %s", s, held[s], chanName(next(held[s]))))
			}
			stuck = append(stuck, fmt.Sprintf("still queued on hydrogen: %s; on oxygen: %s", list(queued[h2o.H], "H"), list(queued[h2o.O], "O")))
		}
		dog.Touch()
		events = append(events, e)
		var what string
		drop := func(a h2o.Atom) {
			queued[a.Elem] = slices.DeleteFunc(queued[a.Elem], func(n int) bool { return n == a.N })
		}
		switch e.Kind {
		case h2o.Arrive:
			queued[e.Atom.Elem] = append(queued[e.Atom.Elem], e.Atom.N)
			what = fmt.Sprintf("+  %v arrives and sends on %s", e.Atom, chanName(e.Atom.Elem))
		case h2o.Took:
			drop(e.Atom)
			held[e.Site] = append(held[e.Site], e.Atom)
			what = fmt.Sprintf("<  site %d takes %v from %s and holds it (it holds %v)", e.Site, e.Atom, chanName(e.Atom.Elem), held[e.Site])
		case h2o.Bond:
			for _, a := range e.Atoms {
				drop(a)
			}
			if cfg.Greedy {
				delete(held, e.Site)
				what = fmt.Sprintf("*  site %d bonds molecule %d of %v", e.Site, e.Molecule, e.Atoms)
			} else {
				what = fmt.Sprintf("*  water fires: takes %v, %v from hydrogen and %v from oxygen at once; their three Sends return together: molecule %d",
					e.Atoms[0], e.Atoms[1], e.Atoms[2], e.Molecule)
			}
		case h2o.Leave:
			what = fmt.Sprintf("-  %v leaves in molecule %d", e.Atom, e.Molecule)
		case h2o.Unbonded:
			// The atoms go home together as the run ends, in an order the
			// Go scheduler picks: told in one line, in the atoms' order.
			drop(e.Atom)
			home, homeAt = append(home, e.Atom), e.At
			return
		}
		fmt.Fprintf(w, "%6.2fs  hydrogen%-16s oxygen%-10s %s\n", e.At.Seconds(), list(queued[h2o.H], "H"), list(queued[h2o.O], "O"), what)
	}
	res, err := h2o.Run(ctx, cfg)
	if len(home) > 0 {
		slices.SortFunc(home, func(a, b h2o.Atom) int { return cmp.Or(cmp.Compare(a.Elem, b.Elem), cmp.Compare(a.N, b.N)) })
		fmt.Fprintf(w, "%6.2fs  hydrogen%-16s oxygen%-10s x  %s unbonded\n", homeAt.Seconds(), list(queued[h2o.H], "H"), list(queued[h2o.O], "O"), goHome(home))
	}
	st := res.Stats
	fmt.Fprintf(w, "\nSummary after %.2fs\n", st.Elapsed.Seconds())
	fmt.Fprintf(w, "  molecules      %d of %d possible\n", st.Molecules, st.Possible)
	fmt.Fprintf(w, "  unbonded       %d atoms went home (the leftovers: %d H, %d O are expected)\n", st.Unbonded,
		cfg.Hydrogen-2*cfg.Molecules(), cfg.Oxygen-cfg.Molecules())
	fmt.Fprintf(w, "  longest wait   %v from an atom's arrival to its bond\n", st.MaxWait.Round(time.Millisecond))
	good, holds := 0, 0
	for _, e := range res.Events {
		switch {
		case e.Kind == h2o.Bond && len(e.Atoms) == 3 && e.Atoms[0].Elem == h2o.H && e.Atoms[1].Elem == h2o.H && e.Atoms[2].Elem == h2o.O:
			good++
		case e.Kind == h2o.Took:
			holds++
		}
	}
	fmt.Fprintf(w, "  check          %d of %d firings took exactly H, H and O; atoms held while a site waited for more: %d\n", good, st.Molecules, holds)
	if dog.Fired() {
		fmt.Fprint(w, "\nDeadlock: nothing happened for a while, so the run was stopped.\n")
		for _, s := range stuck {
			fmt.Fprintf(w, "  %s\n", s)
		}
		err = nil
	}
	ok := demo.Verdict(w, "H2O", props.CheckAll(res.Events, check.Properties(cfg)...))
	if werr := demo.WriteChart(w, svg, func() timeline.Chart { return chart(cfg, events) }); werr != nil {
		return ok, werr
	}
	if errors.Is(err, context.Canceled) && dog.Fired() {
		err = nil
	}
	return ok, err
}

// chart draws the run: a lane per atom, and the bonder's or each site's.
func chart(cfg h2o.Config, events []h2o.Event) timeline.Chart {
	const (
		waiting = iota
		held
		bonding
		gone
	)
	states := timeline.States("queued on its channel", "#f4b400", "held by a site", "#db4437", "in a molecule", "#0f9d58", "went home unbonded", "#9e9e9e")
	var lanes []string
	lane := func(a h2o.Atom) int {
		if a.Elem == h2o.O {
			return cfg.Hydrogen + a.N
		}
		return a.N
	}
	for i := range cfg.Hydrogen {
		lanes = append(lanes, h2o.Atom{Elem: h2o.H, N: i}.String())
	}
	for i := range cfg.Oxygen {
		lanes = append(lanes, h2o.Atom{Elem: h2o.O, N: i}.String())
	}
	first := len(lanes)
	if cfg.Greedy {
		for s := range sites(cfg) {
			lanes = append(lanes, fmt.Sprintf("site %d", s))
		}
	} else {
		lanes = append(lanes, "bonder")
	}
	title := "Building H2O with join.All(FromN(hydrogen, 2), From(oxygen))"
	if cfg.Greedy {
		title = "Building H2O, BROKEN: greedy sites take one atom at a time"
	}
	b := timeline.NewBuilder(title, lanes, states)
	var end time.Duration
	holds := map[int][]h2o.Atom{}     // greedy: what each site holds
	siteMol := map[int]int{}          // greedy: the molecule a site bonded last, until its atoms leave
	tookAt := map[int]time.Duration{} // greedy: when each site took its last atom
	molecules, deadlock := 0, false
	for _, e := range events {
		end = e.At
		switch e.Kind {
		case h2o.Arrive:
			b.Set(lane(e.Atom), waiting, e.At)
		case h2o.Took:
			holds[e.Site] = append(holds[e.Site], e.Atom)
			tookAt[e.Site] = e.At
			b.Hold(lane(e.Atom), held, e.At, first+e.Site)
			b.Set(first+e.Site, held, e.At)
			delete(siteMol, e.Site)
		case h2o.Bond:
			molecules++
			ls := []int{first + e.Site}
			for _, a := range e.Atoms {
				b.Set(lane(a), bonding, e.At)
				ls = append(ls, lane(a))
			}
			b.Set(first+e.Site, bonding, e.At)
			b.Link(e.At, fmt.Sprintf("molecule %d %v", e.Molecule, e.Atoms), ls...)
			delete(holds, e.Site)
			siteMol[e.Site] = e.Molecule
		case h2o.Leave:
			b.Set(lane(e.Atom), -1, e.At)
			if !cfg.Greedy {
				b.Set(first, -1, e.At)
			}
			// A greedy site is free again once its molecule leaves: it is no
			// longer "in a molecule".
			for site, m := range siteMol {
				if m == e.Molecule {
					b.Set(first+site, -1, e.At)
					delete(siteMol, site)
				}
			}
		case h2o.Unbonded:
			if cfg.Greedy && !deadlock && len(holds) > 0 && molecules < cfg.Molecules() {
				// The first atom sent home is the watchdog stopping a
				// deadlocked run: each site holding atoms waits for an
				// element that only other sites hold.
				deadlock = true
				var what []string
				for _, site := range slices.Sorted(maps.Keys(holds)) {
					need := next(holds[site])
					what = append(what, fmt.Sprintf("site %d holds %v, waits on %s", site, holds[site], chanName(need)))
					for other, as := range holds {
						if other != site && slices.ContainsFunc(as, func(a h2o.Atom) bool { return a.Elem == need }) {
							// It has waited since both held what they hold.
							since := max(tookAt[site], tookAt[other])
							b.WaitFor(first+site, first+other, since, fmt.Sprintf("a %s that site %d holds", chanName(need), other))
						}
					}
				}
				b.Mark(e.At, "deadlock", "deadlock detected: "+strings.Join(what, "; "))
			}
			for site, as := range holds {
				if slices.Contains(as, e.Atom) {
					holds[site] = slices.DeleteFunc(as, func(a h2o.Atom) bool { return a == e.Atom })
					if len(holds[site]) == 0 {
						delete(holds, site)
					}
				}
			}
			b.Set(lane(e.Atom), gone, e.At)
		}
		b.Note(e.At, e.String())
	}
	end += end / 50
	demo.MarkViolations(b, props.CheckAll(events, check.Properties(cfg)...), events, func(e h2o.Event) time.Duration { return e.At }, end)
	return b.Chart(end)
}

func sites(cfg h2o.Config) int {
	if cfg.Sites == 0 {
		return 3
	}
	return cfg.Sites
}

// next is the element a greedy site holding as waits for.
func next(as []h2o.Atom) h2o.Element {
	if len(as) < 2 {
		return h2o.H
	}
	return h2o.O
}

func chanName(e h2o.Element) string {
	if e == h2o.H {
		return "hydrogen"
	}
	return "oxygen"
}

func list(ns []int, prefix string) string {
	var parts []string
	for _, n := range ns {
		parts = append(parts, fmt.Sprintf("%s%d", prefix, n))
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// goHome says that atoms go home: "H3 goes home", "H3, O0 and O1 go home".
func goHome(as []h2o.Atom) string {
	if len(as) == 1 {
		return fmt.Sprintf("%v goes home", as[0])
	}
	var b strings.Builder
	for i, a := range as {
		switch {
		case i == 0:
		case i == len(as)-1:
			b.WriteString(" and ")
		default:
			b.WriteString(", ")
		}
		fmt.Fprint(&b, a)
	}
	return b.String() + " go home"
}
