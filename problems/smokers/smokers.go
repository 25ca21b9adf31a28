// Package smokers solves Patil's cigarette smokers problem (in Downey's
// telling) with join patterns.
//
// An agent puts two of the three ingredients — tobacco, paper, matches —
// on the table, at random. Each of three smokers has an endless supply of
// one ingredient and needs the other two. The smoker who can complete a
// cigarette takes both, smokes, and tells the agent, who then puts the next
// two ingredients out.
//
// Each ingredient's place on the table is a one-place buffer that holds the
// round's number while the ingredient lies there. Smoker i waits on one
// pattern over the two ingredients he lacks,
//
//	join.All(join.From(table[a]), join.From(table[b]))
//
// which takes both at the same instant or neither. Only the smoker who lacks
// exactly what lies on the table can fire, and nobody ever holds one
// ingredient while waiting for the other.
//
// Why join patterns fit: the problem was posed (Patil, 1971) to show that
// semaphores alone cannot express "wait for these two together" without
// extra machinery. Downey's solution adds three pusher threads, a mutex,
// three booleans and three more semaphores — about 45 lines — to turn
// "two ingredients are out" into one signal per smoker; here it is the
// pattern.
//
// OneAtATime is the classic mistake, for contrast: each smoker receives his
// two ingredients one after the other. The matches smoker takes the
// tobacco, the tobacco smoker takes the paper, and both wait for good.
//
// Run plays Config.Rounds rounds and returns the trace; package smokers/check
// checks it (check.Properties). Inside a testing/synctest bubble it
// runs in fake time.
package smokers

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/gochord/chord/buffer"
	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/internal/trace"
	"github.com/gochord/chord/join"
	"github.com/gochord/chord/selectx"
)

// An Ingredient is what lies on the table; smoker i has ingredient i.
type Ingredient int

// The ingredients, and the smokers who have them.
const (
	Tobacco Ingredient = iota
	Paper
	Matches
)

// String returns "tobacco", "paper" or "matches".
func (in Ingredient) String() string {
	switch in {
	case Tobacco:
		return "tobacco"
	case Paper:
		return "paper"
	case Matches:
		return "matches"
	}
	return fmt.Sprintf("Ingredient(%d)", int(in))
}

// Smoker names the smoker who has in as the narration does: "smoker T"
// (tobacco), "smoker P" (paper) or "smoker M" (matches).
func Smoker(in Ingredient) string {
	if in >= Tobacco && in <= Matches {
		return "smoker " + "TPM"[in:in+1]
	}
	return fmt.Sprintf("smoker %d", int(in))
}

// Needs returns the two ingredients the smoker who has in lacks.
func Needs(in Ingredient) [2]Ingredient { return [2]Ingredient{(in + 1) % 3, (in + 2) % 3} }

// A Span is a range of durations; each draw is uniform in [Min, Max].
type Span struct {
	Min, Max time.Duration
}

// A Config describes a run.
type Config struct {
	Rounds int  // cigarettes to smoke
	Smoke  Span // how long a cigarette takes
	Seed   uint64

	// OneAtATime is the classic mistake, for teaching and for the
	// negative controls in package smokers/check: each smoker receives the two
	// ingredients he lacks one after the other, holding the first while
	// he waits for the second.
	OneAtATime bool

	// Observe, if not nil, is called with every event as it is recorded,
	// in trace order, one call at a time, while the trace is locked.
	Observe func(Event)
}

// DefaultConfig returns 8 rounds of about a quarter of a second each.
func DefaultConfig() Config {
	return Config{Rounds: 8, Smoke: Span{150 * time.Millisecond, 300 * time.Millisecond}, Seed: 1}
}

// Validate reports what is wrong with c, or nil.
func (c Config) Validate() error {
	var errs []error
	if c.Rounds < 0 || c.Rounds > 100_000 {
		errs = append(errs, fmt.Errorf("smokers: Rounds = %d; need 0 to 100000", c.Rounds))
	}
	errs = append(errs, trace.CheckSpan("smokers", "Smoke", c.Smoke))
	return errors.Join(errs...)
}

// A Kind says what an Event records.
type Kind uint8

// The events. Round r is Put(r) → Smoke(r) → Done(r); with OneAtATime a
// smoker's Took events come before his Smoke.
const (
	Put   Kind = iota + 1 // the agent puts Ingredients on the table for Round
	Took                  // OneAtATime only: smoker Who took Ingredients[0] of Round and holds it
	Smoke                 // smoker Who took Ingredients (of Round) and smokes
	Done                  // smoker Who finished Round's cigarette and wakes the agent
)

var kindNames = [...]string{Put: "Put", Took: "Took", Smoke: "Smoke", Done: "Done"}

// String returns the constant's name.
func (k Kind) String() string {
	return trace.KindName(kindNames[:], k)
}

// Agent is the Who of the agent's events.
const Agent = -1

// An Event is one step of a run.
type Event struct {
	Seq         int           // from 1
	At          time.Duration // since Run began
	Kind        Kind
	Who         int // the smoker (his ingredient), or Agent
	Round       int // from 1
	Ingredients []Ingredient
}

// String formats e, e.g. "#4 0.3s Smoke smoker M round 1 [tobacco paper]".
func (e Event) String() string {
	who := "agent"
	if e.Who != Agent {
		who = Smoker(Ingredient(e.Who))
	}
	return fmt.Sprintf("#%d %v %v %s round %d %v", e.Seq, e.At, e.Kind, who, e.Round, e.Ingredients)
}

// Stats summarises a run.
type Stats struct {
	Rounds  int    // cigarettes smoked
	Smoked  [3]int // per smoker
	Elapsed time.Duration
}

// A Result is the trace of a run and its figures.
type Result struct {
	Events []Event
	Stats  Stats
}

// stamp gives e its place in the trace and its time since Run began.
func stamp(e *Event, seq int, at time.Duration) { e.Seq, e.At = seq, at }

// Run plays cfg.Rounds rounds and returns the trace. No goroutine outlives
// it. If ctx is done first (with OneAtATime that is how a deadlocked run
// ends), everybody stops and Run returns the trace so far with ctx.Err().
func Run(ctx context.Context, cfg Config) (Result, error) {
	if err := cfg.Validate(); err != nil {
		return Result{}, err
	}
	rec := trace.New(stamp, cfg.Observe)
	var table [3]*buffer.Buffer[int]
	for i := range table {
		table[i] = buffer.New[int](1)
	}
	done := chanop.New[int]()
	home, goHome := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for i := range 3 {
		wg.Go(func() { smoker(home, cfg, rec, Ingredient(i), table, done) })
	}

	err := agent(ctx, cfg, rec, table, done)
	goHome()
	done.Close()
	wg.Wait()
	for _, b := range table {
		b.Close()
	}
	events := rec.Events()
	st := Stats{}
	for _, e := range events {
		if e.Kind == Smoke {
			st.Rounds++
			st.Smoked[e.Who]++
		}
		st.Elapsed = e.At
	}
	return Result{Events: events, Stats: st}, err
}

// agent puts two random ingredients out per round, then sleeps until the
// smoker who took them says he is done.
func agent(ctx context.Context, cfg Config, rec *trace.Recorder[Event], table [3]*buffer.Buffer[int], done *chanop.Chan[int]) error {
	rng := rand.New(rand.NewPCG(cfg.Seed, 0))
	cancelled := chanop.Done(ctx)
	for r := 1; r <= cfg.Rounds; r++ {
		out := Needs(Ingredient(rng.IntN(3)))
		rec.Add(Event{Kind: Put, Who: Agent, Round: r, Ingredients: out[:]})
		for _, in := range out {
			_ = table[in].Send(r) // never blocks: the smoker of the last round emptied it
		}
		wake := done.RecvOp()
		if g, err := selectx.PriSelect(cancelled, wake); g != wake || err != nil {
			return ctx.Err()
		}
	}
	return nil
}

// smoker is smoker has's life: wait for the two ingredients he lacks, smoke,
// tell the agent.
func smoker(ctx context.Context, cfg Config, rec *trace.Recorder[Event], has Ingredient, table [3]*buffer.Buffer[int], done *chanop.Chan[int]) {
	rng := rand.New(rand.NewPCG(cfg.Seed, uint64(1+has)))
	needs := Needs(has)
	a, b := join.From[int](table[needs[0]]), join.From[int](table[needs[1]])
	both := join.All(a, b)
	cancelled := chanop.Done(ctx)
	for {
		var round int
		if cfg.OneAtATime {
			for _, in := range needs {
				r := table[in].RecvOp()
				if g, err := selectx.PriSelect(cancelled, r); g != r || err != nil {
					return
				}
				round = r.Value()
				rec.Add(Event{Kind: Took, Who: int(has), Round: round, Ingredients: []Ingredient{in}})
			}
		} else {
			if g, err := selectx.PriSelect(cancelled, both); g != both || err != nil {
				return
			}
			round = a.Values()[0]
			if b.Values()[0] != round {
				round = -1 // ingredients of two rounds: props reports it
			}
		}
		rec.Add(Event{Kind: Smoke, Who: int(has), Round: round, Ingredients: needs[:]})
		trace.Sleep(ctx, trace.Draw(rng, cfg.Smoke))
		rec.Add(Event{Kind: Done, Who: int(has), Round: round})
		if done.Send(round) != nil {
			return
		}
	}
}
