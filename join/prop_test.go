package join_test

// Property tests of join patterns against a model of the messages in
// flight. Each case draws a small system (channels, owners looping over a
// select of their patterns, plain and select senders), runs it inside a
// testing/synctest bubble, and at every quiescent point (synctest.Wait)
// checks the conservation laws of DESIGN.md against what the goroutines
// recorded. A deadlock inside the bubble is reported by synctest, and so
// is a property failure, never a hang.
//
// The same harness runs two deliberately broken owners as negative controls
// (greedyOwner holds partial matches; roundRobinOwner waits on one pattern
// at a time): each must be caught, by the law it breaks.
//
// Goroutine scheduling inside a bubble is the runtime's, so a reported
// seed replays the drawn scenario, not necessarily the interleaving.

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/guard"
	"github.com/gochord/chord/internal/testkit"
	"github.com/gochord/chord/join"
	"github.com/gochord/chord/selectx"
)

// TestMain keeps failing property tests from writing rapid's fail files into
// the source tree (join/testdata/rapid); a failure prints the seed to
// replay instead. Pass -rapid.nofailfile=false to get the files. It
// fails the run if a goroutine outlives the tests (testkit.Main).
func TestMain(m *testing.M) {
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "rapid.nofailfile" })
	if !set {
		if err := flag.Set("rapid.nofailfile", "true"); err != nil {
			panic(err)
		}
	}
	testkit.Main(m, nil)
}

// The model of a system: what the goroutines do, drawn by rapid.

type partKind uint8

const (
	kindFrom partKind = iota
	kindFromN
	kindEach
	kindAnyOf
)

type partSpec struct {
	kind  partKind
	chans []int // channel indexes, in source order
	n     int   // FromN's count
	m     int   // AnyOf's m
}

func (p partSpec) String() string {
	switch p.kind {
	case kindFrom:
		return fmt.Sprintf("From(c%d)", p.chans[0])
	case kindFromN:
		return fmt.Sprintf("FromN(c%d, %d)", p.chans[0], p.n)
	case kindEach:
		return fmt.Sprintf("Each%s", chanList(p.chans))
	default:
		return fmt.Sprintf("AnyOf(%d, %s)", p.m, strings.Trim(chanList(p.chans), "()"))
	}
}

func chanList(cs []int) string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = fmt.Sprintf("c%d", c)
	}
	return "(" + strings.Join(s, ", ") + ")"
}

// A guardSpec is one guard of an owner's select: a join pattern, or (recv)
// a plain RecvOp on parts[0].chans[0] competing with the patterns.
type guardSpec struct {
	parts []partSpec
	recv  bool
}

func (g guardSpec) String() string {
	if g.recv {
		return fmt.Sprintf("c%d.RecvOp()", g.parts[0].chans[0])
	}
	s := make([]string, len(g.parts))
	for i, p := range g.parts {
		s[i] = p.String()
	}
	return "All(" + strings.Join(s, ", ") + ")"
}

// An ownerSpec is a goroutine looping over a select of its guards. While
// it has offers left it also offers a message on channel offerOn (a SendOp
// in the same select): an owner is then a sender to other owners' patterns
// and must never match its own offer.
type selKind uint8

const (
	selRandom selKind = iota // selectx.Select
	selPri                   // selectx.PriSelect
	selFair                  // a selectx.Fair
)

func (k selKind) String() string { return [...]string{"Select", "PriSelect", "Fair.Select"}[k] }

type ownerSpec struct {
	guards  []guardSpec
	sel     selKind
	offers  int
	offerOn int
}

// A senderSpec is a goroutine that sends steps one after the other and
// stops at its first error. A step on one channel is a plain Send; on
// several, a select over SendOps.
type senderSpec struct {
	steps [][]int
	pri   bool
	wave  int // started after the quiescent point of wave-1
}

type scenario struct {
	nch     int
	waves   int
	owners  []ownerSpec
	senders []senderSpec
}

func (sc scenario) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d channels, %d waves\n", sc.nch, sc.waves)
	for o, ow := range sc.owners {
		sel := ow.sel.String()
		gs := make([]string, len(ow.guards))
		for i, g := range ow.guards {
			gs[i] = g.String()
		}
		if ow.offers > 0 {
			gs = append(gs, fmt.Sprintf("c%d.SendOp(…) for the first %d messages", ow.offerOn, ow.offers))
		}
		fmt.Fprintf(&b, "owner %d: loop %s(%s)\n", o, sel, strings.Join(gs, ", "))
	}
	for s, sd := range sc.senders {
		fmt.Fprintf(&b, "sender %d (wave %d, pri %v): steps %v\n", s, sd.wave, sd.pri, sd.steps)
	}
	return b.String()
}

func (sc scenario) messages() int {
	n := 0
	for _, s := range sc.senders {
		n += len(s.steps)
	}
	for _, o := range sc.owners {
		n += o.offers
	}
	return n
}

// tag is the unique message a sender offers on guard j of its step k.
func tag(sender, step, j int) int { return (sender+1)*1000 + step*10 + j }

// ownerTag is the unique message owner o offers in its k-th select.
func ownerTag(o, k int) int { return (o+1)*100000 + k }

func drawPart(t *rapid.T, free []int, label string) (partSpec, []int) {
	kind := rapid.SampledFrom([]partKind{kindFrom, kindFromN, kindEach, kindAnyOf}).Draw(t, label+".kind")
	p := partSpec{kind: kind}
	switch kind {
	case kindFrom:
		p.chans = free[:1]
	case kindFromN:
		p.chans = free[:1]
		p.n = rapid.IntRange(1, 3).Draw(t, label+".n")
	case kindEach:
		p.chans = free[:rapid.IntRange(1, min(3, len(free))).Draw(t, label+".size")]
	case kindAnyOf:
		p.chans = free[:rapid.IntRange(1, min(4, len(free))).Draw(t, label+".size")]
		p.m = rapid.IntRange(1, len(p.chans)).Draw(t, label+".m")
	}
	p.chans = slices.Clone(p.chans)
	return p, free[len(p.chans):]
}

func drawGuard(t *rapid.T, nch int, label string) guardSpec {
	free := rapid.Permutation(seq(nch)).Draw(t, label+".chans")
	if rapid.IntRange(0, 5).Draw(t, label+".isRecv") == 0 {
		return guardSpec{recv: true, parts: []partSpec{{kind: kindFrom, chans: free[:1]}}}
	}
	var g guardSpec
	nparts := rapid.IntRange(1, 2).Draw(t, label+".parts")
	for i := 0; i < nparts && len(free) > 0; i++ {
		var p partSpec
		p, free = drawPart(t, free, fmt.Sprintf("%s.part%d", label, i))
		g.parts = append(g.parts, p)
	}
	return g
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

func drawScenario(t *rapid.T, selectSenders, ownerOffers bool) scenario {
	sc := scenario{nch: rapid.IntRange(2, 6).Draw(t, "channels")}
	sc.waves = rapid.IntRange(1, 3).Draw(t, "waves")
	nOwners := rapid.IntRange(1, 3).Draw(t, "owners")
	for o := range nOwners {
		ow := ownerSpec{sel: rapid.SampledFrom([]selKind{selRandom, selPri, selFair}).Draw(t, fmt.Sprintf("owner%d.select", o))}
		for i := range rapid.IntRange(1, 3).Draw(t, fmt.Sprintf("owner%d.guards", o)) {
			ow.guards = append(ow.guards, drawGuard(t, sc.nch, fmt.Sprintf("owner%d.g%d", o, i)))
		}
		if ownerOffers {
			ow.offers = rapid.IntRange(0, 2).Draw(t, fmt.Sprintf("owner%d.offers", o))
			ow.offerOn = rapid.IntRange(0, sc.nch-1).Draw(t, fmt.Sprintf("owner%d.offerOn", o))
		}
		sc.owners = append(sc.owners, ow)
	}
	chanGen := rapid.IntRange(0, sc.nch-1)
	for s := range rapid.IntRange(1, 8).Draw(t, "senders") {
		label := fmt.Sprintf("sender%d", s)
		sd := senderSpec{wave: rapid.IntRange(0, sc.waves-1).Draw(t, label+".wave")}
		sel := selectSenders && rapid.Bool().Draw(t, label+".select")
		sd.pri = sel && rapid.Bool().Draw(t, label+".pri")
		for k := range rapid.IntRange(1, 3).Draw(t, label+".steps") {
			if sel {
				sd.steps = append(sd.steps, rapid.SliceOfNDistinct(chanGen, 2, min(3, sc.nch), rapid.ID[int]).Draw(t, fmt.Sprintf("%s.step%d", label, k)))
			} else {
				sd.steps = append(sd.steps, []int{chanGen.Draw(t, fmt.Sprintf("%s.step%d", label, k))})
			}
		}
		sc.senders = append(sc.senders, sd)
	}
	return sc
}

// What the goroutines record.

type sendRec struct {
	owner        int  // the owner whose select made this offer, or -1
	withdrawn    bool // the owner's select completed another guard
	sender, step int
	chans, tags  []int
	returned     bool
	guard        int // index of the guard the select returned, 0 for a plain Send
	err          error
}

type firing struct {
	owner, guard int
	vals, which  [][]int // per part
}

type ownerEnd struct {
	ended bool
	guard int
	err   error
}

var errTooManyFirings = errors.New("more firings than messages sent")

type tagRef struct{ send, guard int }

type harness struct {
	sc     scenario
	chans  []*chanop.Chan[int]
	limit  int // firings an owner may make: one per message, plus one
	exited chan struct{}

	mu      sync.Mutex // protects the fields below
	sends   []*sendRec
	byTag   map[int]tagRef
	firings []firing
	ends    []ownerEnd
}

// An ownerLoop runs owner o of h.sc until its select fails, recording every
// firing with h.fire and the end with h.end.
type ownerLoop func(h *harness, o int)

func (h *harness) fire(f firing) {
	h.mu.Lock()
	h.firings = append(h.firings, f)
	h.mu.Unlock()
}

func (h *harness) end(o, guard int, err error) {
	h.mu.Lock()
	h.ends[o] = ownerEnd{true, guard, err}
	h.mu.Unlock()
}

// joinOwner is the system under test: a loop over selectx.Select (or
// PriSelect) of the owner's patterns and plain receives.
func joinOwner(h *harness, o int) {
	spec := h.sc.owners[o]
	guards := make([]chanop.Guard, len(spec.guards))
	parts := make([][]*join.Part[int], len(spec.guards))
	recvs := make([]*chanop.RecvOp[int], len(spec.guards))
	for i, gs := range spec.guards {
		if gs.recv {
			recvs[i] = h.chans[gs.parts[0].chans[0]].RecvOp()
			guards[i] = recvs[i]
			continue
		}
		var cs []join.Conjunct
		for _, ps := range gs.parts {
			part := buildPart(h.chans, ps)
			parts[i] = append(parts[i], part)
			cs = append(cs, part)
		}
		guards[i] = join.All(cs...)
	}
	var fair selectx.Fair
	sel := [...]func(...chanop.Guard) (chanop.Guard, error){selectx.Select, selectx.PriSelect, fair.Select}[spec.sel]
	offered := 0
	for n := 0; ; n++ {
		if n > h.limit {
			h.end(o, -1, errTooManyFirings)
			return
		}
		gs := guards
		var offer *sendRec
		if offered < spec.offers {
			offer = &sendRec{owner: o, sender: -1, step: offered, chans: []int{spec.offerOn}, tags: []int{ownerTag(o, offered)}}
			offered++
			h.startSend(offer)
			gs = append(slices.Clip(guards), h.chans[spec.offerOn].SendOp(offer.tags[0]))
		}
		g, err := sel(gs...)
		i := slices.Index(gs, g)
		if offer != nil {
			h.mu.Lock()
			offer.returned, offer.err = true, err
			offer.withdrawn = i != len(guards)
			h.mu.Unlock()
			if i == len(guards) {
				if err != nil {
					h.end(o, i, err)
					return
				}
				continue // the offer was taken: not a firing
			}
		}
		if err != nil {
			h.end(o, i, err)
			return
		}
		f := firing{owner: o, guard: i}
		if recvs[i] != nil {
			f.vals, f.which = [][]int{{recvs[i].Value()}}, [][]int{{0}}
		} else {
			for _, p := range parts[i] {
				f.vals = append(f.vals, slices.Clone(p.Values()))
				f.which = append(f.which, slices.Clone(p.Which()))
			}
		}
		h.fire(f)
	}
}

func buildPart(chans []*chanop.Chan[int], ps partSpec) *join.Part[int] {
	srcs := make([]chanop.Source[int], len(ps.chans))
	for j, c := range ps.chans {
		srcs[j] = chans[c]
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

// greedyOwner is the first negative control: a broken join that takes
// messages one at a time (a plain Recv on each source in turn), holding a
// partial match while it waits for the rest, and tries the owner's guards
// round-robin instead of selecting among them. Its firings have the right
// shape, but a sender whose message it holds is released before the
// pattern is complete. The properties must catch it.
func greedyOwner(h *harness, o int) {
	spec := h.sc.owners[o]
	for n := 0; ; n++ {
		if n > h.limit {
			h.end(o, -1, errTooManyFirings)
			return
		}
		i := n % len(spec.guards)
		f := firing{owner: o, guard: i}
		for _, ps := range spec.guards[i].parts {
			var vals, which []int
			take := func(j int) bool {
				v, err := h.chans[ps.chans[j]].Recv()
				if err != nil {
					h.end(o, i, err)
					return false
				}
				vals, which = append(vals, v), append(which, j)
				return true
			}
			var ok bool
			switch ps.kind {
			case kindFrom:
				ok = take(0)
			case kindFromN:
				ok = true
				for range ps.n {
					ok = ok && take(0)
				}
			case kindEach, kindAnyOf:
				want := len(ps.chans)
				if ps.kind == kindAnyOf {
					want = ps.m
				}
				ok = true
				for j := 0; j < want && ok; j++ {
					ok = take(j)
				}
			}
			if !ok {
				return
			}
			f.vals, f.which = append(f.vals, vals), append(f.which, which)
		}
		h.fire(f)
	}
}

// startSend records a send about to start: from then on its messages may be
// consumed.
func (h *harness) startSend(rec *sendRec) {
	h.mu.Lock()
	for j, tg := range rec.tags {
		h.byTag[tg] = tagRef{len(h.sends), j}
	}
	h.sends = append(h.sends, rec)
	h.mu.Unlock()
}

func (h *harness) runSender(s int) {
	spec := h.sc.senders[s]
	sel := selectx.Select
	if spec.pri {
		sel = selectx.PriSelect
	}
	for k, cs := range spec.steps {
		rec := &sendRec{owner: -1, sender: s, step: k, chans: cs}
		for j := range cs {
			rec.tags = append(rec.tags, tag(s, k, j))
		}
		h.startSend(rec)

		var guard int
		var err error
		if len(cs) == 1 {
			err = h.chans[cs[0]].Send(rec.tags[0])
		} else {
			ops := make([]chanop.Guard, len(cs))
			for j, c := range cs {
				ops[j] = h.chans[c].SendOp(rec.tags[j])
			}
			var g chanop.Guard
			g, err = sel(ops...)
			guard = slices.Index(ops, g)
		}
		h.mu.Lock()
		rec.returned, rec.guard, rec.err = true, guard, err
		h.mu.Unlock()
		if err != nil {
			return
		}
	}
}

// runScenario runs sc with the given owners inside the caller's synctest
// bubble and returns the violated laws. It always closes every channel and
// waits for every goroutine before returning; if one never exits, the
// bubble reports a deadlock.
func runScenario(sc scenario, owner ownerLoop, checkIdle bool, stats *propStats) []string {
	h := &harness{
		sc:    sc,
		chans: make([]*chanop.Chan[int], sc.nch),
		limit: sc.messages() + 1,
		byTag: map[int]tagRef{},
		ends:  make([]ownerEnd, len(sc.owners)),
	}
	h.exited = make(chan struct{}, len(sc.owners)+len(sc.senders))
	for i := range h.chans {
		h.chans[i] = chanop.New[int]()
	}
	running := 0
	goroutine := func(f func()) {
		running++
		go func() {
			defer func() { h.exited <- struct{}{} }()
			f()
		}()
	}
	for o := range sc.owners {
		goroutine(func() { owner(h, o) })
	}
	var vs []string
	for w := 0; w < sc.waves && len(vs) == 0; w++ {
		for s, sd := range sc.senders {
			if sd.wave == w {
				goroutine(func() { h.runSender(s) })
			}
		}
		synctest.Wait()
		vs = h.check(fmt.Sprintf("after wave %d", w), false, checkIdle)
		if stats != nil && w == sc.waves-1 {
			h.mu.Lock()
			for _, r := range h.sends {
				if !r.returned {
					stats.pendingAtIdle.Add(1)
				}
			}
			h.mu.Unlock()
		}
	}
	for _, c := range h.chans {
		c.Close()
	}
	for range running {
		<-h.exited
	}
	if len(vs) == 0 {
		// Every sender has run: with no violation, every wave started.
		vs = h.check("after closing every channel", true, false)
	}
	if stats != nil {
		stats.cases.Add(1)
		stats.sends.Add(int64(len(h.sends)))
		stats.firings.Add(int64(len(h.firings)))
		for _, r := range h.sends {
			if len(r.chans) > 1 {
				stats.selectSends.Add(1)
			}
		}
	}
	return vs
}

// check verifies the laws on what has been recorded so far. The system must
// be quiescent: every goroutine blocked or exited. final: every channel has
// been closed and every goroutine has exited.
func (h *harness) check(phase string, final, checkIdle bool) (vs []string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	bad := func(format string, args ...any) {
		vs = append(vs, phase+": "+fmt.Sprintf(format, args...))
	}

	// Every firing has its pattern's shape and takes messages that were
	// offered on the channels it reports.
	consumed := map[int][]int{} // tag -> firings that hold it
	for fi, f := range h.firings {
		gs := h.sc.owners[f.owner].guards[f.guard]
		if len(f.vals) != len(gs.parts) || len(f.which) != len(gs.parts) {
			bad("firing %d of owner %d %v: %d parts of values", fi, f.owner, gs, len(f.vals))
			continue
		}
		for pi, ps := range gs.parts {
			vals, which := f.vals[pi], f.which[pi]
			var want []int // the Which the shape allows, nil if checked otherwise
			switch ps.kind {
			case kindFrom:
				want = []int{0}
			case kindFromN:
				want = make([]int, ps.n)
			case kindEach:
				want = seq(len(ps.chans))
			case kindAnyOf:
				ok := len(which) == ps.m && slices.IsSorted(which) &&
					len(slices.Compact(slices.Clone(which))) == ps.m &&
					which[0] >= 0 && which[len(which)-1] < len(ps.chans)
				if !ok {
					bad("firing %d of owner %d %v: %v took from %v, want %d distinct increasing sources", fi, f.owner, gs, ps, which, ps.m)
				}
			}
			if want != nil && !slices.Equal(which, want) {
				bad("firing %d of owner %d %v: %v Which = %v, want %v", fi, f.owner, gs, ps, which, want)
			}
			if len(vals) != len(which) {
				bad("firing %d of owner %d %v: %v has %d values for %d sources", fi, f.owner, gs, ps, len(vals), len(which))
				continue
			}
			for i, v := range vals {
				ref, ok := h.byTag[v]
				if !ok {
					bad("firing %d of owner %d %v: %v took %d, which nobody sent", fi, f.owner, gs, ps, v)
					continue
				}
				if which[i] < 0 || which[i] >= len(ps.chans) {
					continue // reported above
				}
				if sc := h.sends[ref.send].chans[ref.guard]; sc != ps.chans[which[i]] {
					bad("firing %d of owner %d %v: %v reports %d from c%d, but it was sent on c%d", fi, f.owner, gs, ps, v, ps.chans[which[i]], sc)
				}
				consumed[v] = append(consumed[v], fi)
			}
		}
	}
	for v, fs := range consumed {
		if len(fs) > 1 {
			bad("message %d consumed %d times, by firings %v", v, len(fs), fs)
		}
	}

	// Conservation, sender by sender: a sender returns without error exactly
	// when the message of the guard it returned with was consumed, and no
	// other of its messages was.
	started, blocked, failed, withdrawn := len(h.sends), 0, 0, 0
	for _, r := range h.sends {
		var got []int
		for _, tg := range r.tags {
			if len(consumed[tg]) > 0 {
				got = append(got, tg)
			}
		}
		who := fmt.Sprintf("sender %d step %d (tags %v on %s)", r.sender, r.step, r.tags, chanList(r.chans))
		if r.owner >= 0 {
			who = fmt.Sprintf("owner %d's offer %d (tag %v on %s)", r.owner, r.step, r.tags, chanList(r.chans))
		}
		switch {
		case !r.returned:
			blocked++
			if final {
				bad("%s still blocked after close", who)
			}
			if len(got) > 0 {
				bad("%s is blocked, but its message %v was consumed", who, got)
			}
		case r.withdrawn:
			withdrawn++
			if len(got) > 0 {
				bad("%s was withdrawn (its select completed another guard), but its message %v was consumed", who, got)
			}
		case r.err == nil:
			if r.guard < 0 || r.guard >= len(r.tags) {
				bad("%s returned guard %d", who, r.guard)
			} else if !slices.Equal(got, []int{r.tags[r.guard]}) {
				bad("%s returned with guard %d (message %d), but the messages consumed are %v", who, r.guard, r.tags[r.guard], got)
			}
		default:
			failed++
			if !final || !errors.Is(r.err, chanop.ErrClosed) {
				bad("%s returned %v", who, r.err)
			}
			if len(got) > 0 {
				bad("%s returned %v, but its message %v was consumed", who, r.err, got)
			}
		}
	}
	nconsumed := len(consumed)
	if started != nconsumed+blocked+failed+withdrawn {
		bad("conservation: %d sends started, %d messages consumed, %d senders blocked, %d failed, %d withdrawn", started, nconsumed, blocked, failed, withdrawn)
	}

	for o, e := range h.ends {
		switch {
		case final && !e.ended:
			bad("owner %d did not end", o)
		case final && !errors.Is(e.err, chanop.ErrClosed):
			bad("owner %d ended with guard %d, %v; want ErrClosed", o, e.guard, e.err)
		case !final && e.ended:
			bad("owner %d ended early with guard %d, %v", o, e.guard, e.err)
		}
	}

	// No lost wake-up: idle, no owner's guard can fire from the pending
	// senders. A select sender offers on several channels but gives one
	// message.
	if checkIdle {
		for o, ow := range h.sc.owners {
			if h.ends[o].ended {
				continue
			}
			// Owner o cannot take its own offer.
			var offers [][]int
			for _, r := range h.sends {
				if !r.returned && r.owner != o {
					offers = append(offers, r.chans)
				}
			}
			for i, gs := range ow.guards {
				if slots, ok := canFire(gs, offers); ok {
					bad("lost wake-up: owner %d waits, but its guard %d %v can fire from pending senders (slots %v, offers %v)", o, i, gs, slots, offers)
				}
			}
		}
	}
	return vs
}

// canFire reports whether g could fire with the pending offers (the
// channels of each blocked sender), one message per sender: by brute force
// over AnyOf's choices and a bipartite matching of channel slots to
// senders. It returns the slots of a match it found.
func canFire(g guardSpec, offers [][]int) ([]int, bool) {
	var try func(pi int, slots []int) ([]int, bool)
	try = func(pi int, slots []int) ([]int, bool) {
		if pi == len(g.parts) {
			return slots, matchSlots(slots, offers)
		}
		ps := g.parts[pi]
		switch ps.kind {
		case kindAnyOf:
			var found []int
			ok := subsets(ps.chans, ps.m, func(cs []int) bool {
				s, ok := try(pi+1, append(slices.Clone(slots), cs...))
				found = s
				return ok
			})
			return found, ok
		case kindFromN:
			for range ps.n {
				slots = append(slots, ps.chans[0])
			}
		default:
			slots = append(slots, ps.chans...)
		}
		return try(pi+1, slots)
	}
	return try(0, nil)
}

// subsets calls f with each m-subset of cs until f returns true.
func subsets(cs []int, m int, f func([]int) bool) bool {
	var pick func(start int, cur []int) bool
	pick = func(start int, cur []int) bool {
		if len(cur) == m {
			return f(cur)
		}
		for i := start; i < len(cs); i++ {
			if pick(i+1, append(cur, cs[i])) {
				return true
			}
		}
		return false
	}
	return pick(0, nil)
}

// matchSlots reports whether every slot (a channel) can get its own sender
// offering on it: Kuhn's augmenting paths.
func matchSlots(slots []int, offers [][]int) bool {
	owner := make([]int, len(offers)) // offer -> slot+1, 0 if free
	var augment func(s int, seen []bool) bool
	augment = func(s int, seen []bool) bool {
		for o, cs := range offers {
			if seen[o] || !slices.Contains(cs, slots[s]) {
				continue
			}
			seen[o] = true
			if owner[o] == 0 || augment(owner[o]-1, seen) {
				owner[o] = s + 1
				return true
			}
		}
		return false
	}
	for s := range slots {
		if !augment(s, make([]bool, len(offers))) {
			return false
		}
	}
	return true
}

// propStats counts what the property cases exercised, so that a test can
// show it is not vacuous.
type propStats struct {
	cases, sends, firings, pendingAtIdle, selectSends atomic.Int64
}

func (ps *propStats) String() string {
	return fmt.Sprintf("%d cases, %d sends (%d by selects), %d firings, %d senders left blocked at quiescent points",
		ps.cases.Load(), ps.sends.Load(), ps.selectSends.Load(), ps.firings.Load(), ps.pendingAtIdle.Load())
}

func joinProperty(selectSenders, ownerOffers bool, owner ownerLoop, checkIdle bool, stats *propStats) func(*rapid.T) {
	return func(t *rapid.T) {
		sc := drawScenario(t, selectSenders, ownerOffers)
		rapid.SyncTest(t, func(t *rapid.T) {
			if vs := runScenario(sc, owner, checkIdle, stats); len(vs) > 0 {
				t.Fatalf("%d violations in\n%v\n%s", len(vs), sc, strings.Join(vs, "\n"))
			}
		})
	}
}

// TestPatternsConserveMessagesWithPlainSenders: owners looping over selects
// of random patterns (and plain receives) on shared channels, fed by plain
// senders in waves. At every quiescent point: firings have their pattern's
// shape, each message is consumed at most once and only by a firing, a
// sender has returned iff its message was consumed, sends = consumed +
// blocked, and no waiting pattern could fire from the blocked senders.
// After closing every channel, every goroutine exits.
func TestPatternsConserveMessagesWithPlainSenders(t *testing.T) {
	var stats propStats
	rapid.Check(t, joinProperty(false, false, joinOwner, true, &stats))
	t.Log(&stats)
}

// TestPatternsConserveMessagesWithSelectSenders adds senders that are
// selects over SendOps on 2 or 3 channels: such a sender gives at most one
// message, the one of the guard its select returned, and may be needed on
// any of its channels for a match to exist.
func TestPatternsConserveMessagesWithSelectSenders(t *testing.T) {
	var stats propStats
	rapid.Check(t, joinProperty(true, false, joinOwner, true, &stats))
	t.Log(&stats)
}

// TestPatternsConserveMessagesWhenOwnersAlsoSend: owners' selects also
// offer messages (a SendOp beside their patterns), so a pattern's firing may
// claim another owner's waiter as a sender, two owners may each be the
// other's sender, and an owner must never match its own offer. An offer
// whose select completed another guard must not be consumed.
func TestPatternsConserveMessagesWhenOwnersAlsoSend(t *testing.T) {
	var stats propStats
	rapid.Check(t, joinProperty(true, true, joinOwner, true, &stats))
	t.Log(&stats)
}

// TestModelFindsLostWakeups checks the checker's model of enabledness on
// hand-made cases, including the select sender that must be assigned to
// its second channel.
func TestModelFindsLostWakeups(t *testing.T) {
	each := guardSpec{parts: []partSpec{{kind: kindEach, chans: []int{0, 1}}}}
	any2 := guardSpec{parts: []partSpec{{kind: kindAnyOf, chans: []int{0, 1, 2}, m: 2}}}
	fromN := guardSpec{parts: []partSpec{{kind: kindFromN, chans: []int{0}, n: 2}}}
	two := guardSpec{parts: []partSpec{{kind: kindFrom, chans: []int{0}}, {kind: kindFrom, chans: []int{1}}}}
	cases := []struct {
		g      guardSpec
		offers [][]int
		want   bool
	}{
		{each, nil, false},
		{each, [][]int{{0}}, false},
		{each, [][]int{{0}, {1}}, true},
		{each, [][]int{{0, 1}}, false},        // one select sender gives one message
		{each, [][]int{{0, 1}, {0}}, true},    // select sender to c1
		{each, [][]int{{0, 1}, {0, 1}}, true}, // two select senders
		{any2, [][]int{{0}, {0}}, false},
		{any2, [][]int{{0}, {2}}, true},
		{any2, [][]int{{0, 1}, {0}}, true},
		{fromN, [][]int{{0}}, false},
		{fromN, [][]int{{0, 1}, {0}}, true},
		{two, [][]int{{1, 0}, {1}}, true},
		{two, [][]int{{1, 0}, {2}}, false},
	}
	for _, tc := range cases {
		_, got := canFire(tc.g, tc.offers)
		require.Equal(t, tc.want, got, "%v with offers %v", tc.g, tc.offers)
	}
}

// roundRobinOwner is the second negative control: real join patterns, but
// the owner waits on one guard at a time (Wait on guard n mod k) instead of
// selecting among them, so a guard that could fire is left waiting while
// the owner is parked on another. Only the no-lost-wake-up law catches it.
func roundRobinOwner(h *harness, o int) {
	spec := h.sc.owners[o]
	guards := make([]chanop.Guard, len(spec.guards))
	parts := make([][]*join.Part[int], len(spec.guards))
	for i, gs := range spec.guards {
		// Build a pattern even for a plain receive: From behaves alike.
		var cs []join.Conjunct
		for _, ps := range gs.parts {
			part := buildPart(h.chans, ps)
			parts[i] = append(parts[i], part)
			cs = append(cs, part)
		}
		guards[i] = join.All(cs...)
	}
	for n := 0; ; n++ {
		if n > h.limit {
			h.end(o, -1, errTooManyFirings)
			return
		}
		i := n % len(guards)
		if err := guard.Wait(guards[i]); err != nil {
			h.end(o, i, err)
			return
		}
		f := firing{owner: o, guard: i}
		for _, p := range parts[i] {
			f.vals = append(f.vals, slices.Clone(p.Values()))
			f.which = append(f.which, slices.Clone(p.Which()))
		}
		h.fire(f)
	}
}

const negativeChildEnv = "CHORD_JOIN_NEGATIVE_CONTROL"

// Negative controls: broken owners run by the property harness in a child
// test process (this test binary, re-executed), which must fail. A child is
// needed because rapid.SyncTest requires a real *testing.T, and a failing
// rapid.Check fails the test that runs it.
var negativeControls = map[string]struct {
	owner     ownerLoop
	checkIdle bool
	laws      []string // the failure must mention one of these
}{
	// The conservation laws alone (idle check off) must catch a join that
	// holds partial matches.
	"greedy": {greedyOwner, false, []string{"but the messages consumed are", "conservation:"}},
	// The idle law must catch a lost wake-up.
	"roundrobin": {roundRobinOwner, true, []string{"lost wake-up"}},
}

// TestNegativeControlChild is the child's side of the negative controls; in
// a normal run it does nothing.
func TestNegativeControlChild(t *testing.T) {
	name := os.Getenv(negativeChildEnv)
	if name == "" {
		return
	}
	nc, ok := negativeControls[name]
	require.True(t, ok, "unknown negative control %q", name)
	rapid.Check(t, joinProperty(true, false, nc.owner, nc.checkIdle, nil))
}

// TestNegativeControlsAreCaught runs the property with each broken owner in
// place of a correct one and asserts that the property fails for the
// expected law.
func TestNegativeControlsAreCaught(t *testing.T) {
	if os.Getenv(negativeChildEnv) != "" {
		return
	}
	for name, nc := range negativeControls {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			cmd := exec.Command(os.Args[0],
				"-test.run=^TestNegativeControlChild$", "-test.count=1", "-test.v",
				"-test.timeout=60s", "-rapid.nofailfile", "-rapid.shrinktime=2s")
			cmd.Env = append(os.Environ(), negativeChildEnv+"="+name)
			out, err := cmd.CombinedOutput()
			text := string(out)
			var exit *exec.ExitError
			require.ErrorAs(t, err, &exit, "the broken owner passed the property:\n%s", text)
			require.Contains(t, text, "--- FAIL: TestNegativeControlChild", text)
			require.True(t, slices.ContainsFunc([]string{"[rapid] failed", "[rapid] panic", "[rapid] flaky"},
				func(m string) bool { return strings.Contains(text, m) }), "no rapid failure report:\n%s", text)
			require.NotContains(t, text, "panic: test timed out", text)
			caught := slices.ContainsFunc(nc.laws, func(law string) bool { return strings.Contains(text, law) })
			require.True(t, caught, "the child failed, but not by %q:\n%s", nc.laws, text)
			if i := strings.LastIndex(text, "violations in"); i >= 0 {
				t.Logf("child ran %v; its last report:\n%s", time.Since(start).Round(time.Millisecond), text[i:min(len(text), i+1500)])
			}
		})
	}
}
