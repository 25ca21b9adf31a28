package props

// Checkers for the river crossing (package problems/river).

import (
	"fmt"

	"github.com/gochord/chord/problems/river"
)

// Names of the river crossing properties, as they appear in Violations.
const (
	RiverSafeBoatsName = "river/safe-boats"
	RiverLandName      = "river/land-with-the-boat"
	RiverAllBoatsName  = "river/all-boats-cross"
)

// RiverProperties returns the properties every trace of a run of cfg must
// have:
//
//   - RiverSafeBoats: every boat carries four distinct people who had
//     arrived and not crossed before: four hackers, four serfs, or two and
//     two — never three and one;
//   - RiverLand: a person lands once, after the boat they are on left;
//   - RiverAllBoats: cfg.Boats() boats cross, and everybody either lands
//     or stays ashore.
func RiverProperties(cfg river.Config) []Property[river.Event] {
	return []Property[river.Event]{RiverSafeBoats(), RiverLand(), RiverAllBoats(cfg)}
}

// RiverSafeBoats is the property that each boat is one of the safe three.
func RiverSafeBoats() Property[river.Event] {
	const name = RiverSafeBoatsName
	return Property[river.Event]{Name: name, Check: func(tr []river.Event) *Violation {
		arrived := map[river.Person]river.Event{}
		boarded := map[river.Person]river.Event{}
		for _, e := range tr {
			switch e.Kind {
			case river.Arrive:
				arrived[e.Person] = e
			case river.Board:
				if len(e.Riders) != 4 {
					return Violate(name, fmt.Sprintf("boat %d carries %d people; it takes four", e.Boat, len(e.Riders)), e)
				}
				h := 0
				quote := []river.Event{}
				for _, p := range e.Riders {
					a, ok := arrived[p]
					if !ok {
						return Violate(name, fmt.Sprintf("boat %d carries %v, who never arrived", e.Boat, p), e)
					}
					if b, ok := boarded[p]; ok {
						return Violate(name, fmt.Sprintf("%v boards twice", p), b, e)
					}
					boarded[p] = e
					quote = append(quote, a)
					if p.Side == river.Hacker {
						h++
					}
				}
				if h%2 != 0 {
					return Violate(name, fmt.Sprintf("boat %d carries %d hackers and %d serfs: the one would be thrown overboard", e.Boat, h, 4-h),
						append(quote, e)...)
				}
			}
		}
		return nil
	}}
}

// RiverLand is the property that each Land follows its boat's Board,
// names one of its riders, and comes once per person.
func RiverLand() Property[river.Event] {
	const name = RiverLandName
	return Property[river.Event]{Name: name, Check: func(tr []river.Event) *Violation {
		boats := map[int]river.Event{}
		landed := map[river.Person]river.Event{}
		for _, e := range tr {
			switch e.Kind {
			case river.Board:
				boats[e.Boat] = e
			case river.Land:
				b, ok := boats[e.Boat]
				if !ok {
					return Violate(name, fmt.Sprintf("%v lands from boat %d before it left", e.Person, e.Boat), e)
				}
				in := false
				for _, p := range b.Riders {
					in = in || p == e.Person
				}
				if !in {
					return Violate(name, fmt.Sprintf("%v lands from boat %d without being on it", e.Person, e.Boat), b, e)
				}
				if l, ok := landed[e.Person]; ok {
					return Violate(name, fmt.Sprintf("%v lands twice", e.Person), l, e)
				}
				landed[e.Person] = e
			}
		}
		return nil
	}}
}

// RiverAllBoats is the property that cfg.Boats() boats cross and every
// person lands or stays ashore.
func RiverAllBoats(cfg river.Config) Property[river.Event] {
	const name = RiverAllBoatsName
	return Property[river.Event]{Name: name, Check: func(tr []river.Event) *Violation {
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
		if boats != cfg.Boats() {
			return Violate(name, fmt.Sprintf("%d boats crossed; %d hackers and %d serfs fill %d safe boats; left ashore:", boats, cfg.Hackers, cfg.Serfs, cfg.Boats()), last...)
		}
		if len(ended) != cfg.Hackers+cfg.Serfs {
			return Violate[river.Event](name, fmt.Sprintf("%d of %d people landed or stayed ashore", len(ended), cfg.Hackers+cfg.Serfs))
		}
		return nil
	}}
}
