package joinlaws_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/gochord/chord/buffer"
	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/internal/checktest"
	"github.com/gochord/chord/join"
	"github.com/gochord/chord/props"
	"github.com/gochord/chord/props/joinlaws"
	"github.com/gochord/chord/selectx"
)

// A joinProgram is a random program of join patterns over shared channels:
// the spec the checkers read, and what the harness needs to run it.
type joinProgram struct {
	spec      joinlaws.Spec // spec.Cap: per channel, 0 synchronous, -1 unbounded, else the buffer's capacity
	receivers [][]int       // per receiver goroutine: the patterns it selects over (a disjunction)
	sends     [][]int       // per sender goroutine: the channels it sends its messages on, in order
}

// drawJoinProgram draws 1–4 channels (synchronous, unbounded, or bounded to
// 1 or 2 messages), 1–3 patterns of 1–2 parts each (From, FromN, Each,
// AnyOf) over them, receivers that each select over one or more of the
// patterns, and 1–5 senders of 1–5 messages each.
func drawJoinProgram(t *rapid.T) joinProgram {
	var p joinProgram
	nch := rapid.IntRange(1, 4).Draw(t, "channels")
	for c := range nch {
		switch rapid.IntRange(0, 2).Draw(t, fmt.Sprintf("c%d kind", c)) {
		case 0:
			p.spec.Cap = append(p.spec.Cap, joinlaws.Sync)
		case 1:
			p.spec.Cap = append(p.spec.Cap, joinlaws.Unbounded)
		default:
			p.spec.Cap = append(p.spec.Cap, rapid.IntRange(1, 2).Draw(t, fmt.Sprintf("c%d capacity", c)))
		}
	}
	chans := make([]int, nch)
	for c := range chans {
		chans[c] = c
	}
	npat := rapid.IntRange(1, 3).Draw(t, "patterns")
	receiverOf := make([]int, npat)
	for i := range npat {
		// A pattern's channels are distinct; patterns share channels.
		free := rapid.Permutation(chans).Draw(t, fmt.Sprintf("p%d channels", i))
		nparts := rapid.IntRange(1, min(2, nch)).Draw(t, fmt.Sprintf("p%d parts", i))
		var shape joinlaws.Shape
		for k := range nparts {
			label := fmt.Sprintf("p%d part %d", i, k)
			size := rapid.IntRange(1, min(3, len(free)-(nparts-1-k))).Draw(t, label+" size")
			part := joinlaws.Part{Chans: free[:size], Count: 1, Of: size}
			free = free[size:]
			if size == 1 {
				part.Count = rapid.IntRange(1, 2).Draw(t, label+" count") // From or FromN
			} else if rapid.Bool().Draw(t, label+" any") {
				part.Of = rapid.IntRange(1, size).Draw(t, label+" of") // AnyOf, else Each
			}
			shape = append(shape, part)
		}
		p.spec.Patterns = append(p.spec.Patterns, shape)
		receiverOf[i] = rapid.IntRange(0, i).Draw(t, fmt.Sprintf("p%d receiver", i))
	}
	byRecv := map[int][]int{}
	for i, r := range receiverOf {
		byRecv[r] = append(byRecv[r], i)
	}
	for r := range npat {
		if ps := byRecv[r]; ps != nil {
			p.receivers = append(p.receivers, ps)
		}
	}
	nsend := rapid.IntRange(1, 5).Draw(t, "senders")
	for s := range nsend {
		p.sends = append(p.sends, rapid.SliceOfN(rapid.IntRange(0, nch-1), 1, 5).Draw(t, fmt.Sprintf("s%d sends on", s)))
	}
	return p
}

// A joinChan is what the harness needs of a chanop.Chan or a buffer.Buffer.
type joinChan interface {
	chanop.Source[int]
	Send(int) error
	Recv() (int, error)
	Len() int
	Close()
}

// joinTrace records a program's events in order.
type joinTrace struct {
	mu     sync.Mutex
	events []joinlaws.Event
}

func (r *joinTrace) record(e joinlaws.Event) {
	r.mu.Lock()
	r.events = append(r.events, e)
	r.mu.Unlock()
}

// runJoinProgram runs p in r (under props.Check) and returns its trace. If broken is set, each pattern is replaced by brokenJoin, which
// receives its messages one at a time. The program:
//
//  1. starts every receiver and sender and waits until all are blocked
//     (Run.Idle), then records Idle;
//  2. closes every channel, waits for every goroutine to end, and records
//     Idle again with what the buffers still hold.
func runJoinProgram(r *props.Run, p joinProgram, broken bool) []joinlaws.Event {
	chans := make([]joinChan, len(p.spec.Cap))
	for c, k := range p.spec.Cap {
		switch k {
		case joinlaws.Sync:
			chans[c] = chanop.New[int]()
		case joinlaws.Unbounded:
			chans[c] = buffer.Unbounded[int]()
		default:
			chans[c] = buffer.New[int](k)
		}
	}
	var tr joinTrace
	var wg sync.WaitGroup

	if broken {
		for i, shape := range p.spec.Patterns {
			wg.Go(func() { brokenJoin(i, shape, chans, &tr) })
		}
	} else {
		for _, ps := range p.receivers {
			wg.Go(func() { receive(ps, p.spec.Patterns, chans, &tr) })
		}
	}
	msg := 0
	for _, cs := range p.sends {
		first := msg
		msg += len(cs)
		wg.Go(func() {
			for k, c := range cs {
				m := first + k
				tr.record(joinlaws.Event{Kind: joinlaws.Sent, Msg: m, Chan: c})
				err := chans[c].Send(m)
				tr.record(joinlaws.Event{Kind: joinlaws.Returned, Msg: m, Err: err})
			}
		})
	}

	// Pass 1: run until nothing can happen.
	r.Idle()
	idle := pending(chans)
	for i := range p.spec.Patterns {
		idle.Waiting = append(idle.Waiting, i) // nobody has returned yet
	}
	tr.record(idle)

	// Pass 2: close everything and let everybody finish.
	for _, ch := range chans {
		ch.Close()
	}
	wg.Wait()
	tr.record(pending(chans))
	return tr.events
}

// pending returns an Idle event with what each channel holds: the
// messages it stores and those of its blocked senders. It reads them
// through the chanop.Source protocol (under the source's lock) rather than
// Len, which counts a sender that fits into free room as stored.
func pending(chans []joinChan) joinlaws.Event {
	e := joinlaws.Event{Kind: joinlaws.Idle}
	for _, h := range chans {
		ch := h.SourceOps()
		l := ch.SourceLock()
		l.Lock()
		stored, n := ch.Buffered(), 0
		for s := ch.Senders().Front(); s != nil; s = s.Next() {
			if !s.W.Done() {
				n++
			}
		}
		l.Unlock()
		e.Pending = append(e.Pending, stored+n)
		e.Stored = append(e.Stored, stored)
	}
	return e
}

// receive is a receiver of the real join library: it selects over the
// patterns ps until each has returned chanop.ErrClosed, and records every
// firing with what each part took.
func receive(ps []int, shapes []joinlaws.Shape, chans []joinChan, tr *joinTrace) {
	type live struct {
		id    int
		pat   *join.Pattern
		parts []*join.Part[int]
		shape joinlaws.Shape
	}
	var ls []live
	for _, id := range ps {
		l := live{id: id, shape: shapes[id]}
		var cs []join.Conjunct
		for _, jp := range l.shape {
			srcs := make([]chanop.Source[int], len(jp.Chans))
			for k, c := range jp.Chans {
				srcs[k] = chans[c]
			}
			var part *join.Part[int]
			switch {
			case len(srcs) == 1 && jp.Count == 1:
				part = join.From(srcs[0])
			case len(srcs) == 1:
				part = join.FromN(srcs[0], jp.Count)
			case jp.Of == len(srcs):
				part = join.Each(srcs...)
			default:
				part = join.AnyOf(jp.Of, srcs...)
			}
			l.parts = append(l.parts, part)
			cs = append(cs, part)
		}
		l.pat = join.All(cs...)
		ls = append(ls, l)
	}
	for len(ls) > 0 {
		gs := make([]chanop.Guard, len(ls))
		for i, l := range ls {
			gs[i] = l.pat
		}
		g, err := selectx.Select(gs...)
		i := 0
		for gs[i] != g {
			i++
		}
		if err != nil {
			ls = append(ls[:i], ls[i+1:]...) // its channels closed
			continue
		}
		l := ls[i]
		e := joinlaws.Event{Kind: joinlaws.Fired, Pattern: l.id}
		for k, part := range l.parts {
			for j, v := range part.Values() {
				e.Took = append(e.Took, joinlaws.Take{Chan: l.shape[k].Chans[part.Which()[j]], Msg: v})
			}
		}
		tr.record(e)
	}
}

// brokenJoin is the negative control: a "join pattern" that receives its
// messages one at a time — from the first Of channels of each part, Count
// each — and fires once it has them all. It consumes messages before the
// pattern is complete, and holds them while it waits for the rest.
func brokenJoin(id int, shape joinlaws.Shape, chans []joinChan, tr *joinTrace) {
	for {
		e := joinlaws.Event{Kind: joinlaws.Fired, Pattern: id}
		for _, jp := range shape {
			for _, c := range jp.Chans[:jp.Of] {
				for range jp.Count {
					v, err := chans[c].Recv()
					if err != nil {
						return
					}
					e.Took = append(e.Took, joinlaws.Take{Chan: c, Msg: v})
				}
			}
		}
		tr.record(e)
	}
}

// TestJoinConservationLaws runs random programs of join patterns over
// shared synchronous and buffered channels under props.Check, and checks the join laws over their traces: at
// most once, all or nothing, conservation, no lost wake-up.
func TestJoinConservationLaws(t *testing.T) {
	checktest.AtLeastChecks(t, checktest.Checks)
	var firings int
	props.Check(t, func(r *props.Run) {
		p := drawJoinProgram(r.T)
		trace := runJoinProgram(r, p, false)
		checktest.FailOnViolations(r.T, props.CheckAll(trace, joinlaws.Properties(p.spec)...), trace)
		checktest.FailOnViolations(r.T, props.CheckAll(r.Events(), props.ChannelConservation()), r.Events()) // chord's own events
		for _, e := range trace {
			if e.Kind == joinlaws.Fired {
				firings++
			}
		}
	})
	t.Logf("%d firings checked", firings)
	assert.Positive(t, firings, "no pattern ever fired: the programs are too small to test anything")
}

// TestBrokenJoinIsCaught is a negative control: the join laws, run as in
// TestJoinConservationLaws but over brokenJoin, a pattern that consumes
// its messages before it is complete, must fail.
func TestBrokenJoinIsCaught(t *testing.T) {
	out := props.ExpectViolation(t, "join/receive-one-at-a-time", func(r *props.Run) {
		p := drawJoinProgram(r.T)
		trace := runJoinProgram(r, p, true)
		checktest.FailOnViolations(r.T, props.CheckAll(trace, joinlaws.Properties(p.spec)...), trace)
	})
	t.Logf("shrunk counterexample:\n%s", out)
	caught := false
	for _, law := range []string{joinlaws.ConservationName, joinlaws.NoLostWakeupName, "deadlock: "} {
		caught = caught || strings.Contains(out, law)
	}
	require.True(t, caught, "the broken join failed, but not by a join law or a deadlock:\n%s", out)
}

// A checker that cannot fail is a defect: each join law must reject a
// hand-made trace that breaks it, and accept a good one.
func TestJoinCheckersRejectBadTraces(t *testing.T) {
	// c0 synchronous, c1 a one-place buffer; pattern 0 is Each(c0, c1),
	// pattern 1 is FromN(c1, 2).
	spec := joinlaws.Spec{
		Cap: []int{joinlaws.Sync, 1},
		Patterns: []joinlaws.Shape{
			{{Chans: []int{0, 1}, Count: 1, Of: 2}},
			{{Chans: []int{1}, Count: 2, Of: 1}},
		},
	}
	sent := func(m, c int) joinlaws.Event { return joinlaws.Event{Kind: joinlaws.Sent, Msg: m, Chan: c} }
	ret := func(m int, err error) joinlaws.Event {
		return joinlaws.Event{Kind: joinlaws.Returned, Msg: m, Err: err}
	}
	fired := func(p int, took ...joinlaws.Take) joinlaws.Event {
		return joinlaws.Event{Kind: joinlaws.Fired, Pattern: p, Took: took}
	}
	idle := func(pending, stored []int, waiting ...int) joinlaws.Event {
		return joinlaws.Event{Kind: joinlaws.Idle, Pending: pending, Stored: stored, Waiting: waiting}
	}
	good := []joinlaws.Event{
		sent(0, 0), sent(1, 1), ret(1, nil), fired(0, joinlaws.Take{Chan: 0, Msg: 0}, joinlaws.Take{Chan: 1, Msg: 1}), ret(0, nil),
		sent(2, 1), ret(2, nil), idle([]int{0, 1}, []int{0, 1}, 0, 1),
		sent(3, 0), ret(3, chanop.ErrClosed), idle([]int{0, 1}, []int{0, 1}),
	}
	require.Empty(t, props.CheckAll(good, joinlaws.Properties(spec)...))

	tests := []struct {
		name  string
		trace []joinlaws.Event
		want  string
	}{
		{"a message taken twice", []joinlaws.Event{
			sent(0, 1), sent(1, 1), ret(0, nil), ret(1, nil),
			fired(1, joinlaws.Take{Chan: 1, Msg: 0}, joinlaws.Take{Chan: 1, Msg: 1}),
			sent(2, 0), fired(0, joinlaws.Take{Chan: 0, Msg: 2}, joinlaws.Take{Chan: 1, Msg: 1}),
		}, joinlaws.AtMostOnceName},
		{"a message taken from the wrong channel", []joinlaws.Event{
			sent(0, 0), sent(1, 0), fired(0, joinlaws.Take{Chan: 0, Msg: 0}, joinlaws.Take{Chan: 1, Msg: 1}),
		}, joinlaws.AtMostOnceName},
		{"a partial firing", []joinlaws.Event{
			sent(0, 1), ret(0, nil), fired(0, joinlaws.Take{Chan: 1, Msg: 0}),
		}, joinlaws.AllOrNothingName},
		{"a firing that takes too much", []joinlaws.Event{
			sent(0, 1), sent(1, 1), sent(2, 1), fired(1, joinlaws.Take{Chan: 1, Msg: 0}, joinlaws.Take{Chan: 1, Msg: 1}, joinlaws.Take{Chan: 1, Msg: 2}),
		}, joinlaws.AllOrNothingName},
		{"a message lost at idle", []joinlaws.Event{
			sent(0, 1), ret(0, nil), idle([]int{0, 0}, []int{0, 0}, 0, 1),
		}, joinlaws.ConservationName},
		{"a synchronous send returned but never taken", []joinlaws.Event{
			sent(0, 0), ret(0, nil),
		}, joinlaws.ConservationName},
		{"a parked pattern beside its match", []joinlaws.Event{
			sent(0, 0), sent(1, 1), ret(1, nil), idle([]int{1, 1}, []int{0, 1}, 0, 1),
		}, joinlaws.NoLostWakeupName},
		{"a sender stuck beside free room", []joinlaws.Event{
			sent(0, 1), idle([]int{0, 1}, []int{0, 0}, 0, 1),
		}, joinlaws.NoStuckSenderName},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var failed []string
			for _, v := range props.CheckAll(tt.trace, joinlaws.Properties(spec)...) {
				failed = append(failed, v.Property)
				if v.Property == tt.want {
					t.Log(v)
					assert.NotEmpty(t, v.Events, "a violation must quote its counterexample")
				}
			}
			assert.Contains(t, failed, tt.want)
		})
	}
}

// TestJoinCheckersNeverPanic feeds the join checkers arbitrary traces and
// specs: they may report anything, but must not panic.
func TestJoinCheckersNeverPanic(t *testing.T) {
	checktest.AtLeastChecks(t, checktest.Checks)
	rapid.Check(t, func(t *rapid.T) {
		ints := func(label string) []int { return rapid.SliceOfN(rapid.IntRange(-2, 4), 0, 4).Draw(t, label) }
		spec := joinlaws.Spec{Cap: ints("Cap")}
		for range rapid.IntRange(0, 3).Draw(t, "patterns") {
			spec.Patterns = append(spec.Patterns, joinlaws.Shape{{
				Chans: ints("Chans"), Count: rapid.IntRange(-1, 3).Draw(t, "Count"), Of: rapid.IntRange(-1, 3).Draw(t, "Of"),
			}})
		}
		trace := rapid.SliceOfN(rapid.Custom(func(t *rapid.T) joinlaws.Event {
			e := joinlaws.Event{
				Kind:    joinlaws.Kind(rapid.IntRange(0, 4).Draw(t, "Kind")),
				Msg:     rapid.IntRange(-1, 5).Draw(t, "Msg"),
				Chan:    rapid.IntRange(-1, 4).Draw(t, "Chan"),
				Pattern: rapid.IntRange(-1, 3).Draw(t, "Pattern"),
				Pending: ints("Pending"),
				Stored:  ints("Stored"),
				Waiting: ints("Waiting"),
			}
			if rapid.Bool().Draw(t, "failed") {
				e.Err = chanop.ErrClosed
			}
			for range rapid.IntRange(0, 3).Draw(t, "took") {
				e.Took = append(e.Took, joinlaws.Take{Chan: rapid.IntRange(-1, 4).Draw(t, "Take.Chan"), Msg: rapid.IntRange(-1, 5).Draw(t, "Take.Msg")})
			}
			return e
		}), 0, 12).Draw(t, "trace")
		props.CheckAll(trace, joinlaws.Properties(spec)...)
		for _, e := range trace {
			_ = e.String()
		}
	})
}
