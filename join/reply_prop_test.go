package join_test

// The reply property: every call gets exactly one answer — the reply of
// the firing that took its message, meant for it — or an error that says
// why: ErrNoReply when that firing's owner did not answer before running a
// select on the pattern again, ErrClosed when the call channel closed
// first. Owners run random patterns over shared call channels, answer a
// random subset of each firing's calls, sometimes after a pause; callers
// call plainly or select their offer against a timeout; the channels close
// at the end or in the middle.

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"pgregory.net/rapid"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/join"
	"github.com/gochord/chord/selectx"
)

// drawer draws the scenario: rapid's draws in the property, a seeded
// generator in the negative controls.
type drawer func(lo, hi int, label string) int

type replyScenario struct {
	nch      int
	owners   [][]partSpec // each owner's pattern
	replies  [][]bool     // per owner, whether to answer its k-th taken call (cycled)
	pause    []bool       // per owner, whether it sleeps before answering
	callers  [][]callSpec // per caller, its calls in order
	midClose int          // 0: close at the end; else close after midClose ms
}

type callSpec struct {
	ch      int
	timeout int // 0: Call; else CallOp selected against After(timeout ms)
}

func (sc replyScenario) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d call channels, close ", sc.nch)
	if sc.midClose == 0 {
		b.WriteString("at the end\n")
	} else {
		fmt.Fprintf(&b, "after %dms\n", sc.midClose)
	}
	for o, ps := range sc.owners {
		fmt.Fprintf(&b, "owner %d: All(%v), answers %v, pause %v\n", o, ps, sc.replies[o], sc.pause[o])
	}
	for c, cs := range sc.callers {
		fmt.Fprintf(&b, "caller %d: %v\n", c, cs)
	}
	return b.String()
}

func drawReplyScenario(d drawer) replyScenario {
	sc := replyScenario{nch: d(1, 3, "channels")}
	for o := range d(1, 2, "owners") {
		var parts []partSpec
		free := seq(sc.nch)
		for i := range d(1, 2, fmt.Sprintf("owner%d.parts", o)) {
			if len(free) == 0 {
				break
			}
			label := fmt.Sprintf("owner%d.part%d", o, i)
			p := partSpec{kind: partKind(d(0, 3, label+".kind"))}
			switch p.kind {
			case kindFrom:
				p.chans = free[:1]
			case kindFromN:
				p.chans = free[:1]
				p.n = d(1, 3, label+".n")
			case kindEach:
				p.chans = free[:d(1, len(free), label+".size")]
			case kindAnyOf:
				p.chans = free[:d(1, len(free), label+".size")]
				p.m = d(1, len(p.chans), label+".m")
			}
			free = free[len(p.chans):]
			parts = append(parts, p)
		}
		sc.owners = append(sc.owners, parts)
		var rs []bool
		for k := range d(1, 4, fmt.Sprintf("owner%d.replies", o)) {
			rs = append(rs, d(0, 3, fmt.Sprintf("owner%d.reply%d", o, k)) > 0)
		}
		sc.replies = append(sc.replies, rs)
		sc.pause = append(sc.pause, d(0, 1, fmt.Sprintf("owner%d.pause", o)) == 1)
	}
	for c := range d(1, 8, "callers") {
		var cs []callSpec
		for k := range d(1, 2, fmt.Sprintf("caller%d.calls", c)) {
			label := fmt.Sprintf("caller%d.call%d", c, k)
			cs = append(cs, callSpec{ch: d(0, sc.nch-1, label+".ch"), timeout: d(0, 3, label+".timeout")})
		}
		sc.callers = append(sc.callers, cs)
	}
	if d(0, 3, "midClose") == 0 {
		sc.midClose = d(1, 4, "closeAfter")
	}
	return sc
}

// callID names a call: caller c's k-th call. Its message is the id.
func callID(c, k int) int { return c*10 + k + 1 }

// replyValue is what a correct owner answers call id with in firing f.
func replyValue(f, id int) int { return f*1000 + id }

// replyLog is what happened, in the order of mu: firings' takes, answers,
// closes, and what each call returned.
type replyLog struct {
	mu      sync.Mutex
	seq     int
	nfire   int
	takenBy map[int][]int // call id → firings that took it
	answer  map[int]int   // call id → seq of the owner's Reply (made holding mu)
	// call id → what Reply returned: whether the answer reached the caller
	delivered map[int]bool
	closeAt   int // seq of the first Close (made holding mu); 0: none yet
	result    map[int]callResult
	gaveUp    map[int]bool // call ids withdrawn by their caller's timeout
}

// ownerMode is how an owner answers: correctly, or crossed (the negative
// control: the first two calls of a firing get each other's answers).
type ownerMode int

const (
	ownerCorrect ownerMode = iota
	ownerCrossed
)

func buildCallPart(cs []*join.Call[int, int], ps partSpec) *join.Part[*join.Request[int, int]] {
	srcs := make([]chanop.Source[*join.Request[int, int]], len(ps.chans))
	for i, c := range ps.chans {
		srcs[i] = cs[c]
	}
	switch ps.kind {
	case kindFrom:
		return join.From(srcs[0])
	case kindFromN:
		return join.FromN(srcs[0], ps.n)
	case kindEach:
		return join.Each(srcs...)
	default:
		return join.AnyOf(ps.m, srcs...)
	}
}

// runReplyScenario runs sc inside the caller's synctest bubble and returns
// the violations of the reply property.
func runReplyScenario(sc replyScenario, mode ownerMode, st *replyStats) []string {
	cs := make([]*join.Call[int, int], sc.nch)
	for i := range cs {
		cs[i] = join.NewCall[int, int]()
	}
	lg := &replyLog{takenBy: map[int][]int{}, answer: map[int]int{}, delivered: map[int]bool{}, result: map[int]callResult{}, gaveUp: map[int]bool{}}
	closeAll := func() {
		lg.mu.Lock()
		defer lg.mu.Unlock()
		if lg.closeAt == 0 {
			lg.seq++
			lg.closeAt = lg.seq
		}
		for _, c := range cs {
			c.Close()
		}
	}
	var wg sync.WaitGroup
	for o, specs := range sc.owners {
		var parts []*join.Part[*join.Request[int, int]]
		var conj []join.Conjunct
		for _, ps := range specs {
			p := buildCallPart(cs, ps)
			parts = append(parts, p)
			conj = append(conj, p)
		}
		pat := join.All(conj...)
		wg.Go(func() {
			k := 0
			for pat.Wait() == nil {
				lg.mu.Lock()
				lg.nfire++
				f := lg.nfire
				var rqs []*join.Request[int, int]
				for _, p := range parts {
					for _, rq := range p.Values() {
						lg.takenBy[rq.Value()] = append(lg.takenBy[rq.Value()], f)
						rqs = append(rqs, rq)
					}
				}
				lg.mu.Unlock()
				if sc.pause[o] {
					time.Sleep(2 * time.Millisecond) // past a close at 1ms
				}
				for i, rq := range rqs {
					answer := sc.replies[o][k%len(sc.replies[o])]
					k++
					if !answer {
						continue
					}
					to := rq.Value()
					if mode == ownerCrossed && len(rqs) >= 2 && i < 2 {
						to = rqs[1-i].Value()
					}
					lg.mu.Lock()
					lg.seq++
					lg.answer[rq.Value()] = lg.seq
					lg.delivered[rq.Value()] = rq.Reply(replyValue(f, to))
					lg.mu.Unlock()
				}
			}
		})
	}
	var callers sync.WaitGroup
	for c, calls := range sc.callers {
		callers.Go(func() {
			for k, spec := range calls {
				id := callID(c, k)
				var res callResult
				if spec.timeout == 0 {
					res.r, res.err = cs[spec.ch].Call(id)
				} else {
					op := cs[spec.ch].CallOp(id)
					g, err := selectx.Select(op, chanop.After(time.Duration(spec.timeout)*time.Millisecond))
					if g != op {
						lg.mu.Lock()
						lg.gaveUp[id] = true
						lg.mu.Unlock()
						continue
					}
					res.err = err
					if err == nil {
						res.r, res.err = op.Wait()
					}
				}
				lg.mu.Lock()
				lg.result[id] = res
				lg.mu.Unlock()
			}
		})
	}
	if sc.midClose > 0 {
		wg.Go(func() {
			time.Sleep(time.Duration(sc.midClose) * time.Millisecond)
			closeAll()
		})
	}
	// Let everything that can happen happen (virtual time), then close:
	// every caller still waiting was never taken.
	time.Sleep(time.Hour)
	synctest.Wait()
	closeAll()
	callers.Wait()
	wg.Wait()
	if st != nil {
		st.count(lg)
	}
	return checkReplies(sc, lg)
}

func (st *replyStats) count(lg *replyLog) {
	st.firings += lg.nfire
	st.withdrawn += len(lg.gaveUp)
	for id, res := range lg.result {
		taken := len(lg.takenBy[id]) > 0
		switch {
		case res.err == nil:
			st.answered++
		case errors.Is(res.err, join.ErrNoReply):
			st.noReply++
		case taken:
			st.closedTaken++
		default:
			st.untaken++
		}
	}
}

// checkReplies is the reply property over one run's log.
func checkReplies(sc replyScenario, lg *replyLog) (vs []string) {
	bad := func(format string, args ...any) { vs = append(vs, fmt.Sprintf(format, args...)) }
	for c, calls := range sc.callers {
		for k := range calls {
			id := callID(c, k)
			takers := lg.takenBy[id]
			if len(takers) > 1 {
				bad("call %d taken by firings %v: a message consumed twice", id, takers)
				continue
			}
			res, returned := lg.result[id]
			if lg.gaveUp[id] {
				if len(takers) > 0 {
					bad("call %d withdrawn by its timeout, but firing %d took it", id, takers[0])
				}
				continue
			}
			if !returned {
				bad("call %d never returned", id)
				continue
			}
			if len(takers) == 0 {
				if res.err == nil || !errors.Is(res.err, chanop.ErrClosed) {
					bad("call %d was never taken, but returned %v, %v; want ErrClosed", id, res.r, res.err)
				}
				continue
			}
			f := takers[0]
			answeredAt, answered := lg.answer[id]
			if answered && lg.delivered[id] != (res.err == nil) {
				bad("call %d: Reply reported delivered=%v, but the call returned %v, %v", id, lg.delivered[id], res.r, res.err)
			}
			switch {
			case res.err == nil:
				if !answered {
					bad("call %d got %d, but firing %d did not answer it", id, res.r, f)
				} else if res.r != replyValue(f, id) {
					bad("call %d got %d, not the answer of firing %d that took it (%d)", id, res.r, f, replyValue(f, id))
				} else if lg.closeAt != 0 && lg.closeAt < answeredAt {
					bad("call %d got an answer given after its channel closed", id)
				}
			case errors.Is(res.err, join.ErrNoReply):
				if answered && (lg.closeAt == 0 || answeredAt < lg.closeAt) {
					bad("call %d got ErrNoReply, but firing %d answered it", id, f)
				}
			case errors.Is(res.err, chanop.ErrClosed):
				if answered && answeredAt < lg.closeAt {
					bad("call %d got ErrClosed, but firing %d answered it before the close", id, f)
				}
				if !answered && sc.midClose == 0 {
					// The owner ran its next select before the final close,
					// which comes only when everything is idle.
					bad("call %d, taken by firing %d and not answered, got ErrClosed: its owner's next select did not expire it", id, f)
				}
			default:
				bad("call %d returned %v", id, res.err)
			}
		}
	}
	return vs
}

// TestEveryCallGetsExactlyOneAnswerFromItsFiring is the reply property.
func TestEveryCallGetsExactlyOneAnswerFromItsFiring(t *testing.T) {
	var st replyStats
	rapid.Check(t, func(t *rapid.T) {
		sc := drawReplyScenario(func(lo, hi int, label string) int { return rapid.IntRange(lo, hi).Draw(t, label) })
		rapid.SyncTest(t, func(t *rapid.T) {
			vs := runReplyScenario(sc, ownerCorrect, &st)
			if len(vs) > 0 {
				t.Fatalf("%d violations in\n%v\n%s", len(vs), sc, strings.Join(vs, "\n"))
			}
		})
	})
	// Not vacuous: every kind of answer occurs.
	t.Logf("%d firings; calls answered %d, ErrNoReply %d, ErrClosed after being taken %d, never taken %d, withdrawn %d",
		st.firings, st.answered, st.noReply, st.closedTaken, st.untaken, st.withdrawn)
	if st.answered == 0 || st.noReply == 0 || st.closedTaken == 0 || st.withdrawn == 0 {
		t.Errorf("some outcome never occurred: %+v", st)
	}
}

// replyStats counts the outcomes of the property's runs.
type replyStats struct {
	firings, answered, noReply, closedTaken, untaken, withdrawn int
}

// TestReplyPropertyCatchesBrokenReplies: the negative controls. An owner
// that gives the first two calls of a firing each other's answers, and a
// library that never expires unanswered calls, must both be caught.
func TestReplyPropertyCatchesBrokenReplies(t *testing.T) {
	controls := []struct {
		name string
		mode ownerMode
		want string
	}{
		{"crossed answers", ownerCrossed, "not the answer of firing"},
		{"no expiry", ownerCorrect, "its owner's next select did not expire it"},
	}
	for _, nc := range controls {
		t.Run(nc.name, func(t *testing.T) {
			if nc.name == "no expiry" {
				defer join.SetReplyExpiry(false)()
			}
			caught := 0
			for seed := range 200 {
				r := rand.New(rand.NewPCG(uint64(seed), 10))
				sc := drawReplyScenario(func(lo, hi int, _ string) int { return lo + r.IntN(hi-lo+1) })
				synctest.Test(t, func(t *testing.T) {
					for _, v := range runReplyScenario(sc, nc.mode, nil) {
						if strings.Contains(v, nc.want) {
							caught++
							return
						}
					}
				})
			}
			if caught == 0 {
				t.Fatalf("the broken version passed 200 scenarios")
			}
			t.Logf("caught in %d of 200 scenarios", caught)
		})
	}
}
