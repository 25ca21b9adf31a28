package join_test

// Adversarial review of selective receive (Part.Where): predicates with the
// avail counts and Notify's lock-free filter, several patterns with
// different predicates on one source, middle takes from a buffer's ring,
// predicates that change between selects; and CallContext cancellation
// racing a firing and a Reply.

import (
	"context"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gochord/chord/buffer"
	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/join"
	"github.com/gochord/chord/selectx"
)

// reviewDeadline fails t with every goroutine's stack if done is not closed
// within d, instead of hanging CI.
func reviewDeadline(t *testing.T, d time.Duration, done <-chan struct{}) {
	t.Helper()
	select {
	case <-done:
	case <-time.After(d):
		buf := make([]byte, 1<<20)
		n := runtime.Stack(buf, true)
		t.Fatalf("hung after %v (lost wake-up or deadlock):\n%s", d, buf[:n])
	}
}

// TestReviewWhereResiduesShareASource: three patterns take the residues
// 0, 1, 2 mod 3 from one small buffer (so senders block, refills settle,
// and takes come from the middle of the ring), a fourth pairs a residue-0
// message of a second source (a Chan) with a token. Every message is taken
// exactly once and nobody hangs.
func TestReviewWhereResiduesShareASource(t *testing.T) {
	for _, cap := range []int{1, 2, 5} {
		const senders, k = 4, 300
		b := buffer.New[int](cap)
		c := chanop.New[int]()
		tok := buffer.New[struct{}](1)
		if err := tok.Send(struct{}{}); err != nil {
			t.Fatal(err)
		}
		var taken [senders * k * 2]atomic.Int32
		var total atomic.Int64
		stop := make(chan struct{})
		var owners sync.WaitGroup
		for r := range 3 {
			part := join.From[int](b).Where(func(v int) bool { return v%3 == r })
			p := join.All(part)
			owners.Add(1)
			go func() {
				defer owners.Done()
				for {
					if err := p.Wait(); err != nil {
						return
					}
					for _, v := range part.Values() {
						taken[v].Add(1)
						total.Add(1)
					}
				}
			}()
		}
		// Two patterns on c: residue 0 with a token, the rest alone.
		zero := join.From[int](c).Where(func(v int) bool { return v%3 == 0 })
		tk := join.From[struct{}](tok)
		pz := join.All(zero, tk)
		rest := join.From[int](c).Where(func(v int) bool { return v%3 != 0 })
		pr := join.All(rest)
		owners.Add(2)
		go func() {
			defer owners.Done()
			for {
				if err := pz.Wait(); err != nil {
					return
				}
				taken[zero.Values()[0]].Add(1)
				total.Add(1)
				if tok.Send(struct{}{}) != nil {
					return
				}
			}
		}()
		go func() {
			defer owners.Done()
			for {
				if err := pr.Wait(); err != nil {
					return
				}
				taken[rest.Values()[0]].Add(1)
				total.Add(1)
			}
		}()
		var wg sync.WaitGroup
		for i := range senders {
			wg.Add(2)
			go func() {
				defer wg.Done()
				for j := range k {
					if err := b.Send(i*k + j); err != nil {
						t.Errorf("send b: %v", err)
						return
					}
				}
			}()
			go func() {
				defer wg.Done()
				for j := range k {
					if err := c.Send(senders*k + i*k + j); err != nil {
						t.Errorf("send c: %v", err)
						return
					}
				}
			}()
		}
		done := make(chan struct{})
		go func() {
			defer close(done)
			wg.Wait()
			for total.Load() < senders*k*2 {
				select {
				case <-stop:
					return
				default:
					time.Sleep(100 * time.Microsecond)
				}
			}
		}()
		reviewDeadline(t, 60*time.Second, done)
		b.Close()
		c.Close()
		tok.Close()
		owners.Wait()
		for v := range taken {
			if n := taken[v].Load(); n != 1 {
				t.Errorf("cap %d: message %d taken %d times", cap, v, n)
			}
		}
	}
}

// TestReviewWherePredicateRotates: the owner's predicate accepts one
// residue mod 3 per select and rotates after every select (fired or timed
// out), so each select recounts avail under a new predicate while the
// senders keep arriving. Every message is taken exactly once.
func TestReviewWherePredicateRotates(t *testing.T) {
	const senders, k = 3, 300
	b := buffer.New[int](2)
	cur := 0
	part := join.From[int](b).Where(func(v int) bool { return v%3 == cur })
	p := join.All(part)
	var wg sync.WaitGroup
	for i := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range k {
				if err := b.Send(i*k + j); err != nil {
					t.Errorf("send: %v", err)
					return
				}
			}
		}()
	}
	taken := make([]int, senders*k)
	done := make(chan struct{})
	go func() {
		defer close(done)
		got := 0
		for got < senders*k {
			g, err := selectx.Select(p, chanop.After(200*time.Microsecond))
			if err != nil {
				t.Errorf("select: %v", err)
				return
			}
			if g == p {
				taken[part.Values()[0]]++
				got++
			}
			cur = (cur + 1) % 3
		}
	}()
	reviewDeadline(t, 60*time.Second, done)
	wg.Wait()
	for v, n := range taken {
		if n != 1 {
			t.Errorf("message %d taken %d times", v, n)
		}
	}
}

// TestReviewWhereParkedOwnerNeverPollsAgain: the owner parks on a
// selective pattern (no timeout) whose predicate accepts only a value sent
// last, behind many rejected ones on a small buffer: the accepted message
// arrives as a blocked sender, and only refills (no arrivals) move it into
// the ring as other receivers drain the rejected ones. The owner must
// still be fired.
func TestReviewWhereParkedOwnerNeverPollsAgain(t *testing.T) {
	for round := range 50 {
		b := buffer.New[int](2)
		part := join.From[int](b).Where(func(v int) bool { return v < 0 })
		p := join.All(part)
		fired := make(chan error, 1)
		go func() { fired <- p.Wait() }()
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 20 {
				_ = b.Send(j + 1)
			}
			_ = b.Send(-1 - round)
		}()
		// Drain the rejected ones with plain receives.
		for range 20 {
			if _, err := b.Recv(); err != nil {
				t.Fatal(err)
			}
		}
		done := make(chan struct{})
		go func() {
			defer close(done)
			if err := <-fired; err != nil {
				t.Errorf("wait: %v", err)
			}
		}()
		reviewDeadline(t, 20*time.Second, done)
		wg.Wait()
		if v := part.Values(); len(v) != 1 || v[0] != -1-round {
			t.Fatalf("took %v", v)
		}
	}
}

// TestReviewCallContextRacesFiringAndReply: callers give up at random
// instants while two selective patterns (even, odd) take their calls and
// their owners reply after a random pause. Every call is answered exactly
// when its Reply reports true; every other call returns an error; nobody
// hangs.
func TestReviewCallContextRacesFiringAndReply(t *testing.T) {
	const callers, k = 8, 150
	c := join.NewCall[int, int]()
	var replied sync.Map // value → true when Reply reported true
	var owners sync.WaitGroup
	for r := range 2 {
		part := join.From[*join.Request[int, int]](c).Where(func(rq *join.Request[int, int]) bool { return rq.Value()%2 == r })
		p := join.All(part)
		owners.Add(1)
		go func() {
			defer owners.Done()
			rng := rand.New(rand.NewPCG(uint64(r), 9))
			for {
				if err := p.Wait(); err != nil {
					return
				}
				rq := part.Values()[0]
				if rng.IntN(3) == 0 {
					time.Sleep(time.Duration(rng.IntN(100)) * time.Microsecond)
				} else if rng.IntN(2) == 0 {
					runtime.Gosched()
				}
				if rq.Reply(2 * rq.Value()) {
					if _, dup := replied.LoadOrStore(rq.Value(), true); dup {
						t.Errorf("call %d answered twice", rq.Value())
					}
				}
			}
		}()
	}
	var ok sync.Map
	var wg sync.WaitGroup
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(i), 7))
			for j := range k {
				v := i*k + j
				ctx, cancel := context.WithTimeout(context.Background(), time.Duration(rng.IntN(150))*time.Microsecond)
				r, err := c.CallContext(ctx, v)
				cancel()
				if err == nil {
					if r != 2*v {
						t.Errorf("call %d: reply %d", v, r)
					}
					ok.Store(v, true)
				}
			}
		}()
	}
	done := make(chan struct{})
	go func() { defer close(done); wg.Wait() }()
	reviewDeadline(t, 60*time.Second, done)
	c.Close()
	owners.Wait()
	for v := range callers * k {
		_, got := ok.Load(v)
		_, ans := replied.Load(v)
		if got != ans {
			t.Errorf("call %d: caller got an answer: %v; owner's Reply reported true: %v", v, got, ans)
		}
	}
}
