// Package check holds the checkers of the river crossing (package
// problems/river): props.Property values over traces of river.Event, named
// after what they check. Properties returns them all; the property
// tests run them over random runs and schedules, and the narrated
// command over its run.
package check

import (
	"fmt"

	"github.com/gochord/chord/problems/river"
	"github.com/gochord/chord/props"
)

// Names of the river crossing properties, as they appear in Violations.
const (
	SafeBoatsName = "river/safe-boats"
	LandName      = "river/land-with-the-boat"
	AllBoatsName  = "river/all-boats-cross"
)

// Properties returns the properties every trace of a run of cfg must
// have:
//
//   - SafeBoats: every boat carries four distinct people who had
//     arrived and not crossed before: four hackers, four serfs, or two and
//     two — never three and one;
//   - Land: a person lands once, after the boat they are on left;
//   - AllBoats: cfg.Boats() boats cross, and everybody either lands
//     or stays ashore.
func Properties(cfg river.Config) []props.Property[river.Event] {
	return []props.Property[river.Event]{SafeBoats(), Land(), AllBoats(cfg)}
}

// SafeBoats is the property that each boat is one of the safe three.
func SafeBoats() props.Property[river.Event] {
	const name = SafeBoatsName
	return props.Property[river.Event]{Name: name, Check: func(tr []river.Event) *props.Violation {
		arrived := map[river.Person]river.Event{}
		boarded := map[river.Person]river.Event{}
		for _, e := range tr {
			switch e.Kind {
			case river.Arrive:
				arrived[e.Person] = e
			case river.Board:
				if len(e.Riders) != 4 {
					return props.Violate(name, fmt.Sprintf("boat %d carries %d people; it takes four", e.Boat, len(e.Riders)), e)
				}
				h := 0
				quote := []river.Event{}
				for _, p := range e.Riders {
					a, ok := arrived[p]
					if !ok {
						return props.Violate(name, fmt.Sprintf("boat %d carries %v, who never arrived", e.Boat, p), e)
					}
					if b, ok := boarded[p]; ok {
						return props.Violate(name, fmt.Sprintf("%v boards twice", p), b, e)
					}
					boarded[p] = e
					quote = append(quote, a)
					if p.Side == river.Hacker {
						h++
					}
				}
				if h%2 != 0 {
					return props.Violate(name, fmt.Sprintf("boat %d carries %d hackers and %d serfs: the one would be thrown overboard", e.Boat, h, 4-h),
						append(quote, e)...)
				}
			}
		}
		return nil
	}}
}

// Land is the property that each Land follows its boat's Board, names
// one of its riders, and comes once per person: a person is released with
// their group, the boat (props.ReleasedWithGroup).
func Land() props.Property[river.Event] {
	return props.ReleasedWithGroup(LandName,
		func(e river.Event) (int, []river.Person, bool) { return e.Boat, e.Riders, e.Kind == river.Board },
		func(e river.Event) (int, river.Person, bool) { return e.Boat, e.Person, e.Kind == river.Land })
}

// AllBoats is the property that cfg.Boats() boats cross and every
// person lands or stays ashore.
func AllBoats(cfg river.Config) props.Property[river.Event] {
	const name = AllBoatsName
	return props.Property[river.Event]{Name: name, Check: func(tr []river.Event) *props.Violation {
		boats, ended := 0, map[river.Person]bool{}
		var last []river.Event
		for _, e := range tr {
			switch e.Kind {
			case river.Board:
				boats++
			case river.Land, river.Ashore:
				ended[e.Person] = true
				if e.Kind == river.Ashore {
					last = append(last, e)
				}
			}
		}
		switch {
		case boats > cfg.Boats():
			return props.Violate[river.Event](name, fmt.Sprintf("%d boats crossed; %d hackers and %d serfs fill only %d safe boats, so some crossed unsafe",
				boats, cfg.Hackers, cfg.Serfs, cfg.Boats()))
		case boats < cfg.Boats() && len(last) == 0:
			return props.Violate[river.Event](name, fmt.Sprintf("%d boats crossed; %d hackers and %d serfs fill %d safe boats, and nobody stayed ashore",
				boats, cfg.Hackers, cfg.Serfs, cfg.Boats()))
		case boats < cfg.Boats():
			return props.Violate(name, fmt.Sprintf("%d boats crossed; %d hackers and %d serfs fill %d safe boats; left ashore:", boats, cfg.Hackers, cfg.Serfs, cfg.Boats()), last...)
		}
		if len(ended) != cfg.Hackers+cfg.Serfs {
			return props.Violate[river.Event](name, fmt.Sprintf("%d of %d people landed or stayed ashore", len(ended), cfg.Hackers+cfg.Serfs))
		}
		return nil
	}}
}
