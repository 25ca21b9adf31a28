package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/gochord/chord/internal/demo"
	"github.com/gochord/chord/internal/timeline"
	"github.com/gochord/chord/problems/santa"
	"github.com/gochord/chord/problems/santa/check"
	"github.com/gochord/chord/props"
)

// chart draws a run: Santa's lane, one per reindeer and one per elf; each
// firing of a pattern is a link joining Santa and the group it took.
func chart(cfg santa.Config, events []santa.Event) timeline.Chart {
	const (
		deerWaits = iota
		delivering
		elfWaits
		consulting
	)
	states := timeline.States("queued, blocked in Send", "#f4b400", "harnessed, delivering", "#0f9d58",
		"elf queued, blocked in Send", "#ffe082", "in the study", "#1e88e5")
	lanes := []string{"Santa"}
	for r := range cfg.Reindeer {
		lanes = append(lanes, fmt.Sprintf("reindeer %d", r))
	}
	for e := range cfg.Elves {
		lanes = append(lanes, fmt.Sprintf("elf %d", e))
	}
	deer := func(r int) int { return 1 + r }
	elf := func(e int) int { return 1 + cfg.Reindeer + e }
	title := "Santa Claus: PriSelect(All(Each(deer...)), All(AnyOf(3, elves...)))"
	if cfg.Choose != nil {
		title = "Santa Claus: Santa's select is not PriSelect"
	}
	// Each group's members, to draw its firing once.
	members := map[int][]int{}
	woke := map[int]time.Duration{}
	for _, e := range events {
		switch e.Kind {
		case santa.WakeDeer, santa.WakeElves:
			woke[e.Group] = e.At
		case santa.Harness:
			members[e.Group] = append(members[e.Group], deer(e.Who))
		case santa.ShowIn:
			members[e.Group] = append(members[e.Group], elf(e.Who))
		}
	}
	b := timeline.NewBuilder(title, lanes, states)
	var end time.Duration
	busy := false // Santa is delivering or consulting
	var told strings.Builder
	narr := newNarrator(&told, cfg, false)
	var links []string
	for _, e := range events {
		end = e.At
		switch e.Kind {
		case santa.DeerBack:
			b.Set(deer(e.Who), deerWaits, e.At)
			if busy {
				b.WaitFor(deer(e.Who), 0, e.At, "Santa, busy")
			}
		case santa.ElfAsks:
			b.Set(elf(e.Who), elfWaits, e.At)
			if busy {
				b.WaitFor(elf(e.Who), 0, e.At, "Santa, busy")
			}
		case santa.WakeDeer, santa.WakeElves:
			what := "reindeer pattern fires"
			if e.Kind == santa.WakeElves {
				what = "elves pattern fires"
			}
			links = append(links, fmt.Sprintf("%s: group %d", what, e.Group))
			b.Link(e.At, links[len(links)-1], append([]int{0}, members[e.Group]...)...)
		case santa.Harness:
			b.Set(deer(e.Who), delivering, woke[e.Group])
		case santa.ShowIn:
			b.Set(elf(e.Who), consulting, woke[e.Group])
		case santa.DeliveryStart:
			busy = true
			b.Hold(0, delivering, e.At, members[e.Group]...)
		case santa.ConsultStart:
			busy = true
			b.Hold(0, consulting, e.At, members[e.Group]...)
		case santa.DeliveryEnd, santa.ConsultEnd:
			busy = false
			b.Set(0, -1, e.At)
		case santa.Unharness:
			b.Set(deer(e.Who), -1, e.At)
		case santa.ShowOut:
			b.Set(elf(e.Who), -1, e.At)
		}
		// The narration of the command, line by line, as the page's steps.
		narr.event(e)
		said := false
		for _, l := range strings.Split(told.String(), "\n") {
			if l = strings.TrimSpace(l[min(9, len(l)):]); l != "" {
				b.Note(e.At, l)
				said = true
			}
		}
		told.Reset()
		if !said && (e.Kind == santa.WakeDeer || e.Kind == santa.WakeElves) {
			b.Note(e.At, "Santa wakes: "+links[len(links)-1])
		}
	}
	end += end / 50
	demo.MarkViolations(b, props.CheckAll(events, check.Properties(cfg)...), events, func(e santa.Event) time.Duration { return e.At }, end)
	return b.Chart(end)
}
