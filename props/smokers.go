package props

// Checkers for the cigarette smokers (package problems/smokers).

import (
	"fmt"
	"slices"

	"github.com/gochord/chord/problems/smokers"
)

// Names of the smokers' properties, as they appear in Violations.
const (
	SmokerRightSmokerName = "smokers/right-smoker"
	SmokerOneRoundName    = "smokers/one-round-at-a-time"
	SmokerAllRoundsName   = "smokers/all-rounds-smoked"
)

// SmokerProperties returns the properties every trace of a run of cfg must
// have:
//
//   - SmokerRightSmoker: round r is smoked by the smoker who has the
//     ingredient the agent left out, with the two ingredients of round r;
//   - SmokerOneRound: the agent puts round r+1 out only after round r's
//     smoker is done, and each round is smoked once;
//   - SmokerAllRounds: all cfg.Rounds rounds are smoked. A deadlocked run
//     (the OneAtATime mistake, ended by its context) fails it, quoting the
//     ingredients smokers took and held.
func SmokerProperties(cfg smokers.Config) []Property[smokers.Event] {
	return []Property[smokers.Event]{SmokerRightSmoker(), SmokerOneRound(), SmokerAllRounds(cfg.Rounds)}
}

// SmokerRightSmoker is the property that each Smoke of round r is by the
// smoker who lacks exactly what the agent put out for round r.
func SmokerRightSmoker() Property[smokers.Event] {
	const name = SmokerRightSmokerName
	return Property[smokers.Event]{Name: name, Check: func(tr []smokers.Event) *Violation {
		puts := map[int]smokers.Event{}
		for _, e := range tr {
			switch e.Kind {
			case smokers.Put:
				puts[e.Round] = e
			case smokers.Smoke:
				p, ok := puts[e.Round]
				if !ok {
					return Violate(name, fmt.Sprintf("smoker %d smokes round %d, which the agent never put out", e.Who, e.Round), e)
				}
				if e.Who < 0 || e.Who > 2 || slices.Contains(p.Ingredients, smokers.Ingredient(e.Who)) ||
					!sameSet(p.Ingredients, e.Ingredients) {
					return Violate(name, fmt.Sprintf("smoker %d (who has %v) smokes round %d, whose ingredients are %v",
						e.Who, smokers.Ingredient(e.Who), e.Round, p.Ingredients), p, e)
				}
			}
		}
		return nil
	}}
}

func sameSet(a, b []smokers.Ingredient) bool {
	return len(a) == len(b) && !slices.ContainsFunc(a, func(x smokers.Ingredient) bool { return !slices.Contains(b, x) })
}

// SmokerOneRound is the property that rounds are put out in order, each
// after the previous round's Done, and each is smoked exactly once.
func SmokerOneRound() Property[smokers.Event] {
	const name = SmokerOneRoundName
	return Property[smokers.Event]{Name: name, Check: func(tr []smokers.Event) *Violation {
		var lastPut, lastDone *smokers.Event
		smoked := map[int]smokers.Event{}
		for i := range tr {
			e := &tr[i]
			switch e.Kind {
			case smokers.Put:
				if lastPut != nil && (lastDone == nil || lastDone.Round != lastPut.Round) {
					return Violate(name, fmt.Sprintf("the agent puts round %d out before round %d was smoked", e.Round, lastPut.Round), *lastPut, *e)
				}
				if lastPut != nil && e.Round != lastPut.Round+1 || lastPut == nil && e.Round != 1 {
					return Violate(name, fmt.Sprintf("round %d put out out of order", e.Round), *e)
				}
				lastPut = e
			case smokers.Smoke:
				if s, ok := smoked[e.Round]; ok {
					return Violate(name, fmt.Sprintf("round %d smoked twice", e.Round), s, *e)
				}
				smoked[e.Round] = *e
			case smokers.Done:
				lastDone = e
			}
		}
		return nil
	}}
}

// SmokerAllRounds is the property that rounds rounds are smoked.
func SmokerAllRounds(rounds int) Property[smokers.Event] {
	const name = SmokerAllRoundsName
	return Property[smokers.Event]{Name: name, Check: func(tr []smokers.Event) *Violation {
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
		return Violate(name, why, quote...)
	}}
}
