package props_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/buffer"
	"github.com/gochord/chord/props"
)

// ev is a hand-written event for the generic properties' tests.
type ev struct {
	who  string
	what string // enter, leave, ask, grant, send, recv, handle
	id   int    // handle: the id; send, recv: the channel
}

func (e ev) String() string { return fmt.Sprintf("%s %s %d", e.who, e.what, e.id) }

var (
	mutex = props.MutualExclusion("mutex", 1, func(e ev) (string, bool, bool) {
		return e.who, e.what == "enter", e.what == "leave"
	})
	once = props.AtMostOnce("once", func(e ev) (int, bool) { return e.id, e.what == "handle" })
	fair = props.BoundedWaiting("fair", 1, func(e ev) (string, bool, bool) {
		return e.who, e.what == "ask", e.what == "grant"
	})
	kept = props.Conservation("kept", func(e ev) (int, int, int) {
		switch e.what {
		case "send":
			return e.id, 1, 0
		case "recv":
			return e.id, 0, 1
		}
		return 0, 0, 0
	})
)

// TestGenericPropertiesJudgeTraces shows each generic property a trace it
// accepts and traces it must reject: none of them can pass everything.
func TestGenericPropertiesJudgeTraces(t *testing.T) {
	for _, c := range []struct {
		name  string
		p     props.Property[ev]
		trace []ev
		want  string // "" if the trace satisfies p
	}{
		{"one at a time", mutex, []ev{{"a", "enter", 0}, {"a", "leave", 0}, {"b", "enter", 0}, {"b", "leave", 0}}, ""},
		{"two inside", mutex, []ev{{"a", "enter", 0}, {"b", "enter", 0}}, "2 inside at once; at most 1 may be"},
		{"leave unentered", mutex, []ev{{"a", "leave", 0}}, "a leaves without having entered"},
		{"enter twice", mutex, []ev{{"a", "enter", 0}, {"a", "enter", 0}}, "a enters again without leaving"},
		{"distinct ids", once, []ev{{"a", "handle", 1}, {"b", "handle", 2}}, ""},
		{"an id twice", once, []ev{{"a", "handle", 1}, {"b", "handle", 1}}, "1 handled twice"},
		{"first come first served", fair, []ev{{"a", "ask", 0}, {"b", "ask", 0}, {"a", "grant", 0}, {"b", "grant", 0}}, ""},
		{"overtaken once", fair, []ev{{"a", "ask", 0}, {"b", "ask", 0}, {"b", "grant", 0}, {"a", "grant", 0}}, ""},
		{"overtaken twice", fair, []ev{{"a", "ask", 0}, {"b", "ask", 0}, {"b", "grant", 0}, {"b", "ask", 0}, {"b", "grant", 0}}, "a overtaken 2 times"},
		{"all delivered", kept, []ev{{"a", "send", 7}, {"b", "recv", 7}}, ""},
		{"made up", kept, []ev{{"b", "recv", 7}}, "channel 7 delivered 1 more than was sent"},
		{"lost", kept, []ev{{"a", "send", 7}, {"a", "send", 7}, {"b", "recv", 7}}, "channel 7 lost 1 messages"},
	} {
		t.Run(c.name, func(t *testing.T) {
			v := c.p.Check(c.trace)
			if c.want == "" {
				assert.Nil(t, v)
				return
			}
			require.NotNil(t, v, "the property accepted a trace it must reject")
			assert.Contains(t, v.Error(), c.want)
		})
	}
}

// crew is a hand-written event for ReleasedWithGroup: a group forms with
// its members, or one member is released.
type crew struct {
	group   int
	members []string // forms group, if not nil
	who     string   // released with group, if not empty
}

func (c crew) String() string {
	if c.members != nil {
		return fmt.Sprintf("group %d forms with %v", c.group, c.members)
	}
	return fmt.Sprintf("%s released with group %d", c.who, c.group)
}

var together = props.ReleasedWithGroup("together",
	func(c crew) (int, []string, bool) { return c.group, c.members, c.members != nil },
	func(c crew) (int, string, bool) { return c.group, c.who, c.who != "" })

// TestReleasedWithGroupJudgesTraces shows ReleasedWithGroup a trace it
// accepts and one of each kind it must reject.
func TestReleasedWithGroupJudgesTraces(t *testing.T) {
	form := func(g int, ms ...string) crew { return crew{group: g, members: ms} }
	out := func(g int, who string) crew { return crew{group: g, who: who} }
	for _, c := range []struct {
		name  string
		trace []crew
		want  string // "" if the trace satisfies the property
	}{
		{"each with its group", []crew{form(1, "a", "b"), form(2, "c"), out(1, "b"), out(2, "c"), out(1, "a")}, ""},
		{"not yet formed", []crew{out(1, "a"), form(1, "a")}, "a released with group 1 before the group formed"},
		{"not a member", []crew{form(1, "a"), form(2, "b"), out(1, "b")}, "b released with group 1, which it is not part of"},
		{"twice", []crew{form(1, "a"), out(1, "a"), out(1, "a")}, "a released twice"},
		{"again with another group", []crew{form(1, "a"), form(2, "a"), out(1, "a"), out(2, "a")}, "a released twice"},
	} {
		t.Run(c.name, func(t *testing.T) {
			v := together.Check(c.trace)
			if c.want == "" {
				assert.Nil(t, v)
				return
			}
			require.NotNil(t, v, "the property accepted a trace it must reject")
			assert.Contains(t, v.Error(), c.want)
			assert.Equal(t, "together", v.Property)
		})
	}
}

// lockLog is a design's trace: a slice behind a mutex. Under Check only
// one goroutine runs between two chord operations, so its order is the
// schedule's.
type lockLog struct {
	mu sync.Mutex
	ev []ev
}

func (l *lockLog) add(e ev) {
	l.mu.Lock()
	l.ev = append(l.ev, e)
	l.mu.Unlock()
}

// tokenLock runs workers that each enter a critical section twice, holding
// one of tokens tokens from a buffer: with one token it is a lock. Under
// the controlled scheduler only chord operations interleave, so the
// critical section does one (it hands its work on).
func tokenLock(r *props.Run, tokens int) []ev {
	lock := buffer.New[int](tokens)
	for i := range tokens {
		_ = lock.Send(i)
	}
	var log lockLog
	done, work := buffer.New[int](3), buffer.Unbounded[int]()
	for w := range 3 {
		who := fmt.Sprintf("worker %d", w)
		r.Go(who, func() {
			for range 2 {
				tok, _ := lock.Recv()
				log.add(ev{who, "enter", 0})
				_ = work.Send(w) // a chord operation: a scheduling point inside
				log.add(ev{who, "leave", 0})
				_ = lock.Send(tok)
			}
			_ = done.Send(w)
		})
	}
	for range 3 {
		_, _ = done.Recv()
	}
	return log.ev
}

// TestTokenLockExcludes checks a lock made of a one-token buffer under
// the controlled scheduler.
func TestTokenLockExcludes(t *testing.T) {
	props.Check(t, func(r *props.Run) {
		if v := mutex.Check(tokenLock(r, 1)); v != nil {
			r.T.Fatal(v)
		}
	})
}

// TestTwoTokenLockIsCaught is a negative control: with two tokens two
// workers can be inside at once, and MutualExclusion says so.
func TestTwoTokenLockIsCaught(t *testing.T) {
	out := props.ExpectViolation(t, "two tokens", func(r *props.Run) {
		if v := mutex.Check(tokenLock(r, 2)); v != nil {
			r.T.Fatal(v)
		}
	})
	assert.Contains(t, out, `property "mutex" violated: 2 inside at once`)
}
