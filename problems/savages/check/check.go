// Package check holds the checkers of the dining savages (package
// problems/savages): props.Property values over traces of savages.Event, named
// after what they check. Properties returns them all; the property
// tests run them over random runs and schedules, and the narrated
// command over its run.
package check

import (
	"fmt"

	"github.com/gochord/chord/problems/savages"
	"github.com/gochord/chord/props"
)

// Names of the dining savages' properties, as they appear in Violations.
const (
	RefillWhenEmptyName = "savages/refill-only-when-empty"
	ServingOnceName     = "savages/each-serving-once"
	AllFedName          = "savages/all-fed"
)

// Properties returns the properties every trace of a feast of cfg
// must have:
//
//   - RefillWhenEmpty: the cook puts potful n+1 in only after the
//     last serving of potful n was taken;
//   - ServingOnce: each serving is taken once, after its potful was
//     cooked, and is one of its cfg.Servings;
//   - AllFed: each savage eats cfg.Meals servings.
func Properties(cfg savages.Config) []props.Property[savages.Event] {
	return []props.Property[savages.Event]{RefillWhenEmpty(cfg.Servings), ServingOnce(cfg.Servings), AllFed(cfg.Savages, cfg.Meals)}
}

// RefillWhenEmpty is the property that each Refill after the first
// follows the Take of the last serving (number servings) of the previous
// potful. The pot is a FIFO, so that serving is the last of its potful to
// leave the pot: once it is taken the pot is empty. (Counting the Takes
// instead would be wrong: a savage records his Take after his receive
// returned, so another's Take of a later serving can come first.)
func RefillWhenEmpty(servings int) props.Property[savages.Event] {
	const name = RefillWhenEmptyName
	return props.Property[savages.Event]{Name: name, Check: func(tr []savages.Event) *props.Violation {
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
					return props.Violate(name, fmt.Sprintf("the cook puts potful %d in before serving %d.%d, the last of potful %d, was taken",
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

// ServingOnce is the property that each serving is taken once, from
// a potful that was cooked, and is numbered 1 to servings.
func ServingOnce(servings int) props.Property[savages.Event] {
	const name = ServingOnceName
	return props.Property[savages.Event]{Name: name, Check: func(tr []savages.Event) *props.Violation {
		cooked := map[int]bool{}
		took := map[savages.Serving]savages.Event{}
		for _, e := range tr {
			switch e.Kind {
			case savages.Refill:
				cooked[e.Serving.Pot] = true
			case savages.Take:
				if !cooked[e.Serving.Pot] || e.Serving.N < 1 || e.Serving.N > servings {
					return props.Violate(name, fmt.Sprintf("savage %d takes serving %v, which was never cooked", e.Who, e.Serving), e)
				}
				if t, ok := took[e.Serving]; ok {
					return props.Violate(name, fmt.Sprintf("serving %v is eaten twice", e.Serving), t, e)
				}
				took[e.Serving] = e
			}
		}
		return nil
	}}
}

// AllFed is the property that each of n savages eats meals servings.
func AllFed(n, meals int) props.Property[savages.Event] {
	const name = AllFedName
	return props.Property[savages.Event]{Name: name, Check: func(tr []savages.Event) *props.Violation {
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
				return props.Violate(name, fmt.Sprintf("savage %d ate %d of %d servings; his last event:", s, ate[s], meals), last[s])
			}
		}
		return nil
	}}
}
