// Package barber solves Dijkstra's sleeping barber, with n chairs in the
// waiting room, on chord's channels.
//
// The waiting room is a buffer.New[int](n) holding one token per free
// chair. An arriving customer takes a chair or leaves in one step,
//
//	chair := chairs.RecvOp()
//	if g, _ := selectx.PriSelect(chair, chanop.Skip()); g != chair { /* no chair: leave */ }
//
// a poll that is decided at one instant (PriSelect with Skip is Go's select
// with a default). Seated, the customer Sends on the synchronous channel
// queue and stays blocked there; the barber sleeps in a receive on queue,
// so the rendezvous of barber and customer is the message itself. Called,
// the customer gives the chair back (a Send on the buffer it emptied,
// which never blocks) and has the haircut.
//
// Why chord fits, and where join patterns do not: the sleeping barber is a
// bounded buffer and a poll, not a conjunction. Downey's semaphore solution
// keeps a customer counter under a mutex and four semaphores for the two
// rendezvous — about 30 lines, with the counter the classic place to go
// wrong. Here the chairs are tokens in a buffer, so the count cannot drift,
// and "take one or leave" is a single select.
//
// Unlocked is that classic mistake, for contrast: customers read a shared
// count of occupied chairs, look around the room for a moment, and then
// sit on the chair the count pointed to — two customers who looked at the
// same moment sit on the same chair, or on a chair that is not there.
//
// Run plays a finite day and returns its trace; package barber/check checks it
// (check.Properties). Inside a testing/synctest bubble it runs in
// fake time.
package barber

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
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

// A Config describes a day at the barber's.
type Config struct {
	Chairs    int  // chairs in the waiting room, at least 1
	Customers int  // customers who come during the day, each once
	Arrive    Span // each customer arrives after a time drawn from Arrive
	Cut       Span // a haircut takes this long
	Seed      uint64

	// Unlocked is the classic mistake, for teaching and for the negative
	// controls in package barber/check: customers read an unprotected count of
	// occupied chairs, look around for Look, and sit on the chair it
	// named.
	Unlocked bool
	Look     time.Duration // with Unlocked; 0 means 50ms

	// Observe, if not nil, is called with every event as it is recorded,
	// in trace order, one call at a time, while the trace is locked.
	Observe func(Event)
}

// DefaultConfig returns a day of 14 customers, 3 chairs, and haircuts slow
// enough that some customers find the room full.
func DefaultConfig() Config {
	ms := time.Millisecond
	return Config{Chairs: 3, Customers: 14, Arrive: Span{0, 2500 * ms}, Cut: Span{200 * ms, 350 * ms}, Seed: 1}
}

// Validate reports what is wrong with c, or nil.
func (c Config) Validate() error {
	var errs []error
	if c.Chairs < 1 || c.Chairs > 1000 {
		errs = append(errs, fmt.Errorf("barber: Chairs = %d; need 1 to 1000", c.Chairs))
	}
	if c.Customers < 0 || c.Customers > 10_000 {
		errs = append(errs, fmt.Errorf("barber: Customers = %d; need 0 to 10000", c.Customers))
	}
	errs = append(errs, trace.CheckSpan("barber", "Arrive", c.Arrive), trace.CheckSpan("barber", "Cut", c.Cut))
	if c.Look < 0 {
		errs = append(errs, fmt.Errorf("barber: Look = %v is negative", c.Look))
	}
	return errors.Join(errs...)
}

// A Kind says what an Event records.
type Kind uint8

// The events. A customer's day is Arrive → Sit → Up → Leave, or Arrive →
// Balk (with Unlocked, Look comes after Arrive); the barber's is Sleep, Cut
// and Done, over and over.
const (
	Arrive Kind = iota + 1 // customer Who arrives
	Look                   // Unlocked only: Who reads the count and sees Chair chairs occupied
	Sit                    // Who sits on chair Chair of the waiting room
	Balk                   // Who finds no free chair and leaves
	Sleep                  // the barber finds nobody waiting and sleeps
	Cut                    // the barber calls Who and starts the haircut
	Up                     // Who, called, gets up from chair Chair
	Done                   // the barber finishes Who's haircut
	Leave                  // Who leaves with a haircut
)

var kindNames = [...]string{Arrive: "Arrive", Look: "Look", Sit: "Sit", Balk: "Balk", Sleep: "Sleep", Cut: "Cut", Up: "Up", Done: "Done", Leave: "Leave"}

// String returns the constant's name.
func (k Kind) String() string {
	return trace.KindName(kindNames[:], k)
}

// Barber is the Who of the barber's Sleep events.
const Barber = -1

// An Event is one step of a day.
type Event struct {
	Seq   int           // from 1
	At    time.Duration // since Run began
	Kind  Kind
	Who   int // the customer, or Barber
	Chair int // for Sit, Up and Look
}

// String formats e, e.g. "#7 1.2s Sit customer 4 chair 2".
func (e Event) String() string {
	switch e.Kind {
	case Sleep:
		return fmt.Sprintf("#%d %v Sleep barber", e.Seq, e.At)
	case Sit, Up, Look:
		return fmt.Sprintf("#%d %v %v customer %d chair %d", e.Seq, e.At, e.Kind, e.Who, e.Chair)
	}
	return fmt.Sprintf("#%d %v %v customer %d", e.Seq, e.At, e.Kind, e.Who)
}

// Stats summarises a day.
type Stats struct {
	Served, Balked int
	MaxSeated      int // most customers seated in the waiting room at once
	Elapsed        time.Duration
}

// A Result is the trace of a day and its figures.
type Result struct {
	Events []Event
	Stats  Stats
}

// stamp gives e its place in the trace and its time since Run began.
func stamp(e *Event, seq int, at time.Duration) { e.Seq, e.At = seq, at }

// Run plays a day: cfg.Customers customers arrive, sit or leave, and are
// served in turn; Run returns once every customer has left. No goroutine
// outlives it. If ctx is done first, everybody goes home and Run returns
// the trace so far with ctx.Err().
func Run(ctx context.Context, cfg Config) (Result, error) {
	if err := cfg.Validate(); err != nil {
		return Result{}, err
	}
	rec := trace.New(stamp, cfg.Observe)
	chairs := buffer.New[int](cfg.Chairs)
	for k := range cfg.Chairs {
		_ = chairs.Send(k)
	}
	queue := chanop.New[int]()
	done := make([]*chanop.Chan[int], cfg.Customers)
	for i := range done {
		done[i] = chanop.New[int]()
	}
	look := cfg.Look
	if look == 0 {
		look = 50 * time.Millisecond
	}
	var occupied atomic.Int64 // only with Unlocked

	stop := context.AfterFunc(ctx, queue.Close) // cancelled: the seated go home
	defer stop()
	var shop sync.WaitGroup
	shop.Go(func() { barber(ctx, cfg, rec, queue, done) })
	var wg sync.WaitGroup
	for c := range cfg.Customers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(cfg.Seed, uint64(1+c)))
			if !trace.Sleep(ctx, trace.Draw(rng, cfg.Arrive)) {
				return
			}
			rec.Add(Event{Kind: Arrive, Who: c})
			chair, seated := -1, false
			if cfg.Unlocked {
				seen := occupied.Load() // the mistake: check …
				rec.Add(Event{Kind: Look, Who: c, Chair: int(seen)})
				if int(seen) >= cfg.Chairs {
					rec.Add(Event{Kind: Balk, Who: c})
					return
				}
				trace.Sleep(ctx, look)
				occupied.Store(seen + 1) // … then act, on what was seen
				chair, seated = int(seen), true
				rec.Add(Event{Kind: Sit, Who: c, Chair: chair})
			} else {
				// The chair moves (here and at Up) run under the trace's lock,
				// so that the order of Sit, Up and Balk in the trace is the
				// order in which the chairs really changed hands.
				rec.Do(Event{Who: c}, func(e *Event) {
					tok := chairs.RecvOp()
					if g, err := selectx.PriSelect(tok, chanop.Skip()); g == tok && err == nil {
						chair, seated = tok.Value(), true
						e.Kind, e.Chair = Sit, chair
					} else {
						e.Kind = Balk
					}
				})
			}
			if !seated {
				return
			}
			called := queue.Send(c) == nil // blocks until the barber calls us
			rec.Do(Event{Kind: Up, Who: c, Chair: chair}, func(*Event) {
				if cfg.Unlocked {
					occupied.Add(-1)
				} else {
					_ = chairs.Send(chair) // never blocks: we emptied this place
				}
			})
			if called {
				if _, err := done[c].Recv(); err == nil {
					rec.Add(Event{Kind: Leave, Who: c})
				}
			}
		})
	}
	wg.Wait()
	queue.Close()
	shop.Wait()
	chairs.Close()
	events := rec.Events()
	return Result{Events: events, Stats: statsOf(events)}, ctx.Err()
}

// barber sleeps until a customer is waiting, cuts, and releases him, until
// the shop closes.
func barber(ctx context.Context, cfg Config, rec *trace.Recorder[Event], queue *chanop.Chan[int], done []*chanop.Chan[int]) {
	rng := rand.New(rand.NewPCG(cfg.Seed, 0))
	cancelled := chanop.Done(ctx)
	for {
		next := queue.RecvOp()
		g, err := selectx.PriSelect(next, chanop.Skip())
		if g != next {
			rec.Add(Event{Kind: Sleep, Who: Barber})
			g, err = selectx.PriSelect(cancelled, next)
		}
		if g != next || err != nil {
			return
		}
		c := next.Value()
		rec.Add(Event{Kind: Cut, Who: c})
		trace.Sleep(ctx, trace.Draw(rng, cfg.Cut))
		rec.Add(Event{Kind: Done, Who: c})
		_ = done[c].Send(c)
	}
}

func statsOf(events []Event) Stats {
	var st Stats
	seated := 0
	for _, e := range events {
		switch e.Kind {
		case Sit:
			seated++
			st.MaxSeated = max(st.MaxSeated, seated)
		case Up:
			seated--
		case Balk:
			st.Balked++
		case Leave:
			st.Served++
		}
		st.Elapsed = e.At
	}
	return st
}
