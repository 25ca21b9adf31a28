package bathroom

// The checkers of a run's trace.

import (
	"fmt"

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
func Properties(cfg Config) []props.Property[Event] {
	return []props.Property[Event]{Capacity(cfg), OneSex(), NoStarvation(cfg), AllVisits(cfg)}
}

// Capacity is the property that at most cfg.Capacity people are between
// their Enter and their Leave at once.
func Capacity(cfg Config) props.Property[Event] {
	return props.MutualExclusion(CapacityName, cfg.Capacity, func(e Event) (Person, bool, bool) {
		return e.Person, e.Kind == Enter, e.Kind == Leave
	})
}

// OneSex is the property that nobody enters while someone of the other
// sex is inside.
func OneSex() props.Property[Event] {
	const name = OneSexName
	return props.Property[Event]{Name: name, Check: func(tr []Event) *props.Violation {
		inside := map[Person]Event{}
		for _, e := range tr {
			switch e.Kind {
			case Enter:
				for p, in := range inside {
					if p.Sex != e.Person.Sex {
						return props.Violate(name, fmt.Sprintf("%v enters while %v is inside", e.Person, p), in, e)
					}
				}
				inside[e.Person] = e
			case Leave:
				delete(inside, e.Person)
			}
		}
		return nil
	}}
}

// NoStarvation is the property that between a person's Queue and Enter at
// most cfg.Capacity people who queued after them go in.
func NoStarvation(cfg Config) props.Property[Event] {
	return props.BoundedWaiting(NoStarvationName, cfg.Capacity, func(e Event) (Person, bool, bool) {
		return e.Person, e.Kind == Queue, e.Kind == Enter
	})
}

// AllVisits is the property that each of the people of cfg makes
// cfg.Visits visits, each a Queue, an Enter and a Leave in that order.
func AllVisits(cfg Config) props.Property[Event] {
	const name = AllVisitsName
	return props.Property[Event]{Name: name, Check: func(tr []Event) *props.Violation {
		last := map[Person]Kind{}
		visits := map[Person]int{}
		for _, e := range tr {
			want := map[Kind]Kind{Queue: Leave, Enter: Queue, Leave: Enter}[e.Kind]
			if was, ok := last[e.Person]; (ok || e.Kind != Queue) && was != want {
				return props.Violate(name, fmt.Sprintf("%v: %v out of order", e.Person, e.Kind), e)
			}
			last[e.Person] = e.Kind
			if e.Kind == Leave {
				visits[e.Person]++
			}
		}
		for _, p := range cfg.people() {
			if visits[p] != cfg.Visits {
				return props.Violate[Event](name, fmt.Sprintf("%v made %d visits of %d", p, visits[p], cfg.Visits))
			}
		}
		return nil
	}}
}
