// Package check holds the checkers of the roller coaster (package
// problems/coaster): props.Property values over traces of coaster.Event, named
// after what they check. Properties returns them all; the property
// tests run them over random runs and schedules, and the narrated
// command over its run.
package check

import (
	"fmt"

	"github.com/gochord/chord/problems/coaster"
	"github.com/gochord/chord/props"
)

// Names of the roller coaster properties, as they appear in Violations.
const (
	FullCarName          = "coaster/full-car"
	UnloadBeforeLoadName = "coaster/unload-before-load"
	AllRidesName         = "coaster/all-rides"
)

// Properties returns the properties every trace of a run of cfg must have:
//
//   - FullCar: every ride carries exactly cfg.Capacity distinct
//     passengers, each queued (arrived and not yet boarded);
//   - UnloadBeforeLoad: no more than cfg.Capacity passengers are ever in
//     the car, so a ride boards only once the riders of the one before are
//     all out (the Eager mistake fails it);
//   - AllRides: the car makes cfg.Rides rides, each rider gets out once
//     from the ride it took, and every passenger goes home, out of the car.
func Properties(cfg coaster.Config) []props.Property[coaster.Event] {
	return []props.Property[coaster.Event]{FullCar(cfg), UnloadBeforeLoad(cfg), AllRides(cfg)}
}

// FullCar is the property that each Board carries exactly cfg.Capacity
// distinct passengers, each of whom has arrived since their last ride.
func FullCar(cfg coaster.Config) props.Property[coaster.Event] {
	const name = FullCarName
	return props.Property[coaster.Event]{Name: name, Check: func(tr []coaster.Event) *props.Violation {
		queued := map[coaster.Passenger]coaster.Event{}
		for _, e := range tr {
			switch e.Kind {
			case coaster.Arrive:
				queued[e.Passenger] = e
			case coaster.Board:
				if len(e.Riders) != cfg.Capacity {
					return props.Violate(name, fmt.Sprintf("ride %d carries %d passengers; the car runs with its %d seats full", e.Ride, len(e.Riders), cfg.Capacity), e)
				}
				for _, p := range e.Riders {
					if _, ok := queued[p]; !ok {
						return props.Violate(name, fmt.Sprintf("ride %d carries %v, who was not in the queue", e.Ride, p), e)
					}
					delete(queued, p)
				}
			}
		}
		return nil
	}}
}

// A seat is one passenger's boarding or getting out, as MutualExclusion
// reads it: a Board event counts once per rider.
type seat struct {
	p     coaster.Passenger
	enter bool
	e     coaster.Event
}

// String formats s as the event it stands for, naming the rider of a Board.
func (s seat) String() string {
	if s.enter {
		return fmt.Sprintf("#%d %v %v boards ride %d", s.e.Seq, s.e.At, s.p, s.e.Ride)
	}
	return s.e.String()
}

// UnloadBeforeLoad is the property that at most cfg.Capacity passengers
// are in the car at once: props.MutualExclusion over boardings (each rider
// of a Board enters) and Unboards (leaves).
func UnloadBeforeLoad(cfg coaster.Config) props.Property[coaster.Event] {
	inCar := props.MutualExclusion(UnloadBeforeLoadName, cfg.Capacity, func(s seat) (coaster.Passenger, bool, bool) {
		return s.p, s.enter, !s.enter
	})
	return props.Property[coaster.Event]{Name: UnloadBeforeLoadName, Check: func(tr []coaster.Event) *props.Violation {
		var seats []seat
		for _, e := range tr {
			switch e.Kind {
			case coaster.Board:
				for _, p := range e.Riders {
					seats = append(seats, seat{p, true, e})
				}
			case coaster.Unboard:
				seats = append(seats, seat{e.Passenger, false, e})
			}
		}
		return inCar.Check(seats)
	}}
}

// AllRides is the property that a run of cfg makes cfg.Rides rides, that
// each Unboard follows the ride its passenger took, once, and that every
// passenger goes home once, out of the car.
func AllRides(cfg coaster.Config) props.Property[coaster.Event] {
	const name = AllRidesName
	return props.Property[coaster.Event]{Name: name, Check: func(tr []coaster.Event) *props.Violation {
		rides := 0
		riding := map[coaster.Passenger]coaster.Event{} // the Board of the ride each passenger is on
		home := map[coaster.Passenger]coaster.Event{}
		for _, e := range tr {
			switch e.Kind {
			case coaster.Board:
				rides++
				for _, p := range e.Riders {
					riding[p] = e
				}
			case coaster.Unboard:
				b, ok := riding[e.Passenger]
				if !ok || b.Ride != e.Ride {
					return props.Violate(name, fmt.Sprintf("%v gets out after ride %d, which it was not on", e.Passenger, e.Ride), e)
				}
				delete(riding, e.Passenger)
			case coaster.Home:
				if h, ok := home[e.Passenger]; ok {
					return props.Violate(name, fmt.Sprintf("%v goes home twice", e.Passenger), h, e)
				}
				if b, ok := riding[e.Passenger]; ok {
					return props.Violate(name, fmt.Sprintf("%v goes home from the car", e.Passenger), b, e)
				}
				home[e.Passenger] = e
			}
		}
		if rides != cfg.Rides {
			return props.Violate[coaster.Event](name, fmt.Sprintf("the car made %d rides of %d", rides, cfg.Rides))
		}
		if len(home) != cfg.Passengers {
			return props.Violate[coaster.Event](name, fmt.Sprintf("%d of %d passengers went home", len(home), cfg.Passengers))
		}
		return nil
	}}
}
