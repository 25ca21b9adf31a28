package props

// The controlled scheduler behind Check and Explore.
//
// Invariants:
//
//   - Every goroutine of the run (its bubble's goroutines but the
//     controller's own) runs only between two scheduling points, and at
//     most one of them runs user code at a time: the one the controller
//     released last. A scheduling point is a call of chord's hooks
//     (sched.Yield at the start of every channel operation, sched.Resumed
//     right after a parked operation is woken, sched.Intn when a select
//     chooses among ready guards) or the start of a goroutine started with
//     Run.Go. There the goroutine parks on its own gate channel until the
//     controller releases it.
//   - The controller decides only when every other goroutine of the bubble
//     is durably blocked (synctest.Wait): parked at a gate, parked inside
//     chord on a sync.Cond, sleeping, or blocked on a channel. So a
//     goroutine woken by a partner has reached its Resumed gate, and
//     goroutines created in the last step have reached their first gate,
//     before the next decision; what the program does depends only on the
//     sequence of decisions, which replays exactly.
//   - A goroutine is named when the controller first sees it, in a
//     deterministic order: goroutines it has not seen before are taken in
//     the order of their ids, which is creation order because the
//     controller runs the bubble on one processor (GOMAXPROCS 1, see
//     Check). Candidates are ordered by when they were named; option 0 of
//     a decision is the goroutine that ran last, if it can go on.
//   - sched.Intn is a decision too, but not a switch: the goroutine asking
//     may hold chord's locks, so it alone is released with the answer.
//   - Nothing is decided while a goroutine runs, so the chooser (rapid's
//     draws, the explorer) is used only by the controller's goroutine:
//     rapid's draws stay in the goroutine that runs the property.

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing/synctest"
	"time"

	"pgregory.net/rapid"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/internal/sched"
)

// horizon is how far the fake clock may run ahead, with nobody at a
// scheduling point, before the controller calls the run deadlocked: a
// goroutine asleep on a timer is not stuck, one that nothing can wake is.
const horizon = 100 * 365 * 24 * time.Hour

// Kinds of scheduling points.
const (
	atStart  = iota // a goroutine started by Run.Go, before its body
	atOp            // sched.Yield: a channel operation begins
	atResume        // sched.Resumed: a parked operation was woken
	atChoose        // sched.Intn: a select chooses among n ready guards
	atIdle          // Run.Idle: wait until nobody else can go on
	atFire          // not a goroutine's: a chanop.Timer's expiry fires
)

// A gor is one goroutine of the run, as the controller sees it.
type gor struct {
	id     int64 // runtime goroutine id
	parent int64
	label  string // from its body, when it was not started by Run.Go
	name   string // "" until the controller names it
	seq    int    // naming order

	// Guarded by controller.mu.
	gate    chan int // where it parks; created by the goroutine itself
	parked  bool     // at a gate, waiting for release
	kind    int      // of the gate it is at
	n       int      // atChoose: the number of options
	op      string   // chord operation at the gate, e.g. "Chan.Send"
	site    string   // its call site in the user's code
	exited  bool
	started bool           // started by Run.Go: named by its parent
	bg      bool           // started by Run.Background: may outlive the property
	waker   sched.Waker    // set while it is parked in a chord operation
	guards  []chanop.Guard // of its latest select or Wait (not to be changed: the select owns it)
}

// A step is one decision of the controller, as the trace shows it.
type step struct {
	who     string
	kind    int
	op      string
	site    string
	choice  int // atChoose: the option taken
	n       int // atChoose: of how many
	preempt bool
	on      string // the channel or lock of the operation, once chord recorded it

	resumers int    // goroutines woken in chord, at their Resumed point, when it was taken
	note     string // what became of a TrySend or TryRecv that failed
}

// A chooser makes the controller's decisions: option in [0, n).
// preemptive tells that option 0 is "the goroutine that ran last goes on"
// (so any other option preempts it); options from costly on (a timer
// firing early) cost a preemption whatever option 0 is.
type chooser interface {
	choose(n int, preemptive bool, costly int) int
}

// A controller runs one property run in one synctest bubble.
type controller struct {
	src      chooser
	bubble   int64
	progress atomic.Int64 // bumped at each turn of the controller's loop (see watch)
	where    atomic.Int64 // the bubble's id, for the watchdog
	self     atomic.Int64 // the controller goroutine's id, for the watchdog
	maxSteps int          // a run longer than this fails as a possible livelock

	mu       sync.Mutex
	byID     map[int64]*gor
	order    []*gor // named goroutines, in naming order
	unnamed  []*gor
	counts   map[string]int // (parent name, label) → children named so far
	names    map[string]bool
	current  *gor
	arrive   chan struct{} // a goroutine reached a gate or exited; cap 1
	steps    []step
	events   []Event        // chord's own events (see Record)
	chans    map[any]string // channel or pattern → its name in events
	nchans   map[string]int // channels and patterns named so far, by kind
	aborting bool
	timers   []*ptimer // pending expiries of chanop.Timers (see timers.go)
	ntimers  int

	mainDone  bool
	mainPanic any    // what the property's goroutine panicked with
	panicAt   string // and where, for a panic that is not rapid's
	failure   string // the controller's verdict (deadlock), the report's headline
	explain   string // its explanation
}

func newController(src chooser) *controller {
	return &controller{
		src:      src,
		maxSteps: defaultSteps,
		byID:     map[int64]*gor{},
		counts:   map[string]int{},
		names:    map[string]bool{},
	}
}

// signal wakes the controller if it waits for an arrival.
func (c *controller) signal() {
	select {
	case c.arrive <- struct{}{}:
	default:
	}
}

// Choose implements sched.Scheduler. A select asks it once for each
// ready guard after the first, the j-th with n = j (Pike's rule: the j-th
// ready guard replaces the choice so far if the answer is 0). The
// controller makes each of these a decision between two options: 0 keeps
// the choice so far (the answer 1), 1 takes the j-th guard instead (the
// answer 0). So the default schedule, all zeros, takes the first ready
// guard, as a priority select would, and a shrunk schedule leans to it.
func (c *controller) Choose(n int) int {
	if n <= 1 {
		return 0
	}
	if c.point(atChoose, n) == 1 {
		return 0
	}
	return 1
}

// Yield implements sched.Scheduler.
func (c *controller) Yield() { c.point(atOp, 0) }

// Resumed implements sched.Resumer.
func (c *controller) Resumed() { c.point(atResume, 0) }

// Parking implements sched.Parker: abort wakes w if the run ends while
// the goroutine is parked. The goroutine about to park is the running one:
// it passed its operation's scheduling point, and nothing else runs.
func (c *controller) Parking(w sched.Waker) {
	c.mu.Lock()
	if g := c.current; g != nil && !g.parked {
		g.waker = w
	}
	c.mu.Unlock()
}

// point parks the calling goroutine at a scheduling point until the
// controller releases it, and returns the option chosen for atChoose.
func (c *controller) point(kind, n int) int {
	st := stackOf()
	if st.bubble == 0 || st.bubble != c.bubble {
		// Not one of the run's goroutines: chord behaves as by default.
		if kind == atChoose {
			return rand.IntN(n)
		}
		return 0
	}
	c.mu.Lock()
	g := c.byID[st.id]
	if g == nil {
		g = &gor{id: st.id, parent: st.parent, label: st.label()}
		c.byID[st.id] = g
		c.unnamed = append(c.unnamed, g)
	}
	g.waker = nil
	if kind == atOp {
		g.guards = g.guards[:0] // a select records its own after this point
	}
	if c.aborting {
		c.mu.Unlock()
		if kind == atChoose {
			return 0 // it may hold chord's locks: let it finish the select
		}
		runtime.Goexit()
	}
	return c.park(g, kind, n, st)
}

// park parks g at a gate; c.mu is held and is released.
func (c *controller) park(g *gor, kind, n int, st gstack) int {
	if g.gate == nil {
		g.gate = make(chan int, 1) // made in the bubble: parking on it is durable
	}
	g.parked, g.kind, g.n = true, kind, n
	g.op, g.site = st.where()
	gate := g.gate
	c.mu.Unlock()
	c.signal()
	v := <-gate
	if v < 0 {
		runtime.Goexit() // the run is over: see abort
	}
	return v
}

// spawn starts f in a new goroutine named name (made unique), child of the
// caller. The goroutine waits at a start gate before running f.
func (c *controller) spawn(name string, bg bool, f func()) {
	c.mu.Lock()
	g := &gor{started: true, bg: bg}
	c.nameLocked(g, name)
	c.mu.Unlock()
	go func() {
		defer c.exit(g)
		st := stackOf()
		c.mu.Lock()
		g.id = st.id
		c.byID[st.id] = g
		if c.aborting {
			c.mu.Unlock()
			return
		}
		c.park(g, atStart, 0, gstack{})
		f()
	}()
}

// exit records that g's body returned or panicked.
func (c *controller) exit(g *gor) {
	p := recover()
	c.mu.Lock()
	g.exited = true
	if g.name == "main" {
		c.mainDone = true
	}
	// A panic while the run is being ended (a goroutine woken by a
	// deferred call of one that exits, going on with a broken state) is
	// not the run's verdict.
	if p != nil && c.mainPanic == nil && !c.aborting {
		c.mainPanic = p
		if !isRapidStop(p) {
			c.panicAt = string(stackTrace())
		}
	}
	c.mu.Unlock()
	c.signal()
}

func stackTrace() []byte {
	buf := make([]byte, 16<<10)
	return buf[:runtime.Stack(buf, false)]
}

// isInvalidData reports whether p is rapid's panic for a case to discard.
func isInvalidData(p any) bool { return fmt.Sprintf("%T", p) == "rapid.invalidData" }

// isRapidStop reports whether p is one of rapid's own panics: a failed
// property (Fatalf) or a test case to discard (invalid data).
func isRapidStop(p any) bool {
	t := fmt.Sprintf("%T", p)
	return t == "rapid.stopTest" || t == "rapid.invalidData"
}

// nameLocked gives g its name: want if not empty, else one made of its
// label and its rank among its parent's children of that label.
func (c *controller) nameLocked(g *gor, want string) {
	name := want
	if name == "" {
		parent := ""
		if p := c.byID[g.parent]; p != nil && p.name != "" && p.name != "main" {
			parent = p.name + "/"
		}
		label := g.label
		if label == "" {
			label = "go"
		}
		key := parent + label
		k := c.counts[key]
		c.counts[key] = k + 1
		name = fmt.Sprintf("%s%s %d", parent, label, k)
	}
	for i := 2; c.names[name]; i++ {
		name = fmt.Sprintf("%s #%d", want, i)
		if want == "" {
			name = fmt.Sprintf("%s #%d", g.label, i)
		}
	}
	c.names[name] = true
	g.name, g.seq = name, len(c.order)
	c.order = append(c.order, g)
}

// adoptLocked names the goroutines seen for the first time, in order of
// their ids (creation order on one processor).
func (c *controller) adoptLocked() {
	slices.SortFunc(c.unnamed, func(a, b *gor) int {
		switch {
		case a.id < b.id:
			return -1
		case a.id > b.id:
			return 1
		}
		return 0
	})
	for _, g := range c.unnamed {
		c.nameLocked(g, "")
	}
	c.unnamed = c.unnamed[:0]
}

// release lets g go on past its gate with v (or ends it, v < 0).
func (c *controller) releaseLocked(g *gor, v int) {
	g.parked = false
	g.gate <- v
}

// run is the controller's loop, in the bubble's root goroutine: it starts
// prop and schedules the run until every goroutine has finished, or fails it.
func (c *controller) run(t *rapid.T, prop func(*Run)) {
	st := stackOf()
	c.bubble = st.bubble
	c.where.Store(st.bubble)
	c.self.Store(st.id)
	c.arrive = make(chan struct{}, 1) // made in the bubble, so waiting on it is durable
	if sched.Current() != nil {
		// The hook is process-wide: a second controller would take the
		// first one's goroutines out of its control.
		t.Fatalf("props: another scheduler is installed: Check and Explore do not run in parallel (t.Parallel) or nested")
	}
	defer sched.Set(c)()
	r := &Run{T: t, c: c}
	c.spawn("main", false, func() { prop(r) })
	defer c.abort()
	for {
		c.progress.Add(1)
		synctest.Wait()
		c.progress.Add(1)
		select { // arrivals before the Wait are seen below
		case <-c.arrive:
		default:
		}
		c.mu.Lock()
		c.adoptLocked()
		c.noteTryLocked()
		if c.mainPanic != nil || (c.mainDone && c.onlyBackgroundLocked()) {
			c.mu.Unlock()
			return // abort ends the background goroutines
		}
		if len(c.steps) >= c.maxSteps {
			c.livelockLocked()
			c.mu.Unlock()
			return
		}
		// A select choosing among ready guards goes on at once.
		if g := c.choosingLocked(); g != nil {
			c.mu.Unlock() // the chooser may panic (rapid's data ran out): hold no lock
			v := c.src.choose(2, false, 2)
			c.mu.Lock()
			c.steps = append(c.steps, step{who: g.name, kind: atChoose, op: g.op, site: g.site, choice: v, n: g.n})
			c.current = g
			c.releaseLocked(g, v)
			c.mu.Unlock()
			continue
		}
		opts := c.candidatesLocked()
		if len(opts) == 0 {
			c.idleLocked()
			if g := c.idlerLocked(); g != nil {
				c.steps = append(c.steps, step{who: g.name, kind: atIdle, site: g.site})
				c.current = g
				c.releaseLocked(g, 0)
				c.mu.Unlock()
				continue
			}
			done, parked := c.mainDone, c.parkedInChordLocked()
			timers := c.timersLocked()
			c.mu.Unlock()
			if done {
				if parked {
					c.leftovers() // abort would end them quietly
				}
				return
			}
			if len(timers) > 0 {
				if !c.awaitUntil(timers[0].due) {
					c.mu.Lock()
					c.fireLocked(timers[0], false)
					c.mu.Unlock()
				}
				continue
			}
			if c.await() {
				continue
			}
			c.deadlock()
			return
		}
		goesOn := opts[0] == c.current
		timers := c.timersLocked()
		i := 0
		if n := len(opts) + len(timers); n > 1 {
			c.mu.Unlock()
			i = c.src.choose(n, goesOn, len(opts))
			c.mu.Lock()
		}
		if i >= len(opts) {
			c.fireLocked(timers[i-len(opts)], true)
			c.mu.Unlock()
			continue
		}
		g := opts[i]
		c.steps = append(c.steps, step{who: g.name, kind: g.kind, op: g.op, site: g.site, preempt: goesOn && i != 0, resumers: c.resumersLocked()})
		c.current = g
		c.releaseLocked(g, 0)
		c.mu.Unlock()
	}
}

// defaultSteps is Bound.Steps when it is 0, and the step bound of Check.
const defaultSteps = 100_000

// livelockLocked records the verdict that the run took too many steps:
// it may loop for ever (a polling loop that nothing ends, two goroutines
// that keep undoing each other's work). It names the goroutines that took
// the last steps, the most active first.
func (c *controller) livelockLocked() {
	const window = 1000
	last := c.steps[max(0, len(c.steps)-window):]
	count := map[string]int{}
	var who []string
	for _, s := range last {
		if count[s.who] == 0 {
			who = append(who, s.who)
		}
		count[s.who]++
	}
	slices.SortStableFunc(who, func(a, b string) int { return count[b] - count[a] })
	var b strings.Builder
	for _, w := range who {
		site := ""
		for i := len(last) - 1; i >= 0; i-- {
			if last[i].who == w && last[i].site != "" {
				site = " (last at " + last[i].op + " at " + last[i].site + ")"
				break
			}
		}
		fmt.Fprintf(&b, "\t%s: %d of the last %d steps%s\n", w, count[w], len(last), site)
	}
	c.failure = fmt.Sprintf("possible livelock: the run took %d steps without ending (the bound is Bound.Steps); a polling loop that nothing ends, or goroutines that undo each other's work, never finish", len(c.steps))
	c.explain = b.String()
}

// resumersLocked counts the goroutines at a Resumed point.
func (c *controller) resumersLocked() int {
	n := 0
	for _, g := range c.order {
		if g.parked && g.kind == atResume {
			n++
		}
	}
	return n
}

// noteTryLocked notes, at the decision after a Chan.TrySend or
// Chan.TryRecv, whether it failed: it succeeds only with a partner parked
// in chord, which it wakes, and which has reached its Resumed point by now
// (nothing else ran since but the goroutine that tried, up to its next
// scheduling point).
func (c *controller) noteTryLocked() {
	n := len(c.steps)
	if n == 0 {
		return
	}
	st := &c.steps[n-1]
	if st.kind != atOp || st.note != "" || c.resumersLocked() > st.resumers {
		return
	}
	switch st.op {
	case "Chan.TrySend":
		st.note = "fails: no receiver waiting"
	case "Chan.TryRecv":
		st.note = "finds no sender waiting"
	}
}

// onlyBackgroundLocked reports whether every goroutine of the run that
// has not exited was started by Run.Background.
func (c *controller) onlyBackgroundLocked() bool {
	for _, g := range c.byID {
		if !g.exited && !g.bg {
			return false
		}
	}
	for _, g := range c.unnamed {
		if !g.exited && !g.bg {
			return false
		}
	}
	return true
}

// choosingLocked returns the goroutine waiting for a select's choice.
func (c *controller) choosingLocked() *gor {
	for _, g := range c.order {
		if g.parked && g.kind == atChoose {
			return g
		}
	}
	return nil
}

// idleLocked records that nobody can go on now (the program is idle, or
// waits for a timer, or is deadlocked), once per idle stretch.
func (c *controller) idleLocked() {
	if n := len(c.events); n > 0 && c.events[n-1].Kind == "idle" && c.events[n-1].Step == len(c.steps) {
		return
	}
	c.events = append(c.events, Event{Step: len(c.steps), Kind: "idle"})
}

// parkedInChordLocked reports whether a goroutine is parked in a chord
// operation.
func (c *controller) parkedInChordLocked() bool {
	for _, g := range c.order {
		if g.waker != nil {
			return true
		}
	}
	return false
}

// idlerLocked returns the first goroutine waiting in Run.Idle.
func (c *controller) idlerLocked() *gor {
	for _, g := range c.order {
		if g.parked && g.kind == atIdle {
			return g
		}
	}
	return nil
}

// candidatesLocked returns the goroutines parked at a gate: the one that
// ran last first, if it is one, then the others in naming order, round
// robin from the one after it.
func (c *controller) candidatesLocked() []*gor {
	var opts []*gor
	from := 0
	if c.current != nil {
		if c.current.parked && c.current.kind != atIdle {
			opts = append(opts, c.current)
		}
		from = c.current.seq + 1
	}
	for k := range c.order {
		if g := c.order[(from+k)%len(c.order)]; g.parked && g.kind != atIdle && g != c.current {
			opts = append(opts, g)
		}
	}
	return opts
}

// await waits, with nobody at a gate, for a goroutine to arrive at one or
// to exit: one asleep on a timer may wake (fake time advances while every
// goroutine, this one included, is blocked). It reports false if nothing
// happens within horizon: the run is deadlocked.
func (c *controller) await() bool {
	t := time.NewTimer(horizon)
	defer t.Stop()
	select {
	case <-c.arrive:
		return true
	case <-t.C:
		return false
	}
}

// deadlock records the verdict that no goroutine can go on, with what each
// is blocked in.
func (c *controller) deadlock() {
	stacks := c.bubbleStacks()
	c.mu.Lock()
	defer c.mu.Unlock()
	var names []string
	var b strings.Builder
	for _, st := range stacks {
		name, what := c.describeLocked(st)
		names = append(names, name)
		fmt.Fprintf(&b, "\t%s: %s\n", name, what)
	}
	c.failure = "deadlock: " + joinNames(names) + " blocked, and nothing can wake " + pronoun(len(names))
	c.explain = b.String()
}

// bubbleStacks returns the stacks of the run's goroutines but the
// controller's, in naming order (unnamed ones last, by id).
func (c *controller) bubbleStacks() []gstack {
	var sts []gstack
	self := stackOf().id
	for _, st := range allStacks() {
		if st.bubble == c.bubble && st.id != self && !st.infrastructure() {
			sts = append(sts, st)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	rank := func(st gstack) int {
		if g := c.byID[st.id]; g != nil && g.name != "" {
			return g.seq
		}
		return len(c.order) + int(st.id)
	}
	slices.SortFunc(sts, func(a, b gstack) int { return rank(a) - rank(b) })
	return sts
}

// describeLocked names the goroutine of st and says what it is blocked in.
func (c *controller) describeLocked(st gstack) (name, what string) {
	g := c.byID[st.id]
	if g == nil || g.name == "" {
		g = &gor{id: st.id, parent: st.parent, label: st.label()}
		c.byID[st.id] = g
		c.nameLocked(g, "")
	}
	op, site := st.where()
	switch {
	case op != "" && len(g.guards) > 0 && (strings.HasPrefix(op, "selectx.") || strings.HasSuffix(op, ".Wait")):
		var gs []string
		for _, x := range g.guards {
			gs = append(gs, c.guardLocked(x))
		}
		what = "blocked in " + op + " over [" + strings.Join(gs, ", ") + "]"
	case op != "":
		what = "blocked in " + op
	case st.blockedIn() != "":
		what = "blocked in " + st.blockedIn()
	default:
		what = "blocked (" + st.status + ")"
	}
	if site != "" {
		what += " at " + site
	}
	if use := st.instead(); op == "" && use != "" {
		what += " (not scheduled by props: use " + use + ")"
	}
	if e, ok := c.pendingOfferLocked(g.name); ok {
		what += fmt.Sprintf(", offering %s on %s", short(e.Msg), e.Chan)
	}
	what += c.locksLocked(g.name) // csync's locks: see csync_locks.go
	return g.name, what
}

// pendingOfferLocked returns the offer of who's send that has not been
// delivered, if chord recorded one.
func (c *controller) pendingOfferLocked(who string) (Event, bool) {
	for i := len(c.events) - 1; i >= 0; i-- {
		switch e := c.events[i]; {
		case e.Who != who:
		case e.Kind == "offer":
			return e, true
		case e.Kind == "deliver":
			return Event{}, false
		}
	}
	return Event{}, false
}

func joinNames(ns []string) string {
	switch len(ns) {
	case 0:
		return "no goroutine is"
	case 1:
		return ns[0] + " is"
	}
	return strings.Join(ns[:len(ns)-1], ", ") + " and " + ns[len(ns)-1] + " are"
}

func pronoun(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}

// abort ends the run's goroutines: each parked at a gate exits there
// (runtime.Goexit, running its deferred calls), and so does each parked in
// a chord operation, woken for the purpose, at its Resumed point; so does
// any goroutine at the next gate it meets while it unwinds. Only
// goroutines blocked outside chord for good are left behind.
//
// If the run failed (a deadlock, a possible livelock) while the
// property's own goroutine waits outside chord (on a sync.WaitGroup, say),
// abort ends nobody: the exits would let that goroutine go on, with the
// run's state half undone, to checks whose verdict would be bogus. The
// goroutines are left blocked; the bubble ends with them (see runOnce).
func (c *controller) abort() {
	c.mu.Lock()
	c.aborting = true
	if c.failure != "" {
		for _, g := range c.order {
			if g.name == "main" && !g.exited && !g.parked && g.waker == nil {
				c.mu.Unlock()
				return
			}
		}
	}
	c.mu.Unlock()
	for {
		c.mu.Lock()
		n := 0
		for _, g := range c.byID {
			switch {
			case g.parked:
				c.releaseLocked(g, -1)
				n++
			case g.waker != nil:
				g.waker.Wake()
				g.waker = nil
				n++
			}
		}
		c.mu.Unlock()
		if n == 0 {
			return
		}
		synctest.Wait()
	}
}

// trace formats the decisions of the run, one a line.
func (c *controller) trace() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return formatSteps(c.steps, c.events)
}

// maxTraceLines bounds the steps a report quotes: the last ones.
const maxTraceLines = 400

func formatSteps(steps []step, events []Event) string {
	var b strings.Builder
	pre := 0
	for _, s := range steps {
		if s.preempt {
			pre++
		}
	}
	fmt.Fprintf(&b, "schedule: %d steps, %d preemptions (* marks a switch away from a goroutine that could go on)\n", len(steps), pre)
	first := 0
	if len(steps) > maxTraceLines {
		first = len(steps) - maxTraceLines
		fmt.Fprintf(&b, "\t… %d earlier steps\n", first)
	}
	width := 4
	for _, s := range steps[first:] {
		width = max(width, len(s.who))
	}
	for i, s := range steps[first:] {
		mark := " "
		if s.preempt {
			mark = "*"
		}
		var what string
		switch s.kind {
		case atStart:
			what = "starts"
		case atOp:
			what = s.op
		case atResume:
			what = "resumes in " + s.op
		}
		if s.on != "" {
			what += " on " + s.on
		}
		switch s.kind {
		case atChoose:
			// s.n ready guards so far; s.choice 1 takes the last of them.
			switch {
			case s.choice == 1:
				what = fmt.Sprintf("chooses %d of %d in %s", s.n-1, s.n, s.op)
			case s.n == 2:
				what = fmt.Sprintf("chooses 0 of 2 in %s", s.op)
			default:
				what = fmt.Sprintf("passes over %d of %d in %s", s.n-1, s.n, s.op)
			}
		case atIdle:
			what = "finds the program idle"
		case atFire:
			what = "fires (armed"
			if s.site != "" {
				what += " at " + s.site
			}
			what += ")"
		}
		if s.note != "" {
			what += " " + s.note
		}
		if s.site != "" && s.kind != atStart && s.kind != atFire {
			what += " at " + s.site
		}
		fmt.Fprintf(&b, "\t%4d%s %-*s %s\n", first+i+1, mark, width, s.who, what)
		for len(events) > 0 && events[0].Step <= first+i+1 {
			if events[0].Step == first+i+1 {
				fmt.Fprintf(&b, "\t      %*s → %s\n", width, "", events[0])
			}
			events = events[1:]
		}
	}
	return b.String()
}
