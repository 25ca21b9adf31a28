// Package check holds the checkers of the cigarette smokers (package
// problems/smokers): props.Property values over traces of smokers.Event, named
// after what they check. Properties returns them all; the property
// tests run them over random runs and schedules, and the narrated
// command over its run.
package check

import (
	"fmt"
	"slices"

	"github.com/gochord/chord/problems/smokers"
	"github.com/gochord/chord/props"
)

// Names of the smokers' properties, as they appear in Violations.
const (
	RightSmokerName = "smokers/right-smoker"
	OneRoundName    = "smokers/one-round-at-a-time"
	AllRoundsName   = "smokers/all-rounds-smoked"
)

// Properties returns the properties every trace of a run of cfg must
// have:
//
//   - RightSmoker: round r is smoked by the smoker who has the
//     ingredient the agent left out, with the two ingredients of round r;
//   - OneRound: the agent puts round r+1 out only after round r's
//     smoker is done, and each round is smoked once;
//   - AllRounds: all cfg.Rounds rounds are smoked. A deadlocked run
//     (the OneAtATime mistake, ended by its context) fails it, quoting the
//     ingredients smokers took and held.
func Properties(cfg smokers.Config) []props.Property[smokers.Event] {
	return []props.Property[smokers.Event]{RightSmoker(), OneRound(), AllRounds(cfg.Rounds)}
}

// RightSmoker is the property that each Smoke of round r is by the
// smoker who lacks exactly what the agent put out for round r.
func RightSmoker() props.Property[smokers.Event] {
	const name = RightSmokerName
	return props.Property[smokers.Event]{Name: name, Check: func(tr []smokers.Event) *props.Violation {
		puts := map[int]smokers.Event{}
		for _, e := range tr {
			switch e.Kind {
			case smokers.Put:
				puts[e.Round] = e
			case smokers.Smoke:
				p, ok := puts[e.Round]
				if !ok {
					return props.Violate(name, fmt.Sprintf("%s smokes round %d, which the agent never put out", smokers.Smoker(smokers.Ingredient(e.Who)), e.Round), e)
				}
				if e.Who < 0 || e.Who > 2 || slices.Contains(p.Ingredients, smokers.Ingredient(e.Who)) ||
					!sameSet(p.Ingredients, e.Ingredients) {
					return props.Violate(name, fmt.Sprintf("%s (who has %v) smokes round %d, whose ingredients are %v",
						smokers.Smoker(smokers.Ingredient(e.Who)), smokers.Ingredient(e.Who), e.Round, p.Ingredients), p, e)
				}
			}
		}
		return nil
	}}
}

func sameSet(a, b []smokers.Ingredient) bool {
	return len(a) == len(b) && !slices.ContainsFunc(a, func(x smokers.Ingredient) bool { return !slices.Contains(b, x) })
}

// OneRound is the property that rounds are put out in order, each
// after the previous round's Done, and each is smoked exactly once.
func OneRound() props.Property[smokers.Event] {
	const name = OneRoundName
	return props.Property[smokers.Event]{Name: name, Check: func(tr []smokers.Event) *props.Violation {
		var lastPut, lastDone *smokers.Event
		smoked := map[int]smokers.Event{}
		for i := range tr {
			e := &tr[i]
			switch e.Kind {
			case smokers.Put:
				if lastPut != nil && (lastDone == nil || lastDone.Round != lastPut.Round) {
					return props.Violate(name, fmt.Sprintf("the agent puts round %d out before round %d was smoked", e.Round, lastPut.Round), *lastPut, *e)
				}
				if lastPut != nil && e.Round != lastPut.Round+1 || lastPut == nil && e.Round != 1 {
					return props.Violate(name, fmt.Sprintf("round %d put out out of order", e.Round), *e)
				}
				lastPut = e
			case smokers.Smoke:
				if s, ok := smoked[e.Round]; ok {
					return props.Violate(name, fmt.Sprintf("round %d smoked twice", e.Round), s, *e)
				}
				smoked[e.Round] = *e
			case smokers.Done:
				lastDone = e
			}
		}
		return nil
	}}
}

// AllRounds is the property that rounds rounds are smoked.
func AllRounds(rounds int) props.Property[smokers.Event] {
	const name = AllRoundsName
	return props.Property[smokers.Event]{Name: name, Check: func(tr []smokers.Event) *props.Violation {
		n := 0
		held := map[int][]smokers.Event{} // per smoker: Took since his last Smoke
		var last *smokers.Event
		for i := range tr {
			e := tr[i]
			switch e.Kind {
			case smokers.Smoke:
				n++
				delete(held, e.Who)
			case smokers.Took:
				held[e.Who] = append(held[e.Who], e)
			case smokers.Put:
				last = &tr[i]
			}
		}
		if n == rounds {
			return nil
		}
		var quote []smokers.Event
		if last != nil {
			quote = append(quote, *last)
		}
		for w := range 3 {
			quote = append(quote, held[w]...)
		}
		why := fmt.Sprintf("%d of %d rounds smoked", n, rounds)
		if len(quote) > 1 {
			why += "; the last round put out, and the ingredients smokers took and hold while they wait for another:"
		}
		return props.Violate(name, why, quote...)
	}}
}
