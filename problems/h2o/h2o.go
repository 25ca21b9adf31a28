// Package h2o solves Downey's "Building H₂O" with one join pattern.
//
// Hydrogen and oxygen atoms arrive at random. Each queues on its element's
// channel — a synchronous chanop.Chan, so the atom stays blocked in Send —
// and a molecule forms when the pattern
//
//	water := join.All(join.FromN(hydrogen, 2), join.From(oxygen))
//
// fires: it takes two hydrogen messages and one oxygen message at the same
// instant or nothing, and its firing is what releases the three senders
// together. The bonder then records the bond and sends each atom on its
// way with the molecule's number.
//
// Why join patterns fit: the problem is "take these messages together".
// Downey's semaphore solution needs a mutex, two counters, two queue
// semaphores and a barrier of three — about 30 lines of careful code in
// which each arriving atom checks whether it completes a molecule and
// signals the others; here the rule is the one line above.
//
// Greedy is the classic mistake, for contrast: bonding sites that take one
// atom at a time (hydrogen, hydrogen, oxygen) hold the atoms they took while
// they wait for the rest. Three sites that each took a hydrogen of four can
// block for good with one molecule formed where two were possible: the
// hold-and-wait that the pattern's atomic transfer rules out.
//
// Run plays a finite workload and returns its trace; package h2o/check checks
// it (check.Properties). Inside a testing/synctest bubble it runs in
// fake time.
package h2o

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/internal/trace"
	"github.com/gochord/chord/join"
	"github.com/gochord/chord/selectx"
)

// A Span is a range of durations; each draw is uniform in [Min, Max].
type Span struct {
	Min, Max time.Duration
}

// An Element is hydrogen or oxygen.
type Element uint8

// The elements.
const (
	H Element = iota // hydrogen
	O                // oxygen
)

// String returns "H" or "O".
func (e Element) String() string {
	if e == H {
		return "H"
	}
	return "O"
}

// An Atom is one atom of the run: H0, H1, …, O0, O1, ….
type Atom struct {
	Elem Element
	N    int
}

// String formats a as "H3".
func (a Atom) String() string { return fmt.Sprintf("%v%d", a.Elem, a.N) }

// A Config describes a run.
type Config struct {
	Hydrogen int  // hydrogen atoms, each bonds at most once
	Oxygen   int  // oxygen atoms
	Arrive   Span // each atom arrives after a time drawn from Arrive
	Bond     Span // a bond takes this long

	// Seed seeds the random durations; each atom and the bonder draw from
	// their own generator, so the draws do not depend on the interleaving.
	Seed uint64

	// Greedy is the classic mistake, for teaching and for the negative
	// controls in package h2o/check: Sites bonding sites each take a hydrogen,
	// another hydrogen, then an oxygen, one receive at a time.
	Greedy bool
	Sites  int // bonding sites with Greedy; 0 means 3

	// Observe, if not nil, is called with every event as it is recorded,
	// in trace order, one call at a time, while the trace is locked: keep
	// it short.
	Observe func(Event)
}

// DefaultConfig returns a run of 8 hydrogen and 5 oxygen atoms that takes
// about two seconds.
func DefaultConfig() Config {
	ms := time.Millisecond
	return Config{Hydrogen: 8, Oxygen: 5, Arrive: Span{0, 1500 * ms}, Bond: Span{150 * ms, 300 * ms}, Seed: 1}
}

// Validate reports what is wrong with c, or nil.
func (c Config) Validate() error {
	var errs []error
	if c.Hydrogen < 0 || c.Oxygen < 0 {
		errs = append(errs, fmt.Errorf("h2o: Hydrogen = %d, Oxygen = %d; need non-negative counts", c.Hydrogen, c.Oxygen))
	}
	if c.Hydrogen+c.Oxygen > 10_000 {
		errs = append(errs, fmt.Errorf("h2o: %d atoms; at most 10000", c.Hydrogen+c.Oxygen))
	}
	if c.Sites < 0 {
		errs = append(errs, fmt.Errorf("h2o: Sites = %d is negative", c.Sites))
	}
	errs = append(errs, trace.CheckSpan("h2o", "Arrive", c.Arrive), trace.CheckSpan("h2o", "Bond", c.Bond))
	return errors.Join(errs...)
}

// Molecules returns how many molecules the atoms of c can form.
func (c Config) Molecules() int { return min(c.Hydrogen/2, c.Oxygen) }

// A Kind says what an Event records.
type Kind uint8

// The events. An atom's life is Arrive → (Took) → Leave, or Arrive →
// (Took) → Unbonded; a molecule is one Bond.
const (
	Arrive   Kind = iota + 1 // Atom arrives and queues on its element's channel (recorded before it sends)
	Took                     // Greedy only: bonding site Site took Atom and holds it
	Bond                     // molecule Molecule forms of Atoms (H, H, O), all released at once
	Leave                    // Atom leaves as part of molecule Molecule
	Unbonded                 // the run is over and Atom goes home unbonded
)

var kindNames = [...]string{Arrive: "Arrive", Took: "Took", Bond: "Bond", Leave: "Leave", Unbonded: "Unbonded"}

// String returns the constant's name.
func (k Kind) String() string {
	return trace.KindName(kindNames[:], k)
}

// An Event is one step of a run.
type Event struct {
	Seq      int           // position in the trace, from 1
	At       time.Duration // since Run began
	Kind     Kind
	Atom     Atom   // for Arrive, Took, Leave, Unbonded
	Molecule int    // for Bond and Leave: the molecule, from 1
	Atoms    []Atom // for Bond: the two hydrogens and the oxygen
	Site     int    // for Took and, with Greedy, Bond: the bonding site, from 0
}

// String formats e for narration and counterexamples, e.g.
// "#12 1.5s Bond molecule 2 [H1 H4 O0]".
func (e Event) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "#%d %v %v", e.Seq, e.At, e.Kind)
	switch e.Kind {
	case Bond:
		fmt.Fprintf(&b, " molecule %d %v", e.Molecule, e.Atoms)
	case Took:
		fmt.Fprintf(&b, " %v (site %d)", e.Atom, e.Site)
	case Leave:
		fmt.Fprintf(&b, " %v (molecule %d)", e.Atom, e.Molecule)
	default:
		fmt.Fprintf(&b, " %v", e.Atom)
	}
	return b.String()
}

// Stats summarises a run.
type Stats struct {
	Molecules int           // Bond events
	Possible  int           // Config.Molecules
	Unbonded  int           // atoms that went home unbonded
	MaxWait   time.Duration // longest time from an atom's Arrive to its molecule's Bond
	Elapsed   time.Duration
}

// A Result is the trace of a run and its figures.
type Result struct {
	Events []Event
	Stats  Stats
}

// stamp gives e its place in the trace and its time since Run began.
func stamp(e *Event, seq int, at time.Duration) { e.Seq, e.At = seq, at }

// Run plays cfg: every atom arrives and waits until it bonds; once the
// atoms have formed cfg.Molecules() molecules the channels close and the
// atoms still waiting, or arriving later, go home. No goroutine outlives Run.
//
// If ctx is done first (with Greedy that is how a deadlocked run ends),
// everybody goes home and Run returns the trace so far with ctx.Err().
func Run(ctx context.Context, cfg Config) (Result, error) {
	if err := cfg.Validate(); err != nil {
		return Result{}, err
	}
	rec := trace.New(stamp, cfg.Observe)
	hydrogen, oxygen := chanop.New[int](), chanop.New[int]()
	leave := [2][]*chanop.Chan[int]{chans(cfg.Hydrogen), chans(cfg.Oxygen)}

	var wg sync.WaitGroup
	for i := range cfg.Hydrogen + cfg.Oxygen {
		a := Atom{H, i}
		if i >= cfg.Hydrogen {
			a = Atom{O, i - cfg.Hydrogen}
		}
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(cfg.Seed, uint64(1+i)))
			if !trace.Sleep(ctx, trace.Draw(rng, cfg.Arrive)) {
				return
			}
			rec.Add(Event{Kind: Arrive, Atom: a})
			ch := hydrogen
			if a.Elem == O {
				ch = oxygen
			}
			m := -1
			if ch.Send(a.N) == nil { // blocks until a molecule takes us
				if v, err := leave[a.Elem][a.N].Recv(); err == nil {
					m = v
				}
			}
			if m > 0 {
				rec.Add(Event{Kind: Leave, Atom: a, Molecule: m})
			} else {
				rec.Add(Event{Kind: Unbonded, Atom: a})
			}
		})
	}

	var err error
	if cfg.Greedy {
		err = greedy(ctx, cfg, rec, hydrogen, oxygen, leave)
	} else {
		err = bonder(ctx, cfg, rec, hydrogen, oxygen, leave)
	}
	hydrogen.Close()
	oxygen.Close()
	for _, cs := range leave {
		for _, c := range cs {
			c.Close()
		}
	}
	wg.Wait()
	events := rec.Events()
	return Result{Events: events, Stats: statsOf(cfg, events)}, err
}

// bonder is the solution: one pattern, fired once per molecule.
func bonder(ctx context.Context, cfg Config, rec *trace.Recorder[Event], hydrogen, oxygen *chanop.Chan[int], leave [2][]*chanop.Chan[int]) error {
	hs := join.FromN[int](hydrogen, 2)
	os := join.From[int](oxygen)
	water := join.All(hs, os)
	cancelled := chanop.Done(ctx)
	rng := rand.New(rand.NewPCG(cfg.Seed, 0))
	for m := 1; m <= cfg.Molecules(); m++ {
		if g, err := selectx.PriSelect(cancelled, water); g != water || err != nil {
			return ctx.Err()
		}
		atoms := []Atom{{H, hs.Values()[0]}, {H, hs.Values()[1]}, {O, os.Values()[0]}}
		rec.Add(Event{Kind: Bond, Molecule: m, Atoms: atoms})
		trace.Sleep(ctx, trace.Draw(rng, cfg.Bond))
		for _, a := range atoms {
			_ = leave[a.Elem][a.N].Send(m)
		}
	}
	return nil
}

// greedy is the mistake: sites that take one atom at a time and hold it.
func greedy(ctx context.Context, cfg Config, rec *trace.Recorder[Event], hydrogen, oxygen *chanop.Chan[int], leave [2][]*chanop.Chan[int]) error {
	sites := cfg.Sites
	if sites == 0 {
		sites = 3
	}
	var formed atomic.Int64
	done, finish := context.WithCancel(ctx)
	defer finish()
	var wg sync.WaitGroup
	for s := range sites {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(cfg.Seed, uint64(1<<32+s)))
			cancelled := chanop.Done(done)
			for {
				var atoms []Atom
				for _, el := range []Element{H, H, O} {
					ch := hydrogen
					if el == O {
						ch = oxygen
					}
					r := ch.RecvOp()
					if g, err := selectx.PriSelect(cancelled, r); g != r || err != nil {
						for _, a := range atoms {
							leave[a.Elem][a.N].Close() // the atoms it held go home
						}
						return
					}
					a := Atom{el, r.Value()}
					rec.Add(Event{Kind: Took, Atom: a, Site: s})
					atoms = append(atoms, a)
				}
				m := int(formed.Add(1))
				rec.Add(Event{Kind: Bond, Molecule: m, Atoms: atoms, Site: s})
				trace.Sleep(done, trace.Draw(rng, cfg.Bond))
				for _, a := range atoms {
					_ = leave[a.Elem][a.N].Send(m)
				}
				if m >= cfg.Molecules() {
					finish()
				}
			}
		})
	}
	if cfg.Molecules() == 0 {
		finish()
	}
	wg.Wait()
	if int(formed.Load()) >= cfg.Molecules() {
		return nil
	}
	return ctx.Err()
}

func statsOf(cfg Config, events []Event) Stats {
	st := Stats{Possible: cfg.Molecules()}
	arrived := map[Atom]time.Duration{}
	for _, e := range events {
		switch e.Kind {
		case Arrive:
			arrived[e.Atom] = e.At
		case Bond:
			st.Molecules++
			for _, a := range e.Atoms {
				st.MaxWait = max(st.MaxWait, e.At-arrived[a])
			}
		case Unbonded:
			st.Unbonded++
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
