package sushi

// The checkers of a run's trace.

import (
	"fmt"
	"slices"

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
func Properties(cfg Config) []props.Property[Event] {
	return []props.Property[Event]{Seats(cfg), PartyFirst(cfg), SitOnce(), AllServed(cfg)}
}

// Seats is the property that at most cfg.Seats customers are between
// their Sit and their Leave at once.
func Seats(cfg Config) props.Property[Event] {
	return props.MutualExclusion(SeatsName, cfg.Seats, func(e Event) (Customer, bool, bool) {
		return e.Customer, e.Kind == Sit, e.Kind == Leave
	})
}

// PartyFirst is the property that after a Sit that takes the last free
// seat, the next Sit comes only once every diner has left.
func PartyFirst(cfg Config) props.Property[Event] {
	const name = PartyFirstName
	return props.Property[Event]{Name: name, Check: func(tr []Event) *props.Violation {
		diners := map[Customer]Event{}
		var party []Event // the Sits of the party that filled the bar, while one of it is there
		for _, e := range tr {
			switch e.Kind {
			case Sit:
				if party != nil {
					return props.Violate(name, fmt.Sprintf("%v sits while %d of the party that filled the bar are still there; they must all leave first", e.Customer, len(diners)),
						append(party, e)...)
				}
				diners[e.Customer] = e
				if len(diners) == cfg.Seats {
					for _, d := range diners {
						party = append(party, d)
					}
					slices.SortFunc(party, func(a, b Event) int { return a.Seq - b.Seq })
				}
			case Leave:
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
func SitOnce() props.Property[Event] {
	return props.AtMostOnce(SitOnceName, func(e Event) (Customer, bool) { return e.Customer, e.Kind == Sit })
}

// AllServed is the property that every one of cfg.Customers comes, is
// seated after coming, and leaves after being seated, once.
func AllServed(cfg Config) props.Property[Event] {
	const name = AllServedName
	return props.Property[Event]{Name: name, Check: func(tr []Event) *props.Violation {
		state := map[Customer]Kind{}
		for _, e := range tr {
			prev := map[Kind]Kind{Arrive: 0, Sit: Arrive, Leave: Sit}[e.Kind]
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
			if k == Leave {
				left++
			}
		}
		if left != cfg.Customers {
			return props.Violate[Event](name, fmt.Sprintf("%d of %d customers were served and left", left, cfg.Customers))
		}
		return nil
	}}
}
