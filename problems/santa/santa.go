// Package santa solves the Santa Claus problem (Trono 1994, with Ben-Ari's
// and Downey's corrections) with join patterns.
//
// Santa sleeps until either all of his reindeer are back from holiday or a
// group of ElfGroup elves needs help. Back from holiday, the reindeer are
// harnessed, deliver the toys and are unharnessed together; a group of
// elves is shown into the study, consulted and shown out together, while
// other elves wait their turn. If both a team of reindeer and a group of
// elves are waiting when Santa wakes, the reindeer go first. No reindeer
// or elf starts its next holiday or job before Santa has released its
// group.
//
// The solution is Santa's loop (the function santa in santa.go), and it
// keeps no counters of who is waiting: a reindeer that is back, or an elf
// that needs help, sends one message on its own channel and stays queued
// there until a join pattern takes it together with the rest of its group.
//
//	reindeer := join.All(join.Each(deer...))            // all reindeer at once
//	elves := join.All(join.AnyOf(cfg.ElfGroup, elf...)) // any ElfGroup elves at once
//	g, err := selectx.PriSelect(reindeer, elves)        // reindeer first
//
// Which elves: any ElfGroup of those waiting. join.AnyOf starts looking
// after the elf it took last, so every elf gets its turn, but not strictly
// in the order they asked.
//
// A select-only solution has to receive the messages one at a time and
// count them, holding reindeer and elves in lists of its own until a group
// is complete; with patterns the channels' queues are the lists.
//
// Run runs the problem with a finite workload (Config.Deliveries and
// Config.ElfVisits) and returns the trace of events, which package santa/check
// checks against the problem's rules. Run uses only time.Sleep-like timers
// and per-goroutine random number generators seeded from Config.Seed, so
// inside a testing/synctest bubble it runs in fake time.
package santa

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/internal/trace"
	"github.com/gochord/chord/join"
	"github.com/gochord/chord/selectx"
)

// A Span is a range of durations: each time one is needed, a duration is
// drawn uniformly from [Min, Max].
type Span struct {
	Min, Max time.Duration
}

// Config is the problem's parameters. Start from DefaultConfig; the zero
// value is not valid (it has no reindeer).
type Config struct {
	Reindeer int // size of the team; 9 in the problem
	Elves    int // 10 in the problem
	ElfGroup int // how many elves it takes to wake Santa; 3 in the problem

	// The workload. Each reindeer comes back Deliveries times, and Santa
	// delivers Deliveries times. ElfVisits is the total number of
	// consultations (groups of ElfGroup elves that Santa helps), not a
	// number per elf: elves keep coming back with new problems, and when
	// Santa has held ElfVisits consultations and made his deliveries he
	// retires, and the elves still waiting at his door go home unserved.
	Deliveries int
	ElfVisits  int

	Holiday      Span // a reindeer's holiday, before each return
	Work         Span // an elf's work before it needs help
	Delivery     Span // a delivery: from harnessing to unharnessing
	Consultation Span // a consultation: from showing in to showing out

	// Seed seeds the random durations. Each goroutine has its own PCG
	// generator seeded with (Seed, its index), so the draws do not depend
	// on the interleaving.
	Seed uint64

	// Choose is the select Santa sleeps in: it is given the reindeer
	// pattern, the elves pattern and a guard for the context, in that
	// order, and must complete one. The default, nil, is selectx.PriSelect,
	// which gives the reindeer priority. Replace it with selectx.Select
	// to see what priority buys: when both groups are waiting Select picks
	// at random, and check.ReindeerPriority reports the elves taken
	// while the reindeer waited.
	Choose func(guards ...chanop.Guard) (chanop.Guard, error)

	// ConsultInBackground is a deliberate mistake, for teaching and for
	// the negative controls in package santa/check; leave it false. With it,
	// Santa leaves each group of elves to consult on its own and goes
	// straight back to sleep, so the next group can be shown into the
	// study before the last one is shown out: a fourth elf in a study
	// meant for three.
	ConsultInBackground bool

	// Observe, if not nil, is called for every event as it is recorded, in
	// trace order and one call at a time (under the trace's lock: keep it
	// short). The demo command uses it to narrate a run as it happens.
	Observe func(Event)
}

// DefaultConfig returns the problem's sizes (9 reindeer, 10 elves, groups
// of 3) and a short workload timed so that a run takes a few seconds of
// real time.
func DefaultConfig() Config {
	ms := time.Millisecond
	return Config{
		Reindeer:     9,
		Elves:        10,
		ElfGroup:     3,
		Deliveries:   2,
		ElfVisits:    7,
		Holiday:      Span{800 * ms, 1600 * ms},
		Work:         Span{300 * ms, 1500 * ms},
		Delivery:     Span{400 * ms, 500 * ms},
		Consultation: Span{250 * ms, 350 * ms},
		Seed:         6, // a run where reindeer priority decides once
	}
}

// Scaled returns c with every duration multiplied by f: Scaled(0.5) runs
// twice as fast.
func (c Config) Scaled(f float64) Config {
	for _, s := range []*Span{&c.Holiday, &c.Work, &c.Delivery, &c.Consultation} {
		s.Min = time.Duration(float64(s.Min) * f)
		s.Max = time.Duration(float64(s.Max) * f)
	}
	return c
}

// Validate reports what is wrong with c, every problem in one error, or nil.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("santa: "+format, args...))
	}
	if c.Reindeer < 1 {
		bad("Reindeer = %d; need at least 1", c.Reindeer)
	}
	if c.Elves < 1 {
		bad("Elves = %d; need at least 1", c.Elves)
	}
	switch {
	case c.ElfGroup < 1:
		bad("ElfGroup = %d; need at least 1", c.ElfGroup)
	case c.Elves >= 1 && c.ElfGroup > c.Elves:
		bad("ElfGroup = %d is more than Elves = %d: no group could ever form", c.ElfGroup, c.Elves)
	}
	if c.Deliveries < 0 {
		bad("Deliveries = %d is negative", c.Deliveries)
	}
	if c.ElfVisits < 0 {
		bad("ElfVisits = %d is negative", c.ElfVisits)
	}
	for _, s := range []struct {
		name string
		Span
	}{{"Holiday", c.Holiday}, {"Work", c.Work}, {"Delivery", c.Delivery}, {"Consultation", c.Consultation}} {
		switch {
		case s.Min < 0:
			bad("%s.Min = %v is negative", s.name, s.Min)
		case s.Max < s.Min:
			bad("%s.Max = %v is less than %s.Min = %v", s.name, s.Max, s.name, s.Min)
		}
	}
	return errors.Join(errs...)
}

// Result is what Run returns: the trace and statistics drawn from it.
type Result struct {
	Events []Event // the trace, in Seq order
	Stats  Stats
}

// Run runs the problem with cfg until Santa has made cfg.Deliveries
// deliveries and held cfg.ElfVisits consultations, then closes the workshop
// and waits for every reindeer and elf goroutine to finish: no goroutine
// outlives Run.
//
// If ctx is cancelled before the work is done, Santa finishes releasing the group in hand (without
// waiting out its durations), everybody goes home, and Run returns what was
// recorded so far with ctx.Err(). An invalid cfg returns Validate's error.
func Run(ctx context.Context, cfg Config) (Result, error) {
	if err := cfg.Validate(); err != nil {
		return Result{}, err
	}
	w := newWorkshop(cfg)

	// home is cancelled when Santa retires: it cuts short the holidays and
	// the work of those who would otherwise come back to a closed shop.
	home, goHome := context.WithCancel(ctx)
	defer goHome()
	var wg sync.WaitGroup
	for r := range cfg.Reindeer {
		wg.Go(func() { w.reindeer(home, r) })
	}
	for e := range cfg.Elves {
		wg.Go(func() { w.elf(home, e) })
	}

	err := w.santa(ctx)

	// Close the workshop. A member blocked in Send or Recv returns
	// ErrClosed, a sleeping one is woken by goHome, and each goes home.
	goHome()
	for _, cs := range [][]*chanop.Chan[int]{w.deer, w.elves, w.unharness, w.showOut} {
		for _, c := range cs {
			c.Close()
		}
	}
	wg.Wait()
	w.record(Retire, Santa, 0)

	events := w.log.Events()
	return Result{Events: events, Stats: statsOf(cfg, events)}, err
}

// A workshop is the state shared by Santa, the reindeer and the elves: one
// channel per member to say "I'm here" (the reindeer send on deer, the
// elves on elves) and one per member on which Santa releases it.
type workshop struct {
	cfg       Config
	log       *trace.Recorder[Event]
	deer      []*chanop.Chan[int] // deer[r]: reindeer r sends r when back from holiday
	elves     []*chanop.Chan[int] // elves[e]: elf e sends e when it needs help
	unharness []*chanop.Chan[int] // unharness[r]: Santa sends the group number to release reindeer r
	showOut   []*chanop.Chan[int] // showOut[e]: Santa sends the group number to release elf e
}

func newWorkshop(cfg Config) *workshop {
	w := &workshop{cfg: cfg, log: trace.New(stamp, cfg.Observe)}
	w.deer, w.unharness = chans(cfg.Reindeer), chans(cfg.Reindeer)
	w.elves, w.showOut = chans(cfg.Elves), chans(cfg.Elves)
	return w
}

// record adds the event of kind k, by who, in group, to the trace.
func (w *workshop) record(k Kind, who, group int) {
	w.log.Add(Event{Kind: k, Who: who, Group: group})
}

func chans(n int) []*chanop.Chan[int] {
	cs := make([]*chanop.Chan[int], n)
	for i := range cs {
		cs[i] = chanop.New[int]()
	}
	return cs
}

// santa is Santa's loop. It keeps no count of who is waiting: the patterns
// take a whole group or nothing, and until then the reindeer and elves stay
// queued on their channels.
func (w *workshop) santa(ctx context.Context) error {
	team := join.Each(chanop.Sources(w.deer...)...)                    // one message from every reindeer
	group := join.AnyOf(w.cfg.ElfGroup, chanop.Sources(w.elves...)...) // one from each of any ElfGroup elves
	reindeer, elves := join.All(team), join.All(group)
	cancelled := chanop.Done(ctx)
	choose := w.cfg.Choose
	if choose == nil {
		choose = selectx.PriSelect
	}
	rng := w.rng(0)
	var background sync.WaitGroup // only with the ConsultInBackground mistake
	defer background.Wait()

	// The work done, for the finite workload. Nothing counts who is waiting.
	deliveries, consultations := 0, 0
	for deliveries < w.cfg.Deliveries || consultations < w.cfg.ElfVisits {
		if err := ctx.Err(); err != nil {
			return err // cancelled while serving a group
		}
		// Sleep until a pattern fires, offering only what is still to do.
		//
		// Reindeer priority is the order of the arguments. Scenario: Santa
		// is consulting; meanwhile the last reindeer comes back and three
		// more elves line up. Both patterns are ready when he next selects,
		// and PriSelect takes the first ready one. (A wake-up can still go
		// to the elves when the last reindeer arrives just after the elves'
		// pattern fired: priority decides between groups that are waiting
		// at the moment Santa decides, not later.)
		g, err := choose(
			chanop.When(deliveries < w.cfg.Deliveries, reindeer),
			chanop.When(consultations < w.cfg.ElfVisits, elves),
			cancelled)
		if err != nil {
			return err
		}
		n := deliveries + consultations + 1 // this group's number
		switch g {
		case reindeer:
			w.record(WakeDeer, Santa, n)
			deliveries++
			w.deliver(ctx, n, team.Which(), trace.Draw(rng, w.cfg.Delivery))
		case elves:
			w.record(WakeElves, Santa, n)
			consultations++
			who, d := slices.Clone(group.Which()), trace.Draw(rng, w.cfg.Consultation)
			if w.cfg.ConsultInBackground {
				background.Go(func() { w.consult(ctx, n, who, d) })
			} else {
				w.consult(ctx, n, who, d)
			}
		default:
			panic(fmt.Sprintf("santa: Config.Choose returned a %T and no error; want the reindeer or the elves pattern", g))
		}
	}
	return nil
}

// deliver harnesses the team, delivers, and unharnesses the reindeer one by
// one, releasing each to its next holiday.
func (w *workshop) deliver(ctx context.Context, n int, team []int, d time.Duration) {
	for _, r := range team {
		w.record(Harness, r, n)
	}
	w.record(DeliveryStart, Santa, n)
	trace.Sleep(ctx, d)
	w.record(DeliveryEnd, Santa, n)
	for _, r := range team {
		w.record(Unharness, r, n)  // before the release, so it precedes r's next return
		_ = w.unharness[r].Send(n) // r is waiting in Recv; the channel closes only after Santa returns
	}
}

// consult shows the group in, consults, and shows the elves out one by one,
// releasing each to its work.
func (w *workshop) consult(ctx context.Context, n int, group []int, d time.Duration) {
	for _, e := range group {
		w.record(ShowIn, e, n)
	}
	w.record(ConsultStart, Santa, n)
	trace.Sleep(ctx, d)
	w.record(ConsultEnd, Santa, n)
	for _, e := range group {
		w.record(ShowOut, e, n)
		_ = w.showOut[e].Send(n)
	}
}

// reindeer is reindeer r's life: Deliveries times, a holiday, then back to
// the stable until Santa unharnesses it after the delivery.
func (w *workshop) reindeer(ctx context.Context, r int) {
	rng := w.rng(1 + r)
	for range w.cfg.Deliveries {
		if !trace.Sleep(ctx, trace.Draw(rng, w.cfg.Holiday)) {
			return
		}
		w.record(DeerBack, r, 0) // before Send: see Event
		if w.deer[r].Send(r) != nil {
			return // the workshop closed
		}
		if _, err := w.unharness[r].Recv(); err != nil {
			return
		}
	}
}

// elf is elf e's life: work, then queue at Santa's door until shown out,
// until the workshop closes.
func (w *workshop) elf(ctx context.Context, e int) {
	rng := w.rng(1 + w.cfg.Reindeer + e)
	for {
		if !trace.Sleep(ctx, trace.Draw(rng, w.cfg.Work)) {
			return
		}
		w.record(ElfAsks, e, 0)
		if w.elves[e].Send(e) != nil {
			return
		}
		if _, err := w.showOut[e].Recv(); err != nil {
			return
		}
	}
}

// rng returns the random number generator of goroutine i (Santa is 0).
func (w *workshop) rng(i int) *rand.Rand {
	return rand.New(rand.NewPCG(w.cfg.Seed, uint64(i)))
}
