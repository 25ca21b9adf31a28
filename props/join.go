package props

// Checkers for the conservation laws of join patterns (package join), over a
// trace of primitive events that a test harness records around the calls it
// makes:
//
//	JoinSent      before Send(Msg) on channel Chan
//	JoinReturned  after that Send returned, with Err
//	JoinFired     after a select over patterns returned Pattern, with the
//	              messages its parts took (Values and Which)
//	JoinIdle      when every goroutine of the program is blocked
//	              (synctest.Wait), with what each channel still holds and
//	              which patterns' owners are parked
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

import (
	"fmt"
	"slices"
	"strings"
)

// Names of the join properties, as they appear in Violations.
const (
	JoinAtMostOnceName    = "join/at-most-once"
	JoinAllOrNothingName  = "join/all-or-nothing"
	JoinConservationName  = "join/conservation"
	JoinNoLostWakeupName  = "join/no-lost-wakeup"
	JoinNoStuckSenderName = "join/no-stuck-sender"
)

// joinMaxQuoted bounds the events a join counterexample quotes.
const joinMaxQuoted = 8

// A JoinKind is what a JoinEvent reports.
type JoinKind uint8

// The kinds of join events.
const (
	JoinSent     JoinKind = iota // Msg is about to be sent on Chan
	JoinReturned                 // the Send of Msg returned Err
	JoinFired                    // Pattern fired and took Took
	JoinIdle                     // the program is idle: Pending and Waiting
)

var joinKindNames = [...]string{
	JoinSent:     "sent",
	JoinReturned: "returned",
	JoinFired:    "fired",
	JoinIdle:     "idle",
}

// String returns the kind's name.
func (k JoinKind) String() string {
	if int(k) < len(joinKindNames) {
		return joinKindNames[k]
	}
	return fmt.Sprintf("JoinKind(%d)", uint8(k))
}

// A Take is one message a firing took: message Msg from channel Chan.
type Take struct {
	Chan, Msg int
}

// A JoinEvent is one step of a program of join patterns, as its harness
// records it. Channels and patterns are numbered from 0, as in the JoinSpec.
type JoinEvent struct {
	Kind    JoinKind
	Msg     int    // JoinSent, JoinReturned: the message
	Chan    int    // JoinSent: the channel it is sent on
	Err     error  // JoinReturned: what Send returned
	Pattern int    // JoinFired: the pattern that fired
	Took    []Take // JoinFired: what it took, in any order
	// JoinIdle: per channel, the messages a receiver could still take:
	// those stored in a buffer and those offered by blocked senders. Each
	// must be an independent message: a sender offers one at a time.
	Pending []int
	Stored  []int // JoinIdle: per channel, how many of Pending the buffer itself holds (0 for a synchronous channel)
	Waiting []int // JoinIdle: the patterns whose owners are parked in a select
}

// String formats e on one line.
func (e JoinEvent) String() string {
	switch e.Kind {
	case JoinSent:
		return fmt.Sprintf("sent m%d on c%d", e.Msg, e.Chan)
	case JoinReturned:
		if e.Err != nil {
			return fmt.Sprintf("send of m%d returned %v", e.Msg, e.Err)
		}
		return fmt.Sprintf("send of m%d returned", e.Msg)
	case JoinFired:
		var b []byte
		for i, t := range e.Took {
			if i > 0 {
				b = append(b, ' ')
			}
			b = fmt.Appendf(b, "m%d@c%d", t.Msg, t.Chan)
		}
		return fmt.Sprintf("pattern %d fired, took [%s]", e.Pattern, b)
	case JoinIdle:
		return fmt.Sprintf("idle: pending per channel %v (stored %v), waiting patterns %v", e.Pending, e.Stored, e.Waiting)
	}
	return e.Kind.String()
}

// A JoinPart describes one part of a pattern: it takes Count messages from
// each of Of of the channels Chans. join.From(c) is {[c], 1, 1};
// FromN(c, n) is {[c], n, 1}; Each(cs…) is {cs, 1, len(cs)}; AnyOf(m, cs…)
// is {cs, 1, m}.
type JoinPart struct {
	Chans []int
	Count int
	Of    int
}

// String formats p as the join call it describes: "Each(c0, c1)".
func (p JoinPart) String() string {
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

// A JoinShape is what one pattern takes when it fires: its parts, whose
// channels are distinct.
type JoinShape []JoinPart

// String formats s as the join call it describes: "All(Each(c0, c1), From(c2))".
func (s JoinShape) String() string {
	ps := make([]string, len(s))
	for i, p := range s {
		ps[i] = p.String()
	}
	return "All(" + strings.Join(ps, ", ") + ")"
}

// Channel capacities in a JoinSpec.
const (
	JoinSync      = 0  // a synchronous channel (chanop.Chan): a Send that returned nil was taken
	JoinUnbounded = -1 // an unbounded buffer (buffer.Unbounded): Send never blocks
)

// A JoinSpec describes the program a join trace comes from.
type JoinSpec struct {
	// Cap gives each channel's capacity: JoinSync, JoinUnbounded, or n > 0
	// for a buffer of n messages (buffer.New(n)), on which a Send that
	// returned nil was stored.
	Cap []int
	// Patterns gives each pattern's shape.
	Patterns []JoinShape
}

// JoinProperties returns the join laws for traces of programs described by
// spec: JoinAtMostOnce, JoinAllOrNothing, JoinConservation,
// JoinNoLostWakeup and JoinNoStuckSender.
func JoinProperties(spec JoinSpec) []Property[JoinEvent] {
	return []Property[JoinEvent]{
		JoinAtMostOnce(spec),
		JoinAllOrNothing(spec),
		JoinConservation(spec),
		JoinNoLostWakeup(spec),
		JoinNoStuckSender(spec),
	}
}

// JoinAtMostOnce is the property that each message is taken by at most one
// firing, from the channel it was sent on, after its JoinSent, and never if
// its Send returned an error.
func JoinAtMostOnce(spec JoinSpec) Property[JoinEvent] {
	const name = JoinAtMostOnceName
	return Property[JoinEvent]{Name: name, Check: func(trace []JoinEvent) *Violation {
		sent := map[int]JoinEvent{}   // message → its JoinSent
		taken := map[int]JoinEvent{}  // message → the firing that took it
		failed := map[int]JoinEvent{} // message → its failed JoinReturned
		for _, e := range trace {
			switch e.Kind {
			case JoinSent:
				if s, ok := sent[e.Msg]; ok {
					return Violate(name, fmt.Sprintf("message m%d sent twice: the harness must number messages uniquely", e.Msg), s, e)
				}
				sent[e.Msg] = e
			case JoinReturned:
				if e.Err != nil {
					if f, ok := taken[e.Msg]; ok {
						return Violate(name, fmt.Sprintf("m%d was taken, yet its Send failed", e.Msg), sent[e.Msg], f, e)
					}
					failed[e.Msg] = e
				}
			case JoinFired:
				for _, t := range e.Took {
					s, ok := sent[t.Msg]
					switch {
					case !ok:
						return Violate(name, fmt.Sprintf("m%d taken before it was sent", t.Msg), e)
					case s.Chan != t.Chan:
						return Violate(name, fmt.Sprintf("m%d taken from c%d, but it was sent on c%d", t.Msg, t.Chan, s.Chan), s, e)
					}
					if f, ok := taken[t.Msg]; ok {
						return Violate(name, fmt.Sprintf("m%d taken twice", t.Msg), s, f, e)
					}
					if f, ok := failed[t.Msg]; ok {
						return Violate(name, fmt.Sprintf("m%d taken after its Send failed", t.Msg), s, f, e)
					}
					taken[t.Msg] = e
				}
			}
		}
		return nil
	}}
}

// JoinAllOrNothing is the property that every firing takes exactly what its
// pattern's shape requires: for each part, Count messages from each of
// exactly Of distinct channels of the part, and nothing from a channel
// outside the pattern. A firing that took a partial match, or took a
// message twice over, fails it.
func JoinAllOrNothing(spec JoinSpec) Property[JoinEvent] {
	const name = JoinAllOrNothingName
	return Property[JoinEvent]{Name: name, Check: func(trace []JoinEvent) *Violation {
		for _, e := range trace {
			if e.Kind != JoinFired {
				continue
			}
			if e.Pattern < 0 || e.Pattern >= len(spec.Patterns) {
				return Violate(name, fmt.Sprintf("there is no pattern %d", e.Pattern), e)
			}
			if reason := shapeMismatch(spec.Patterns[e.Pattern], e.Took); reason != "" {
				return Violate(name, fmt.Sprintf("pattern %d, %v, %s", e.Pattern, spec.Patterns[e.Pattern], reason), e)
			}
		}
		return nil
	}}
}

// shapeMismatch tells how took differs from what shape takes, or returns "".
func shapeMismatch(shape JoinShape, took []Take) string {
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

// JoinConservation is the property that no message is lost or made up:
// at every JoinIdle, on every channel, the messages sent equal those taken
// by firings, plus those whose Send failed, plus those pending; and at the
// end of the trace, every message whose Send on a synchronous channel
// returned nil was taken by a firing. A pattern that takes a message
// without firing (a receive before the whole pattern matched) breaks it.
func JoinConservation(spec JoinSpec) Property[JoinEvent] {
	const name = JoinConservationName
	return Property[JoinEvent]{Name: name, Check: func(trace []JoinEvent) *Violation {
		n := len(spec.Cap)
		chanOf := map[int]int{}        // message → channel
		sentEv := map[int]JoinEvent{}  // message → JoinSent
		retEv := map[int]JoinEvent{}   // message → JoinReturned
		takenBy := map[int]JoinEvent{} // message → JoinFired
		sent, taken, failed := make([]int, n), make([]int, n), make([]int, n)
		inRange := func(c int) bool { return c >= 0 && c < n }
		for i, e := range trace {
			switch e.Kind {
			case JoinSent:
				if !inRange(e.Chan) {
					return Violate(name, fmt.Sprintf("there is no channel c%d", e.Chan), e)
				}
				chanOf[e.Msg] = e.Chan
				sentEv[e.Msg] = e
				sent[e.Chan]++
			case JoinReturned:
				retEv[e.Msg] = e
				if c, ok := chanOf[e.Msg]; ok && e.Err != nil {
					failed[c]++
				}
			case JoinFired:
				for _, t := range e.Took {
					if inRange(t.Chan) {
						taken[t.Chan]++
						takenBy[t.Msg] = e
					}
				}
			case JoinIdle:
				if len(e.Pending) != n {
					return Violate(name, fmt.Sprintf("idle event gives %d channels' pending messages; there are %d", len(e.Pending), n), e)
				}
				for c := range n {
					if sent[c] == taken[c]+failed[c]+e.Pending[c] {
						continue
					}
					reason := fmt.Sprintf("on c%d, %d sent ≠ %d taken + %d failed + %d pending", c, sent[c], taken[c], failed[c], e.Pending[c])
					return Violate(name, reason, quoteChan(trace[:i+1], c, chanOf)...)
				}
			}
		}
		// At the end: a synchronous Send that returned nil was taken.
		for _, e := range trace {
			if e.Kind != JoinReturned || e.Err != nil {
				continue
			}
			c, ok := chanOf[e.Msg]
			if !ok || spec.Cap[c] != JoinSync {
				continue
			}
			if _, ok := takenBy[e.Msg]; !ok {
				return Violate(name, fmt.Sprintf("the Send of m%d on synchronous c%d returned nil, but no firing took m%d: the message was lost", e.Msg, c, e.Msg), sentEv[e.Msg], retEv[e.Msg])
			}
		}
		return nil
	}}
}

// quoteChan returns, for a counterexample, the last events of trace that
// concern channel c (at most joinMaxQuoted of them) and trace's last event.
func quoteChan(trace []JoinEvent, c int, chanOf map[int]int) []JoinEvent {
	var q []JoinEvent
	for _, e := range trace[:len(trace)-1] {
		switch e.Kind {
		case JoinSent:
			if e.Chan == c {
				q = append(q, e)
			}
		case JoinReturned:
			if ch, ok := chanOf[e.Msg]; ok && ch == c {
				q = append(q, e)
			}
		case JoinFired:
			if slices.ContainsFunc(e.Took, func(t Take) bool { return t.Chan == c }) {
				q = append(q, e)
			}
		}
	}
	q = q[max(0, len(q)-joinMaxQuoted+1):]
	return append(q, trace[len(trace)-1])
}

// JoinNoLostWakeup is the property that when the program is idle no parked
// pattern could fire: for every pattern in a JoinIdle's Waiting, some part
// finds fewer than Of of its channels holding Count pending messages. A
// pattern left parked beside a complete match has lost a wake-up: it would
// wait forever.
func JoinNoLostWakeup(spec JoinSpec) Property[JoinEvent] {
	const name = JoinNoLostWakeupName
	return Property[JoinEvent]{Name: name, Check: func(trace []JoinEvent) *Violation {
		for _, e := range trace {
			if e.Kind != JoinIdle {
				continue
			}
			for _, p := range e.Waiting {
				if p < 0 || p >= len(spec.Patterns) {
					return Violate(name, fmt.Sprintf("there is no pattern %d", p), e)
				}
				if couldFire(spec.Patterns[p], e.Pending) {
					return Violate(name, fmt.Sprintf("pattern %d, %v, is parked beside pending messages that match it", p, spec.Patterns[p]), e)
				}
			}
		}
		return nil
	}}
}

// couldFire reports whether shape matches the pending message counts.
func couldFire(shape JoinShape, pending []int) bool {
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

// JoinNoStuckSender is the property that when the program is idle a
// sender is blocked (Pending > Stored) only on a synchronous channel or on
// a bounded buffer that is full (Stored = Cap), never on an unbounded one.
// A sender left blocked beside free room waits for no reason, until some
// later operation happens to refill the buffer: a firing that took
// buffered messages forgot to let the blocked senders in.
func JoinNoStuckSender(spec JoinSpec) Property[JoinEvent] {
	const name = JoinNoStuckSenderName
	return Property[JoinEvent]{Name: name, Check: func(trace []JoinEvent) *Violation {
		for _, e := range trace {
			if e.Kind != JoinIdle {
				continue
			}
			if len(e.Pending) != len(spec.Cap) || len(e.Stored) != len(spec.Cap) {
				return Violate(name, fmt.Sprintf("idle event gives %d channels' pending and %d channels' stored messages; there are %d channels", len(e.Pending), len(e.Stored), len(spec.Cap)), e)
			}
			for c, k := range spec.Cap {
				blocked := e.Pending[c] - e.Stored[c]
				switch {
				case blocked < 0:
					return Violate(name, fmt.Sprintf("c%d stores %d messages but only %d are pending", c, e.Stored[c], e.Pending[c]), e)
				case k == JoinSync && e.Stored[c] != 0:
					return Violate(name, fmt.Sprintf("synchronous c%d stores %d messages", c, e.Stored[c]), e)
				case blocked > 0 && k == JoinUnbounded:
					return Violate(name, fmt.Sprintf("%s blocked on unbounded c%d", senders(blocked), c), e)
				case blocked > 0 && k > 0 && e.Stored[c] < k:
					return Violate(name, fmt.Sprintf("%s blocked on c%d, which has room: it stores %d of %d", senders(blocked), c, e.Stored[c], k), e)
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
