// Package check holds the checkers of the dining philosophers (package
// problems/philosophers): props.Property values over traces of
// philosophers.Event, named after what they check. Properties returns them
// all; the property tests run them over random runs and schedules, and the
// narrated command over its run.
//
// They replay a trace and keep, for each chopstick, the event that last
// took it (Took or Eating) until the event that put it back (Released), and
// for each philosopher the Eating event of the meal he is eating. A
// violation quotes those events: the two hands on one chopstick, the two
// neighbours at the table, the meal that was never eaten.
package check

import (
	"fmt"
	"slices"

	"github.com/gochord/chord/problems/philosophers"
	"github.com/gochord/chord/props"
)

// Names of the philosopher properties, as they appear in Violations.
const (
	LifecycleName          = "philosophers/lifecycle"
	ChopstickExclusiveName = "philosophers/chopstick-exclusive"
	NeighboursApartName    = "philosophers/neighbours-apart"
	AllMealsEatenName      = "philosophers/all-meals-eaten"
	ChopsticksReturnedName = "philosophers/chopsticks-returned"
)

// philosopherMaxQuoted bounds the events AllMealsEaten quotes.
const philosopherMaxQuoted = 6

// Properties returns the properties every trace of a dinner
// configured by cfg must have, whatever the solution:
//
//   - Lifecycle: the trace is well formed;
//   - ChopstickExclusive: a chopstick is in at most one hand at a time, and
//     only in the hand of one of its two neighbours;
//   - NeighboursApart: two neighbours never eat at the same time;
//   - AllMealsEaten: every philosopher eats all his meals and leaves;
//   - ChopsticksReturned: at the end every chopstick is back on the table.
//
// A trace cut short by a deadlock fails AllMealsEaten; but run a solution
// inside rapid.SyncTest, and testing/synctest reports the deadlock itself,
// before any trace is checked.
//
// That the solution is not a global lock (with N ≥ 4 two philosophers
// sometimes eat at once) is a property of many runs, not of one trace:
// count the runs with MaxEating(trace) ≥ 2.
func Properties(cfg philosophers.Config) []props.Property[philosophers.Event] {
	return []props.Property[philosophers.Event]{
		Lifecycle(cfg.N, cfg.Meals),
		ChopstickExclusive(cfg.N),
		NeighboursApart(cfg.N),
		AllMealsEaten(cfg.N, cfg.Meals),
		ChopsticksReturned(cfg.N),
	}
}

// Lifecycle is the property that a trace of n philosophers
// eating meals meals each is well formed: Seq numbers the events from 0 and
// At never decreases; Who names a philosopher (or is -1 for OnTable); each
// philosopher goes Thinking → Hungry → (Took…) → Eating → Released for
// meals 1, 2, … in order, leaves (Finished) after his last meal and records
// nothing after that; once a chopstick was found on the table (OnTable,
// after the dinner) no philosopher records anything. The other checkers do
// not assume it: each reports what it can see even in a malformed trace.
func Lifecycle(n, meals int) props.Property[philosophers.Event] {
	const name = LifecycleName
	if n < 1 {
		return noTable(name, n)
	}
	// follows[k] lists the kinds that may come right after kind k in one
	// philosopher's life; start is what may come first.
	start := []philosophers.Kind{philosophers.Thinking}
	follows := map[philosophers.Kind][]philosophers.Kind{
		philosophers.Thinking: {philosophers.Hungry},
		philosophers.Hungry:   {philosophers.Took, philosophers.Eating},
		philosophers.Took:     {philosophers.Took, philosophers.Eating},
		philosophers.Eating:   {philosophers.Released},
		philosophers.Released: {philosophers.Thinking, philosophers.Finished},
		philosophers.Finished: nil,
	}
	return props.Property[philosophers.Event]{Name: name, Check: func(trace []philosophers.Event) *props.Violation {
		last := make([]*philosophers.Event, n) // each philosopher's previous event
		eaten := make([]int, n)                // meals released
		var table *philosophers.Event          // the first OnTable
		for i := range trace {
			e := &trace[i]
			if e.Seq != i {
				return props.Violate(name, fmt.Sprintf("event %d has Seq %d", i, e.Seq), *e)
			}
			if i > 0 && e.At < trace[i-1].At {
				return props.Violate(name, "time went backwards", trace[i-1], *e)
			}
			if e.Kind == philosophers.OnTable {
				if table == nil {
					table = e
				}
				if len(e.Chopsticks) != 1 {
					return props.Violate(name, "an OnTable event must name exactly one chopstick", *e)
				}
				continue
			}
			if e.Who < 0 || e.Who >= n {
				return props.Violate(name, fmt.Sprintf("there is no philosopher %d at a table of %d", e.Who, n), *e)
			}
			if table != nil {
				return props.Violate(name, fmt.Sprintf("P%d is still dining after the chopsticks were collected", e.Who), *table, *e)
			}
			prev := last[e.Who]
			allowed := start
			if prev != nil {
				allowed = follows[prev.Kind]
			}
			if !slices.Contains(allowed, e.Kind) {
				if prev == nil {
					return props.Violate(name, fmt.Sprintf("P%d's first event is %s; want %v", e.Who, e.Kind, allowed), *e)
				}
				return props.Violate(name, fmt.Sprintf("P%d: %s after %s; want %v", e.Who, e.Kind, prev.Kind, allowed), *prev, *e)
			}
			switch e.Kind {
			case philosophers.Thinking:
				if eaten[e.Who] == meals {
					return props.Violate(name, fmt.Sprintf("P%d thinks of a meal %d, but eats only %d", e.Who, meals+1, meals), *e)
				}
			case philosophers.Hungry, philosophers.Took, philosophers.Eating, philosophers.Released:
				if e.Meal != eaten[e.Who]+1 {
					return props.Violate(name, fmt.Sprintf("P%d's event names meal %d; want meal %d", e.Who, e.Meal, eaten[e.Who]+1), *e)
				}
				if e.Kind == philosophers.Released {
					eaten[e.Who]++
				}
			case philosophers.Finished:
				if eaten[e.Who] != meals {
					return props.Violate(name, fmt.Sprintf("P%d left after %d of %d meals", e.Who, eaten[e.Who], meals), *e)
				}
			}
			last[e.Who] = e
		}
		return nil
	}}
}

// ChopstickExclusive is the property that at a table of n each chopstick
// is held by at most one philosopher at a time, and only by one of its two
// neighbours (chopstick c lies between philosophers c-1 and c), and that a
// philosopher eats holding both his chopsticks and puts back only what he
// holds. A chopstick is taken by a Took or Eating event and put back by a
// Released event.
func ChopstickExclusive(n int) props.Property[philosophers.Event] {
	const name = ChopstickExclusiveName
	if n < 1 {
		return noTable(name, n)
	}
	return props.Property[philosophers.Event]{Name: name, Check: func(trace []philosophers.Event) *props.Violation {
		holder := make([]*philosophers.Event, n) // per chopstick: the event that took it
		for i := range trace {
			e := &trace[i]
			switch e.Kind {
			case philosophers.Took, philosophers.Eating, philosophers.Released:
				if e.Who < 0 || e.Who >= n {
					return props.Violate(name, fmt.Sprintf("there is no philosopher %d at a table of %d", e.Who, n), *e)
				}
			}
			switch e.Kind {
			case philosophers.Took, philosophers.Eating:
				for _, c := range e.Chopsticks {
					if v := checkChopstick(name, e, c, n); v != nil {
						return v
					}
					if h := holder[c]; h != nil && h.Who != e.Who {
						return props.Violate(name, fmt.Sprintf("chopstick %d taken by P%d while P%d holds it", c, e.Who, h.Who), *h, *e)
					}
					holder[c] = e
				}
				if e.Kind == philosophers.Eating {
					for _, c := range []int{philosophers.Left(e.Who, n), philosophers.Right(e.Who, n)} {
						if h := holder[c]; h == nil || h.Who != e.Who {
							return props.Violate(name, fmt.Sprintf("P%d eats without his chopstick %d", e.Who, c), *e)
						}
					}
				}
			case philosophers.Released:
				for _, c := range e.Chopsticks {
					if v := checkChopstick(name, e, c, n); v != nil {
						return v
					}
					h := holder[c]
					if h == nil {
						return props.Violate(name, fmt.Sprintf("P%d puts back chopstick %d, which is on the table", e.Who, c), *e)
					}
					if h.Who != e.Who {
						return props.Violate(name, fmt.Sprintf("P%d puts back chopstick %d, which P%d holds", e.Who, c, h.Who), *h, *e)
					}
					holder[c] = nil
				}
			}
		}
		return nil
	}}
}

// noTable is the property for a table of n < 1 philosophers: it fails on
// every trace, since no dinner has such a table.
func noTable(name string, n int) props.Property[philosophers.Event] {
	return props.Property[philosophers.Event]{Name: name, Check: func([]philosophers.Event) *props.Violation {
		return &props.Violation{Property: name, Reason: fmt.Sprintf("a table of %d philosophers", n)}
	}}
}

// checkChopstick reports a violation if e names chopstick c, which is not
// one of e.Who's two.
func checkChopstick(name string, e *philosophers.Event, c, n int) *props.Violation {
	if c < 0 || c >= n {
		return props.Violate(name, fmt.Sprintf("there is no chopstick %d at a table of %d", c, n), *e)
	}
	if e.Who < 0 || e.Who >= n || (c != philosophers.Left(e.Who, n) && c != philosophers.Right(e.Who, n)) {
		return props.Violate(name, fmt.Sprintf("chopstick %d is not P%d's: it lies between P%d and P%d",
			c, e.Who, (c+n-1)%n, c), *e)
	}
	return nil
}

// NeighboursApart is the property that at a table of n two neighbours never
// eat at the same time: a philosopher eats from his Eating event to his
// Released event.
func NeighboursApart(n int) props.Property[philosophers.Event] {
	const name = NeighboursApartName
	if n < 1 {
		return noTable(name, n)
	}
	return props.Property[philosophers.Event]{Name: name, Check: func(trace []philosophers.Event) *props.Violation {
		eating := make([]*philosophers.Event, n) // per philosopher: his Eating event, while he eats
		for i := range trace {
			e := &trace[i]
			if e.Who < 0 || e.Who >= n {
				continue
			}
			switch e.Kind {
			case philosophers.Eating:
				for _, nb := range []int{(e.Who + n - 1) % n, (e.Who + 1) % n} {
					if o := eating[nb]; o != nil {
						return props.Violate(name, fmt.Sprintf("neighbours P%d and P%d eat at the same time", nb, e.Who), *o, *e)
					}
				}
				eating[e.Who] = e
			case philosophers.Released:
				eating[e.Who] = nil
			}
		}
		return nil
	}}
}

// AllMealsEaten is the property that each of n philosophers eats exactly
// meals meals (Eating events) and then leaves the table (Finished). A trace
// cut short — by a deadlock, a cancelled context, a livelock ended by a
// timeout — fails it, and the violation quotes the hungry philosophers'
// last events.
func AllMealsEaten(n, meals int) props.Property[philosophers.Event] {
	const name = AllMealsEatenName
	if n < 1 {
		return noTable(name, n)
	}
	return props.Property[philosophers.Event]{Name: name, Check: func(trace []philosophers.Event) *props.Violation {
		eaten := make([]int, n)
		done := make([]bool, n)
		last := make([]*philosophers.Event, n)
		for i := range trace {
			e := &trace[i]
			if e.Who < 0 || e.Who >= n {
				continue
			}
			last[e.Who] = e
			switch e.Kind {
			case philosophers.Eating:
				eaten[e.Who]++
				if eaten[e.Who] > meals {
					return props.Violate(name, fmt.Sprintf("P%d eats meal %d of %d", e.Who, eaten[e.Who], meals), *e)
				}
			case philosophers.Finished:
				done[e.Who] = true
			}
		}
		var short []philosophers.Event
		var who []string
		for i := range n {
			if eaten[i] < meals || !done[i] {
				who = append(who, fmt.Sprintf("P%d ate %d/%d", i, eaten[i], meals))
				if last[i] != nil && len(short) < philosopherMaxQuoted {
					short = append(short, *last[i])
				}
			}
		}
		if len(who) == 0 {
			return nil
		}
		return props.Violate(name, fmt.Sprintf("%d of %d philosophers did not finish (%v); their last events:", len(who), n, who), short...)
	}}
}

// ChopsticksReturned is the property that at the end of a dinner of n
// every chopstick is back on the table: no Took or Eating is left without
// its Released, and each of the n chopsticks was found on the table once
// (OnTable, recorded by the solution after everybody left; it is the
// solution's own evidence, not the replay's).
func ChopsticksReturned(n int) props.Property[philosophers.Event] {
	const name = ChopsticksReturnedName
	if n < 1 {
		return noTable(name, n)
	}
	return props.Property[philosophers.Event]{Name: name, Check: func(trace []philosophers.Event) *props.Violation {
		holder := make([]*philosophers.Event, n)
		found := make([]*philosophers.Event, n)
		for i := range trace {
			e := &trace[i]
			for _, c := range e.Chopsticks {
				if c < 0 || c >= n {
					return props.Violate(name, fmt.Sprintf("there is no chopstick %d at a table of %d", c, n), *e)
				}
				switch e.Kind {
				case philosophers.Took, philosophers.Eating:
					holder[c] = e
				case philosophers.Released:
					holder[c] = nil
				case philosophers.OnTable:
					if found[c] != nil {
						return props.Violate(name, fmt.Sprintf("chopstick %d found on the table twice", c), *found[c], *e)
					}
					found[c] = e
				}
			}
		}
		for c := range n {
			if h := holder[c]; h != nil {
				return props.Violate(name, fmt.Sprintf("chopstick %d is still in P%d's hand at the end", c, h.Who), *h)
			}
		}
		for c := range n {
			if found[c] == nil {
				var tail []philosophers.Event
				if len(trace) > 0 {
					tail = trace[max(0, len(trace)-3):]
				}
				return props.Violate(name, fmt.Sprintf("chopstick %d was not found on the table at the end; the trace ends:", c), tail...)
			}
		}
		return nil
	}}
}

// MaxEating returns the largest number of philosophers eating at the same
// time in trace (between their Eating and Released events). A solution
// that serialises the table (one global lock, a butler admitting one
// philosopher) never gets above 1; with N ≥ 4 a join-pattern solution
// should, in some runs.
func MaxEating(trace []philosophers.Event) int {
	eating, most := 0, 0
	for _, e := range trace {
		switch e.Kind {
		case philosophers.Eating:
			eating++
			most = max(most, eating)
		case philosophers.Released:
			eating--
		}
	}
	return most
}
