// Package philosophers solves Dijkstra's dining philosophers with join
// patterns.
//
// N philosophers sit at a round table with one chopstick between each pair of
// neighbours. Philosopher i's left chopstick is i and his right chopstick is
// (i+1) mod N. A chopstick is a one-place buffer (buffer.New[int](1)) that
// holds a token, the chopstick's number, while the chopstick lies on the
// table. A hungry philosopher waits on one join pattern,
//
//	join.All(join.Each(left, right))
//
// which takes both tokens at the same instant or neither, eats, and puts both
// chopsticks back with Send, which on a one-place buffer that he emptied
// never blocks (the asynchronous release of the join calculus).
//
// Why this cannot deadlock. The classic deadlock is every philosopher
// holding his left chopstick and waiting for his right one: Coffman's
// hold-and-wait. A join pattern holds nothing until it can take everything
// (atomic transfer; a partial match holds nothing), so no philosopher ever
// holds one chopstick while waiting for the other, and the circular wait
// cannot form. The join machinery plays the part of Dijkstra's butler
// without a butler in the program; see Andrew Francis' Stackless prototype,
// where "the join pattern's declarative style allows one to get the butler
// for free". Unlike a butler (or one global lock), it does not serialise
// the table: two philosophers who are not neighbours eat at the same time.
//
// Run plays a table and returns its event trace and statistics; package
// philosophers/check checks such traces (check.Properties). Run needs no
// real concurrency to be correct and works inside a testing/synctest
// bubble, where its time.Sleep calls take no wall-clock time.
package philosophers

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/gochord/chord/buffer"
	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/join"
	"github.com/gochord/chord/selectx"
)

// Limits on a Config; larger tables are refused by Validate.
const (
	MaxN      = 10_000    // philosophers at one table
	MaxEvents = 2_000_000 // bound on N × Meals × 4, the length of the trace
)

// ErrConfig is wrapped by every error Validate returns.
var ErrConfig = errors.New("philosophers: invalid config")

// A Range is a closed interval of durations, [Min, Max]. Each think or eat
// time is drawn uniformly from it. The zero Range is "no time at all".
type Range struct {
	Min, Max time.Duration
}

// String formats r as "[Min, Max]".
func (r Range) String() string { return fmt.Sprintf("[%v, %v]", r.Min, r.Max) }

// draw returns a duration drawn uniformly from r.
func (r Range) draw(rnd *rand.Rand) time.Duration {
	if r.Max <= r.Min {
		return r.Min
	}
	return r.Min + time.Duration(rnd.Int64N(int64(r.Max-r.Min)+1))
}

// A Config describes one dinner.
type Config struct {
	N     int   // philosophers (and chopsticks), at least 2
	Meals int   // meals each philosopher eats before leaving, at least 1
	Think Range // time spent thinking before each meal
	Eat   Range // time spent eating each meal

	// Seed seeds the random think and eat times. Philosopher i draws his
	// times from his own PCG generator seeded with (Seed, i), so his
	// sequence of times does not depend on how the others are scheduled.
	Seed uint64

	// LeftThenRight is the classic mistake, for teaching (command
	// philosophers -left-then-right): each philosopher picks up his left
	// chopstick, waits Reach, then picks up his right one, each with a
	// plain receive, recording Took for each. When all are hungry at once
	// each holds his left chopstick and waits for his right one for good;
	// the dinner then ends only when ctx is done, and the philosophers
	// leave with the chopsticks they hold (putting them back would hand
	// them to a neighbour still waiting, and the trace would go on past
	// the deadlock).
	LeftThenRight bool
	Reach         time.Duration // with LeftThenRight: the pause between the two chopsticks

	// Observe, if not nil, is called with every event as it is recorded,
	// in Seq order, by the goroutine that caused it. It must return
	// quickly: it runs while the trace is locked, and every philosopher
	// waits for it. Command philosophers uses it to narrate a dinner as it
	// happens.
	Observe func(Event)
}

// Validate reports whether c describes a dinner that can be run. The error,
// if any, wraps ErrConfig and names the offending field.
func (c Config) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrConfig}, args...)...)
	}
	switch {
	case c.N < 2:
		return bad("N = %d; need at least 2 philosophers (one philosopher has a single chopstick and can never eat)", c.N)
	case c.N > MaxN:
		return bad("N = %d; at most %d philosophers", c.N, MaxN)
	case c.Meals < 1:
		return bad("Meals = %d; each philosopher must eat at least 1 meal", c.Meals)
	case int64(c.N)*int64(c.Meals) > MaxEvents/4:
		return bad("N × Meals = %d × %d; the trace would exceed %d events", c.N, c.Meals, MaxEvents)
	}
	for _, r := range []struct {
		name string
		r    Range
	}{{"Think", c.Think}, {"Eat", c.Eat}} {
		switch {
		case r.r.Min < 0:
			return bad("%s.Min = %v; durations must not be negative", r.name, r.r.Min)
		case r.r.Max < r.r.Min:
			return bad("%s = %v; need Min <= Max", r.name, r.r)
		}
	}
	return nil
}

// Left returns the number of philosopher i's left chopstick at a table of
// n: i.
func Left(i, n int) int { return i }

// Right returns the number of philosopher i's right chopstick at a table of
// n: (i+1) mod n.
func Right(i, n int) int { return (i + 1) % n }

// A Kind is what an Event reports.
type Kind uint8

// The kinds of events, in the order a philosopher goes through them for
// each meal: Thinking, Hungry, Eating, Released; then Finished once he has
// eaten all his meals. OnTable is recorded by Run after everyone left.
const (
	Thinking Kind = iota // Who starts thinking
	Hungry               // Who wants to eat and starts waiting for his chopsticks
	// Took: Who picked up Chopsticks while not yet eating. The join
	// solution never records it: it takes both chopsticks atomically, in
	// the Eating event. A solution that picks chopsticks up one at a time
	// (the negative control in package philosophers/check) reports each
	// with Took.
	Took
	Eating   // Who holds Chopsticks and eats meal Meal; Wait is how long he was hungry
	Released // Who finished meal Meal and put Chopsticks back on the table
	Finished // Who has eaten all his meals and leaves the table
	OnTable  // after the dinner, chopstick Chopsticks[0] was found on the table; Who is -1
)

var kindNames = [...]string{
	Thinking: "thinking",
	Hungry:   "hungry",
	Took:     "took",
	Eating:   "eating",
	Released: "released",
	Finished: "finished",
	OnTable:  "on-table",
}

// String returns the kind's name, as it appears in Event.String.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// An Event is one step of a dinner.
type Event struct {
	Seq        int           // position in the trace, from 0
	At         time.Duration // time since the dinner began
	Kind       Kind
	Who        int           // the philosopher, or -1 for OnTable
	Meal       int           // for Hungry, Took, Eating and Released: the meal, from 1
	Chopsticks []int         // for Took, Eating, Released and OnTable: the chopsticks (their tokens)
	Wait       time.Duration // for Eating: how long Who was hungry
}

// String formats e on one line, for narration and counterexamples:
//
//	#7 +1.2s P2 eating meal 1 [2 3] after 300ms
func (e Event) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "#%d +%v ", e.Seq, e.At)
	if e.Who >= 0 {
		fmt.Fprintf(&b, "P%d ", e.Who)
	}
	b.WriteString(e.Kind.String())
	if e.Meal > 0 {
		fmt.Fprintf(&b, " meal %d", e.Meal)
	}
	if len(e.Chopsticks) > 0 {
		fmt.Fprintf(&b, " %v", e.Chopsticks)
	}
	if e.Kind == Eating {
		fmt.Fprintf(&b, " after %v", e.Wait)
	}
	return b.String()
}

// Stats are one philosopher's figures for a dinner.
type Stats struct {
	Meals       int           // meals eaten
	LongestWait time.Duration // longest time hungry before eating
	TotalWait   time.Duration // time hungry, summed over his meals
}

// A Result is what Run returns: the trace and the figures.
type Result struct {
	Events    []Event       // the trace, in Seq order
	Stats     []Stats       // per philosopher
	MaxEating int           // most philosophers eating at the same time
	Elapsed   time.Duration // from the start of the dinner to the last event
}

// Meals returns the total number of meals eaten.
func (r *Result) Meals() int {
	n := 0
	for _, s := range r.Stats {
		n += s.Meals
	}
	return n
}

// A Recorder numbers and timestamps the events of one dinner and keeps the
// figures (Stats, MaxEating) as they happen. Run uses one; it is exported
// so that other solutions (such as the broken ones in the tests of package
// philosophers/check) produce the same trace and figures.
//
// A Recorder is safe for concurrent use. The zero value is not ready; use
// NewRecorder.
type Recorder struct {
	start   time.Time
	observe func(Event)

	mu     sync.Mutex // protects the fields below
	events []Event
	hungry []time.Duration // per philosopher: At of his last Hungry event
	stats  []Stats
	eating int // philosophers between Eating and Released
	max    int // most of them at once
}

// NewRecorder returns a recorder for a table of n philosophers whose clock
// starts now. observe, if not nil, is called with each event, in order,
// while the recorder is locked.
func NewRecorder(n int, observe func(Event)) *Recorder {
	return &Recorder{
		start:   time.Now(),
		observe: observe,
		hungry:  make([]time.Duration, n),
		stats:   make([]Stats, n),
	}
}

// Record appends e, setting its Seq and At (and, for Eating, its Wait:
// the time since Who's last Hungry event), and returns it.
//
// A solution must record Eating after it holds the chopsticks and Released
// before it puts them back, so that the trace never shows a chopstick in
// two hands: a neighbour's Eating is then recorded after this Released.
func (r *Recorder) Record(e Event) Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	e.Seq = len(r.events)
	e.At = time.Since(r.start)
	mine := e.Who >= 0 && e.Who < len(r.stats)
	switch e.Kind {
	case Hungry:
		if mine {
			r.hungry[e.Who] = e.At
		}
	case Eating:
		r.eating++
		r.max = max(r.max, r.eating)
		if mine {
			e.Wait = e.At - r.hungry[e.Who]
			s := &r.stats[e.Who]
			s.Meals++
			s.TotalWait += e.Wait
			s.LongestWait = max(s.LongestWait, e.Wait)
		}
	case Released:
		r.eating--
	}
	r.events = append(r.events, e)
	if r.observe != nil {
		r.observe(e)
	}
	return e
}

// Result returns a copy of the trace so far with its figures.
func (r *Recorder) Result() Result {
	r.mu.Lock()
	defer r.mu.Unlock()
	res := Result{
		Events:    append([]Event(nil), r.events...),
		Stats:     append([]Stats(nil), r.stats...),
		MaxEating: r.max,
	}
	if len(res.Events) > 0 {
		res.Elapsed = res.Events[len(res.Events)-1].At
	}
	return res
}

// Run plays a dinner: it starts cfg.N philosophers, each of whom thinks,
// gets hungry, eats with both his chopsticks and puts them back, cfg.Meals
// times, and returns when all of them have left the table. No goroutine
// that Run started outlives it.
//
// If ctx is done first, the philosophers stop (one who is eating puts his
// chopsticks back first) and Run returns the trace so far with ctx's
// error. An invalid cfg is refused with Validate's error.
func Run(ctx context.Context, cfg Config) (Result, error) {
	if err := cfg.Validate(); err != nil {
		return Result{}, err
	}
	n := cfg.N
	rec := NewRecorder(n, cfg.Observe)
	sticks := make([]*buffer.Buffer[int], n)
	for c := range sticks {
		sticks[c] = buffer.New[int](1)
		if err := sticks[c].Send(c); err != nil {
			panic("philosophers: cannot lay chopstick on the table: " + err.Error())
		}
	}
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := philosopher{
				who:   i,
				cfg:   &cfg,
				rec:   rec,
				rnd:   rand.New(rand.NewPCG(cfg.Seed, uint64(i))),
				left:  sticks[Left(i, n)],
				right: sticks[Right(i, n)],
			}
			p.dine(ctx)
		}()
	}
	wg.Wait()

	// Everybody has left: every chopstick should be back on the table.
	for _, s := range sticks {
		r := s.RecvOp()
		if g, err := selectx.PriSelect(r, chanop.Skip()); g == r && err == nil {
			rec.Record(Event{Kind: OnTable, Who: -1, Chopsticks: []int{r.Value()}})
		}
		s.Close()
	}

	return rec.Result(), ctx.Err()
}

// A philosopher is the state of one philosopher's goroutine.
type philosopher struct {
	who         int
	cfg         *Config
	rec         *Recorder
	rnd         *rand.Rand
	left, right *buffer.Buffer[int]
}

func (p *philosopher) dine(ctx context.Context) {
	// One pattern for all meals: the conjunction of both chopsticks.
	sticks := join.Each[int](p.left, p.right)
	eat := join.All(sticks)
	var cancel chanop.Guard
	if ctx.Done() != nil {
		cancel = chanop.Done(ctx)
	}

	for meal := 1; meal <= p.cfg.Meals; meal++ {
		p.rec.Record(Event{Kind: Thinking, Who: p.who})
		if sleep(ctx, p.cfg.Think.draw(p.rnd)) != nil {
			return
		}
		p.rec.Record(Event{Kind: Hungry, Who: p.who, Meal: meal})

		// Take both chopsticks at once, or wait holding neither.
		if p.cfg.LeftThenRight {
			if !p.oneThenTheOther(ctx, meal) {
				return
			}
		} else if cancel == nil {
			if err := eat.Wait(); err != nil {
				return // the table was cleared under us; cannot happen in Run
			}
		} else if g, err := selectx.PriSelect(cancel, eat); g != eat || err != nil {
			return
		}
		got := []int{Left(p.who, p.cfg.N), Right(p.who, p.cfg.N)}
		if !p.cfg.LeftThenRight {
			got = append(got[:0], sticks.Values()...)
		}
		p.rec.Record(Event{Kind: Eating, Who: p.who, Meal: meal, Chopsticks: got})
		err := sleep(ctx, p.cfg.Eat.draw(p.rnd))

		// Record first, then put down: see Recorder.Record.
		p.rec.Record(Event{Kind: Released, Who: p.who, Meal: meal, Chopsticks: got})
		for k, b := range [2]*buffer.Buffer[int]{p.left, p.right} {
			// Never blocks: we emptied this one-place buffer. It fails
			// only if the buffer was closed, which Run does after we left.
			if err := b.Send(got[k]); err != nil {
				panic("philosophers: chopstick put back on a cleared table: " + err.Error())
			}
		}
		if err != nil {
			return
		}
	}
	p.rec.Record(Event{Kind: Finished, Who: p.who})
}

// oneThenTheOther is the LeftThenRight mistake: it takes the left
// chopstick, then the right one, and reports whether it holds both. If ctx
// is done first it keeps what it holds (see Config.LeftThenRight).
func (p *philosopher) oneThenTheOther(ctx context.Context, meal int) bool {
	cancel := chanop.Done(ctx)
	held := 0
	for k, b := range [2]*buffer.Buffer[int]{p.left, p.right} {
		if k == 1 && sleep(ctx, p.cfg.Reach) != nil {
			break
		}
		r := b.RecvOp()
		if g, err := selectx.PriSelect(cancel, r); g != r || err != nil {
			break
		}
		held++
		p.rec.Record(Event{Kind: Took, Who: p.who, Meal: meal, Chopsticks: []int{r.Value()}})
	}
	return held == 2
}

// sleep sleeps for d, or until ctx is done, and returns ctx's error.
func sleep(ctx context.Context, d time.Duration) error {
	done := ctx.Done()
	switch {
	case d <= 0:
	case done == nil:
		time.Sleep(d)
	default:
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-done:
		}
	}
	return ctx.Err()
}
