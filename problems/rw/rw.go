// Package rw solves the readers–writers problem without starvation of
// either side, with a join pattern where the writer waits for the room to
// empty.
//
// Readers may share the room; a writer needs it alone. Every reader and
// writer asks for the room by sending a request on one unbounded buffer,
// requests, so the requests queue in the order they were made. A doorman
// takes them in that order: a reader is let in at once (if no writer is
// inside) and counted; for a writer the doorman waits until the k readers
// inside have all left, with one pattern,
//
//	join.All(join.FromN(leave, k)).Wait() // the k "I left" messages, taken together
//
// then lets the writer in and waits for it to leave. Requests behind a
// writer wait behind it, so a stream of readers cannot starve a writer,
// nor writers the readers: nobody is overtaken by a later request it
// conflicts with.
//
// Why join patterns fit: "wait until all k are out" is FromN's count; the
// messages on leave are the count, so the doorman keeps no counter that a
// reader must update under a lock. Downey's no-starvation solution needs a
// turnstile, a lightswitch (a counter and a mutex) and a room semaphore —
// about 30 lines, and the classic readers' preference is one forgotten
// turnstile away.
//
// ReadersFirst is that readers' preference, for contrast: the doorman lets
// readers in whenever no writer is inside, even while a writer waits, and
// lets the writer in only when the room happens to be empty. Overlapping
// readers overtake the writer again and again.
//
// Run plays a finite workload and returns the trace; package rw/check checks
// it (check.Properties). Inside a testing/synctest bubble it runs in fake
// time.
package rw

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

// An Actor is reader N or writer N.
type Actor struct {
	Writer bool
	N      int
}

// String formats a as "r2" or "w0".
func (a Actor) String() string {
	if a.Writer {
		return fmt.Sprintf("w%d", a.N)
	}
	return fmt.Sprintf("r%d", a.N)
}

// A Config describes a run.
type Config struct {
	Readers, Writers int
	Visits           int  // times each reader and writer uses the room
	Think            Span // time before each request
	Read, Write      Span // time in the room
	Seed             uint64

	// ReadersFirst is the classic readers' preference, for teaching and
	// for the negative controls in package rw/check: readers come in while
	// a writer waits, as long as no writer is inside.
	ReadersFirst bool

	// Observe, if not nil, is called with every event as it is recorded,
	// in trace order, one call at a time, while the trace is locked.
	Observe func(Event)
}

// DefaultConfig returns 5 readers and 2 writers who each use the room 3
// times; reading takes longer than thinking, so readers overlap.
func DefaultConfig() Config {
	ms := time.Millisecond
	return Config{Readers: 5, Writers: 2, Visits: 3, Think: Span{50 * ms, 300 * ms},
		Read: Span{200 * ms, 400 * ms}, Write: Span{100 * ms, 200 * ms}, Seed: 1}
}

// Validate reports what is wrong with c, or nil.
func (c Config) Validate() error {
	var errs []error
	if c.Readers < 0 || c.Writers < 0 || c.Visits < 0 || (c.Readers+c.Writers)*c.Visits > 100_000 {
		errs = append(errs, fmt.Errorf("rw: Readers = %d, Writers = %d, Visits = %d; need 0 to 100000 visits in all", c.Readers, c.Writers, c.Visits))
	}
	errs = append(errs, trace.CheckSpan("rw", "Think", c.Think), trace.CheckSpan("rw", "Read", c.Read), trace.CheckSpan("rw", "Write", c.Write))
	return errors.Join(errs...)
}

// A Kind says what an Event records.
type Kind uint8

// The events. Each visit is Request → Enter → Leave; Drain is the doorman's.
const (
	Request Kind = iota + 1 // Actor asks for the room: its request is queued
	Drain                   // the doorman waits for the Count readers inside to leave, for writer Actor
	Enter                   // the doorman lets Actor in
	Leave                   // Actor leaves the room
)

var kindNames = [...]string{Request: "Request", Drain: "Drain", Enter: "Enter", Leave: "Leave"}

// String returns the constant's name.
func (k Kind) String() string {
	return trace.KindName(kindNames[:], k)
}

// An Event is one step of a run.
type Event struct {
	Seq   int           // from 1
	At    time.Duration // since Run began
	Kind  Kind
	Actor Actor
	Count int // for Drain
}

// String formats e, e.g. "#7 1.2s Enter w0".
func (e Event) String() string {
	if e.Kind == Drain {
		return fmt.Sprintf("#%d %v Drain %d readers for %v", e.Seq, e.At, e.Count, e.Actor)
	}
	return fmt.Sprintf("#%d %v %v %v", e.Seq, e.At, e.Kind, e.Actor)
}

// Stats summarises a run.
type Stats struct {
	Visits     int           // Leave events
	MaxReaders int           // most readers in the room at once
	ReadWait   time.Duration // longest wait of a reader, from Request to Enter
	WriteWait  time.Duration // longest wait of a writer
	Elapsed    time.Duration
}

// A Result is the trace of a run and its figures.
type Result struct {
	Events []Event
	Stats  Stats
}

type request struct {
	who   Actor
	grant *chanop.Chan[int]
}

// stamp gives e its place in the trace and its time since Run began.
func stamp(e *Event, seq int, at time.Duration) { e.Seq, e.At = seq, at }

// Run plays cfg: each reader and writer uses the room cfg.Visits times.
// No goroutine outlives Run. If ctx is done first, everybody stops and Run
// returns the trace so far with ctx.Err().
func Run(ctx context.Context, cfg Config) (Result, error) {
	if err := cfg.Validate(); err != nil {
		return Result{}, err
	}
	rec := trace.New(stamp, cfg.Observe)
	requests := buffer.Unbounded[request]()
	leave := buffer.Unbounded[Actor]()
	total := (cfg.Readers + cfg.Writers) * cfg.Visits
	door, shut := context.WithCancel(ctx)
	var doorman sync.WaitGroup
	doorman.Go(func() {
		if cfg.ReadersFirst {
			readersFirst(door, rec, requests, leave, total)
		} else {
			fifo(door, rec, requests, leave, total)
		}
	})
	var wg sync.WaitGroup
	for i := range cfg.Readers + cfg.Writers {
		a := Actor{false, i}
		if i >= cfg.Readers {
			a = Actor{true, i - cfg.Readers}
		}
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(cfg.Seed, uint64(1+i)))
			grant := chanop.New[int]()
			cancelled := chanop.Done(ctx)
			use := cfg.Read
			if a.Writer {
				use = cfg.Write
			}
			for range cfg.Visits {
				if !trace.Sleep(ctx, trace.Draw(rng, cfg.Think)) {
					return
				}
				// Sent under the trace's lock, so that the order of Request
				// events is the order of the queue.
				rec.Do(Event{Kind: Request, Actor: a}, func(*Event) { _ = requests.Send(request{a, grant}) })
				in := grant.RecvOp()
				if g, err := selectx.PriSelect(cancelled, in); g != in || err != nil {
					return
				}
				trace.Sleep(ctx, trace.Draw(rng, use))
				rec.Do(Event{Kind: Leave, Actor: a}, func(*Event) { _ = leave.Send(a) })
			}
		})
	}
	wg.Wait()
	shut()
	doorman.Wait()
	requests.Close()
	leave.Close()
	events := rec.Events()
	return Result{Events: events, Stats: statsOf(events)}, ctx.Err()
}

// fifo is the doorman of the solution: requests in order, and a writer
// waits for the readers inside with one FromN pattern.
func fifo(ctx context.Context, rec *trace.Recorder[Event], requests *buffer.Buffer[request], leave *buffer.Buffer[Actor], total int) {
	cancelled := chanop.Done(ctx)
	inside := 0 // readers let in whose leave message is not yet taken
	wait := func(n int) bool {
		out := join.All(join.FromN[Actor](leave, n))
		g, err := selectx.PriSelect(cancelled, out)
		return g == out && err == nil
	}
	for range total {
		next := requests.RecvOp()
		if g, err := selectx.PriSelect(cancelled, next); g != next || err != nil {
			return
		}
		r := next.Value()
		if !r.who.Writer {
			rec.Add(Event{Kind: Enter, Actor: r.who})
			inside++
			if r.grant.Send(0) != nil {
				return
			}
			continue
		}
		if inside > 0 {
			rec.Add(Event{Kind: Drain, Actor: r.who, Count: inside})
			if !wait(inside) {
				return
			}
			inside = 0
		}
		rec.Add(Event{Kind: Enter, Actor: r.who})
		if r.grant.Send(0) != nil || !wait(1) {
			return
		}
	}
}

// readersFirst is the mistake: readers come in whenever no writer is
// inside; a writer gets the room only when it is empty.
func readersFirst(ctx context.Context, rec *trace.Recorder[Event], requests *buffer.Buffer[request], leave *buffer.Buffer[Actor], total int) {
	cancelled := chanop.Done(ctx)
	inside, writing := 0, false
	var writers, readers []request // waiting
	let := func(r request) bool {
		rec.Add(Event{Kind: Enter, Actor: r.who})
		return r.grant.Send(0) == nil
	}
	for served := 0; served < total; {
		next, out := requests.RecvOp(), leave.RecvOp()
		g, err := selectx.PriSelect(cancelled, out, next)
		if g == cancelled || err != nil {
			return
		}
		switch g {
		case next:
			r := next.Value()
			switch {
			case r.who.Writer:
				writers = append(writers, r)
			case writing:
				readers = append(readers, r)
			default:
				inside++
				if !let(r) {
					return
				}
			}
		case out:
			served++
			if out.Value().Writer {
				writing = false
				for _, r := range readers {
					inside++
					if !let(r) {
						return
					}
				}
				readers = readers[:0]
			} else {
				inside--
			}
		}
		if !writing && inside == 0 && len(writers) > 0 {
			w := writers[0]
			writers = slices.Delete(writers, 0, 1)
			writing = true
			if !let(w) {
				return
			}
		}
	}
}

func statsOf(events []Event) Stats {
	var st Stats
	asked := map[Actor]time.Duration{}
	readers := 0
	for _, e := range events {
		switch e.Kind {
		case Request:
			asked[e.Actor] = e.At
		case Enter:
			w := e.At - asked[e.Actor]
			if e.Actor.Writer {
				st.WriteWait = max(st.WriteWait, w)
			} else {
				st.ReadWait = max(st.ReadWait, w)
				readers++
				st.MaxReaders = max(st.MaxReaders, readers)
			}
		case Leave:
			st.Visits++
			if !e.Actor.Writer {
				readers--
			}
		}
		st.Elapsed = e.At
	}
	return st
}
