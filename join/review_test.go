package join_test

import (
	"errors"
	"math/rand/v2"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gochord/chord/buffer"
	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/join"
	"github.com/gochord/chord/selectx"
)

// Randomized stress: two patterns sharing channels (one over a bounded
// buffer), plain receivers, select senders over several channels, owners
// with timeouts and owners that also send on their own pattern's channel,
// and Close racing the lot. Every message whose send succeeded is received
// exactly once; no message is received that was not sent; everybody ends.
func TestReviewStressMixed(t *testing.T) {
	for seed := range 40 {
		synctest.Test(t, func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(seed), 7))
			a, b, c := chanop.New[int](), chanop.New[int](), chanop.New[int]()
			bb := buffer.New[int](2)
			var mu sync.Mutex
			sent := map[int]int{}
			got := map[int]int{}
			rec := func(m map[int]int, v int) { mu.Lock(); m[v]++; mu.Unlock() }

			pa1, pb1 := join.From[int](a), join.From[int](b)
			p1 := join.All(pa1, pb1)
			pb2, pbb2 := join.From[int](b), join.FromN[int](bb, 2)
			p2 := join.All(pb2, pbb2)
			pa3, pc3 := join.From[int](a), join.From[int](c)
			p3 := join.All(pa3, pc3)

			toD := time.Duration(r.IntN(3)+1) * time.Millisecond
			closeD := time.Duration(r.IntN(40)) * time.Millisecond
			var wg sync.WaitGroup
			// Owner 1: p1 with a timeout.
			wg.Go(func() {
				to := chanop.After(toD)
				for {
					g, err := selectx.Select(p1, to)
					if errors.Is(err, chanop.ErrClosed) {
						return
					}
					if g == p1 {
						rec(got, pa1.Values()[0])
						rec(got, pb1.Values()[0])
					}
				}
			})
			// Owner 2: p2, and it offers its own message on b.
			wg.Go(func() {
				k := 0
				for {
					v := 900000 + k
					s := b.SendOp(v)
					var f selectx.Fair
					g, err := f.Select(s, p2)
					if g == s {
						if err != nil {
							return // b closed: p2 (From(b)) is dead too
						}
						rec(sent, v)
						k++
						continue
					}
					if errors.Is(err, chanop.ErrClosed) {
						return
					}
					rec(got, pb2.Values()[0])
					for _, x := range pbb2.Values() {
						rec(got, x)
					}
				}
			})
			// Owner 3: p3 via PriSelect with a plain receive on c.
			wg.Go(func() {
				for {
					rc := c.RecvOp()
					g, err := selectx.PriSelect(p3, rc)
					if errors.Is(err, chanop.ErrClosed) {
						if g == rc {
							// c closed; finish p3 alone until it dies
							for p3.Wait() == nil {
								rec(got, pa3.Values()[0])
								rec(got, pc3.Values()[0])
							}
						}
						return
					}
					if g == rc {
						rec(got, rc.Value())
					} else {
						rec(got, pa3.Values()[0])
						rec(got, pc3.Values()[0])
					}
				}
			})
			// Plain receivers on a and on bb.
			wg.Go(func() {
				for {
					v, err := a.Recv()
					if err != nil {
						return
					}
					rec(got, v)
				}
			})
			// Senders.
			var sw sync.WaitGroup
			for s := range 6 {
				rs := rand.New(rand.NewPCG(uint64(seed), uint64(s)))
				sw.Go(func() {
					for k := range 30 {
						v := (s+1)*1000 + k
						var gs []chanop.Guard
						vals := []func() chanop.Guard{
							func() chanop.Guard { return a.SendOp(v) },
							func() chanop.Guard { return b.SendOp(v) },
							func() chanop.Guard { return c.SendOp(v) },
							func() chanop.Guard { return bb.SendOp(v) },
						}
						for _, i := range rs.Perm(4)[:rs.IntN(3)+1] {
							gs = append(gs, vals[i]())
						}
						_, err := selectx.Select(gs...)
						if err == nil {
							rec(sent, v)
						} else if !errors.Is(err, chanop.ErrClosed) {
							t.Errorf("send: %v", err)
						}
						if rs.IntN(4) == 0 {
							time.Sleep(time.Duration(rs.IntN(3)) * time.Millisecond)
						}
					}
				})
			}
			closer := make(chan struct{})
			go func() {
				time.Sleep(closeD)
				close(closer)
			}()
			go func() {
				<-closer
				a.Close()
				b.Close()
				c.Close()
				bb.Close()
			}()
			sw.Wait()
			wg.Wait()
			// Leftovers in bb.
			for {
				v, err := bb.Recv()
				if err != nil {
					break
				}
				rec(got, v)
			}
			synctest.Wait()
			for v, n := range sent {
				if got[v] != n {
					t.Errorf("seed %d: message %d sent %d times, received %d", seed, v, n, got[v])
				}
			}
			for v, n := range got {
				if sent[v] != n {
					t.Errorf("seed %d: message %d received %d times, sent %d", seed, v, n, sent[v])
				}
			}
		})
	}
}
