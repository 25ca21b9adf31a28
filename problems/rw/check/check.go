// Package check holds the checkers of readers–writers without starvation (package
// problems/rw): props.Property values over traces of rw.Event, named
// after what they check. Properties returns them all; the property
// tests run them over random runs and schedules, and the narrated
// command over its run.
package check

import (
	"fmt"
	"maps"
	"slices"

	"github.com/gochord/chord/problems/rw"
	"github.com/gochord/chord/props"
)

// Names of the readers–writers properties, as they appear in Violations.
const (
	ExclusionName    = "rw/exclusion"
	NoOvertakingName = "rw/no-overtaking"
	AllServedName    = "rw/all-served"
)

// Properties returns the properties every trace of a run of cfg must
// have:
//
//   - Exclusion: a writer is alone in the room; readers share it;
//   - NoOvertaking: nobody enters before an earlier request it
//     conflicts with (a writer's, or a reader's when it is a writer) — the
//     bounded form of "no starvation of either side", with bound zero;
//   - AllServed: each reader and writer enters and leaves cfg.Visits
//     times, each time after a request.
func Properties(cfg rw.Config) []props.Property[rw.Event] {
	return []props.Property[rw.Event]{Exclusion(), NoOvertaking(), AllServed(cfg)}
}

// Exclusion is the property that while a writer is inside (Enter to
// Leave) nobody else is.
func Exclusion() props.Property[rw.Event] {
	const name = ExclusionName
	return props.Property[rw.Event]{Name: name, Check: func(tr []rw.Event) *props.Violation {
		inside := map[rw.Actor]rw.Event{}
		var writer *rw.Event
		for i := range tr {
			e := &tr[i]
			switch e.Kind {
			case rw.Enter:
				if writer != nil {
					return props.Violate(name, fmt.Sprintf("%v enters while writer %v is inside", e.Actor, writer.Actor), *writer, *e)
				}
				if e.Actor.Writer {
					if len(inside) > 0 {
						o := slices.MinFunc(slices.Collect(maps.Values(inside)), func(a, b rw.Event) int { return a.Seq - b.Seq })
						return props.Violate(name, fmt.Sprintf("writer %v enters while %v is inside", e.Actor, o.Actor), o, *e)
					}
					writer = e
				}
				inside[e.Actor] = *e
			case rw.Leave:
				delete(inside, e.Actor)
				if writer != nil && writer.Actor == e.Actor {
					writer = nil
				}
			}
		}
		return nil
	}}
}

// NoOvertaking is the property that when X enters, no request made
// before X's and conflicting with it (one of the two is a writer) is still
// waiting.
func NoOvertaking() props.Property[rw.Event] {
	const name = NoOvertakingName
	return props.Property[rw.Event]{Name: name, Check: func(tr []rw.Event) *props.Violation {
		var waiting []rw.Event // Requests not yet entered, in order
		for _, e := range tr {
			switch e.Kind {
			case rw.Request:
				waiting = append(waiting, e)
			case rw.Enter:
				i := 0
				for i < len(waiting) && waiting[i].Actor != e.Actor {
					i++
				}
				if i == len(waiting) {
					return props.Violate(name, fmt.Sprintf("%v enters without a request", e.Actor), e)
				}
				for _, w := range waiting[:i] {
					if w.Actor.Writer || e.Actor.Writer {
						return props.Violate(name, fmt.Sprintf("%v overtakes %v, who asked first and still waits", e.Actor, w.Actor), w, waiting[i], e)
					}
				}
				waiting = append(waiting[:i:i], waiting[i+1:]...)
			}
		}
		return nil
	}}
}

// AllServed is the property that everyone enters and leaves cfg.Visits
// times.
func AllServed(cfg rw.Config) props.Property[rw.Event] {
	const name = AllServedName
	return props.Property[rw.Event]{Name: name, Check: func(tr []rw.Event) *props.Violation {
		left := map[rw.Actor]int{}
		last := map[rw.Actor]rw.Event{}
		for _, e := range tr {
			last[e.Actor] = e
			if e.Kind == rw.Leave {
				left[e.Actor]++
			}
		}
		for i := range cfg.Readers + cfg.Writers {
			a := rw.Actor{N: i}
			if i >= cfg.Readers {
				a = rw.Actor{Writer: true, N: i - cfg.Readers}
			}
			if left[a] != cfg.Visits {
				return props.Violate(name, fmt.Sprintf("%v used the room %d of %d times; its last event:", a, left[a], cfg.Visits), last[a])
			}
		}
		return nil
	}}
}
