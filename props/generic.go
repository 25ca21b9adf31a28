package props

// Generic properties for a user's own design, over the user's own event
// type: each takes a function that reads what a property needs from an
// event (who enters, which id is handled, which channel a message crosses),
// so a trace is recorded in whatever shape suits the design.

import (
	"fmt"
	"slices"
)

// MutualExclusion is the property that at most limit actors are inside
// their critical sections at once. span reads an event: the actor it
// concerns, and whether the actor enters or leaves (an event that does
// neither is ignored). An actor that leaves without having entered, or
// enters twice, fails it too.
func MutualExclusion[E any, A comparable](name string, limit int, span func(E) (actor A, enter, leave bool)) Property[E] {
	return Property[E]{Name: name, Check: func(tr []E) *Violation {
		inside := map[A]int{} // actor → index of its enter event
		var order []A         // actors inside, in order of entry
		for i, e := range tr {
			a, enter, leave := span(e)
			switch {
			case enter:
				if j, ok := inside[a]; ok {
					return Violate(name, fmt.Sprintf("%v enters again without leaving", a), tr[j], e)
				}
				inside[a] = i
				order = append(order, a)
				if len(order) > limit {
					ev := make([]E, 0, len(order))
					for _, b := range order {
						ev = append(ev, tr[inside[b]])
					}
					return Violate(name, fmt.Sprintf("%d inside at once; at most %d may be", len(order), limit), ev...)
				}
			case leave:
				if _, ok := inside[a]; !ok {
					return Violate(name, fmt.Sprintf("%v leaves without having entered", a), e)
				}
				delete(inside, a)
				order = slices.DeleteFunc(order, func(b A) bool { return b == a })
			}
		}
		return nil
	}}
}

// AtMostOnce is the property that no id is handled twice: id reads the id
// an event handles, if it handles one (ok).
func AtMostOnce[E any, K comparable](name string, id func(E) (k K, ok bool)) Property[E] {
	return Property[E]{Name: name, Check: func(tr []E) *Violation {
		first := map[K]int{}
		for i, e := range tr {
			k, ok := id(e)
			if !ok {
				continue
			}
			if j, seen := first[k]; seen {
				return Violate(name, fmt.Sprintf("%v handled twice", k), tr[j], e)
			}
			first[k] = i
		}
		return nil
	}}
}

// BoundedWaiting is the property that no actor is overtaken more than k
// times: between an actor's request and its grant, at most k actors that
// requested after it are granted. step reads an event: the actor it
// concerns, and whether it requests or is granted.
func BoundedWaiting[E any, A comparable](name string, k int, step func(E) (actor A, request, grant bool)) Property[E] {
	return Property[E]{Name: name, Check: func(tr []E) *Violation {
		type wait struct {
			at        int // index of the request
			overtaken []int
		}
		waiting := map[A]*wait{}
		var queue []A // waiting actors, in order of request
		for i, e := range tr {
			a, request, grant := step(e)
			switch {
			case request:
				if _, ok := waiting[a]; !ok {
					waiting[a] = &wait{at: i}
					queue = append(queue, a)
				}
			case grant:
				if _, ok := waiting[a]; !ok {
					continue // granted without asking: not this property's business
				}
				// Everybody who asked before a and still waits is overtaken.
				for _, b := range queue {
					if b == a {
						break
					}
					wb := waiting[b]
					wb.overtaken = append(wb.overtaken, i)
					if len(wb.overtaken) > k {
						ev := []E{tr[wb.at]}
						for _, j := range wb.overtaken {
							ev = append(ev, tr[j])
						}
						return Violate(name, fmt.Sprintf("%v overtaken %d times while it waited; at most %d allowed", b, len(wb.overtaken), k), ev...)
					}
				}
				delete(waiting, a)
				queue = slices.DeleteFunc(queue, func(b A) bool { return b == a })
			}
		}
		return nil
	}}
}

// Conservation is the property that every channel delivers what was sent
// on it, no more and no less: flow reads how many messages an event sends
// on and receives from which channel. At no point may a channel have
// delivered more than was sent on it, and at the end of the trace it must
// have delivered everything (record what a run leaves pending as received
// by a final event, if that is intended).
func Conservation[E any, C comparable](name string, flow func(E) (ch C, sent, received int)) Property[E] {
	return Property[E]{Name: name, Check: func(tr []E) *Violation {
		balance := map[C]int{}
		last := map[C][]int{} // indexes of the latest events of each channel
		var chans []C
		for i, e := range tr {
			c, s, r := flow(e)
			if s == 0 && r == 0 {
				continue
			}
			if _, ok := balance[c]; !ok {
				chans = append(chans, c)
			}
			balance[c] += s - r
			last[c] = append(last[c], i)
			if len(last[c]) > 4 {
				last[c] = last[c][1:]
			}
			if balance[c] < 0 {
				return Violate(name, fmt.Sprintf("channel %v delivered %d more than was sent on it", c, -balance[c]), pick(tr, last[c])...)
			}
		}
		for _, c := range chans {
			if b := balance[c]; b > 0 {
				return Violate(name, fmt.Sprintf("channel %v lost %d messages: sent, never delivered", c, b), pick(tr, last[c])...)
			}
		}
		return nil
	}}
}

func pick[E any](tr []E, is []int) []E {
	ev := make([]E, len(is))
	for j, i := range is {
		ev[j] = tr[i]
	}
	return ev
}

// ReleasedWithGroup is the property that every member of a group is
// released with its group, once: a release comes after its group formed,
// names one of the group's members, and comes once per member. formed
// reads an event that forms a group (ok): the group and its members;
// released reads an event that releases a member (ok): the group it is
// released with, and the member. A group formed twice under one name keeps
// its latest members.
func ReleasedWithGroup[E any, G, M comparable](name string, formed func(E) (group G, members []M, ok bool), released func(E) (group G, member M, ok bool)) Property[E] {
	return Property[E]{Name: name, Check: func(tr []E) *Violation {
		groups := map[G]int{} // group → index of the event that formed it
		done := map[M]int{}   // member → index of its release
		for i, e := range tr {
			if g, _, ok := formed(e); ok {
				groups[g] = i
				continue
			}
			g, m, ok := released(e)
			if !ok {
				continue
			}
			j, ok := groups[g]
			if !ok {
				return Violate(name, fmt.Sprintf("%v released with group %v before the group formed", m, g), e)
			}
			if _, members, _ := formed(tr[j]); !slices.Contains(members, m) {
				return Violate(name, fmt.Sprintf("%v released with group %v, which it is not part of", m, g), tr[j], e)
			}
			if k, ok := done[m]; ok {
				return Violate(name, fmt.Sprintf("%v released twice", m), tr[k], e)
			}
			done[m] = i
		}
		return nil
	}}
}
