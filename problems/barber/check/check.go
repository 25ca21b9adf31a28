// Package check holds the checkers of the sleeping barber (package
// problems/barber): props.Property values over traces of barber.Event, named
// after what they check. Properties returns them all; the property
// tests run them over random runs and schedules, and the narrated
// command over its run.
package check

import (
	"fmt"

	"github.com/gochord/chord/problems/barber"
	"github.com/gochord/chord/props"
)

// Names of the sleeping barber's properties, as they appear in Violations.
const (
	ChairsName  = "barber/one-customer-per-chair"
	BalkName    = "barber/balk-only-when-full"
	ServedName  = "barber/every-seated-customer-served"
	OneCutsName = "barber/one-haircut-at-a-time"
)

// Properties returns the properties every trace of a day of cfg
// must have:
//
//   - Chairs: a customer sits only on one of the cfg.Chairs chairs,
//     and only on a free one, and gets up from the chair he sat on;
//   - Balk: a customer leaves without sitting only when every chair
//     is taken;
//   - Served: every customer who sat is called once, after he sat,
//     has his haircut and leaves; every customer sits or balks;
//   - OneCut: the barber cuts one customer at a time.
func Properties(cfg barber.Config) []props.Property[barber.Event] {
	return []props.Property[barber.Event]{Chairs(cfg.Chairs), Balk(cfg.Chairs), Served(cfg.Customers), OneCut()}
}

// Chairs is the property that each chair holds at most one customer.
func Chairs(chairs int) props.Property[barber.Event] {
	const name = ChairsName
	return props.Property[barber.Event]{Name: name, Check: func(tr []barber.Event) *props.Violation {
		on := map[int]barber.Event{} // chair → the Sit of its occupant
		for _, e := range tr {
			switch e.Kind {
			case barber.Sit:
				if e.Chair < 0 || e.Chair >= chairs {
					return props.Violate(name, fmt.Sprintf("customer %d sits on chair %d; the room has chairs 0 to %d", e.Who, e.Chair, chairs-1), e)
				}
				if o, ok := on[e.Chair]; ok {
					return props.Violate(name, fmt.Sprintf("customer %d sits on chair %d while customer %d is on it", e.Who, e.Chair, o.Who), o, e)
				}
				on[e.Chair] = e
			case barber.Up:
				if o, ok := on[e.Chair]; !ok || o.Who != e.Who {
					return props.Violate(name, fmt.Sprintf("customer %d gets up from chair %d, which he was not on", e.Who, e.Chair), e)
				}
				delete(on, e.Chair)
			}
		}
		return nil
	}}
}

// Balk is the property that a Balk happens only while all chairs
// are taken.
func Balk(chairs int) props.Property[barber.Event] {
	const name = BalkName
	return props.Property[barber.Event]{Name: name, Check: func(tr []barber.Event) *props.Violation {
		seated := 0
		for _, e := range tr {
			switch e.Kind {
			case barber.Sit:
				seated++
			case barber.Up:
				seated--
			case barber.Balk:
				if seated < chairs {
					return props.Violate(name, fmt.Sprintf("customer %d leaves while %d of %d chairs are free", e.Who, chairs-seated, chairs), e)
				}
			}
		}
		return nil
	}}
}

// Served is the property that every seated customer is cut once and
// leaves, and that each of customers customers either sits or balks.
func Served(customers int) props.Property[barber.Event] {
	const name = ServedName
	return props.Property[barber.Event]{Name: name, Check: func(tr []barber.Event) *props.Violation {
		sat := map[int]barber.Event{}
		cut := map[int]barber.Event{}
		left := map[int]bool{}
		balked := map[int]bool{}
		for _, e := range tr {
			switch e.Kind {
			case barber.Sit:
				sat[e.Who] = e
			case barber.Balk:
				balked[e.Who] = true
			case barber.Cut:
				if _, ok := sat[e.Who]; !ok {
					return props.Violate(name, fmt.Sprintf("the barber cuts customer %d, who is not seated", e.Who), e)
				}
				if c, ok := cut[e.Who]; ok {
					return props.Violate(name, fmt.Sprintf("customer %d has his hair cut twice", e.Who), c, e)
				}
				cut[e.Who] = e
			case barber.Leave:
				if _, ok := cut[e.Who]; !ok {
					return props.Violate(name, fmt.Sprintf("customer %d leaves with a haircut he never had", e.Who), e)
				}
				left[e.Who] = true
			}
		}
		for c, s := range sat {
			if !left[c] {
				return props.Violate(name, fmt.Sprintf("customer %d sat and never left with a haircut", c), s)
			}
		}
		if len(sat)+len(balked) != customers {
			return props.Violate[barber.Event](name, fmt.Sprintf("%d customers sat and %d balked, of %d", len(sat), len(balked), customers))
		}
		return nil
	}}
}

// OneCut is the property that Cut and Done alternate.
func OneCut() props.Property[barber.Event] {
	const name = OneCutsName
	return props.Property[barber.Event]{Name: name, Check: func(tr []barber.Event) *props.Violation {
		var cutting *barber.Event
		for i := range tr {
			e := &tr[i]
			switch e.Kind {
			case barber.Cut:
				if cutting != nil {
					return props.Violate(name, fmt.Sprintf("the barber starts on customer %d while cutting customer %d", e.Who, cutting.Who), *cutting, *e)
				}
				cutting = e
			case barber.Done:
				if cutting == nil || cutting.Who != e.Who {
					return props.Violate(name, fmt.Sprintf("the barber finishes customer %d, whom he is not cutting", e.Who), *e)
				}
				cutting = nil
			}
		}
		return nil
	}}
}
