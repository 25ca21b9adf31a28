// Package check holds the checkers of the sushi bar (package
// problems/sushi): props.Property values over traces of sushi.Event, named
// after what they check. Properties returns them all; the property
// tests run them over random runs and schedules, and the narrated
// command over its run.
package check

import (
	"fmt"
	"slices"

	"github.com/gochord/chord/problems/sushi"
	"github.com/gochord/chord/props"
)

// Names of the sushi bar properties, as they appear in Violations.
const (
	SeatsName      = "sushi/seats"
	PartyFirstName = "sushi/party-leaves-first"
	SitOnceName    = "sushi/sit-once"
	AllServedName  = "sushi/all-served"
)

// Properties returns the properties every trace of a run of cfg must have:
//
//   - Seats: at most cfg.Seats customers sit at once (props.MutualExclusion);
//   - PartyFirst: once every seat is taken, nobody sits until all of that
//     party have left (the Refill mistake fails it);
//   - SitOnce: nobody is seated twice (props.AtMostOnce);
//   - AllServed: every customer comes, sits, and then leaves, once.
func Properties(cfg sushi.Config) []props.Property[sushi.Event] {
	return []props.Property[sushi.Event]{Seats(cfg), PartyFirst(cfg), SitOnce(), AllServed(cfg)}
}

// Seats is the property that at most cfg.Seats customers are between
// their Sit and their Leave at once.
func Seats(cfg sushi.Config) props.Property[sushi.Event] {
	return props.MutualExclusion(SeatsName, cfg.Seats, func(e sushi.Event) (sushi.Customer, bool, bool) {
		return e.Customer, e.Kind == sushi.Sit, e.Kind == sushi.Leave
	})
}

// PartyFirst is the property that after a Sit that takes the last free
// seat, the next Sit comes only once every diner has left.
func PartyFirst(cfg sushi.Config) props.Property[sushi.Event] {
	const name = PartyFirstName
	return props.Property[sushi.Event]{Name: name, Check: func(tr []sushi.Event) *props.Violation {
		diners := map[sushi.Customer]sushi.Event{}
		var party []sushi.Event // the Sits of the party that filled the bar, while one of it is there
		for _, e := range tr {
			switch e.Kind {
			case sushi.Sit:
				if party != nil {
					return props.Violate(name, fmt.Sprintf("%v sits while %d of the party that filled the bar are still there; they must all leave first", e.Customer, len(diners)),
						append(party, e)...)
				}
				diners[e.Customer] = e
				if len(diners) == cfg.Seats {
					for _, d := range diners {
						party = append(party, d)
					}
					slices.SortFunc(party, func(a, b sushi.Event) int { return a.Seq - b.Seq })
				}
			case sushi.Leave:
				delete(diners, e.Customer)
				if len(diners) == 0 {
					party = nil
				}
			}
		}
		return nil
	}}
}

// SitOnce is the property that nobody is seated twice.
func SitOnce() props.Property[sushi.Event] {
	return props.AtMostOnce(SitOnceName, func(e sushi.Event) (sushi.Customer, bool) { return e.Customer, e.Kind == sushi.Sit })
}

// AllServed is the property that every one of cfg.Customers comes, is
// seated after coming, and leaves after being seated, once.
func AllServed(cfg sushi.Config) props.Property[sushi.Event] {
	const name = AllServedName
	return props.Property[sushi.Event]{Name: name, Check: func(tr []sushi.Event) *props.Violation {
		state := map[sushi.Customer]sushi.Kind{}
		for _, e := range tr {
			prev := map[sushi.Kind]sushi.Kind{sushi.Arrive: 0, sushi.Sit: sushi.Arrive, sushi.Leave: sushi.Sit}[e.Kind]
			if was := state[e.Customer]; was != prev {
				after := "nothing"
				if was != 0 {
					after = was.String()
				}
				return props.Violate(name, fmt.Sprintf("%v: %v after %s", e.Customer, e.Kind, after), e)
			}
			state[e.Customer] = e.Kind
		}
		left := 0
		for _, k := range state {
			if k == sushi.Leave {
				left++
			}
		}
		if left != cfg.Customers {
			return props.Violate[sushi.Event](name, fmt.Sprintf("%d of %d customers were served and left", left, cfg.Customers))
		}
		return nil
	}}
}
