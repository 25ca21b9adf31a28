// Package sushi solves Downey's sushi bar problem with a select and a
// count pattern.
//
// A sushi bar has Seats seats. A customer who comes while a seat is free
// sits at once; but if a customer comes while all seats are taken, the
// diners are a party, and nobody sits until the whole party has left.
// Customers queue on the door, a synchronous chanop.Chan, and stay blocked
// there until the host takes them in; a diner who is done records its
// leaving and reports on the leave buffer. So the host counts a diner
// before the diner sits and after it has left: the bar is never fuller than
// the host thinks. The host, in its function host, seats
// and counts with one select while there is room,
//
//	g, err := selectx.PriSelect(leave.RecvOp(), chanop.When(seated < Seats, door.RecvOp()))
//
// and, once all seats are taken, waits for the whole party with a count
// pattern instead:
//
//	party := join.All(join.FromN(leave, Seats))
//
// Why: Downey's solutions keep two counters and a must_wait flag under a
// mutex, with a block semaphore on which the newcomers queue and the last
// diner out passing the mutex on to them ("I'll do it for you"); here the
// rule is the choice between the two waits.
//
// Refill is the classic mistake, for contrast: a host who seats a newcomer
// as soon as any seat is free, even while the party that filled the bar is
// still eating.
//
// Run plays a finite evening and returns the trace; check.Properties
// (package problems/sushi/check) checks it.
// Inside a testing/synctest bubble it runs in fake time.
package sushi

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

// A Span is a range of durations; each draw is uniform in [Min, Max].
type Span struct {
	Min, Max time.Duration
}

// A Customer is one customer of the run, numbered from 0.
type Customer int

// String formats c as "c3".
func (c Customer) String() string { return fmt.Sprintf("c%d", int(c)) }

// A Config describes a run.
type Config struct {
	Customers int  // customers; each eats once
	Seats     int  // seats at the bar (Downey's 5)
	Arrive    Span // each customer comes after a time drawn from Arrive
	Eat       Span // a customer eats this long

	// Seed seeds the random durations; each customer draws from its own
	// generator.
	Seed uint64

	// Refill is the classic mistake, for teaching and for the negative
	// controls: the host seats a newcomer whenever a seat is free, even
	// while the party that filled the bar is still there.
	Refill bool

	// Observe, if not nil, is called with every event as it is recorded,
	// in trace order, one call at a time, while the trace is locked: keep
	// it short.
	Observe func(Event)
}

// DefaultConfig returns 14 customers coming over two seconds to a bar of 5
// seats.
func DefaultConfig() Config {
	ms := time.Millisecond
	return Config{Customers: 14, Seats: 5, Arrive: Span{0, 2000 * ms}, Eat: Span{300 * ms, 900 * ms}, Seed: 1}
}

// Validate reports what is wrong with c, or nil.
func (c Config) Validate() error {
	var errs []error
	if c.Customers < 0 || c.Customers > 10_000 {
		errs = append(errs, fmt.Errorf("sushi: Customers = %d; need 0 to 10000", c.Customers))
	}
	if c.Seats < 1 {
		errs = append(errs, fmt.Errorf("sushi: Seats = %d; the bar needs a seat", c.Seats))
	}
	errs = append(errs, trace.CheckSpan("sushi", "Arrive", c.Arrive), trace.CheckSpan("sushi", "Eat", c.Eat))
	return errors.Join(errs...)
}

// A Kind says what an Event records.
type Kind uint8

// The events. A customer's life is Arrive → Sit → Leave.
const (
	Arrive Kind = iota + 1 // Customer comes and queues at the door (recorded before it sends)
	Sit                    // the host has seated Customer
	Leave                  // Customer has eaten and leaves its seat
)

var kindNames = [...]string{Arrive: "Arrive", Sit: "Sit", Leave: "Leave"}

// String returns the constant's name.
func (k Kind) String() string { return trace.KindName(kindNames[:], k) }

// An Event is one step of a run.
type Event struct {
	Seq      int           // position in the trace, from 1
	At       time.Duration // since Run began
	Kind     Kind
	Customer Customer
}

// String formats e, e.g. "#9 1.2s Sit c4".
func (e Event) String() string {
	return fmt.Sprintf("#%d %v %v %v", e.Seq, e.At, e.Kind, e.Customer)
}

// Stats summarises a run.
type Stats struct {
	Served    int           // Leave events
	Parties   int           // times every seat was taken
	Intruders int           // customers seated while a party that filled the bar was still there (Refill)
	MaxWait   time.Duration // longest time from a customer's Arrive to its Sit
	Elapsed   time.Duration
}

// A Result is the trace of a run and its figures.
type Result struct {
	Events []Event
	Stats  Stats
}

func stamp(e *Event, seq int, at time.Duration) { e.Seq, e.At = seq, at }

// Run plays cfg: every customer comes, waits to be seated, eats and
// leaves; Run returns once all have. No goroutine outlives Run. If ctx is
// done first, everybody goes home and Run returns the trace so far with
// ctx.Err().
func Run(ctx context.Context, cfg Config) (Result, error) {
	if err := cfg.Validate(); err != nil {
		return Result{}, err
	}
	rec := trace.New(stamp, cfg.Observe)
	door, leave := chanop.New[Customer](), buffer.Unbounded[Customer]()
	var wg sync.WaitGroup
	for i := range cfg.Customers {
		c := Customer(i)
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(cfg.Seed, uint64(1+i)))
			if !trace.Sleep(ctx, trace.Draw(rng, cfg.Arrive)) {
				return
			}
			rec.Add(Event{Kind: Arrive, Customer: c})
			if door.Send(c) != nil { // blocks until the host seats us
				return
			}
			rec.Add(Event{Kind: Sit, Customer: c})
			trace.Sleep(ctx, trace.Draw(rng, cfg.Eat))
			rec.Add(Event{Kind: Leave, Customer: c})
			_ = leave.Send(c)
		})
	}
	err := host(ctx, cfg, door, leave)
	door.Close()
	wg.Wait()
	leave.Close()
	events := rec.Events()
	return Result{Events: events, Stats: statsOf(cfg, events)}, err
}

// host is the solution: seat while there is room; once the bar is full,
// wait for the whole party to leave.
func host(ctx context.Context, cfg Config, door *chanop.Chan[Customer], leave *buffer.Buffer[Customer]) error {
	cancelled := chanop.Done(ctx)
	party := join.All(join.FromN[Customer](leave, cfg.Seats))
	seated, left := 0, 0 // as the host knows them: a diner has left once its message is taken
	for left < cfg.Customers {
		if seated == cfg.Seats && !cfg.Refill {
			if g, err := selectx.PriSelect(cancelled, party); g != party || err != nil {
				return ctx.Err()
			}
			seated, left = 0, left+cfg.Seats
			continue
		}
		in, out := door.RecvOp(), leave.RecvOp()
		g, err := selectx.PriSelect(cancelled, out, chanop.When(seated < cfg.Seats, in))
		switch {
		case err != nil || g == cancelled:
			return ctx.Err()
		case g == out:
			seated, left = seated-1, left+1
		default:
			seated++
		}
	}
	return nil
}

func statsOf(cfg Config, events []Event) Stats {
	var st Stats
	arrived := map[Customer]time.Duration{}
	seated, full := 0, false
	for _, e := range events {
		switch e.Kind {
		case Arrive:
			arrived[e.Customer] = e.At
		case Sit:
			if full {
				st.Intruders++
			}
			seated++
			if seated == cfg.Seats && !full {
				st.Parties++
				full = true
			}
			st.MaxWait = max(st.MaxWait, e.At-arrived[e.Customer])
		case Leave:
			st.Served++
			seated--
			full = full && seated > 0
		}
		st.Elapsed = e.At
	}
	return st
}
