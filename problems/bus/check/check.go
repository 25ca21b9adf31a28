// Package check holds the checkers of the senate bus (package
// problems/bus): props.Property values over traces of bus.Event, named
// after what they check. Properties returns them all; the property
// tests run them over random runs and schedules, and the narrated
// command over its run.
package check

import (
	"fmt"

	"github.com/gochord/chord/problems/bus"
	"github.com/gochord/chord/props"
)

// Names of the senate bus properties, as they appear in Violations.
const (
	BoardOnceName      = "bus/board-once"
	NoLateBoardingName = "bus/no-late-boarding"
	FillFromStopName   = "bus/fill-from-the-stop"
	AllBusesName       = "bus/all-buses"
)

// Properties returns the properties every trace of a run of cfg must have:
//
//   - BoardOnce: no rider boards twice (props.AtMostOnce);
//   - NoLateBoarding: a rider boards only a bus that stopped after the
//     rider came to the stop (the LateBoarding mistake fails it);
//   - FillFromStop: each bus takes min(waiting, cfg.Capacity) riders,
//     where waiting is the number of riders at the stop when it stopped,
//     and leaves with those it boarded;
//   - AllBuses: cfg.Buses buses leave, and every rider either boards one
//     or goes home stranded.
func Properties(cfg bus.Config) []props.Property[bus.Event] {
	return []props.Property[bus.Event]{BoardOnce(), NoLateBoarding(), FillFromStop(cfg), AllBuses(cfg)}
}

// BoardOnce is the property that no rider boards twice.
func BoardOnce() props.Property[bus.Event] {
	return props.AtMostOnce(BoardOnceName, func(e bus.Event) (bus.Rider, bool) { return e.Rider, e.Kind == bus.Board })
}

// NoLateBoarding is the property that every rider who boards bus b came to
// the stop before b stopped there.
func NoLateBoarding() props.Property[bus.Event] {
	const name = NoLateBoardingName
	return props.Property[bus.Event]{Name: name, Check: func(tr []bus.Event) *props.Violation {
		arrived := map[bus.Rider]bus.Event{}
		stopped := map[int]bus.Event{}
		for _, e := range tr {
			switch e.Kind {
			case bus.Arrive:
				arrived[e.Rider] = e
			case bus.Stop:
				stopped[e.Bus] = e
			case bus.Board:
				a, ok := arrived[e.Rider]
				if !ok {
					return props.Violate(name, fmt.Sprintf("%v boards bus %d without having come to the stop", e.Rider, e.Bus), e)
				}
				if s, ok := stopped[e.Bus]; !ok || a.Seq > s.Seq {
					return props.Violate(name, fmt.Sprintf("%v came after bus %d stopped, and boards it: late comers wait for the next bus", e.Rider, e.Bus), s, a, e)
				}
			}
		}
		return nil
	}}
}

// FillFromStop is the property that each bus boards min(waiting,
// cfg.Capacity) riders, waiting being the riders at the stop (come and not
// boarded) when it stopped, and departs with exactly the riders it
// boarded.
func FillFromStop(cfg bus.Config) props.Property[bus.Event] {
	const name = FillFromStopName
	return props.Property[bus.Event]{Name: name, Check: func(tr []bus.Event) *props.Violation {
		waiting := map[bus.Rider]bool{}
		want := map[int]int{}
		stops := map[int]bus.Event{}
		boarded := map[int][]bus.Rider{}
		for _, e := range tr {
			switch e.Kind {
			case bus.Arrive:
				waiting[e.Rider] = true
			case bus.Stop:
				want[e.Bus] = min(len(waiting), cfg.Capacity)
				stops[e.Bus] = e
			case bus.Board:
				delete(waiting, e.Rider)
				boarded[e.Bus] = append(boarded[e.Bus], e.Rider)
			case bus.Stranded:
				delete(waiting, e.Rider)
			case bus.Depart:
				got := boarded[e.Bus]
				if len(got) != want[e.Bus] {
					return props.Violate(name, fmt.Sprintf("bus %d leaves with %d riders; %d could board of those at the stop", e.Bus, len(got), want[e.Bus]), stops[e.Bus], e)
				}
				if fmt.Sprint(got) != fmt.Sprint(e.Riders) {
					return props.Violate(name, fmt.Sprintf("bus %d leaves with %v, but %v boarded it", e.Bus, e.Riders, got), e)
				}
			}
		}
		return nil
	}}
}

// AllBuses is the property that cfg.Buses buses leave, and every rider
// either boards or goes home stranded, not both.
func AllBuses(cfg bus.Config) props.Property[bus.Event] {
	const name = AllBusesName
	return props.Property[bus.Event]{Name: name, Check: func(tr []bus.Event) *props.Violation {
		buses := 0
		ended := map[bus.Rider]bus.Event{}
		for _, e := range tr {
			switch e.Kind {
			case bus.Depart:
				buses++
			case bus.Board, bus.Stranded:
				if f, ok := ended[e.Rider]; ok {
					return props.Violate(name, fmt.Sprintf("%v both boards and goes home", e.Rider), f, e)
				}
				ended[e.Rider] = e
			}
		}
		if buses != cfg.Buses {
			return props.Violate[bus.Event](name, fmt.Sprintf("%d buses left of %d", buses, cfg.Buses))
		}
		if len(ended) != cfg.Riders {
			return props.Violate[bus.Event](name, fmt.Sprintf("%d of %d riders boarded or went home", len(ended), cfg.Riders))
		}
		return nil
	}}
}
