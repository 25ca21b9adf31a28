// Package bathroom solves Downey's unisex bathroom problem, without
// starvation, with a queue and a select.
//
// A bathroom holds Capacity people; men and women may not be in it
// together, and neither may starve. Each visitor sends on the door, a
// synchronous chanop.Chan, then waits on its own channel for the word to
// go in; once out, it records so and reports on the leave buffer. The
// doorman, in its function doorman, keeps the visitors in the order they
// reached him and lets in only the head of that queue, when there is room
// and nobody of the other sex inside. Otherwise he selects
//
//	g, err := selectx.PriSelect(leave.RecvOp(), door.RecvOp())
//
// counting those who leave and queueing those who come. The head of the
// queue is the turnstile of Downey's no-starvation solution: a man waiting
// behind the women inside holds back every woman who comes after him, so
// the bathroom empties and he goes in.
//
// Why: Downey's solution needs two lightswitches (a counter and a mutex
// each), a turnstile, an empty semaphore and two multiplexes; here the
// policy is one expression on the queue, and the doorman's counts are his
// own.
//
// Lightswitch is the classic mistake, for contrast: Downey's first,
// starvation-prone solution, in which whoever is of the sex inside walks
// in past anyone waiting of the other sex, so that a steady stream of one
// sex keeps the other out.
//
// Run plays a finite number of visits and returns the trace;
// check.Properties (package problems/bathroom/check) checks it. Inside a
// testing/synctest bubble it runs in fake time.
package bathroom

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
	"github.com/gochord/chord/selectx"
)

// A Span is a range of durations; each draw is uniform in [Min, Max].
type Span struct {
	Min, Max time.Duration
}

// A Sex is a visitor's: a woman or a man.
type Sex uint8

// The two sexes.
const (
	Woman Sex = iota
	Man
)

// String returns "woman" or "man".
func (s Sex) String() string {
	if s == Woman {
		return "woman"
	}
	return "man"
}

// A Person is one visitor: woman 0, 1, … and man 0, 1, ….
type Person struct {
	Sex Sex
	N   int
}

// String formats p as "w3" (woman 3) or "m1" (man 1).
func (p Person) String() string {
	if p.Sex == Woman {
		return fmt.Sprintf("w%d", p.N)
	}
	return fmt.Sprintf("m%d", p.N)
}

// A Config describes a run.
type Config struct {
	Women, Men int  // visitors
	Capacity   int  // people the bathroom holds (Downey's 3)
	Visits     int  // visits each person makes
	Away       Span // a person is away this long before each visit
	Use        Span // a visit takes this long

	// Seed seeds the random durations; each person draws from its own
	// generator.
	Seed uint64

	// Lightswitch is the classic mistake, for teaching and for the
	// negative controls: whoever is of the sex inside walks in, when
	// there is room, past anyone of the other sex waiting before them.
	Lightswitch bool

	// Observe, if not nil, is called with every event as it is recorded,
	// in trace order, one call at a time, while the trace is locked: keep
	// it short.
	Observe func(Event)
}

// DefaultConfig returns 5 women and 3 men who each visit a bathroom of 3
// three times, over about four seconds.
func DefaultConfig() Config {
	ms := time.Millisecond
	return Config{Women: 5, Men: 3, Capacity: 3, Visits: 3, Away: Span{0, 800 * ms}, Use: Span{200 * ms, 500 * ms}, Seed: 1}
}

// Validate reports what is wrong with c, or nil.
func (c Config) Validate() error {
	var errs []error
	if c.Women < 0 || c.Men < 0 || c.Women+c.Men > 10_000 {
		errs = append(errs, fmt.Errorf("bathroom: Women = %d, Men = %d; need 0 to 10000 people", c.Women, c.Men))
	}
	if c.Capacity < 1 {
		errs = append(errs, fmt.Errorf("bathroom: Capacity = %d; the bathroom needs room for one", c.Capacity))
	}
	if c.Visits < 0 || c.Visits > 1000 {
		errs = append(errs, fmt.Errorf("bathroom: Visits = %d; need 0 to 1000", c.Visits))
	}
	errs = append(errs, trace.CheckSpan("bathroom", "Away", c.Away), trace.CheckSpan("bathroom", "Use", c.Use))
	return errors.Join(errs...)
}

// People returns everybody of c: the women, then the men.
func (c Config) People() []Person {
	ps := make([]Person, 0, c.Women+c.Men)
	for i := range c.Women {
		ps = append(ps, Person{Woman, i})
	}
	for i := range c.Men {
		ps = append(ps, Person{Man, i})
	}
	return ps
}

// index is p's place in c.People().
func (c Config) index(p Person) int {
	if p.Sex == Man {
		return c.Women + p.N
	}
	return p.N
}

// A Kind says what an Event records.
type Kind uint8

// The events. A visit is Queue → Enter → Leave.
const (
	Queue Kind = iota + 1 // Person reached the doorman and waits in his queue
	Enter                 // the doorman lets Person in
	Leave                 // Person is out of the bathroom
)

var kindNames = [...]string{Queue: "Queue", Enter: "Enter", Leave: "Leave"}

// String returns the constant's name.
func (k Kind) String() string { return trace.KindName(kindNames[:], k) }

// An Event is one step of a run.
type Event struct {
	Seq    int           // position in the trace, from 1
	At     time.Duration // since Run began
	Kind   Kind
	Person Person
}

// String formats e, e.g. "#9 1.2s Enter w3".
func (e Event) String() string { return fmt.Sprintf("#%d %v %v %v", e.Seq, e.At, e.Kind, e.Person) }

// Stats summarises a run.
type Stats struct {
	Visits       int           // Leave events
	MaxInside    int           // most people inside at once
	Switches     int           // times the bathroom went from one sex to the other
	MaxOvertaken int           // most people who went in ahead of one who queued before them
	MaxWait      time.Duration // longest time from a Queue to its Enter
	Elapsed      time.Duration
}

// A Result is the trace of a run and its figures.
type Result struct {
	Events []Event
	Stats  Stats
}

func stamp(e *Event, seq int, at time.Duration) { e.Seq, e.At = seq, at }

// Run plays cfg: everybody makes cfg.Visits visits. No goroutine outlives
// Run. If ctx is done first, everybody goes home and Run returns the trace
// so far with ctx.Err().
func Run(ctx context.Context, cfg Config) (Result, error) {
	if err := cfg.Validate(); err != nil {
		return Result{}, err
	}
	rec := trace.New(stamp, cfg.Observe)
	door, leave := chanop.New[Person](), buffer.Unbounded[Person]()
	people := cfg.People()
	enter := make([]*chanop.Chan[struct{}], len(people))
	for i := range enter {
		enter[i] = chanop.New[struct{}]()
	}
	var wg sync.WaitGroup
	for i, p := range people {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(cfg.Seed, uint64(1+i)))
			for range cfg.Visits {
				if !trace.Sleep(ctx, trace.Draw(rng, cfg.Away)) || door.Send(p) != nil {
					return
				}
				if _, err := enter[i].Recv(); err != nil { // blocks until the doorman lets us in
					return
				}
				trace.Sleep(ctx, trace.Draw(rng, cfg.Use))
				rec.Add(Event{Kind: Leave, Person: p})
				_ = leave.Send(p)
			}
		})
	}
	err := doorman(ctx, cfg, rec, door, leave, enter)
	door.Close()
	for _, c := range enter {
		c.Close()
	}
	wg.Wait()
	leave.Close()
	events := rec.Events()
	return Result{Events: events, Stats: statsOf(events)}, err
}

// doorman is the solution: a queue in order of arrival, of which only the
// head may go in.
func doorman(ctx context.Context, cfg Config, rec *trace.Recorder[Event], door *chanop.Chan[Person], leave *buffer.Buffer[Person], enter []*chanop.Chan[struct{}]) error {
	cancelled := chanop.Done(ctx)
	var queue []Person
	inside, sex := 0, Woman // as the doorman knows them: one is out once its message is taken
	for admitted := 0; admitted < (cfg.Women+cfg.Men)*cfg.Visits; {
		if i := next(cfg, queue, inside, sex); i >= 0 {
			p := queue[i]
			queue = slices.Delete(queue, i, i+1)
			inside, sex, admitted = inside+1, p.Sex, admitted+1
			rec.Add(Event{Kind: Enter, Person: p})
			_ = enter[cfg.index(p)].Send(struct{}{})
			continue
		}
		in, out := door.RecvOp(), leave.RecvOp()
		g, err := selectx.PriSelect(cancelled, out, in)
		switch {
		case err != nil || g == cancelled:
			return ctx.Err()
		case g == out:
			inside--
		default:
			queue = append(queue, in.Value())
			rec.Add(Event{Kind: Queue, Person: in.Value()})
		}
	}
	return nil
}

// next returns the place in queue of the person who may go in now, or -1:
// the head of the queue, if there is room and nobody of the other sex
// inside. With Lightswitch, the first of the queue who fits.
func next(cfg Config, queue []Person, inside int, sex Sex) int {
	for i, p := range queue {
		if inside < cfg.Capacity && (inside == 0 || p.Sex == sex) {
			return i
		}
		if !cfg.Lightswitch {
			break
		}
	}
	return -1
}

func statsOf(events []Event) Stats {
	var st Stats
	queued := map[Person]Event{}
	overtaken := map[Person]int{}
	in := map[Person]bool{}
	var sex Sex
	entered := false
	for _, e := range events {
		switch e.Kind {
		case Queue:
			queued[e.Person] = e
			overtaken[e.Person] = 0
		case Enter:
			if entered && len(in) == 0 && e.Person.Sex != sex {
				st.Switches++
			}
			entered, sex = true, e.Person.Sex
			in[e.Person] = true
			st.MaxInside = max(st.MaxInside, len(in))
			q := queued[e.Person]
			st.MaxWait = max(st.MaxWait, e.At-q.At)
			delete(overtaken, e.Person)
			for p, n := range overtaken {
				if queued[p].Seq < q.Seq {
					overtaken[p] = n + 1
					st.MaxOvertaken = max(st.MaxOvertaken, n+1)
				}
			}
		case Leave:
			st.Visits++
			delete(in, e.Person)
		}
		st.Elapsed = e.At
	}
	return st
}
