// Package river solves Downey's river crossing problem with join patterns.
//
// Linux hackers and Microsoft serfs queue at the bank for a boat that takes
// exactly four. A boat of four hackers, of four serfs, or of two and two is
// safe; three of one kind with one of the other is not (the one would be
// thrown overboard). Each person sends on the channel of their kind and
// stays blocked there; the captain waits on three patterns at once,
//
//	fourHackers := join.All(join.FromN(hackers, 4))
//	fourSerfs := join.All(join.FromN(serfs, 4))
//	mixed := join.All(join.FromN(hackers, 2), join.FromN(serfs, 2))
//	g, err := selectx.Select(fourHackers, fourSerfs, mixed)
//
// A disjunction of conjunctions: whichever fires takes its four at once and
// releases them together, and no other combination can ever board.
//
// Why join patterns fit: the safe boats are exactly the patterns, written
// as they are stated. Downey's semaphore solution keeps two counters under
// a mutex, two queue semaphores, a barrier of four and a captain elected by
// whoever arrives fourth, with a case analysis of who may still be waiting
// — about 40 lines in which the 3+1 boat is the easy mistake.
//
// FirstFour is that mistake, for contrast: the captain boards the first
// four people to arrive, whoever they are.
//
// Run plays a finite crowd and returns the trace; package river/check checks it
// (check.Properties). Inside a testing/synctest bubble it runs in
// fake time.
package river

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/internal/trace"
	"github.com/gochord/chord/join"
	"github.com/gochord/chord/selectx"
)

// A Side is the kind of a person: a hacker or a serf.
type Side uint8

// The two kinds.
const (
	Hacker Side = iota
	Serf
)

// A Person is one of the crowd: hacker 0, 1, … and serf 0, 1, ….
type Person struct {
	Side Side
	N    int
}

// String formats p as "h3" (hacker 3) or "s1" (serf 1).
func (p Person) String() string {
	if p.Side == Hacker {
		return fmt.Sprintf("h%d", p.N)
	}
	return fmt.Sprintf("s%d", p.N)
}

// A Span is a range of durations; each draw is uniform in [Min, Max].
type Span struct {
	Min, Max time.Duration
}

// A Config describes a run.
type Config struct {
	Hackers, Serfs int  // the crowd; each person crosses at most once
	Arrive         Span // each person arrives after a time drawn from Arrive
	Row            Span // a crossing takes this long
	Seed           uint64

	// FirstFour is the classic mistake, for teaching and for the negative
	// controls in package river/check: the captain boards the first four to
	// arrive, one receive at a time, whatever their kinds.
	FirstFour bool

	// Observe, if not nil, is called with every event as it is recorded,
	// in trace order, one call at a time, while the trace is locked.
	Observe func(Event)
}

// DefaultConfig returns a crowd of 9 hackers and 7 serfs arriving over a
// second and a half.
func DefaultConfig() Config {
	ms := time.Millisecond
	return Config{Hackers: 9, Serfs: 7, Arrive: Span{0, 1500 * ms}, Row: Span{200 * ms, 300 * ms}, Seed: 1}
}

// Validate reports what is wrong with c, or nil.
func (c Config) Validate() error {
	var errs []error
	if c.Hackers < 0 || c.Serfs < 0 || c.Hackers+c.Serfs > 10_000 {
		errs = append(errs, fmt.Errorf("river: Hackers = %d, Serfs = %d; need 0 to 10000 people", c.Hackers, c.Serfs))
	}
	errs = append(errs, trace.CheckSpan("river", "Arrive", c.Arrive), trace.CheckSpan("river", "Row", c.Row))
	return errors.Join(errs...)
}

// Boats returns how many safe boats the crowd of c can fill: each takes an
// even number of hackers and an even number of serfs, four in all.
func (c Config) Boats() int {
	return (c.Hackers - c.Hackers%2 + c.Serfs - c.Serfs%2) / 4
}

// A Kind says what an Event records.
type Kind uint8

// The events. A person's life is Arrive → (Step) → Land, or Arrive →
// Ashore; a boat is one Board.
const (
	Arrive Kind = iota + 1 // Person arrives and queues on the channel of their kind (recorded before sending)
	Step                   // FirstFour only: Person steps into the boat being filled
	Board                  // boat Boat leaves with Riders, released together
	Land                   // Person lands on the far bank from boat Boat
	Ashore                 // the crossings are over; Person stays ashore
)

var kindNames = [...]string{Arrive: "Arrive", Step: "Step", Board: "Board", Land: "Land", Ashore: "Ashore"}

// String returns the constant's name.
func (k Kind) String() string {
	return trace.KindName(kindNames[:], k)
}

// An Event is one step of a run.
type Event struct {
	Seq    int           // from 1
	At     time.Duration // since Run began
	Kind   Kind
	Person Person   // for Arrive, Step, Land, Ashore
	Boat   int      // for Board and Land, from 1
	Riders []Person // for Board
}

// String formats e, e.g. "#9 1.2s Board boat 2 [h1 h4 s0 s2]".
func (e Event) String() string {
	switch e.Kind {
	case Board:
		return fmt.Sprintf("#%d %v Board boat %d %v", e.Seq, e.At, e.Boat, e.Riders)
	case Land:
		return fmt.Sprintf("#%d %v Land %v from boat %d", e.Seq, e.At, e.Person, e.Boat)
	}
	return fmt.Sprintf("#%d %v %v %v", e.Seq, e.At, e.Kind, e.Person)
}

// Stats summarises a run.
type Stats struct {
	Boats   int // Board events
	Mixed   int // boats of two hackers and two serfs
	Unsafe  int // boats of three and one (only with FirstFour)
	Ashore  int // people left on the bank
	Elapsed time.Duration
}

// A Result is the trace of a run and its figures.
type Result struct {
	Events []Event
	Stats  Stats
}

// stamp gives e its place in the trace and its time since Run began.
func stamp(e *Event, seq int, at time.Duration) { e.Seq, e.At = seq, at }

// Run plays cfg: people arrive and wait for a boat; once cfg.Boats() boats
// have crossed (with FirstFour, (Hackers+Serfs)/4 boats) the bank closes
// and those still waiting stay ashore. No goroutine outlives Run. If ctx
// is done first, everybody goes home and Run returns the trace so far
// with ctx.Err().
func Run(ctx context.Context, cfg Config) (Result, error) {
	if err := cfg.Validate(); err != nil {
		return Result{}, err
	}
	rec := trace.New(stamp, cfg.Observe)
	bank := [2]*chanop.Chan[int]{chanop.New[int](), chanop.New[int]()}
	land := [2][]*chanop.Chan[int]{chans(cfg.Hackers), chans(cfg.Serfs)}
	var wg sync.WaitGroup
	for i := range cfg.Hackers + cfg.Serfs {
		p := Person{Hacker, i}
		if i >= cfg.Hackers {
			p = Person{Serf, i - cfg.Hackers}
		}
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(cfg.Seed, uint64(1+i)))
			if !trace.Sleep(ctx, trace.Draw(rng, cfg.Arrive)) {
				return
			}
			rec.Add(Event{Kind: Arrive, Person: p})
			boat := -1
			if bank[p.Side].Send(p.N) == nil { // blocks until a boat takes us
				if b, err := land[p.Side][p.N].Recv(); err == nil {
					boat = b
				}
			}
			if boat > 0 {
				rec.Add(Event{Kind: Land, Person: p, Boat: boat})
			} else {
				rec.Add(Event{Kind: Ashore, Person: p})
			}
		})
	}

	err := captain(ctx, cfg, rec, bank, land)
	for _, c := range bank {
		c.Close()
	}
	for _, cs := range land {
		for _, c := range cs {
			c.Close()
		}
	}
	wg.Wait()
	events := rec.Events()
	return Result{Events: events, Stats: statsOf(events)}, err
}

// captain fills and rows boats.
func captain(ctx context.Context, cfg Config, rec *trace.Recorder[Event], bank [2]*chanop.Chan[int], land [2][]*chanop.Chan[int]) error {
	h4, s4 := join.FromN[int](bank[Hacker], 4), join.FromN[int](bank[Serf], 4)
	h2, s2 := join.FromN[int](bank[Hacker], 2), join.FromN[int](bank[Serf], 2)
	fourHackers, fourSerfs, mixed := join.All(h4), join.All(s4), join.All(h2, s2)
	cancelled := chanop.Done(ctx)
	rng := rand.New(rand.NewPCG(cfg.Seed, 0))
	boats := cfg.Boats()
	if cfg.FirstFour {
		boats = (cfg.Hackers + cfg.Serfs) / 4
	}
	for b := 1; b <= boats; b++ {
		var riders []Person
		add := func(s Side, ns []int) {
			for _, n := range ns {
				riders = append(riders, Person{s, n})
			}
		}
		if cfg.FirstFour {
			for len(riders) < 4 {
				rh, rs := bank[Hacker].RecvOp(), bank[Serf].RecvOp()
				g, err := selectx.Select(rh, rs, cancelled)
				if err != nil || g == cancelled {
					return ctx.Err()
				}
				p := Person{Hacker, rh.Value()}
				if g == rs {
					p = Person{Serf, rs.Value()}
				}
				rec.Add(Event{Kind: Step, Person: p})
				riders = append(riders, p)
			}
		} else {
			g, err := selectx.Select(fourHackers, fourSerfs, mixed, cancelled)
			if err != nil || g == cancelled {
				return ctx.Err()
			}
			switch g {
			case fourHackers:
				add(Hacker, h4.Values())
			case fourSerfs:
				add(Serf, s4.Values())
			case mixed:
				add(Hacker, h2.Values())
				add(Serf, s2.Values())
			}
		}
		rec.Add(Event{Kind: Board, Boat: b, Riders: riders})
		trace.Sleep(ctx, trace.Draw(rng, cfg.Row))
		for _, p := range riders {
			_ = land[p.Side][p.N].Send(b)
		}
	}
	return nil
}

func statsOf(events []Event) Stats {
	var st Stats
	for _, e := range events {
		switch e.Kind {
		case Board:
			st.Boats++
			h := 0
			for _, p := range e.Riders {
				if p.Side == Hacker {
					h++
				}
			}
			switch h {
			case 2:
				st.Mixed++
			case 1, 3:
				st.Unsafe++
			}
		case Ashore:
			st.Ashore++
		}
		st.Elapsed = e.At
	}
	return st
}

func chans(n int) []*chanop.Chan[int] {
	cs := make([]*chanop.Chan[int], n)
	for i := range cs {
		cs[i] = chanop.New[int]()
	}
	return cs
}
