package selectx_test

// Adversarial review of the Selector's ready set: notifications racing with
// try/arm/park, Remove and re-Add between Selects while notifications are in
// flight, a watched guard completed and re-polled, plain and watched guards
// mixed (a plain send whose Commit succeeds in park while a Notify disarms,
// timers firing late).

import (
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

// TestReviewSelectorStressMixed: watched Chan and Buffer receives, each fed
// by its own sender, with plain guards (a send to a consumer, a short After)
// in the same Selector, and watched guards removed and added again between
// Selects. Every message is received exactly once, every plain send is
// consumed exactly once, and nothing hangs.
func TestReviewSelectorStressMixed(t *testing.T) {
	for _, pri := range []bool{false, true} {
		name := "Select"
		if pri {
			name = "PriSelect"
		}
		t.Run(name, func(t *testing.T) {
			const nc, nb, k = 6, 3, 300
			cs := make([]*chanop.Chan[int], nc)
			bs := make([]*buffer.Buffer[int], nb)
			for i := range cs {
				cs[i] = chanop.New[int]()
			}
			for i := range bs {
				bs[i] = buffer.New[int](1 + i)
			}
			var wg sync.WaitGroup
			for i, c := range cs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for j := range k {
						if err := c.Send(i*k + j); err != nil {
							t.Errorf("send: %v", err)
							return
						}
					}
				}()
			}
			for i, b := range bs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for j := range k {
						if err := b.Send((nc+i)*k + j); err != nil {
							t.Errorf("send: %v", err)
							return
						}
					}
				}()
			}
			out := chanop.New[int]()
			var consumed atomic.Int64
			consumerDone := make(chan struct{})
			go func() {
				defer close(consumerDone)
				for {
					if _, err := out.Recv(); err != nil {
						return
					}
					consumed.Add(1)
				}
			}()

			s := selectx.NewSelector()
			type reg struct {
				g    chanop.Guard
				val  func() int
				from int
			}
			regs := map[chanop.Guard]*reg{}
			var watched []chanop.Guard
			add := func(from int) {
				var r reg
				r.from = from
				if from < nc {
					op := cs[from].RecvOp()
					r.g, r.val = op, op.Value
				} else {
					op := bs[from-nc].RecvOp()
					r.g, r.val = op, op.Value
				}
				regs[r.g] = &r
				watched = append(watched, r.g)
				s.Add(r.g)
			}
			for i := range nc + nb {
				add(i)
			}
			send := out.SendOp(1)
			s.Add(send)
			after := chanop.After(50 * time.Microsecond)
			s.Add(after)

			seen := make([]int, (nc+nb)*k)
			done := make(chan struct{})
			var sent int64
			go func() {
				defer close(done)
				got := 0
				rng := rand.New(rand.NewPCG(1, 2))
				for got < (nc+nb)*k {
					var g chanop.Guard
					var err error
					if pri {
						g, err = s.PriSelect()
					} else {
						g, err = s.Select()
					}
					if err != nil {
						t.Errorf("select: %v", err)
						return
					}
					switch g {
					case send:
						sent++
						continue
					case after:
						continue
					}
					r := regs[g]
					if r == nil {
						t.Errorf("unknown guard %v", g)
						return
					}
					seen[r.val()]++
					got++
					if rng.IntN(20) == 0 {
						// Remove a random watched guard and add a fresh one on
						// the same channel: its Notifies may be in flight.
						j := rng.IntN(len(watched))
						old := watched[j]
						watched = append(watched[:j], watched[j+1:]...)
						from := regs[old].from
						if !s.Remove(old) {
							t.Errorf("Remove reported false")
							return
						}
						delete(regs, old)
						add(from)
					}
				}
			}()
			reviewDeadline(t, 60*time.Second, done)
			s.Close()
			wg.Wait()
			out.Close()
			<-consumerDone
			for v, n := range seen {
				if n != 1 {
					t.Errorf("message %d received %d times", v, n)
				}
			}
			if c := consumed.Load(); c != sent {
				t.Errorf("plain sends: the Selector completed %d, the consumer got %d", sent, c)
			}
		})
	}
}

// TestReviewSelectorReAddRace: a Selector that registers a receive, takes
// one message, and removes it, over and over, while several senders keep
// the channel busy (their Notifies to removed slots are in flight). Every
// message is received exactly once.
func TestReviewSelectorReAddRace(t *testing.T) {
	const senders, k = 4, 500
	c := chanop.New[int]()
	b := buffer.New[int](2)
	var wg sync.WaitGroup
	for i := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range k {
				if i%2 == 0 {
					_ = c.Send(i*k + j)
				} else {
					_ = b.Send(i*k + j)
				}
			}
		}()
	}
	seen := make([]int, senders*k)
	done := make(chan struct{})
	go func() {
		defer close(done)
		s := selectx.NewSelector()
		defer s.Close()
		for got := 0; got < senders*k; got++ {
			rc, rb := c.RecvOp(), b.RecvOp()
			s.Add(rc)
			s.Add(rb)
			g, err := s.Select()
			if err != nil {
				t.Errorf("select: %v", err)
				return
			}
			if g == rc {
				seen[rc.Value()]++
			} else {
				seen[rb.Value()]++
			}
			s.Remove(rc)
			s.Remove(rb)
		}
	}()
	reviewDeadline(t, 60*time.Second, done)
	wg.Wait()
	for v, n := range seen {
		if n != 1 {
			t.Errorf("message %d received %d times", v, n)
		}
	}
}

// TestReviewSelectorPlainAndWatchedSameChannel: a Selector that watches
// b.RecvOp() on one buffer and holds a plain send to another buffer that a
// goroutine drains and forwards back into the first: the send's Commit in
// park races the Notify of the forwarded message (disarm, then Park(nil)).
func TestReviewSelectorPlainAndWatchedSameChannel(t *testing.T) {
	const k = 2000
	in := buffer.New[int](1)
	back := chanop.New[int]()
	go func() {
		for {
			v, err := back.Recv()
			if err != nil {
				return
			}
			if in.Send(v) != nil {
				return
			}
		}
	}()
	done := make(chan struct{})
	go func() {
		defer close(done)
		s := selectx.NewSelector()
		defer s.Close()
		r := in.RecvOp()
		s.Add(r)
		next := 0
		var send *chanop.SendOp[int]
		inflight := 0
		received := 0
		for received < k {
			if send == nil && next < k {
				send = back.SendOp(next)
				s.Add(send)
			}
			g, err := s.Select()
			if err != nil {
				t.Errorf("select: %v", err)
				return
			}
			if g == send {
				s.Remove(send)
				send = nil
				next++
				inflight++
				continue
			}
			if g != r {
				t.Errorf("unknown guard")
				return
			}
			if v := r.Value(); v != received {
				t.Errorf("got %d, want %d", v, received)
				return
			}
			received++
			inflight--
		}
	}()
	reviewDeadline(t, 60*time.Second, done)
	back.Close()
	in.Close()
}

// TestReviewSelectorWithSelectivePatterns: a Selector holding two selective
// join patterns (plain guards) over one buffer, even and odd, whose
// predicates read a threshold the owner raises between Selects, and a
// watched receive on a second buffer. Every message is taken exactly once.
func TestReviewSelectorWithSelectivePatterns(t *testing.T) {
	const k = 600
	b := buffer.New[int](3)
	other := buffer.New[int](2)
	limit := 0 // read by the predicates; changed only between Selects
	evenPart := join.From[int](b).Where(func(v int) bool { return v%2 == 0 && v <= limit })
	oddPart := join.From[int](b).Where(func(v int) bool { return v%2 == 1 && v <= limit })
	pe, po := join.All(evenPart), join.All(oddPart)
	ro := other.RecvOp()
	s := selectx.NewSelector(pe, po, ro, chanop.After(100*time.Microsecond))
	defer s.Close()
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for v := range k {
			_ = b.Send(v)
		}
	}()
	go func() {
		defer wg.Done()
		for v := range k {
			_ = other.Send(k + v)
		}
	}()
	seen := make([]int, 2*k)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for got := 0; got < 2*k; {
			g, err := s.Select()
			if err != nil {
				t.Errorf("select: %v", err)
				return
			}
			switch g {
			case pe:
				seen[evenPart.Values()[0]]++
				got++
			case po:
				seen[oddPart.Values()[0]]++
				got++
			case ro:
				seen[ro.Value()]++
				got++
			}
			limit += 3
		}
	}()
	reviewDeadline(t, 60*time.Second, done)
	wg.Wait()
	for v, n := range seen {
		if n != 1 {
			t.Errorf("message %d taken %d times", v, n)
		}
	}
}
