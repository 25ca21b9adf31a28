// Package check holds the checkers of the unisex bathroom (package
// problems/bathroom): props.Property values over traces of bathroom.Event, named
// after what they check. Properties returns them all; the property
// tests run them over random runs and schedules, and the narrated
// command over its run.
package check

import (
	"fmt"

	"github.com/gochord/chord/problems/bathroom"
	"github.com/gochord/chord/props"
)

// Names of the unisex bathroom properties, as they appear in Violations.
const (
	CapacityName     = "bathroom/capacity"
	OneSexName       = "bathroom/one-sex"
	NoStarvationName = "bathroom/no-starvation"
	AllVisitsName    = "bathroom/all-visits"
)

// Properties returns the properties every trace of a run of cfg must have:
//
//   - Capacity: at most cfg.Capacity people inside at once
//     (props.MutualExclusion);
//   - OneSex: never a woman and a man inside at once;
//   - NoStarvation: nobody is overtaken more than cfg.Capacity times
//     between queueing and going in (props.BoundedWaiting; the queue of
//     the solution overtakes nobody, the Lightswitch mistake fails it);
//   - AllVisits: everybody makes cfg.Visits visits, each queue, enter,
//     leave, in that order.
func Properties(cfg bathroom.Config) []props.Property[bathroom.Event] {
	return []props.Property[bathroom.Event]{Capacity(cfg), OneSex(), NoStarvation(cfg), AllVisits(cfg)}
}

// Capacity is the property that at most cfg.Capacity people are between
// their Enter and their Leave at once.
func Capacity(cfg bathroom.Config) props.Property[bathroom.Event] {
	return props.MutualExclusion(CapacityName, cfg.Capacity, func(e bathroom.Event) (bathroom.Person, bool, bool) {
		return e.Person, e.Kind == bathroom.Enter, e.Kind == bathroom.Leave
	})
}

// OneSex is the property that nobody enters while someone of the other
// sex is inside.
func OneSex() props.Property[bathroom.Event] {
	const name = OneSexName
	return props.Property[bathroom.Event]{Name: name, Check: func(tr []bathroom.Event) *props.Violation {
		inside := map[bathroom.Person]bathroom.Event{}
		for _, e := range tr {
			switch e.Kind {
			case bathroom.Enter:
				for p, in := range inside {
					if p.Sex != e.Person.Sex {
						return props.Violate(name, fmt.Sprintf("%v enters while %v is inside", e.Person, p), in, e)
					}
				}
				inside[e.Person] = e
			case bathroom.Leave:
				delete(inside, e.Person)
			}
		}
		return nil
	}}
}

// NoStarvation is the property that between a person's Queue and Enter at
// most cfg.Capacity people who queued after them go in.
func NoStarvation(cfg bathroom.Config) props.Property[bathroom.Event] {
	return props.BoundedWaiting(NoStarvationName, cfg.Capacity, func(e bathroom.Event) (bathroom.Person, bool, bool) {
		return e.Person, e.Kind == bathroom.Queue, e.Kind == bathroom.Enter
	})
}

// AllVisits is the property that each of the people of cfg makes
// cfg.Visits visits, each a Queue, an Enter and a Leave in that order.
func AllVisits(cfg bathroom.Config) props.Property[bathroom.Event] {
	const name = AllVisitsName
	return props.Property[bathroom.Event]{Name: name, Check: func(tr []bathroom.Event) *props.Violation {
		last := map[bathroom.Person]bathroom.Kind{}
		visits := map[bathroom.Person]int{}
		for _, e := range tr {
			want := map[bathroom.Kind]bathroom.Kind{bathroom.Queue: bathroom.Leave, bathroom.Enter: bathroom.Queue, bathroom.Leave: bathroom.Enter}[e.Kind]
			if was, ok := last[e.Person]; (ok || e.Kind != bathroom.Queue) && was != want {
				return props.Violate(name, fmt.Sprintf("%v: %v out of order", e.Person, e.Kind), e)
			}
			last[e.Person] = e.Kind
			if e.Kind == bathroom.Leave {
				visits[e.Person]++
			}
		}
		for _, p := range cfg.People() {
			if visits[p] != cfg.Visits {
				return props.Violate[bathroom.Event](name, fmt.Sprintf("%v made %d visits of %d", p, visits[p], cfg.Visits))
			}
		}
		return nil
	}}
}
