package props

// Recording without instrumentation: chord reports its own events (a send
// offering a message, its delivery, a receive, a close) to the controller
// of the run, from the same internal hook as the scheduling points.

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/guard"
	"github.com/gochord/chord/internal/sched"
)

// An Event is one of chord's own events in a run, recorded by chord itself:
// the program under test records nothing. The events of a run are in the
// order they happened, which the schedule decides.
//
// The controller adds an "idle" event whenever no goroutine can go on: the
// program waits for a timer, is idle at the end, or is deadlocked.
//
// Recorded today: the plain operations of chanop.Chan and buffer.Buffer
// (Send, Recv, Close) and the firings of join patterns. Select guards
// (SendOp, RecvOp) are not recorded yet; a message a pattern or a select
// takes shows as its sender's delivery (and the pattern's firing). For a
// buffer, a delivery is the message stored.
type Event struct {
	Step int    // the schedule step it happened in, as Run.Trace numbers them
	Who  string // the goroutine that caused it
	Kind string // "offer", "deliver", "receive", "close", "fire", "idle" (nobody can go on; Who is empty), or a csync lock's (see csync_locks.go)
	Chan string // the channel ("chan 0", "chan 1", …), the pattern ("pattern 0", …) or the lock ("mutex 0", "rwmutex 0", …), in order of first appearance, or the name Run.Name gave it
	Msg  any    // offer, deliver, receive: the message; fire: how many senders the firing released
	Err  error  // deliver, receive: what the operation returned
}

// String formats e as a trace line: "elf 0 offers 3 on chan 1".
func (e Event) String() string {
	var s string
	switch e.Kind {
	case "offer":
		s = fmt.Sprintf("%s offers %s on %s", e.Who, short(e.Msg), e.Chan)
	case "deliver":
		s = fmt.Sprintf("%s delivered %s on %s", e.Who, short(e.Msg), e.Chan)
	case "receive":
		s = fmt.Sprintf("%s receives %s from %s", e.Who, short(e.Msg), e.Chan)
	case "close":
		s = fmt.Sprintf("%s closes %s", e.Who, e.Chan)
	case "idle":
		return "nobody can go on: the program is idle"
	case "fire":
		s = fmt.Sprintf("%s fires %s, releasing %v senders", e.Who, e.Chan, e.Msg)
	default:
		s = fmt.Sprintf("%s %s %s", e.Who, e.Kind, e.Chan)
	}
	if e.Err != nil {
		s += fmt.Sprintf(" (%v)", e.Err)
	}
	return s
}

var eventKinds = [...]string{sched.Offered: "offer", sched.Delivered: "deliver", sched.Received: "receive", sched.Closed: "close", sched.Fired: "fire"}

// guardLocked describes a guard of a select for a deadlock report:
// "receive from chan 2", "pattern 0 (From: a message; From: no
// message)", "Done". c.mu is held; every goroutine of the run is blocked,
// so taking a pattern's locks to describe it cannot wait.
func (c *controller) guardLocked(g chanop.Guard) string {
	if g == nil {
		return "nil"
	}
	ops := g.GuardOps()
	if d, ok := ops.(guard.Describer); ok {
		return c.nameLocked2(g, "pattern") + " (" + d.Describe() + ")"
	}
	t := reflect.TypeOf(g).String() // *chanop.RecvOp[int], *buffer.SendOp[string], *chanop.doneGuard
	verb := ""
	switch {
	case strings.Contains(t, ".RecvOp["):
		verb = "receive from "
	case strings.Contains(t, ".SendOp["):
		verb = "send on "
	}
	if ch, ok := ops.(guard.OnChannel); ok && verb != "" {
		return verb + c.nameLocked2(ch.Channel(), "chan")
	}
	if strings.HasSuffix(t, ".timerOp") {
		return "a chanop.Timer's tick"
	}
	t = strings.TrimPrefix(t, "*")
	if i := strings.LastIndexByte(t, '.'); i >= 0 {
		t = t[i+1:]
	}
	return strings.TrimSuffix(t, "Guard")
}

// nameLocked2 returns the name of a channel or pattern in events, naming
// it now if it has none. c.mu is held.
func (c *controller) nameLocked2(x any, kind string) string {
	if c.chans == nil {
		c.chans, c.nchans = map[any]string{}, map[string]int{}
	}
	name, ok := c.chans[x]
	if !ok {
		c.nchans[kind]++
		name = fmt.Sprintf("%s %d", kind, c.nchans[kind]-1)
		c.chans[x] = name
	}
	return name
}

// giveNameLocked names x as the user asked (Run.Name). c.mu is held.
func (c *controller) giveNameLocked(x any, want string) {
	if c.chans == nil {
		c.chans, c.nchans = map[any]string{}, map[string]int{}
	}
	taken := func(n string) bool {
		for _, v := range c.chans {
			if v == n {
				return true
			}
		}
		return false
	}
	name := want
	for i := 2; taken(name); i++ {
		name = fmt.Sprintf("%s #%d", want, i)
	}
	c.chans[x] = name
}

// maxShort is how long a message may be in a trace line or a report.
const maxShort = 40

// short formats v for a trace line: %v, cut to maxShort characters.
func short(v any) string {
	s := fmt.Sprint(v)
	if r := []rune(s); len(r) > maxShort {
		s = string(r[:maxShort-1]) + "…"
	}
	return s
}

// Record implements sched.Recorder. The event is the running goroutine's:
// chord records after an operation's scheduling point, never while a
// goroutine it woke is on its way to its own. (It does not check that the
// caller is in the run's bubble, which costs a stack trace: Check refuses
// to run beside another property.)
func (c *controller) Record(k sched.EventKind, ch, v any, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if k == sched.Guards {
		if g := c.current; g != nil {
			g.guards = g.guards[:0]
			if gs, ok := v.([]any); ok {
				for _, x := range gs {
					if guard, ok := x.(chanop.Guard); ok {
						g.guards = append(g.guards, guard)
					}
				}
			}
		}
		return
	}
	if k >= sched.Waiting {
		c.lockEventLocked(k, ch, v) // csync's locks: see csync_locks.go
		return
	}
	kind := "chan"
	if k == sched.Fired {
		kind = "pattern"
	}
	name := c.nameLocked2(ch, kind)
	who := "?"
	if c.current != nil {
		who = c.current.name
	}
	c.annotateLocked(who, name, false)
	e := Event{Step: len(c.steps), Who: who, Kind: eventKinds[k], Chan: name, Err: err}
	if k != sched.Closed {
		e.Msg = v
	}
	c.events = append(c.events, e)
}

// annotateLocked adds the channel of an operation to the step that began
// it: "Chan.Send on orders". c.mu is held.
// lock tells a csync lock's event from a channel's: each annotates only
// its own operations (csync's locks are made of channels).
func (c *controller) annotateLocked(who, ch string, lock bool) {
	if n := len(c.steps); n > 0 {
		st := &c.steps[n-1]
		kinds := []string{"Chan.", "Buffer."}
		if lock {
			kinds = []string{"Mutex.", "RWMutex.", "rlocker."}
		}
		own := false
		for _, p := range kinds {
			own = own || strings.HasPrefix(st.op, p)
		}
		if own && st.who == who && (st.kind == atOp || st.kind == atResume) && st.on == "" {
			st.on = ch
		}
	}
}

// Events returns chord's events of the run so far (see Event).
func (r *Run) Events() []Event {
	r.c.mu.Lock()
	defer r.c.mu.Unlock()
	return append([]Event(nil), r.c.events...)
}

// ChannelConservationName is the name of ChannelConservation.
const ChannelConservationName = "chord/channel-conservation"

// ChannelConservation is the property that chord's channels neither make
// up nor duplicate messages, over the events chord records (Run.Events):
// on every channel, no message is received more often than it was
// offered, and at the end more often than its sends returned nil. Messages
// are told apart by value; values of types that cannot be compared are
// skipped.
func ChannelConservation() Property[Event] {
	const name = ChannelConservationName
	return Property[Event]{Name: name, Check: func(tr []Event) *Violation {
		type key struct {
			ch  string
			msg any
		}
		offered, delivered, received := map[key]int{}, map[key]int{}, map[key]int{}
		quote := map[key][]Event{}
		for _, e := range tr {
			if e.Kind == "fire" || e.Kind == "idle" || e.Msg == nil || !reflect.TypeOf(e.Msg).Comparable() {
				continue
			}
			k := key{e.Chan, e.Msg}
			quote[k] = append(quote[k], e)
			switch {
			case e.Kind == "offer":
				offered[k]++
			case e.Kind == "deliver" && e.Err == nil:
				delivered[k]++
			case e.Kind == "receive" && e.Err == nil:
				received[k]++
				if received[k] > offered[k] {
					return Violate(name, fmt.Sprintf("%v received from %s %d times, offered %d times", e.Msg, e.Chan, received[k], offered[k]), quote[k]...)
				}
			}
		}
		for k, n := range received {
			if n > delivered[k] {
				return Violate(name, fmt.Sprintf("%v received from %s %d times, delivered %d times", k.msg, k.ch, n, delivered[k]), quote[k]...)
			}
		}
		return nil
	}}
}
