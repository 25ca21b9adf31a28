// Package savages solves Downey's dining savages on chord's channels.
//
// A tribe eats from a pot that holds Servings servings. A hungry savage
// takes a serving from the pot; when the pot is empty, the cook must be
// woken to refill it, and the cook refills only an empty pot.
//
// The pot is a buffer.New[Serving](Servings). The cook numbers the servings
// of each potful 1…Servings, and the buffer hands them out in that order,
// so the savage who receives serving number Servings knows that he emptied
// the pot, and he alone wakes the cook (a Send on wake). Every savage just
// receives from the pot: one who finds it empty waits in that receive, with
// no count to check, until the cook's Sends refill it.
//
// Why join patterns are not needed, and what replaces them: the problem is
// "only one party may act on an empty pot", which is a question of who knows
// the pot is empty. Downey's semaphore solution keeps a servings counter
// under a mutex, with emptyPot and fullPot semaphores, and the savage who
// finds the count at zero signals the cook — about 20 lines. With numbered
// servings in a FIFO buffer the knowledge travels with the last serving:
// no shared counter, no mutex, no pattern.
//
// Peek is the classic mistake, for contrast: a savage looks at the pot
// (Len) and, seeing it empty, wakes the cook before he waits. Several
// hungry savages see the same empty pot; the cook, woken twice, refills a
// pot that is already full.
//
// Run plays a finite feast and returns its trace; package savages/check checks it
// (check.Properties). Inside a testing/synctest bubble it runs in
// fake time.
package savages

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
	"github.com/gochord/chord/selectx"
)

// A Span is a range of durations; each draw is uniform in [Min, Max].
type Span struct {
	Min, Max time.Duration
}

// A Serving is serving N (from 1) of potful Pot (from 1).
type Serving struct {
	Pot, N int
}

// String formats s as "3.2" (potful 3, serving 2).
func (s Serving) String() string { return fmt.Sprintf("%d.%d", s.Pot, s.N) }

// A Config describes a feast.
type Config struct {
	Savages  int  // the tribe
	Meals    int  // servings each savage eats
	Servings int  // servings in a full pot, at least 1
	Eat      Span // eating a serving takes this long
	Cook     Span // cooking a potful takes this long
	Seed     uint64

	// Peek is the classic mistake, for teaching and for the negative
	// controls in package savages/check: a savage looks at the pot and wakes the
	// cook if he sees it empty, then waits for a serving.
	Peek bool

	// Observe, if not nil, is called with every event as it is recorded,
	// in trace order, one call at a time, while the trace is locked.
	Observe func(Event)
}

// DefaultConfig returns a tribe of 5 savages who eat 4 servings each from a
// pot of 6.
func DefaultConfig() Config {
	ms := time.Millisecond
	return Config{Savages: 5, Meals: 4, Servings: 6, Eat: Span{100 * ms, 400 * ms}, Cook: Span{200 * ms, 300 * ms}, Seed: 1}
}

// Validate reports what is wrong with c, or nil.
func (c Config) Validate() error {
	var errs []error
	if c.Savages < 0 || c.Meals < 0 || c.Savages*c.Meals > 100_000 {
		errs = append(errs, fmt.Errorf("savages: Savages = %d, Meals = %d; need 0 to 100000 meals in all", c.Savages, c.Meals))
	}
	if c.Servings < 1 || c.Servings > 10_000 {
		errs = append(errs, fmt.Errorf("savages: Servings = %d; need 1 to 10000", c.Servings))
	}
	errs = append(errs, trace.CheckSpan("savages", "Eat", c.Eat), trace.CheckSpan("savages", "Cook", c.Cook))
	return errors.Join(errs...)
}

// A Kind says what an Event records.
type Kind uint8

// The events. A savage's meal is Hungry → Take (→ Wake), the cook's work
// is Refill.
const (
	Hungry Kind = iota + 1 // savage Who is hungry and waits on the pot
	Take                   // savage Who takes Serving from the pot
	Wake                   // savage Who wakes the cook
	Refill                 // the cook fills the pot with potful Serving.Pot
)

var kindNames = [...]string{Hungry: "Hungry", Take: "Take", Wake: "Wake", Refill: "Refill"}

// String returns the constant's name.
func (k Kind) String() string {
	return trace.KindName(kindNames[:], k)
}

// Cook is the Who of the cook's events.
const Cook = -1

// An Event is one step of a feast.
type Event struct {
	Seq     int           // from 1
	At      time.Duration // since Run began
	Kind    Kind
	Who     int // the savage, or Cook
	Serving Serving
}

// String formats e, e.g. "#7 1.2s Take savage 3 serving 2.6".
func (e Event) String() string {
	switch e.Kind {
	case Refill:
		return fmt.Sprintf("#%d %v Refill potful %d", e.Seq, e.At, e.Serving.Pot)
	case Take:
		return fmt.Sprintf("#%d %v Take savage %d serving %v", e.Seq, e.At, e.Who, e.Serving)
	}
	return fmt.Sprintf("#%d %v %v savage %d", e.Seq, e.At, e.Kind, e.Who)
}

// Stats summarises a feast.
type Stats struct {
	Meals   int // servings eaten
	Refills int // potfuls cooked, the first included
	Elapsed time.Duration
}

// A Result is the trace of a feast and its figures.
type Result struct {
	Events []Event
	Stats  Stats
}

// stamp gives e its place in the trace and its time since Run began.
func stamp(e *Event, seq int, at time.Duration) { e.Seq, e.At = seq, at }

// Run plays a feast: the cook fills the pot, each savage eats cfg.Meals
// servings, and Run returns when all have eaten. No goroutine outlives it.
// If ctx is done first, everybody stops and Run returns the trace so far
// with ctx.Err().
func Run(ctx context.Context, cfg Config) (Result, error) {
	if err := cfg.Validate(); err != nil {
		return Result{}, err
	}
	rec := trace.New(stamp, cfg.Observe)
	pot := buffer.New[Serving](cfg.Servings)
	if cfg.Peek {
		pot = buffer.Unbounded[Serving]() // the mistake overfills it
	}
	wake := buffer.Unbounded[int]()
	kitchen, closeKitchen := context.WithCancel(ctx)
	var cook sync.WaitGroup
	cook.Go(func() { cooking(kitchen, cfg, rec, pot, wake) })
	var wg sync.WaitGroup
	for s := range cfg.Savages {
		wg.Go(func() { savage(ctx, cfg, rec, s, pot, wake) })
	}
	wg.Wait()
	closeKitchen()
	cook.Wait()
	pot.Close()
	wake.Close()
	events := rec.Events()
	var st Stats
	for _, e := range events {
		switch e.Kind {
		case Take:
			st.Meals++
		case Refill:
			st.Refills++
		}
		st.Elapsed = e.At
	}
	return Result{Events: events, Stats: st}, ctx.Err()
}

// cooking fills the pot at dawn, then each time a savage wakes the cook.
func cooking(ctx context.Context, cfg Config, rec *trace.Recorder[Event], pot *buffer.Buffer[Serving], wake *buffer.Buffer[int]) {
	rng := rand.New(rand.NewPCG(cfg.Seed, 0))
	cancelled := chanop.Done(ctx)
	for n := 1; ; n++ {
		if n > 1 {
			woken := wake.RecvOp()
			if g, err := selectx.PriSelect(cancelled, woken); g != woken || err != nil {
				return
			}
			if !trace.Sleep(ctx, trace.Draw(rng, cfg.Cook)) {
				return
			}
		}
		rec.Add(Event{Kind: Refill, Who: Cook, Serving: Serving{Pot: n}})
		for k := 1; k <= cfg.Servings; k++ {
			_ = pot.Send(Serving{n, k}) // never blocks: the pot is empty (unless Peek)
		}
	}
}

// savage eats cfg.Meals servings.
func savage(ctx context.Context, cfg Config, rec *trace.Recorder[Event], who int, pot *buffer.Buffer[Serving], wake *buffer.Buffer[int]) {
	rng := rand.New(rand.NewPCG(cfg.Seed, uint64(1+who)))
	cancelled := chanop.Done(ctx)
	for range cfg.Meals {
		rec.Add(Event{Kind: Hungry, Who: who})
		if cfg.Peek && pot.Len() == 0 { // the mistake: check, then act
			rec.Add(Event{Kind: Wake, Who: who})
			_ = wake.Send(who)
		}
		get := pot.RecvOp()
		if g, err := selectx.PriSelect(cancelled, get); g != get || err != nil {
			return
		}
		s := get.Value()
		rec.Add(Event{Kind: Take, Who: who, Serving: s})
		if !cfg.Peek && s.N == cfg.Servings { // I emptied the pot
			rec.Add(Event{Kind: Wake, Who: who})
			_ = wake.Send(who)
		}
		if !trace.Sleep(ctx, trace.Draw(rng, cfg.Eat)) {
			return
		}
	}
}
