// Package check holds the checkers of the Santa Claus problem (package
// problems/santa): props.Property values over traces of santa.Event, named
// after what they check. Properties returns them all; the property
// tests run them over random runs and schedules, and the narrated
// command over its run.
//
// The checkers read santa.Event (see package santa for the vocabulary).
// They check a trace from santa.Run, or from any solution that records the
// same events:
//
//	arrivals  DeerBack(who), ElfAsks(who)   recorded before the member queues
//	decision  WakeDeer(g), WakeElves(g)     recorded right after Santa's select returns
//	joining   Harness(who, g), ShowIn(who, g)
//	service   DeliveryStart/End(g), ConsultStart/End(g)
//	release   Unharness(who, g), ShowOut(who, g)
//	end       Retire, the last event
//
// A member's k-th arrival is served by the k-th group it joins. The
// checkers assume the trace is complete (the run ended and recorded
// Retire); a cancelled run's trace may fail them.
package check

import (
	"fmt"
	"slices"

	"github.com/gochord/chord/problems/santa"
	"github.com/gochord/chord/props"
)

// Names of the Santa properties, as they appear in Violations.
const (
	GroupsName           = "santa/groups"
	MembershipName       = "santa/membership"
	ServedOnceName       = "santa/served-once"
	OneAtATimeName       = "santa/one-at-a-time"
	SleighName           = "santa/sleigh"
	StudyTurnsName       = "santa/study-turns"
	StudyCapacityName    = "santa/study-capacity"
	ReindeerPriorityName = "santa/reindeer-priority"
	WorkloadName         = "santa/workload"
)

// Properties returns every Santa property for runs of cfg, in the
// order a failure is best read (structure first, then timing rules).
func Properties(cfg santa.Config) []props.Property[santa.Event] {
	return []props.Property[santa.Event]{
		Groups(cfg),
		Membership(cfg),
		ServedOnce(cfg),
		OneAtATime(cfg),
		Sleigh(cfg),
		StudyTurns(cfg),
		StudyCapacity(cfg),
		ReindeerPriority(cfg),
		Workload(cfg),
	}
}

// Groups checks that every group Santa wakes for is exactly
// cfg.Reindeer distinct reindeer (harnessed) or exactly cfg.ElfGroup
// distinct elves (shown in), with indexes in range, and that nobody joins
// a group Santa did not wake for.
func Groups(cfg santa.Config) props.Property[santa.Event] {
	const name = GroupsName
	return props.Property[santa.Event]{Name: name, Check: func(tr []santa.Event) *props.Violation {
		tr = santaSorted(tr)
		wakes := map[int]santa.Event{}
		joins := map[int][]santa.Event{}
		for _, e := range tr {
			switch e.Kind {
			case santa.WakeDeer, santa.WakeElves:
				if w, dup := wakes[e.Group]; dup {
					return props.Violate(name, fmt.Sprintf("Santa woke twice for group %d", e.Group), w, e)
				}
				wakes[e.Group] = e
			case santa.Harness, santa.ShowIn:
				w, ok := wakes[e.Group]
				if !ok || (w.Kind == santa.WakeDeer) != (e.Kind == santa.Harness) {
					return props.Violate(name, fmt.Sprintf("%v joins group %d, which Santa did not wake for as such", santaWho(e), e.Group), e)
				}
				joins[e.Group] = append(joins[e.Group], e)
			}
		}
		for _, w := range santaWakes(tr) {
			js := joins[w.Group]
			want, n, kind := cfg.ElfGroup, cfg.Elves, "elves"
			if w.Kind == santa.WakeDeer {
				want, n, kind = cfg.Reindeer, cfg.Reindeer, "reindeer"
			}
			seen := map[int]bool{}
			for _, j := range js {
				if j.Who < 0 || j.Who >= n {
					return props.Violate(name, fmt.Sprintf("group %d has %v, out of range [0, %d)", w.Group, santaWho(j), n), j)
				}
				if seen[j.Who] {
					return props.Violate(name, fmt.Sprintf("%v joins group %d twice", santaWho(j), w.Group), append([]santa.Event{w}, js...)...)
				}
				seen[j.Who] = true
			}
			if len(js) != want {
				return props.Violate(name, fmt.Sprintf("group %d has %d %s; want exactly %d", w.Group, len(js), kind, want), append([]santa.Event{w}, js...)...)
			}
		}
		return nil
	}}
}

// Membership checks each reindeer's and elf's cycle:
//
//	arrive → join a group → be released → arrive again …
//
// So a member is in at most one open group, joins a group only after it
// arrived (its arrival precedes Santa's decision to take the group), and
// does not start its next cycle (arrive again) before Santa has released
// it from its group.
func Membership(cfg santa.Config) props.Property[santa.Event] {
	const name = MembershipName
	return props.Property[santa.Event]{Name: name, Check: func(tr []santa.Event) *props.Violation {
		tr = santaSorted(tr)
		wakes := map[int]santa.Event{}
		type state struct {
			arrived *santa.Event // pending arrival, while waiting
			joined  *santa.Event // the join, while in a group
		}
		members := map[santaMember]*state{}
		get := func(e santa.Event) *state {
			m := santaMemberOf(e)
			if members[m] == nil {
				members[m] = &state{}
			}
			return members[m]
		}
		for _, e := range tr {
			switch e.Kind {
			case santa.WakeDeer, santa.WakeElves:
				wakes[e.Group] = e
			case santa.DeerBack, santa.ElfAsks:
				s := get(e)
				switch {
				case s.joined != nil:
					return props.Violate(name, fmt.Sprintf("%v starts its next cycle before Santa released it from group %d", santaWho(e), s.joined.Group), *s.joined, e)
				case s.arrived != nil:
					return props.Violate(name, fmt.Sprintf("%v arrives again while its last arrival is not served", santaWho(e)), *s.arrived, e)
				}
				s.arrived = &e
			case santa.Harness, santa.ShowIn:
				s := get(e)
				switch {
				case s.joined != nil:
					return props.Violate(name, fmt.Sprintf("%v joins group %d while still in group %d", santaWho(e), e.Group, s.joined.Group), *s.joined, e)
				case s.arrived == nil:
					return props.Violate(name, fmt.Sprintf("%v joins group %d without having arrived", santaWho(e), e.Group), e)
				}
				if w, ok := wakes[e.Group]; ok && w.Seq < s.arrived.Seq {
					return props.Violate(name, fmt.Sprintf("%v is taken into group %d before it arrived", santaWho(e), e.Group), w, *s.arrived, e)
				}
				s.arrived, s.joined = nil, &e
			case santa.Unharness, santa.ShowOut:
				s := get(e)
				if s.joined == nil || s.joined.Group != e.Group {
					return props.Violate(name, fmt.Sprintf("%v is released from group %d, which it is not in", santaWho(e), e.Group), e)
				}
				s.joined = nil
			}
		}
		return nil
	}}
}

// ServedOnce checks that every request is served exactly once: every
// member who joins a group is released from it exactly once, nobody else
// is released, and every arrival but possibly a member's last one (still
// queued when the run ended) is served.
func ServedOnce(cfg santa.Config) props.Property[santa.Event] {
	const name = ServedOnceName
	return props.Property[santa.Event]{Name: name, Check: func(tr []santa.Event) *props.Violation {
		tr = santaSorted(tr)
		type key struct {
			m     santaMember
			group int
		}
		joined := map[key]santa.Event{}
		released := map[key]santa.Event{}
		arrivals := map[santaMember][]santa.Event{}
		joins := map[santaMember]int{}
		var order []santaMember
		for _, e := range tr {
			switch e.Kind {
			case santa.DeerBack, santa.ElfAsks:
				m := santaMemberOf(e)
				if arrivals[m] == nil {
					order = append(order, m)
				}
				arrivals[m] = append(arrivals[m], e)
			case santa.Harness, santa.ShowIn:
				k := key{santaMemberOf(e), e.Group}
				if j, dup := joined[k]; dup {
					return props.Violate(name, fmt.Sprintf("%v is taken twice into group %d", santaWho(e), e.Group), j, e)
				}
				joined[k] = e
				joins[k.m]++
			case santa.Unharness, santa.ShowOut:
				k := key{santaMemberOf(e), e.Group}
				if r, dup := released[k]; dup {
					return props.Violate(name, fmt.Sprintf("%v is released twice from group %d", santaWho(e), e.Group), r, e)
				}
				if _, ok := joined[k]; !ok {
					return props.Violate(name, fmt.Sprintf("%v is released from group %d, which it never joined", santaWho(e), e.Group), e)
				}
				released[k] = e
			}
		}
		for _, j := range tr {
			if j.Kind != santa.Harness && j.Kind != santa.ShowIn {
				continue
			}
			if _, ok := released[key{santaMemberOf(j), j.Group}]; !ok {
				return props.Violate(name, fmt.Sprintf("%v joined group %d and was never released", santaWho(j), j.Group), j)
			}
		}
		for _, m := range order {
			as := arrivals[m]
			switch unserved := len(as) - joins[m]; {
			case unserved < 0:
				return props.Violate(name, fmt.Sprintf("%v joined %d groups but arrived only %d times", santaWho(as[0]), joins[m], len(as)), as...)
			case unserved > 1:
				return props.Violate(name, fmt.Sprintf("%v has %d arrivals that were never served", santaWho(as[0]), unserved), as[len(as)-unserved:]...)
			}
		}
		return nil
	}}
}

// OneAtATime checks that Santa's service intervals never overlap: he
// wakes for a group only after every event of the previous group (the last
// release included) has happened.
func OneAtATime(cfg santa.Config) props.Property[santa.Event] {
	const name = OneAtATimeName
	return props.Property[santa.Event]{Name: name, Check: func(tr []santa.Event) *props.Violation {
		tr = santaSorted(tr)
		last := map[int]int{} // group → index of its last event
		for i, e := range tr {
			if e.Group != 0 {
				last[e.Group] = i
			}
		}
		open := -1 // index of the wake of the group being served
		for i, e := range tr {
			if e.Kind != santa.WakeDeer && e.Kind != santa.WakeElves {
				continue
			}
			if open >= 0 && last[tr[open].Group] > i {
				// Quote the previous group's events that come after this wake.
				ev := []santa.Event{tr[open], e}
				for _, f := range tr[i+1:] {
					if f.Group == tr[open].Group {
						ev = append(ev, f)
					}
				}
				return props.Violate(name, fmt.Sprintf("Santa wakes for group %d while still serving group %d", e.Group, tr[open].Group), ev...)
			}
			open = i
		}
		return nil
	}}
}

// Sleigh checks each team of reindeer: Santa harnesses the reindeer
// only after the last of them arrived and after he woke for them; all are
// harnessed before the sleigh leaves (one DeliveryStart), the sleigh comes
// back (one DeliveryEnd), and only then are they unharnessed.
func Sleigh(cfg santa.Config) props.Property[santa.Event] {
	const name = SleighName
	return props.Property[santa.Event]{Name: name, Check: func(tr []santa.Event) *props.Violation {
		tr = santaSorted(tr)
		return santaServiceOrder(name, tr, santa.WakeDeer, santa.Harness, santa.DeliveryStart, santa.DeliveryEnd, santa.Unharness, "the sleigh leaves", "the sleigh is back")
	}}
}

// StudyTurns checks each group of elves: they are all shown in (after
// they arrived and Santa woke for them) before the consultation starts,
// shown out only after it ends, and no elf of another group is shown in
// between the first of them coming in and the last going out: a group is
// helped completely before any further elf is admitted.
func StudyTurns(cfg santa.Config) props.Property[santa.Event] {
	const name = StudyTurnsName
	return props.Property[santa.Event]{Name: name, Check: func(tr []santa.Event) *props.Violation {
		tr = santaSorted(tr)
		if v := santaServiceOrder(name, tr, santa.WakeElves, santa.ShowIn, santa.ConsultStart, santa.ConsultEnd, santa.ShowOut, "the consultation starts", "the consultation ends"); v != nil {
			return v
		}
		var in []santa.Event // the current group's events since its first ShowIn
		inside := 0
		for _, e := range tr {
			switch e.Kind {
			case santa.ShowIn:
				if inside > 0 && e.Group != in[0].Group {
					return props.Violate(name, fmt.Sprintf("%v of group %d is shown in before group %d has left the study", santaWho(e), e.Group, in[0].Group), append(in, e)...)
				}
				if inside == 0 {
					in = in[:0]
				}
				inside++
				in = append(in, e)
			case santa.ShowOut:
				inside--
				in = append(in, e)
			}
		}
		return nil
	}}
}

// StudyCapacity checks that there are never more than cfg.ElfGroup
// elves in Santa's study (shown in and not yet shown out).
func StudyCapacity(cfg santa.Config) props.Property[santa.Event] {
	const name = StudyCapacityName
	return props.Property[santa.Event]{Name: name, Check: func(tr []santa.Event) *props.Violation {
		tr = santaSorted(tr)
		inside := map[int]santa.Event{} // elf → its ShowIn
		for _, e := range tr {
			switch e.Kind {
			case santa.ShowIn:
				inside[e.Who] = e
				if len(inside) > cfg.ElfGroup {
					occupants := slices.SortedFunc(func(yield func(santa.Event) bool) {
						for _, x := range inside {
							if !yield(x) {
								return
							}
						}
					}, func(a, b santa.Event) int { return a.Seq - b.Seq })
					return props.Violate(name, fmt.Sprintf("%d elves in the study; it holds %d", len(inside), cfg.ElfGroup), occupants...)
				}
			case santa.ShowOut:
				delete(inside, e.Who)
			}
		}
		return nil
	}}
}

// ReindeerPriority checks that Santa never takes a group of elves
// while all the reindeer are waiting and a delivery is still due: when
// both groups are waiting at the moment Santa decides, the reindeer go
// first.
//
// Why the check is sound. "Waiting" must mean queued on its channel when
// Santa's select chose, or the check would blame Santa for a reindeer that
// was still on its way. The trace records each arrival before the member
// sends, and each decision right after the select returns. Run inside a
// testing/synctest bubble, fake time advances only when every goroutine of
// the bubble is durably blocked; a reindeer that recorded its arrival at
// time a is not blocked until it is queued in Send, so by the end of
// instant a it is queued. Santa records his decision at the instant d at
// which his select completed (he is runnable from then on, so the clock
// cannot move before he records). Hence a reindeer whose arrival has
// At < d, strictly, and that no earlier group took, was queued when Santa
// decided. Arrivals at the same instant as the decision are not counted:
// their order against the select is a race the checker cannot see.
//
// So the property is sound for traces recorded in fake time. In real time
// a reindeer can be preempted between recording and sending, and the
// property may report a false alarm.
func ReindeerPriority(cfg santa.Config) props.Property[santa.Event] {
	const name = ReindeerPriorityName
	return props.Property[santa.Event]{Name: name, Check: func(tr []santa.Event) *props.Violation {
		tr = santaSorted(tr)
		q := santaAnalyse(tr)
		deliveries := 0
		for i, e := range tr {
			switch e.Kind {
			case santa.WakeDeer:
				deliveries++
			case santa.WakeElves:
				if deliveries >= cfg.Deliveries {
					continue
				}
				waiting := q.certainlyWaiting(tr, i, true)
				if len(waiting) < cfg.Reindeer {
					continue
				}
				ev := append(waiting, e)
				for _, f := range tr[i+1:] {
					if f.Kind == santa.ShowIn && f.Group == e.Group {
						ev = append(ev, f)
					}
				}
				return props.Violate(name, fmt.Sprintf("Santa takes elves (group %d) at %v while the whole team (%d reindeer) waits, every one back before he decided", e.Group, e.At, cfg.Reindeer), ev...)
			}
		}
		return nil
	}}
}

// Workload checks that the finite workload finishes: exactly
// cfg.Deliveries deliveries and cfg.ElfVisits consultations are made and
// completed, and the trace ends with Retire.
func Workload(cfg santa.Config) props.Property[santa.Event] {
	const name = WorkloadName
	return props.Property[santa.Event]{Name: name, Check: func(tr []santa.Event) *props.Violation {
		tr = santaSorted(tr)
		count := map[santa.Kind]int{}
		for _, e := range tr {
			count[e.Kind]++
		}
		for _, c := range []struct {
			kind santa.Kind
			want int
		}{
			{santa.WakeDeer, cfg.Deliveries}, {santa.DeliveryStart, cfg.Deliveries}, {santa.DeliveryEnd, cfg.Deliveries},
			{santa.WakeElves, cfg.ElfVisits}, {santa.ConsultStart, cfg.ElfVisits}, {santa.ConsultEnd, cfg.ElfVisits},
		} {
			if count[c.kind] != c.want {
				var last []santa.Event
				if len(tr) > 0 {
					last = tr[len(tr)-1:]
				}
				return props.Violate(name, fmt.Sprintf("%d %v events; want %d", count[c.kind], c.kind, c.want), last...)
			}
		}
		if len(tr) == 0 || tr[len(tr)-1].Kind != santa.Retire || count[santa.Retire] != 1 {
			return props.Violate(name, "the trace does not end with a single Retire", santaTail(tr, 3)...)
		}
		return nil
	}}
}

// santaServiceOrder checks the order of one kind of service (the sleigh or
// the study) for every group woken by wake.
func santaServiceOrder(name string, tr []santa.Event, wake, join, start, end, release santa.Kind, startText, endText string) *props.Violation {
	type group struct {
		wake       santa.Event
		joins      []santa.Event
		start, end []santa.Event
		releases   []santa.Event
	}
	groups := map[int]*group{}
	var order []*group
	pending := map[santaMember]santa.Event{} // latest arrival of each member
	for _, e := range tr {
		switch e.Kind {
		case santa.DeerBack, santa.ElfAsks:
			pending[santaMemberOf(e)] = e
		case wake:
			g := &group{wake: e}
			groups[e.Group] = g
			order = append(order, g)
		case join, start, end, release:
			g := groups[e.Group]
			if g == nil {
				return props.Violate(name, fmt.Sprintf("%v for group %d, which Santa did not wake for", e.Kind, e.Group), e)
			}
			switch e.Kind {
			case join:
				a, ok := pending[santaMemberOf(e)]
				if !ok {
					return props.Violate(name, fmt.Sprintf("%v joins group %d without having arrived", santaWho(e), e.Group), e)
				}
				if a.Seq > g.wake.Seq {
					return props.Violate(name, fmt.Sprintf("%v arrives only after Santa woke for group %d", santaWho(e), e.Group), g.wake, a, e)
				}
				g.joins = append(g.joins, e)
			case start:
				g.start = append(g.start, e)
			case end:
				g.end = append(g.end, e)
			case release:
				g.releases = append(g.releases, e)
			}
		}
	}
	for _, g := range order {
		all := append(append(append(append([]santa.Event{g.wake}, g.joins...), g.start...), g.end...), g.releases...)
		slices.SortFunc(all, func(a, b santa.Event) int { return a.Seq - b.Seq })
		if len(g.start) != 1 || len(g.end) != 1 {
			return props.Violate(name, fmt.Sprintf("group %d has %d %v and %d %v events; want one of each", g.wake.Group, len(g.start), start, len(g.end), end), all...)
		}
		s, f := g.start[0], g.end[0]
		for _, j := range g.joins {
			if j.Seq > s.Seq {
				return props.Violate(name, fmt.Sprintf("%v joins group %d after %s", santaWho(j), g.wake.Group, startText), all...)
			}
		}
		if f.Seq < s.Seq {
			return props.Violate(name, fmt.Sprintf("%s before %s (group %d)", endText, startText, g.wake.Group), all...)
		}
		for _, r := range g.releases {
			if r.Seq < f.Seq {
				return props.Violate(name, fmt.Sprintf("%v is released before %s (group %d)", santaWho(r), endText, g.wake.Group), all...)
			}
		}
	}
	return nil
}

// santaMember identifies a reindeer or an elf.
type santaMember struct {
	deer bool
	who  int
}

func santaMemberOf(e santa.Event) santaMember {
	switch e.Kind {
	case santa.DeerBack, santa.Harness, santa.Unharness:
		return santaMember{true, e.Who}
	}
	return santaMember{false, e.Who}
}

func santaWho(e santa.Event) string {
	if santaMemberOf(e).deer {
		return fmt.Sprintf("reindeer %d", e.Who)
	}
	return fmt.Sprintf("elf %d", e.Who)
}

// santaSorted returns tr in Seq order, copying it only if it is not.
func santaSorted(tr []santa.Event) []santa.Event {
	if slices.IsSortedFunc(tr, func(a, b santa.Event) int { return a.Seq - b.Seq }) {
		return tr
	}
	tr = slices.Clone(tr)
	slices.SortStableFunc(tr, func(a, b santa.Event) int { return a.Seq - b.Seq })
	return tr
}

func santaWakes(tr []santa.Event) []santa.Event {
	var ws []santa.Event
	for _, e := range tr {
		if e.Kind == santa.WakeDeer || e.Kind == santa.WakeElves {
			ws = append(ws, e)
		}
	}
	return ws
}

func santaTail(tr []santa.Event, n int) []santa.Event {
	return tr[max(0, len(tr)-n):]
}

// santaQueues is what santaAnalyse finds out about who waits when: each
// member's arrivals, the groups it joined (in order), and the index of
// Santa's decision for each group.
type santaQueues struct {
	arrivals map[santaMember][]int // indexes into the trace
	joined   map[santaMember][]int // group numbers, in order
	wakeAt   map[int]int           // group → index of its wake
}

func santaAnalyse(tr []santa.Event) *santaQueues {
	q := &santaQueues{
		arrivals: map[santaMember][]int{},
		joined:   map[santaMember][]int{},
		wakeAt:   map[int]int{},
	}
	for i, e := range tr {
		switch e.Kind {
		case santa.DeerBack, santa.ElfAsks:
			m := santaMemberOf(e)
			q.arrivals[m] = append(q.arrivals[m], i)
		case santa.Harness, santa.ShowIn:
			m := santaMemberOf(e)
			q.joined[m] = append(q.joined[m], e.Group)
		case santa.WakeDeer, santa.WakeElves:
			q.wakeAt[e.Group] = i
		}
	}
	return q
}

// certainlyWaiting returns the arrivals of the reindeer (deer) or elves
// that were certainly queued when Santa decided at tr[i]: arrived strictly
// earlier in time (see ReindeerPriority) and not taken by a group
// Santa had woken for before i. The k-th arrival of a member is served by
// the k-th group it joins.
func (q *santaQueues) certainlyWaiting(tr []santa.Event, i int, deer bool) []santa.Event {
	var out []santa.Event
	d := tr[i]
	for m, as := range q.arrivals {
		if m.deer != deer {
			continue
		}
		k := -1 // the member's latest arrival strictly before d
		for j, a := range as {
			if a < i && tr[a].At < d.At {
				k = j
			}
		}
		if k < 0 {
			continue
		}
		if gs := q.joined[m]; k < len(gs) {
			if w, ok := q.wakeAt[gs[k]]; ok && w < i {
				continue // taken by an earlier group
			}
		}
		out = append(out, tr[as[k]])
	}
	slices.SortFunc(out, func(a, b santa.Event) int { return a.Seq - b.Seq })
	return out
}
