package props

// Checkers for the dining savages (package problems/savages).

import (
	"fmt"

	"github.com/gochord/chord/problems/savages"
)

// Names of the dining savages' properties, as they appear in Violations.
const (
	SavageRefillWhenEmptyName = "savages/refill-only-when-empty"
	SavageServingOnceName     = "savages/each-serving-once"
	SavageAllFedName          = "savages/all-fed"
)

// SavageProperties returns the properties every trace of a feast of cfg
// must have:
//
//   - SavageRefillWhenEmpty: the cook puts potful n+1 in only after the
//     last serving of potful n was taken;
//   - SavageServingOnce: each serving is taken once, after its potful was
//     cooked, and is one of its cfg.Servings;
//   - SavageAllFed: each savage eats cfg.Meals servings.
func SavageProperties(cfg savages.Config) []Property[savages.Event] {
	return []Property[savages.Event]{SavageRefillWhenEmpty(cfg.Servings), SavageServingOnce(cfg.Servings), SavageAllFed(cfg.Savages, cfg.Meals)}
}

// SavageRefillWhenEmpty is the property that each Refill after the first
// follows the Take of the last serving (number servings) of the previous
// potful. The pot is a FIFO, so that serving is the last of its potful to
// leave the pot: once it is taken the pot is empty. (Counting the Takes
// instead would be wrong: a savage records his Take after his receive
// returned, so another's Take of a later serving can come first.)
func SavageRefillWhenEmpty(servings int) Property[savages.Event] {
	const name = SavageRefillWhenEmptyName
	return Property[savages.Event]{Name: name, Check: func(tr []savages.Event) *Violation {
		var last *savages.Event // the latest Refill
		emptied := true         // its last serving was taken
		var lastTake *savages.Event
		for i := range tr {
			e := &tr[i]
			switch e.Kind {
			case savages.Refill:
				if last != nil && !emptied {
					quote := []savages.Event{*last}
					if lastTake != nil {
						quote = append(quote, *lastTake)
					}
					quote = append(quote, *e)
					return Violate(name, fmt.Sprintf("the cook puts potful %d in before serving %d.%d, the last of potful %d, was taken",
						e.Serving.Pot, last.Serving.Pot, servings, last.Serving.Pot), quote...)
				}
				last, emptied, lastTake = e, false, nil
			case savages.Take:
				if last != nil && e.Serving.Pot == last.Serving.Pot {
					lastTake = e
					if e.Serving.N == servings {
						emptied = true
					}
				}
			}
		}
		return nil
	}}
}

// SavageServingOnce is the property that each serving is taken once, from
// a potful that was cooked, and is numbered 1 to servings.
func SavageServingOnce(servings int) Property[savages.Event] {
	const name = SavageServingOnceName
	return Property[savages.Event]{Name: name, Check: func(tr []savages.Event) *Violation {
		cooked := map[int]bool{}
		took := map[savages.Serving]savages.Event{}
		for _, e := range tr {
			switch e.Kind {
			case savages.Refill:
				cooked[e.Serving.Pot] = true
			case savages.Take:
				if !cooked[e.Serving.Pot] || e.Serving.N < 1 || e.Serving.N > servings {
					return Violate(name, fmt.Sprintf("savage %d takes serving %v, which was never cooked", e.Who, e.Serving), e)
				}
				if t, ok := took[e.Serving]; ok {
					return Violate(name, fmt.Sprintf("serving %v is eaten twice", e.Serving), t, e)
				}
				took[e.Serving] = e
			}
		}
		return nil
	}}
}

// SavageAllFed is the property that each of n savages eats meals servings.
func SavageAllFed(n, meals int) Property[savages.Event] {
	const name = SavageAllFedName
	return Property[savages.Event]{Name: name, Check: func(tr []savages.Event) *Violation {
		ate := make(map[int]int)
		last := map[int]savages.Event{}
		for _, e := range tr {
			if e.Who >= 0 {
				last[e.Who] = e
			}
			if e.Kind == savages.Take {
				ate[e.Who]++
			}
		}
		for s := range n {
			if ate[s] != meals {
				return Violate(name, fmt.Sprintf("savage %d ate %d of %d servings; his last event:", s, ate[s], meals), last[s])
			}
		}
		return nil
	}}
}
