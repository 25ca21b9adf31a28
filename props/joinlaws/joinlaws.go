// Package joinlaws checks the conservation laws of chord's join patterns
// (package join) by property: props.Property checkers over a trace of
// primitive events that a test harness records around the calls it makes:
//
//	Sent      before Send(Msg) on channel Chan
//	Returned  after that Send returned, with Err
//	Fired     after a select over patterns returned Pattern, with the
//	          messages its parts took (Values and Which)
//	Idle      when every goroutine of the program is blocked
//	          (synctest.Wait), with what each channel still holds and
//	          which patterns' owners are parked
//
// Messages must be distinct: a message is its Msg number. The laws:
//
//   - at most once: a message is taken by at most one firing, from the
//     channel it was sent on, after it was sent, and never if its Send
//     failed;
//   - all or nothing: each firing takes exactly what its pattern's shape
//     requires, no more, no fewer, from no other channel;
//   - conservation: when the program is idle, on every channel
//     sent = taken + failed + pending; and a Send on a synchronous channel
//     that returned nil had its message taken by a firing;
//   - no lost wake-up: when the program is idle, no parked pattern could
//     fire with the messages pending;
//   - no stuck sender: when the program is idle, a sender is blocked only on
//     a synchronous channel or a full bounded buffer (a firing that takes
//     buffered messages must let blocked senders refill the room it made).
package joinlaws

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gochord/chord/props"
)

// Names of the join properties, as they appear in Violations.
const (
	AtMostOnceName    = "join/at-most-once"
	AllOrNothingName  = "join/all-or-nothing"
	ConservationName  = "join/conservation"
	NoLostWakeupName  = "join/no-lost-wakeup"
	NoStuckSenderName = "join/no-stuck-sender"
)

// maxQuoted bounds the events a join counterexample quotes.
const maxQuoted = 8

// A Kind is what a Event reports.
type Kind uint8

// The kinds of join events.
const (
	Sent     Kind = iota // Msg is about to be sent on Chan
	Returned             // the Send of Msg returned Err
	Fired                // Pattern fired and took Took
	Idle                 // the program is idle: Pending and Waiting
)

var kindNames = [...]string{
	Sent:     "sent",
	Returned: "returned",
	Fired:    "fired",
	Idle:     "idle",
}

// String returns the kind's name.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// A Take is one message a firing took: message Msg from channel Chan.
type Take struct {
	Chan, Msg int // the channel, and the message's number
}

// A Event is one step of a program of join patterns, as its harness
// records it. Channels and patterns are numbered from 0, as in the Spec.
type Event struct {
	Kind    Kind   // what happened
	Msg     int    // Sent, Returned: the message
	Chan    int    // Sent: the channel it is sent on
	Err     error  // Returned: what Send returned
	Pattern int    // Fired: the pattern that fired
	Took    []Take // Fired: what it took, in any order
	// Idle: per channel, the messages a receiver could still take:
	// those stored in a buffer and those offered by blocked senders. Each
	// must be an independent message: a sender offers one at a time.
	Pending []int
	Stored  []int // Idle: per channel, how many of Pending the buffer itself holds (0 for a synchronous channel)
	Waiting []int // Idle: the patterns whose owners are parked in a select
}

// String formats e on one line.
func (e Event) String() string {
	switch e.Kind {
	case Sent:
		return fmt.Sprintf("sent m%d on c%d", e.Msg, e.Chan)
	case Returned:
		if e.Err != nil {
			return fmt.Sprintf("send of m%d returned %v", e.Msg, e.Err)
		}
		return fmt.Sprintf("send of m%d returned", e.Msg)
	case Fired:
		var b []byte
		for i, t := range e.Took {
			if i > 0 {
				b = append(b, ' ')
			}
			b = fmt.Appendf(b, "m%d@c%d", t.Msg, t.Chan)
		}
		return fmt.Sprintf("pattern %d fired, took [%s]", e.Pattern, b)
	case Idle:
		return fmt.Sprintf("idle: pending per channel %v (stored %v), waiting patterns %v", e.Pending, e.Stored, e.Waiting)
	}
	return e.Kind.String()
}

// A Part describes one part of a pattern: it takes Count messages from
// each of Of of the channels Chans. join.From(c) is {[c], 1, 1};
// FromN(c, n) is {[c], n, 1}; Each(cs…) is {cs, 1, len(cs)}; AnyOf(m, cs…)
// is {cs, 1, m}.
type Part struct {
	Chans []int // the part's channels, distinct
	Count int   // messages taken from each channel it takes from
	Of    int   // how many of Chans it takes from
}

// String formats p as the join call it describes: "Each(c0, c1)".
func (p Part) String() string {
	cs := make([]string, len(p.Chans))
	for i, c := range p.Chans {
		cs[i] = fmt.Sprintf("c%d", c)
	}
	list := strings.Join(cs, ", ")
	switch {
	case len(p.Chans) == 1 && p.Count == 1 && p.Of == 1:
		return "From(" + list + ")"
	case len(p.Chans) == 1 && p.Of == 1:
		return fmt.Sprintf("FromN(%s, %d)", list, p.Count)
	case p.Count == 1 && p.Of == len(p.Chans):
		return "Each(" + list + ")"
	case p.Count == 1:
		return fmt.Sprintf("AnyOf(%d, %s)", p.Of, list)
	}
	return fmt.Sprintf("{%d from each of %d of %s}", p.Count, p.Of, list)
}

// A Shape is what one pattern takes when it fires: its parts, whose
// channels are distinct.
type Shape []Part

// String formats s as the join call it describes: "All(Each(c0, c1), From(c2))".
func (s Shape) String() string {
	ps := make([]string, len(s))
	for i, p := range s {
		ps[i] = p.String()
	}
	return "All(" + strings.Join(ps, ", ") + ")"
}

// Channel capacities in a Spec.
const (
	Sync      = 0  // a synchronous channel (chanop.Chan): a Send that returned nil was taken
	Unbounded = -1 // an unbounded buffer (buffer.Unbounded): Send never blocks
)

// A Spec describes the program a join trace comes from.
type Spec struct {
	// Cap gives each channel's capacity: Sync, Unbounded, or n > 0
	// for a buffer of n messages (buffer.New(n)), on which a Send that
	// returned nil was stored.
	Cap []int
	// Patterns gives each pattern's shape.
	Patterns []Shape
}

// Properties returns the join laws for traces of programs described by
// spec: AtMostOnce, AllOrNothing, Conservation,
// NoLostWakeup and NoStuckSender.
func Properties(spec Spec) []props.Property[Event] {
	return []props.Property[Event]{
		AtMostOnce(spec),
		AllOrNothing(spec),
		Conservation(spec),
		NoLostWakeup(spec),
		NoStuckSender(spec),
	}
}

// AtMostOnce is the property that each message is taken by at most one
// firing, from the channel it was sent on, after its Sent, and never if
// its Send returned an error.
func AtMostOnce(spec Spec) props.Property[Event] {
	const name = AtMostOnceName
	return props.Property[Event]{Name: name, Check: func(trace []Event) *props.Violation {
		sent := map[int]Event{}   // message → its Sent
		taken := map[int]Event{}  // message → the firing that took it
		failed := map[int]Event{} // message → its failed Returned
		for _, e := range trace {
			switch e.Kind {
			case Sent:
				if s, ok := sent[e.Msg]; ok {
					return props.Violate(name, fmt.Sprintf("message m%d sent twice: the harness must number messages uniquely", e.Msg), s, e)
				}
				sent[e.Msg] = e
			case Returned:
				if e.Err != nil {
					if f, ok := taken[e.Msg]; ok {
						return props.Violate(name, fmt.Sprintf("m%d was taken, yet its Send failed", e.Msg), sent[e.Msg], f, e)
					}
					failed[e.Msg] = e
				}
			case Fired:
				for _, t := range e.Took {
					s, ok := sent[t.Msg]
					switch {
					case !ok:
						return props.Violate(name, fmt.Sprintf("m%d taken before it was sent", t.Msg), e)
					case s.Chan != t.Chan:
						return props.Violate(name, fmt.Sprintf("m%d taken from c%d, but it was sent on c%d", t.Msg, t.Chan, s.Chan), s, e)
					}
					if f, ok := taken[t.Msg]; ok {
						return props.Violate(name, fmt.Sprintf("m%d taken twice", t.Msg), s, f, e)
					}
					if f, ok := failed[t.Msg]; ok {
						return props.Violate(name, fmt.Sprintf("m%d taken after its Send failed", t.Msg), s, f, e)
					}
					taken[t.Msg] = e
				}
			}
		}
		return nil
	}}
}

// AllOrNothing is the property that every firing takes exactly what its
// pattern's shape requires: for each part, Count messages from each of
// exactly Of distinct channels of the part, and nothing from a channel
// outside the pattern. A firing that took a partial match, or took a
// message twice over, fails it.
func AllOrNothing(spec Spec) props.Property[Event] {
	const name = AllOrNothingName
	return props.Property[Event]{Name: name, Check: func(trace []Event) *props.Violation {
		for _, e := range trace {
			if e.Kind != Fired {
				continue
			}
			if e.Pattern < 0 || e.Pattern >= len(spec.Patterns) {
				return props.Violate(name, fmt.Sprintf("there is no pattern %d", e.Pattern), e)
			}
			if reason := shapeMismatch(spec.Patterns[e.Pattern], e.Took); reason != "" {
				return props.Violate(name, fmt.Sprintf("pattern %d, %v, %s", e.Pattern, spec.Patterns[e.Pattern], reason), e)
			}
		}
		return nil
	}}
}

// shapeMismatch tells how took differs from what shape takes, or returns "".
func shapeMismatch(shape Shape, took []Take) string {
	per := map[int]int{} // channel → messages taken from it
	for _, t := range took {
		per[t.Chan]++
	}
	for _, p := range shape {
		from := 0
		for _, c := range p.Chans {
			switch k := per[c]; {
			case k == 0:
			case k == p.Count:
				from++
			default:
				return fmt.Sprintf("took %d messages from c%d, where %v takes %d", k, c, p, p.Count)
			}
			delete(per, c)
		}
		if from != p.Of {
			return fmt.Sprintf("took from %d of the channels of %v; it takes from %d", from, p, p.Of)
		}
	}
	for c := range per {
		return fmt.Sprintf("took from c%d, which is not in the pattern", c)
	}
	return ""
}

// Conservation is the property that no message is lost or made up:
// at every Idle, on every channel, the messages sent equal those taken
// by firings, plus those whose Send failed, plus those pending; and at the
// end of the trace, every message whose Send on a synchronous channel
// returned nil was taken by a firing. A pattern that takes a message
// without firing (a receive before the whole pattern matched) breaks it.
func Conservation(spec Spec) props.Property[Event] {
	const name = ConservationName
	return props.Property[Event]{Name: name, Check: func(trace []Event) *props.Violation {
		n := len(spec.Cap)
		chanOf := map[int]int{}    // message → channel
		sentEv := map[int]Event{}  // message → Sent
		retEv := map[int]Event{}   // message → Returned
		takenBy := map[int]Event{} // message → Fired
		sent, taken, failed := make([]int, n), make([]int, n), make([]int, n)
		inRange := func(c int) bool { return c >= 0 && c < n }
		for i, e := range trace {
			switch e.Kind {
			case Sent:
				if !inRange(e.Chan) {
					return props.Violate(name, fmt.Sprintf("there is no channel c%d", e.Chan), e)
				}
				chanOf[e.Msg] = e.Chan
				sentEv[e.Msg] = e
				sent[e.Chan]++
			case Returned:
				retEv[e.Msg] = e
				if c, ok := chanOf[e.Msg]; ok && e.Err != nil {
					failed[c]++
				}
			case Fired:
				for _, t := range e.Took {
					if inRange(t.Chan) {
						taken[t.Chan]++
						takenBy[t.Msg] = e
					}
				}
			case Idle:
				if len(e.Pending) != n {
					return props.Violate(name, fmt.Sprintf("idle event gives %d channels' pending messages; there are %d", len(e.Pending), n), e)
				}
				for c := range n {
					if sent[c] == taken[c]+failed[c]+e.Pending[c] {
						continue
					}
					reason := fmt.Sprintf("on c%d, %d sent ≠ %d taken + %d failed + %d pending", c, sent[c], taken[c], failed[c], e.Pending[c])
					return props.Violate(name, reason, quoteChan(trace[:i+1], c, chanOf)...)
				}
			}
		}
		// At the end: a synchronous Send that returned nil was taken.
		for _, e := range trace {
			if e.Kind != Returned || e.Err != nil {
				continue
			}
			c, ok := chanOf[e.Msg]
			if !ok || spec.Cap[c] != Sync {
				continue
			}
			if _, ok := takenBy[e.Msg]; !ok {
				return props.Violate(name, fmt.Sprintf("the Send of m%d on synchronous c%d returned nil, but no firing took m%d: the message was lost", e.Msg, c, e.Msg), sentEv[e.Msg], retEv[e.Msg])
			}
		}
		return nil
	}}
}

// quoteChan returns, for a counterexample, the last events of trace that
// concern channel c (at most maxQuoted of them) and trace's last event.
func quoteChan(trace []Event, c int, chanOf map[int]int) []Event {
	var q []Event
	for _, e := range trace[:len(trace)-1] {
		switch e.Kind {
		case Sent:
			if e.Chan == c {
				q = append(q, e)
			}
		case Returned:
			if ch, ok := chanOf[e.Msg]; ok && ch == c {
				q = append(q, e)
			}
		case Fired:
			if slices.ContainsFunc(e.Took, func(t Take) bool { return t.Chan == c }) {
				q = append(q, e)
			}
		}
	}
	q = q[max(0, len(q)-maxQuoted+1):]
	return append(q, trace[len(trace)-1])
}

// NoLostWakeup is the property that when the program is idle no parked
// pattern could fire: for every pattern in a Idle's Waiting, some part
// finds fewer than Of of its channels holding Count pending messages. A
// pattern left parked beside a complete match has lost a wake-up: it would
// wait forever.
func NoLostWakeup(spec Spec) props.Property[Event] {
	const name = NoLostWakeupName
	return props.Property[Event]{Name: name, Check: func(trace []Event) *props.Violation {
		for _, e := range trace {
			if e.Kind != Idle {
				continue
			}
			for _, p := range e.Waiting {
				if p < 0 || p >= len(spec.Patterns) {
					return props.Violate(name, fmt.Sprintf("there is no pattern %d", p), e)
				}
				if couldFire(spec.Patterns[p], e.Pending) {
					return props.Violate(name, fmt.Sprintf("pattern %d, %v, is parked beside pending messages that match it", p, spec.Patterns[p]), e)
				}
			}
		}
		return nil
	}}
}

// couldFire reports whether shape matches the pending message counts.
func couldFire(shape Shape, pending []int) bool {
	for _, p := range shape {
		ready := 0
		for _, c := range p.Chans {
			if c >= 0 && c < len(pending) && pending[c] >= p.Count {
				ready++
			}
		}
		if ready < p.Of {
			return false
		}
	}
	return true
}

// NoStuckSender is the property that when the program is idle a
// sender is blocked (Pending > Stored) only on a synchronous channel or on
// a bounded buffer that is full (Stored = Cap), never on an unbounded one.
// A sender left blocked beside free room waits for no reason, until some
// later operation happens to refill the buffer: a firing that took
// buffered messages forgot to let the blocked senders in.
func NoStuckSender(spec Spec) props.Property[Event] {
	const name = NoStuckSenderName
	return props.Property[Event]{Name: name, Check: func(trace []Event) *props.Violation {
		for _, e := range trace {
			if e.Kind != Idle {
				continue
			}
			if len(e.Pending) != len(spec.Cap) || len(e.Stored) != len(spec.Cap) {
				return props.Violate(name, fmt.Sprintf("idle event gives %d channels' pending and %d channels' stored messages; there are %d channels", len(e.Pending), len(e.Stored), len(spec.Cap)), e)
			}
			for c, k := range spec.Cap {
				blocked := e.Pending[c] - e.Stored[c]
				switch {
				case blocked < 0:
					return props.Violate(name, fmt.Sprintf("c%d stores %d messages but only %d are pending", c, e.Stored[c], e.Pending[c]), e)
				case k == Sync && e.Stored[c] != 0:
					return props.Violate(name, fmt.Sprintf("synchronous c%d stores %d messages", c, e.Stored[c]), e)
				case blocked > 0 && k == Unbounded:
					return props.Violate(name, fmt.Sprintf("%s blocked on unbounded c%d", senders(blocked), c), e)
				case blocked > 0 && k > 0 && e.Stored[c] < k:
					return props.Violate(name, fmt.Sprintf("%s blocked on c%d, which has room: it stores %d of %d", senders(blocked), c, e.Stored[c], k), e)
				}
			}
		}
		return nil
	}}
}

func senders(n int) string {
	if n == 1 {
		return "1 sender"
	}
	return fmt.Sprintf("%d senders", n)
}
