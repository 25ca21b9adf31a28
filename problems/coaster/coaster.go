// Package coaster solves Downey's roller coaster problem with two count
// patterns.
//
// Passengers wander the park and queue for a car that takes exactly
// Capacity of them. Each passenger sends on the queue channel — a
// synchronous chanop.Chan, so the passenger stays blocked in Send — and the
// car, in its function car, loads with the pattern
//
//	load := join.All(join.FromN(queue, C))
//
// which takes C waiting passengers at the same instant or none, so the car
// never runs part full. After the ride it lets each rider off, and before
// it loads again it waits on a second count pattern,
//
//	unload := join.All(join.FromN(ashore, C))
//
// over the buffer where each rider reports, once out of the car, that it
// is ashore: the next riders board only when the last of these are off.
//
// Why join patterns fit: Downey's solution needs two mutexes, two counters
// and four semaphores (boardQueue, allAboard, unboardQueue, allAshore) with the
// last passenger in and the last one out signalling the car; here the two
// barriers are the two patterns.
//
// Eager is the classic mistake, for contrast: a car that loads its next
// riders as soon as it has let the last ones go, without waiting for them
// to get out; the new riders climb in while the old are still in their
// seats.
//
// Run plays a finite number of rides and returns the trace;
// check.Properties (package problems/coaster/check) checks it. Inside a
// testing/synctest bubble it runs in fake time.
package coaster

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/gochord/chord/buffer"
	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/internal/trace"
	"github.com/gochord/chord/join"
	"github.com/gochord/chord/selectx"
)

// A Span is a range of durations; each draw is uniform in [Min, Max].
type Span struct {
	Min, Max time.Duration
}

// A Passenger is one passenger of the run, numbered from 0.
type Passenger int

// String formats p as "p3".
func (p Passenger) String() string { return fmt.Sprintf("p%d", int(p)) }

// A Config describes a run.
type Config struct {
	Passengers int  // passengers in the park; each rides as often as the car lets them
	Capacity   int  // seats in the car: it runs only when all are taken
	Rides      int  // rides the car makes before the park closes
	Wander     Span // a passenger wanders this long before queueing, and again after each ride
	Ride       Span // a ride takes this long
	Unload     Span // a rider takes this long to get out of the car

	// Seed seeds the random durations; each passenger and the car draw
	// from their own generator.
	Seed uint64

	// Eager is the classic mistake, for teaching and for the negative
	// controls: the car loads its next riders as soon as it has let the
	// last ones go, without waiting for them to get out.
	Eager bool

	// Observe, if not nil, is called with every event as it is recorded,
	// in trace order, one call at a time, while the trace is locked: keep
	// it short.
	Observe func(Event)
}

// DefaultConfig returns 7 passengers and a car of 3 that makes 5 rides in
// about three seconds.
func DefaultConfig() Config {
	ms := time.Millisecond
	return Config{Passengers: 7, Capacity: 3, Rides: 5, Wander: Span{0, 600 * ms},
		Ride: Span{300 * ms, 500 * ms}, Unload: Span{100 * ms, 200 * ms}, Seed: 1}
}

// Validate reports what is wrong with c, or nil.
func (c Config) Validate() error {
	var errs []error
	if c.Capacity < 1 {
		errs = append(errs, fmt.Errorf("coaster: Capacity = %d; the car needs a seat", c.Capacity))
	}
	if c.Passengers < c.Capacity || c.Passengers > 10_000 {
		errs = append(errs, fmt.Errorf("coaster: Passengers = %d; need Capacity (%d) to 10000 to fill the car", c.Passengers, c.Capacity))
	}
	if c.Rides < 0 || c.Rides > 10_000 {
		errs = append(errs, fmt.Errorf("coaster: Rides = %d; need 0 to 10000", c.Rides))
	}
	errs = append(errs, trace.CheckSpan("coaster", "Wander", c.Wander), trace.CheckSpan("coaster", "Ride", c.Ride),
		trace.CheckSpan("coaster", "Unload", c.Unload))
	return errors.Join(errs...)
}

// A Kind says what an Event records.
type Kind uint8

// The events. A passenger's life is a repetition of Arrive → (Board) →
// Unboard, ended by Home; a ride is one Board.
const (
	Arrive  Kind = iota + 1 // Passenger queues for the car (recorded before it sends)
	Board                   // ride Ride leaves with Riders, who boarded together
	Unboard                 // Passenger is out of the car after ride Ride
	Home                    // the park is closed and Passenger goes home
)

var kindNames = [...]string{Arrive: "Arrive", Board: "Board", Unboard: "Unboard", Home: "Home"}

// String returns the constant's name.
func (k Kind) String() string { return trace.KindName(kindNames[:], k) }

// An Event is one step of a run.
type Event struct {
	Seq       int           // position in the trace, from 1
	At        time.Duration // since Run began
	Kind      Kind
	Passenger Passenger   // for Arrive, Unboard, Home
	Ride      int         // for Board and Unboard, from 1
	Riders    []Passenger // for Board
}

// String formats e, e.g. "#9 1.2s Board ride 2 [p1 p4 p0]".
func (e Event) String() string {
	switch e.Kind {
	case Board:
		return fmt.Sprintf("#%d %v Board ride %d %v", e.Seq, e.At, e.Ride, e.Riders)
	case Unboard:
		return fmt.Sprintf("#%d %v Unboard %v from ride %d", e.Seq, e.At, e.Passenger, e.Ride)
	}
	return fmt.Sprintf("#%d %v %v %v", e.Seq, e.At, e.Kind, e.Passenger)
}

// Stats summarises a run.
type Stats struct {
	Rides    int           // Board events
	Riders   int           // passengers carried, over all rides
	Overlaps int           // rides that boarded while riders of the one before were still in the car (Eager)
	MaxWait  time.Duration // longest time from a passenger's Arrive to its Board
	Elapsed  time.Duration
}

// A Result is the trace of a run and its figures.
type Result struct {
	Events []Event
	Stats  Stats
}

func stamp(e *Event, seq int, at time.Duration) { e.Seq, e.At = seq, at }

// Run plays cfg: passengers wander, queue, ride and get out, until the car
// has made cfg.Rides rides; then the park closes and everybody goes home.
// No goroutine outlives Run. If ctx is done first, everybody goes home and
// Run returns the trace so far with ctx.Err().
func Run(ctx context.Context, cfg Config) (Result, error) {
	if err := cfg.Validate(); err != nil {
		return Result{}, err
	}
	rec := trace.New(stamp, cfg.Observe)
	queue, ashore := chanop.New[Passenger](), buffer.Unbounded[Passenger]()
	release := make([]*chanop.Chan[int], cfg.Passengers)
	for i := range release {
		release[i] = chanop.New[int]()
	}
	open, closePark := context.WithCancel(ctx) // cancelled when the rides are over
	defer closePark()
	var wg sync.WaitGroup
	for i := range cfg.Passengers {
		p := Passenger(i)
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(cfg.Seed, uint64(1+i)))
			for trace.Sleep(open, trace.Draw(rng, cfg.Wander)) {
				rec.Add(Event{Kind: Arrive, Passenger: p})
				if queue.Send(p) != nil { // blocks until a load takes us
					break
				}
				ride, err := release[p].Recv()
				if err != nil {
					break
				}
				trace.Sleep(ctx, trace.Draw(rng, cfg.Unload))
				rec.Add(Event{Kind: Unboard, Passenger: p, Ride: ride})
				_ = ashore.Send(p)
			}
			rec.Add(Event{Kind: Home, Passenger: p})
		})
	}
	err := car(ctx, cfg, rec, queue, ashore, release)
	closePark()
	queue.Close()
	for _, c := range release {
		c.Close()
	}
	wg.Wait()
	ashore.Close()
	events := rec.Events()
	return Result{Events: events, Stats: statsOf(events)}, err
}

// car is the solution: one count pattern to load, one to wait until the
// riders are out.
func car(ctx context.Context, cfg Config, rec *trace.Recorder[Event], queue *chanop.Chan[Passenger], ashore *buffer.Buffer[Passenger], release []*chanop.Chan[int]) error {
	riders, out := join.FromN[Passenger](queue, cfg.Capacity), join.FromN[Passenger](ashore, cfg.Capacity)
	load, unload := join.All(riders), join.All(out)
	cancelled := chanop.Done(ctx)
	rng := rand.New(rand.NewPCG(cfg.Seed, 0))
	for r := 1; r <= cfg.Rides; r++ {
		if g, err := selectx.PriSelect(cancelled, load); g != load || err != nil {
			return ctx.Err()
		}
		aboard := slices.Clone(riders.Values())
		rec.Add(Event{Kind: Board, Ride: r, Riders: aboard})
		if !trace.Sleep(ctx, trace.Draw(rng, cfg.Ride)) {
			return ctx.Err()
		}
		for _, p := range aboard {
			_ = release[p].Send(r)
		}
		if cfg.Eager {
			continue // the mistake: load again while they are still getting out
		}
		if g, err := selectx.PriSelect(cancelled, unload); g != unload || err != nil {
			return ctx.Err()
		}
	}
	return nil
}

func statsOf(events []Event) Stats {
	var st Stats
	arrived := map[Passenger]time.Duration{}
	aboard := map[Passenger]bool{}
	for _, e := range events {
		switch e.Kind {
		case Arrive:
			arrived[e.Passenger] = e.At
		case Board:
			st.Rides++
			st.Riders += len(e.Riders)
			if len(aboard) > 0 {
				st.Overlaps++
			}
			for _, p := range e.Riders {
				aboard[p] = true
				st.MaxWait = max(st.MaxWait, e.At-arrived[p])
			}
		case Unboard:
			delete(aboard, e.Passenger)
		}
		st.Elapsed = e.At
	}
	return st
}
