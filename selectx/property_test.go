package selectx_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"testing/synctest"

	"pgregory.net/rapid"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/selectx"
)

// Property tests of the three selects. Each check runs in a synctest bubble
// (rapid.SyncTest): partners are parked on some channels, synctest.Wait
// makes the set of ready guards exact, and a deadlock is reported as a
// property failure instead of hanging.

type slotKind int

const (
	recvSlot     slotKind = iota // RecvOp on its own channel; a partner sends
	sendSlot                     // SendOp on its own channel; a partner receives
	skipSlot                     // an always-ready guard (a tagged Skip)
	disabledSlot                 // When(false, RecvOp) whose channel has a parked sender
)

func (k slotKind) String() string {
	return [...]string{"recv", "send", "skip", "disabled"}[k]
}

// partnerResult is what a partner goroutine returned.
type partnerResult struct {
	returned bool
	v        int // the value a receiving partner got
	err      error
	via      chanop.Guard // for a partner that is itself a select
}

// slot is one guard of the select under test, with its channel and the
// partner parked on that channel, if any.
type slot struct {
	kind    slotKind
	ready   bool // a partner is parked (recv, send, disabled) or it is a skip
	asSel   bool // the partner is a select over its op and a never-ready guard
	c       *chanop.Chan[int]
	g       chanop.Guard
	partner *partnerResult // nil if no partner
}

// selWorld is a set of slots, partners and the bookkeeping to check them.
type selWorld struct {
	mu    sync.Mutex // guards the partners' results
	slots []*slot
	dead  *chanop.Chan[int] // never ready; partners that are selects wait on it too
}

func sendValue(i int) int { return 100 + i } // what a sending partner of slot i sends
func recvValue(i int) int { return 200 + i } // what the SendOp of slot i sends

// startPartner parks a partner for slot i.
func (w *selWorld) startPartner(i int) {
	s := w.slots[i]
	res := &partnerResult{}
	s.partner = res
	dead := w.dead.RecvOp()
	go func() {
		var r partnerResult
		switch s.kind {
		case recvSlot, disabledSlot: // the partner sends
			op := s.c.SendOp(sendValue(i))
			if s.asSel {
				r.via, r.err = selectx.Select(op, dead)
			} else {
				r.err = s.c.Send(sendValue(i))
			}
		case sendSlot: // the partner receives
			if s.asSel {
				op := s.c.RecvOp()
				r.via, r.err = selectx.Select(dead, op)
				r.v = op.Value()
			} else {
				r.v, r.err = s.c.Recv()
			}
		}
		r.returned = true
		w.mu.Lock()
		*res = r
		w.mu.Unlock()
	}()
}

func (w *selWorld) guards() []chanop.Guard {
	gs := make([]chanop.Guard, len(w.slots))
	for i, s := range w.slots {
		gs[i] = s.g
	}
	return gs
}

// drawWorld draws k slots; with noneReady, no slot is ready.
func drawWorld(t *rapid.T, noneReady bool) *selWorld {
	k := rapid.IntRange(1, 7).Draw(t, "k")
	kinds := []slotKind{recvSlot, sendSlot, skipSlot, disabledSlot}
	if noneReady {
		kinds = []slotKind{recvSlot, sendSlot, disabledSlot}
	}
	w := &selWorld{dead: chanop.New[int]()}
	for i := range k {
		s := &slot{
			kind:  rapid.SampledFrom(kinds).Draw(t, fmt.Sprintf("kind%d", i)),
			c:     chanop.New[int](),
			asSel: rapid.Bool().Draw(t, fmt.Sprintf("partnerIsSelect%d", i)),
		}
		switch s.kind {
		case recvSlot:
			s.g = s.c.RecvOp()
			s.ready = !noneReady && rapid.Bool().Draw(t, fmt.Sprintf("ready%d", i))
		case sendSlot:
			s.g = s.c.SendOp(recvValue(i))
			s.ready = !noneReady && rapid.Bool().Draw(t, fmt.Sprintf("ready%d", i))
		case skipSlot:
			s.g = newTagged()
			s.ready = true
		case disabledSlot:
			s.g = chanop.When(false, s.c.RecvOp())
			s.ready = true // its partner is parked: it would be ready if enabled
		}
		w.slots = append(w.slots, s)
	}
	t.Cleanup(func() {
		w.dead.Close()
		for _, s := range w.slots {
			s.c.Close()
		}
	})
	for i, s := range w.slots {
		if s.ready && s.kind != skipSlot {
			w.startPartner(i)
		}
	}
	synctest.Wait()
	return w
}

// eligible reports whether slot i may be chosen: enabled and ready.
func (w *selWorld) eligible(i int) bool {
	s := w.slots[i]
	return s.ready && s.kind != disabledSlot
}

// checkCompleted checks that exactly slot chosen completed: its partner (if
// any) returned with the matching value and no other partner returned.
func (w *selWorld) checkCompleted(t *rapid.T, chosen int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for i, s := range w.slots {
		if s.partner == nil {
			continue
		}
		p := *s.partner
		if i != chosen {
			if p.returned {
				t.Fatalf("slot %d (%v) was not chosen, yet its partner returned: %+v", i, s.kind, p)
			}
			continue
		}
		if !p.returned {
			t.Fatalf("slot %d (%v) was chosen but its partner is still blocked", i, s.kind)
		}
		if p.err != nil {
			t.Fatalf("partner of chosen slot %d returned %v", i, p.err)
		}
		switch s.kind {
		case recvSlot:
			if got := s.g.(*chanop.RecvOp[int]).Value(); got != sendValue(i) {
				t.Fatalf("slot %d received %d, its partner sent %d", i, got, sendValue(i))
			}
		case sendSlot:
			if p.v != recvValue(i) {
				t.Fatalf("partner of slot %d received %d, the SendOp sent %d", i, p.v, recvValue(i))
			}
		}
	}
}

// checkClosedRelease closes every channel and checks that the partners that
// were not served are released with ErrClosed (the cleanup closes them too;
// closing twice is a no-op).
func (w *selWorld) checkClosedRelease(t *rapid.T, chosen int) {
	for _, s := range w.slots {
		s.c.Close()
	}
	w.dead.Close()
	synctest.Wait()
	w.mu.Lock()
	defer w.mu.Unlock()
	for i, s := range w.slots {
		if s.partner == nil || i == chosen {
			continue
		}
		if p := *s.partner; !p.returned || p.err != chanop.ErrClosed {
			t.Fatalf("unserved partner of slot %d after Close: %+v; want ErrClosed", i, p)
		}
	}
}

type policy int

const (
	random policy = iota
	priority
	fair
)

// checkOneSelect is the property shared by the three selects: the chosen
// guard is enabled and ready, exactly one guard completes, and for
// PriSelect the chosen one is the first ready guard. If no guard is ready,
// the select blocks until a partner arrives on a random enabled slot, and
// then completes that one.
func checkOneSelect(t *rapid.T, pol policy, noneReady bool) {
	w := drawWorld(t, noneReady)
	gs := w.guards()

	var sel selectFn
	switch pol {
	case random:
		sel = selectx.Select
	case priority:
		sel = selectx.PriSelect
	case fair:
		var f selectx.Fair
		// Put the rotation somewhere arbitrary first.
		for range rapid.IntRange(0, 8).Draw(t, "fairWarmup") {
			_, _ = f.Select(newTagged(), newTagged(), newTagged(), newTagged(), newTagged())
		}
		sel = f.Select
	}

	var eligible []int
	for i := range w.slots {
		if w.eligible(i) {
			eligible = append(eligible, i)
		}
	}
	enabled := slices.IndexFunc(w.slots, func(s *slot) bool { return s.kind != disabledSlot }) >= 0

	if len(eligible) > 0 {
		g, err := sel(gs...)
		if err != nil {
			t.Fatalf("select returned %v with ready guards %v", err, eligible)
		}
		chosen := indexOf(gs, g)
		if !slices.Contains(eligible, chosen) {
			t.Fatalf("chose slot %d; ready and enabled were %v", chosen, eligible)
		}
		if pol == priority && chosen != eligible[0] {
			t.Fatalf("PriSelect chose slot %d while the earlier slot %d was ready", chosen, eligible[0])
		}
		synctest.Wait()
		w.checkCompleted(t, chosen)
		w.checkClosedRelease(t, chosen)
		return
	}

	if !enabled {
		g, err := sel(gs...)
		if g != nil || err != selectx.ErrNoGuards {
			t.Fatalf("select over disabled guards = %v, %v; want nil, ErrNoGuards", g, err)
		}
		w.checkCompleted(t, -1)
		return
	}

	// Nothing ready: the select must block until a partner comes.
	res := goCall(func() (chanop.Guard, error) { return sel(gs...) })
	synctest.Wait()
	if res.Returned() {
		t.Fatalf("select returned %v, %v with no guard ready", res.V, res.Err)
	}
	var enabledIdx []int
	for i, s := range w.slots {
		if s.kind != disabledSlot {
			enabledIdx = append(enabledIdx, i)
		}
	}
	j := rapid.SampledFrom(enabledIdx).Draw(t, "late")
	w.slots[j].ready = true
	w.startPartner(j)
	synctest.Wait()
	if !res.Returned() {
		t.Fatalf("select still blocked after a partner arrived on slot %d", j)
	}
	if res.Err != nil {
		t.Fatalf("select returned %v", res.Err)
	}
	if got := indexOf(gs, res.V); got != j {
		t.Fatalf("select chose slot %d; only slot %d became ready", got, j)
	}
	w.checkCompleted(t, j)
	w.checkClosedRelease(t, j)
}

func TestSelectCompletesExactlyOneReadyGuard(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		rapid.SyncTest(rt, func(t *rapid.T) { checkOneSelect(t, random, false) })
	})
}

func TestPriSelectNeverPicksALaterGuardWhileAnEarlierIsReady(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		rapid.SyncTest(rt, func(t *rapid.T) { checkOneSelect(t, priority, false) })
	})
}

func TestFairSelectCompletesExactlyOneReadyGuard(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		rapid.SyncTest(rt, func(t *rapid.T) { checkOneSelect(t, fair, false) })
	})
}

func TestBlockedSelectCompletesTheGuardThatBecomesReady(t *testing.T) {
	for _, pol := range []struct {
		name string
		pol  policy
	}{{"Select", random}, {"PriSelect", priority}, {"Fair", fair}} {
		t.Run(pol.name, func(t *testing.T) {
			rapid.Check(t, func(rt *rapid.T) {
				rapid.SyncTest(rt, func(t *rapid.T) { checkOneSelect(t, pol.pol, true) })
			})
		})
	}
}

// TestFairServesEveryContinuouslyReadyGuardWithinNRounds: of n guards, one
// that stays ready is chosen within every n consecutive calls of a Fair,
// whatever the Fair's state beforehand. Ready guards are Skips and RecvOps
// on channels whose sender re-parks after every message; others are
// RecvOps on channels nobody sends on, and disabled guards.
func TestFairServesEveryContinuouslyReadyGuardWithinNRounds(t *testing.T) {
	const (
		skipG = iota
		streamG
		idleG
		offG
	)
	rapid.Check(t, func(rt *rapid.T) {
		rapid.SyncTest(rt, func(t *rapid.T) {
			n := rapid.IntRange(1, 8).Draw(t, "n")
			kinds := rapid.SliceOfN(rapid.IntRange(skipG, offG), n, n).Draw(t, "kinds")
			if !slices.ContainsFunc(kinds, func(k int) bool { return k == skipG || k == streamG }) {
				kinds[rapid.IntRange(0, n-1).Draw(t, "forcedReady")] = streamG
			}
			gs := make([]chanop.Guard, n)
			var chans []*chanop.Chan[int]
			t.Cleanup(func() {
				for _, c := range chans {
					c.Close()
				}
			})
			var ready []int
			for i, k := range kinds {
				switch k {
				case skipG:
					gs[i] = newTagged()
					ready = append(ready, i)
				case streamG, idleG:
					c := chanop.New[int]()
					chans = append(chans, c)
					gs[i] = c.RecvOp()
					if k == streamG {
						ready = append(ready, i)
						go func() {
							for v := 0; c.Send(v) == nil; v++ {
							}
						}()
					}
				case offG:
					gs[i] = chanop.When(false, newTagged())
				}
			}
			synctest.Wait()

			var f selectx.Fair
			warm := rapid.SliceOfN(rapid.IntRange(1, 9), 0, 4).Draw(t, "warmupSizes")
			for _, m := range warm {
				g := make([]chanop.Guard, m)
				for i := range g {
					g[i] = newTagged()
				}
				_, _ = f.Select(g...)
			}

			rounds := 3 * n
			lastSeen := make(map[int]int) // guard -> last round it was chosen
			for _, i := range ready {
				lastSeen[i] = -1
			}
			var trace []int
			for round := range rounds {
				g, err := f.Select(gs...)
				if err != nil {
					t.Fatalf("round %d: %v", round, err)
				}
				i := indexOf(gs, g)
				trace = append(trace, i)
				if !slices.Contains(ready, i) {
					t.Fatalf("round %d chose guard %d (%v), which is not ready; trace %v", round, i, kinds[i], trace)
				}
				lastSeen[i] = round
				for _, j := range ready {
					if round-lastSeen[j] >= n {
						t.Fatalf("guard %d ready throughout, not chosen in the %d rounds up to %d; kinds %v, trace %v",
							j, n, round, kinds, trace)
					}
				}
				synctest.Wait() // the stream's sender re-parks: still ready
			}
		})
	})
}
