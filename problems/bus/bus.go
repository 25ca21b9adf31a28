// Package bus solves Downey's senate bus problem with a join pattern over
// a row of ticketed places.
//
// Riders come to a stop and wait for a bus that holds Capacity of them.
// When a bus arrives, every rider then waiting boards, up to Capacity;
// whoever comes while the bus is boarding waits for the next one, and so
// do those it had no room for. A rider takes the next ticket as it comes
// (in the same step as its arrival is recorded) and sends on the place of
// that ticket — a synchronous chanop.Chan, so the rider stays blocked
// there until a bus takes it. The bus, in its function bus, reads the
// ticket counter as it stops: the riders waiting are the tickets from next
// to there, and it boards the first n = min(waiting, Capacity) of them at
// once with
//
//	aboard := join.All(join.Each(places[next:next+n]...))
//
// A rider who comes while the others board holds a later ticket and is
// not in the pattern, however soon it reaches its place.
//
// Why: Downey's solution needs a mutex that the bus holds while it boards
// (so that late riders cannot join the count), a counter, a multiplex of
// 50 and two semaphores to hand over the boarding one rider at a time;
// here the count is frozen by reading it, and the boarding is one pattern.
//
// LateBoarding is the classic mistake, for contrast: a bus that boards
// whoever is at the stop, one at a time, until the stop is empty or the bus
// full, so riders who came while it was boarding get on too.
//
// Run plays a finite service and returns the trace; check.Properties
// (package problems/bus/check) checks it.
// Inside a testing/synctest bubble it runs in fake time.
package bus

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
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

// A Rider is one rider of the run, numbered from 0.
type Rider int

// String formats r as "r3".
func (r Rider) String() string { return fmt.Sprintf("r%d", int(r)) }

// A Config describes a run.
type Config struct {
	Riders   int  // riders; each takes one bus at most
	Capacity int  // seats in a bus (Downey's 50)
	Buses    int  // buses that come before the service ends
	Arrive   Span // each rider comes to the stop after a time drawn from Arrive
	Interval Span // a bus comes this long after the one before left (the first, after the start)
	Board    Span // a rider takes this long to board

	// Seed seeds the random durations; each rider and the buses draw from
	// their own generator.
	Seed uint64

	// LateBoarding is the classic mistake, for teaching and for the
	// negative controls: the bus boards whoever is at the stop, one at a
	// time, until nobody is left or it is full, late comers included.
	LateBoarding bool

	// Observe, if not nil, is called with every event as it is recorded,
	// in trace order, one call at a time, while the trace is locked: keep
	// it short.
	Observe func(Event)
}

// DefaultConfig returns 24 riders coming over two seconds, and 5 buses of
// 8 seats.
func DefaultConfig() Config {
	ms := time.Millisecond
	return Config{Riders: 24, Capacity: 8, Buses: 5, Arrive: Span{0, 2000 * ms},
		Interval: Span{300 * ms, 600 * ms}, Board: Span{20 * ms, 50 * ms}, Seed: 1}
}

// Validate reports what is wrong with c, or nil.
func (c Config) Validate() error {
	var errs []error
	if c.Riders < 0 || c.Riders > 10_000 {
		errs = append(errs, fmt.Errorf("bus: Riders = %d; need 0 to 10000", c.Riders))
	}
	if c.Capacity < 1 {
		errs = append(errs, fmt.Errorf("bus: Capacity = %d; a bus needs a seat", c.Capacity))
	}
	if c.Buses < 0 || c.Buses > 10_000 {
		errs = append(errs, fmt.Errorf("bus: Buses = %d; need 0 to 10000", c.Buses))
	}
	errs = append(errs, trace.CheckSpan("bus", "Arrive", c.Arrive), trace.CheckSpan("bus", "Interval", c.Interval),
		trace.CheckSpan("bus", "Board", c.Board))
	return errors.Join(errs...)
}

// A Kind says what an Event records.
type Kind uint8

// The events. A rider's life is Arrive → Board, or Arrive → Stranded (or
// Stranded alone, for a rider who comes after the last bus); a bus is
// Stop → Board… → Depart.
const (
	Arrive   Kind = iota + 1 // Rider comes to the stop and queues
	Stop                     // bus Bus stops; Waiting riders are at the stop
	Board                    // Rider boards bus Bus
	Depart                   // bus Bus leaves with Riders
	Stranded                 // the service is over and Rider goes home without a bus
)

var kindNames = [...]string{Arrive: "Arrive", Stop: "Stop", Board: "Board", Depart: "Depart", Stranded: "Stranded"}

// String returns the constant's name.
func (k Kind) String() string { return trace.KindName(kindNames[:], k) }

// An Event is one step of a run.
type Event struct {
	Seq     int           // position in the trace, from 1
	At      time.Duration // since Run began
	Kind    Kind
	Rider   Rider   // for Arrive, Board, Stranded
	Bus     int     // for Stop, Board, Depart, from 1
	Waiting int     // for Stop: riders queued at the stop as the bus stops
	Riders  []Rider // for Depart
}

// String formats e, e.g. "#9 1.2s Board r4 bus 2".
func (e Event) String() string {
	switch e.Kind {
	case Stop:
		return fmt.Sprintf("#%d %v Stop bus %d (%d waiting)", e.Seq, e.At, e.Bus, e.Waiting)
	case Board:
		return fmt.Sprintf("#%d %v Board %v bus %d", e.Seq, e.At, e.Rider, e.Bus)
	case Depart:
		return fmt.Sprintf("#%d %v Depart bus %d %v", e.Seq, e.At, e.Bus, e.Riders)
	}
	return fmt.Sprintf("#%d %v %v %v", e.Seq, e.At, e.Kind, e.Rider)
}

// Stats summarises a run.
type Stats struct {
	Buses    int           // Depart events
	Carried  int           // riders who boarded
	Late     int           // riders who boarded a bus that was already at the stop when they came (LateBoarding)
	Stranded int           // riders who went home without a bus
	MaxWait  time.Duration // longest time from a rider's Arrive to its Board
	Elapsed  time.Duration
}

// A Result is the trace of a run and its figures.
type Result struct {
	Events []Event
	Stats  Stats
}

func stamp(e *Event, seq int, at time.Duration) { e.Seq, e.At = seq, at }

// Run plays cfg: riders come and wait, cfg.Buses buses come and take
// them; then the service ends and those still waiting, or still to come,
// go home. No goroutine outlives Run. If ctx is done first, everybody goes
// home and Run returns the trace so far with ctx.Err().
func Run(ctx context.Context, cfg Config) (Result, error) {
	if err := cfg.Validate(); err != nil {
		return Result{}, err
	}
	rec := trace.New(stamp, cfg.Observe)
	st := &stop{places: make([]*chanop.Chan[Rider], cfg.Riders)}
	for i := range st.places {
		st.places[i] = chanop.New[Rider]()
	}
	service, end := context.WithCancel(ctx) // cancelled when the last bus left
	defer end()
	var wg sync.WaitGroup
	for i := range cfg.Riders {
		r := Rider(i)
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(cfg.Seed, uint64(1+i)))
			if trace.Sleep(service, trace.Draw(rng, cfg.Arrive)) {
				var t int64
				rec.Do(Event{Kind: Arrive, Rider: r}, func(*Event) { t = st.tickets.Add(1) - 1 })
				if st.places[t].Send(r) == nil { // blocks until a bus takes us
					return
				}
			}
			rec.Add(Event{Kind: Stranded, Rider: r})
		})
	}
	err := bus(ctx, cfg, rec, st)
	end()
	for _, c := range st.places {
		c.Close()
	}
	wg.Wait()
	events := rec.Events()
	return Result{Events: events, Stats: statsOf(events)}, err
}

// A stop is where riders wait: each takes the next ticket, and waits on the
// place of its ticket.
type stop struct {
	tickets atomic.Int64 // tickets taken; incremented as a rider's Arrive is recorded
	places  []*chanop.Chan[Rider]
}

// bus is the solution: count the waiting riders as the bus stops, and take
// them with one pattern.
func bus(ctx context.Context, cfg Config, rec *trace.Recorder[Event], st *stop) error {
	cancelled := chanop.Done(ctx)
	rng := rand.New(rand.NewPCG(cfg.Seed, 0))
	next := 0 // the ticket of the first rider still waiting
	for b := 1; b <= cfg.Buses; b++ {
		if !trace.Sleep(ctx, trace.Draw(rng, cfg.Interval)) {
			return ctx.Err()
		}
		n := 0
		rec.Do(Event{Kind: Stop, Bus: b}, func(e *Event) { e.Waiting = int(st.tickets.Load()) - next; n = min(e.Waiting, cfg.Capacity) })
		var riders []Rider
		switch {
		case cfg.LateBoarding:
			riders = boardLate(ctx, cfg, rec, rng, st, next, b)
		case n > 0:
			waiting := join.Each(chanop.Sources[*chanop.Chan[Rider], Rider](st.places[next : next+n]...)...)
			aboard := join.All(waiting)
			if g, err := selectx.PriSelect(cancelled, aboard); g != aboard || err != nil {
				return ctx.Err()
			}
			riders = waiting.Values()
			for _, r := range riders {
				trace.Sleep(ctx, trace.Draw(rng, cfg.Board))
				rec.Add(Event{Kind: Board, Rider: r, Bus: b})
			}
		}
		next += len(riders)
		rec.Add(Event{Kind: Depart, Bus: b, Riders: riders})
	}
	return nil
}

// boardLate is the mistake: bus b boards whoever is at the stop, from
// ticket next on, one at a time, until nobody is left or it is full,
// riders who came after it stopped included.
func boardLate(ctx context.Context, cfg Config, rec *trace.Recorder[Event], rng *rand.Rand, st *stop, next, b int) []Rider {
	var riders []Rider
	for t := next; len(riders) < cfg.Capacity && int64(t) < st.tickets.Load(); t++ {
		r, err := st.places[t].Recv()
		if err != nil {
			break
		}
		trace.Sleep(ctx, trace.Draw(rng, cfg.Board))
		rec.Add(Event{Kind: Board, Rider: r, Bus: b})
		riders = append(riders, r)
	}
	return riders
}

func statsOf(events []Event) Stats {
	var st Stats
	arrived := map[Rider]time.Duration{}
	for _, e := range events {
		switch e.Kind {
		case Arrive:
			arrived[e.Rider] = e.At
		case Board:
			st.Carried++
			st.MaxWait = max(st.MaxWait, e.At-arrived[e.Rider])
		case Depart:
			st.Buses++
		case Stranded:
			st.Stranded++
		}
		st.Elapsed = e.At
	}
	st.Late = len(LateRiders(events))
	return st
}

// LateRiders returns the Board events of riders who came to the stop after
// their bus had stopped there.
func LateRiders(events []Event) []Event {
	var late []Event
	stopped := map[int]int{} // bus → Seq of its Stop
	arrived := map[Rider]int{}
	for _, e := range events {
		switch e.Kind {
		case Arrive:
			arrived[e.Rider] = e.Seq
		case Stop:
			stopped[e.Bus] = e.Seq
		case Board:
			if s, ok := stopped[e.Bus]; ok && arrived[e.Rider] > s {
				late = append(late, e)
			}
		}
	}
	return late
}
