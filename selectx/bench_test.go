package selectx_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/guard"
	"github.com/gochord/chord/selectx"
)

// The baselines a user would pick instead of selectx: a native select
// statement (only for a fixed, small number of cases, written out) and
// reflect.Select (any number of cases, built at run time).

var readySizes = []int{2, 8, 64, 512}

// countAllocs reports mallocs/op, the exact mean number of allocations per
// iteration (the testing package's allocs/op is rounded down to an integer).
// Allocations of the partner goroutines count too, as they do in allocs/op:
// a chanop partner that blocks in Send allocates once per message. In the
// ready benchmarks some iterations find the partner not yet parked and take
// the blocking path; that fraction shows here.
type countAllocs struct {
	b      *testing.B
	before uint64
}

// startAllocs must be called right before the timed loop; it resets the
// timer.
func startAllocs(b *testing.B) *countAllocs {
	b.ReportAllocs()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	b.ResetTimer()
	return &countAllocs{b: b, before: m.Mallocs}
}

// stop stops the timer and reports mallocs/op.
func (c *countAllocs) stop() {
	c.b.StopTimer()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	c.b.ReportMetric(float64(m.Mallocs-c.before)/float64(c.b.N), "mallocs/op")
}

var sink int

// BenchmarkSelectReady: one ready guard among n. The last of n channels has
// a partner goroutine sending b.N messages in a loop; the others never have
// a partner. Each iteration is one select that receives one message, so it
// includes the handoff to (and wake-up of) the partner, for every variant.
//
// The partner is not always parked when the select looks: the woken partner
// and the selector tend to alternate, so some selects block until it
// arrives. For chanop mallocs/op tells the mix apart: a select that finds
// the partner parked allocates nothing (the partner's blocked Send
// allocated one object), a select that blocks allocates two (and the
// partner's Send none), so 1.5 means half of each. BenchmarkSelectDefault
// measures the ready path alone.
func BenchmarkSelectReady(b *testing.B) {
	for _, n := range readySizes {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.Run("chanop", func(b *testing.B) { readyChanop(b, n) })
			switch n {
			case 2:
				b.Run("native", readyNative2)
			case 8:
				b.Run("native", readyNative8)
			}
			b.Run("reflect", func(b *testing.B) { readyReflect(b, n) })
		})
	}
}

func readyChanop(b *testing.B, n int) {
	rs := make([]*chanop.RecvOp[int], n)
	gs := make([]chanop.Guard, n)
	for i := range gs {
		c := chanop.New[int]()
		rs[i] = c.RecvOp()
		gs[i] = rs[i]
	}
	last := rs[n-1]
	lc := last.GuardOps().(guard.OnChannel).Channel().(*chanop.Chan[int])
	b.Cleanup(lc.Close) // releases the partner if the loop fails
	wg := feed(b.N, func(v int) { lc.Send(v) })
	ac := startAllocs(b)
	for range b.N {
		g, err := selectx.Select(gs...)
		if err != nil || g != gs[n-1] {
			b.Fatalf("Select = %v, %v; want the last guard", g, err)
		}
		sink += last.Value()
	}
	ac.stop()
	wg.Wait()
}

func readyNative2(b *testing.B) {
	c0, c1 := make(chan int), make(chan int)
	wg := feed(b.N, func(v int) { c1 <- v })
	ac := startAllocs(b)
	for range b.N {
		var v int
		select {
		case v = <-c0:
		case v = <-c1:
		}
		sink += v
	}
	ac.stop()
	wg.Wait()
}

func readyNative8(b *testing.B) {
	c0, c1, c2, c3 := make(chan int), make(chan int), make(chan int), make(chan int)
	c4, c5, c6, c7 := make(chan int), make(chan int), make(chan int), make(chan int)
	wg := feed(b.N, func(v int) { c7 <- v })
	ac := startAllocs(b)
	for range b.N {
		var v int
		select {
		case v = <-c0:
		case v = <-c1:
		case v = <-c2:
		case v = <-c3:
		case v = <-c4:
		case v = <-c5:
		case v = <-c6:
		case v = <-c7:
		}
		sink += v
	}
	ac.stop()
	wg.Wait()
}

func readyReflect(b *testing.B, n int) {
	cases := recvCases(n)
	last := cases[n-1].Chan.Interface().(chan int)
	wg := feed(b.N, func(v int) { last <- v })
	ac := startAllocs(b)
	for range b.N {
		i, v, ok := reflect.Select(cases)
		if i != n-1 || !ok {
			b.Fatalf("reflect.Select = %d, %v; want %d, true", i, ok, n-1)
		}
		sink += int(v.Int())
	}
	ac.stop()
	wg.Wait()
}

// feed starts the partner: a goroutine that sends 0, …, n-1 with send.
func feed(n int, send func(int)) *sync.WaitGroup {
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := range n {
			send(i)
		}
	})
	return &wg
}

// recvCases returns n receive cases on fresh unbuffered channels.
func recvCases(n int) []reflect.SelectCase {
	cases := make([]reflect.SelectCase, n)
	for i := range cases {
		cases[i] = reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(make(chan int))}
	}
	return cases
}

// BenchmarkSelectDefault: the only ready guard is a default, last of n
// guards (n-1 receives that are never ready): chanop.Skip() in
// selectx.Select and selectx.PriSelect, default in a native select, a
// SelectDefault case in reflect.Select. No other goroutine takes part, so
// this is the cost of polling n guards, without any handoff.
func BenchmarkSelectDefault(b *testing.B) {
	for _, n := range readySizes {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.Run("chanop", func(b *testing.B) { defaultChanop(b, n, selectx.Select) })
			b.Run("chanop-pri", func(b *testing.B) { defaultChanop(b, n, selectx.PriSelect) })
			switch n {
			case 2:
				b.Run("native", defaultNative2)
			case 8:
				b.Run("native", defaultNative8)
			}
			b.Run("reflect", func(b *testing.B) { defaultReflect(b, n) })
		})
	}
}

func defaultChanop(b *testing.B, n int, sel func(...chanop.Guard) (chanop.Guard, error)) {
	gs := make([]chanop.Guard, n)
	for i := range n - 1 {
		gs[i] = chanop.New[int]().RecvOp()
	}
	skip := chanop.Skip()
	gs[n-1] = skip
	ac := startAllocs(b)
	for range b.N {
		g, err := sel(gs...)
		if err != nil || g != skip {
			b.Fatalf("select = %v, %v; want Skip", g, err)
		}
	}
	ac.stop()
}

func defaultNative2(b *testing.B) {
	c0 := make(chan int)
	ac := startAllocs(b)
	for range b.N {
		select {
		case v := <-c0:
			sink += v
		default:
			sink++
		}
	}
	ac.stop()
}

func defaultNative8(b *testing.B) {
	c0, c1, c2, c3 := make(chan int), make(chan int), make(chan int), make(chan int)
	c4, c5, c6 := make(chan int), make(chan int), make(chan int)
	ac := startAllocs(b)
	for range b.N {
		var v int
		select {
		case v = <-c0:
		case v = <-c1:
		case v = <-c2:
		case v = <-c3:
		case v = <-c4:
		case v = <-c5:
		case v = <-c6:
		default:
			v = 1
		}
		sink += v
	}
	ac.stop()
}

func defaultReflect(b *testing.B, n int) {
	cases := recvCases(n)
	cases[n-1] = reflect.SelectCase{Dir: reflect.SelectDefault}
	ac := startAllocs(b)
	for range b.N {
		if i, _, _ := reflect.Select(cases); i != n-1 {
			b.Fatalf("reflect.Select = %d; want the default, %d", i, n-1)
		}
	}
	ac.stop()
}

// BenchmarkSelectBlocking: nothing is ready until a partner arrives. The
// selecting goroutine blocks on n receive guards; the partner sends on a
// random one of the n channels, but only once the selector is waiting: it
// retries a non-blocking send (a select with a default), yielding between
// tries, until a receiver takes it. So every iteration is one complete
// blocking select: enqueue on n channels, park, wake-up, dequeue.
// n=512 is there to show whether allocations per call grow with n.
func BenchmarkSelectBlocking(b *testing.B) {
	for _, n := range []int{2, 64, 512} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.Run("chanop", func(b *testing.B) { blockingChanop(b, n) })
			if n == 2 {
				b.Run("native", blockingNative2)
			}
			b.Run("reflect", func(b *testing.B) { blockingReflect(b, n) })
		})
	}
}

func blockingChanop(b *testing.B, n int) {
	rs := make([]*chanop.RecvOp[int], n)
	gs := make([]chanop.Guard, n)
	tries := make([][]chanop.Guard, n) // the partner's non-blocking send on channel i
	skip := chanop.Skip()
	for i := range gs {
		c := chanop.New[int]()
		rs[i] = c.RecvOp()
		gs[i] = rs[i]
		tries[i] = []chanop.Guard{c.SendOp(i), skip}
	}
	wg := partner(b, n, func(i int) bool {
		g, err := selectx.PriSelect(tries[i]...)
		return err == nil && g == tries[i][0]
	})
	ac := startAllocs(b)
	for range b.N {
		g, err := selectx.Select(gs...)
		if err != nil {
			b.Fatal(err)
		}
		r := g.(*chanop.RecvOp[int])
		if r != rs[r.Value()] {
			b.Fatalf("guard and message disagree: got %d", r.Value())
		}
	}
	ac.stop()
	wg.Wait()
}

func blockingNative2(b *testing.B) {
	c0, c1 := make(chan int), make(chan int)
	cs := [2]chan int{c0, c1}
	wg := partner(b, 2, func(i int) bool {
		select {
		case cs[i] <- i:
			return true
		default:
			return false
		}
	})
	ac := startAllocs(b)
	for range b.N {
		select {
		case v := <-c0:
			if v != 0 {
				b.Fatalf("c0 got %d", v)
			}
		case v := <-c1:
			if v != 1 {
				b.Fatalf("c1 got %d", v)
			}
		}
	}
	ac.stop()
	wg.Wait()
}

func blockingReflect(b *testing.B, n int) {
	cases := recvCases(n)
	cs := make([]chan int, n)
	for i := range cs {
		cs[i] = cases[i].Chan.Interface().(chan int)
	}
	wg := partner(b, n, func(i int) bool {
		select {
		case cs[i] <- i:
			return true
		default:
			return false
		}
	})
	ac := startAllocs(b)
	for range b.N {
		i, v, ok := reflect.Select(cases)
		if !ok || int(v.Int()) != i {
			b.Fatalf("reflect.Select = %d, %v, %v", i, v, ok)
		}
	}
	ac.stop()
	wg.Wait()
}

// partner starts a goroutine that delivers b.N messages, each on a channel
// drawn at random among n, by calling trySend(i) until it reports that a
// waiting receiver took the message. It gives up when the benchmark ends
// early (a failure), rather than spin on.
func partner(b *testing.B, n int, trySend func(i int) bool) *sync.WaitGroup {
	var stop atomic.Bool
	b.Cleanup(func() { stop.Store(true) })
	count := b.N
	var wg sync.WaitGroup
	wg.Go(func() {
		rng := rand.New(rand.NewPCG(1, uint64(n)))
		for range count {
			i := rng.IntN(n)
			for !trySend(i) {
				if stop.Load() {
					return
				}
				runtime.Gosched()
			}
		}
	})
	return &wg
}

// BenchmarkSelectBlockingTimeout: a blocking select over one receive, as
// in BenchmarkSelectBlocking, alone ("none"), with a receive on an idle
// channel ("idle", a second guard that costs no timer), and with a timeout guard that
// never fires: chanop.After, re-arming its one timer per select, and
// chanop.Done, whose context callback stays registered across selects.
func BenchmarkSelectBlockingTimeout(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for _, tc := range []struct {
		name    string
		timeout chanop.Guard
	}{{"none", nil}, {"idle", chanop.New[int]().RecvOp()}, {"After", chanop.After(time.Hour)}, {"Done", chanop.Done(ctx)}} {
		b.Run(tc.name, func(b *testing.B) {
			c := chanop.New[int]()
			r := c.RecvOp()
			gs := []chanop.Guard{r}
			if tc.timeout != nil {
				gs = append(gs, tc.timeout)
			}
			try := []chanop.Guard{c.SendOp(1), chanop.Skip()}
			wg := partner(b, 1, func(int) bool {
				g, err := selectx.PriSelect(try...)
				return err == nil && g == try[0]
			})
			ac := startAllocs(b)
			for range b.N {
				if g, err := selectx.Select(gs...); g != r || err != nil {
					b.Fatal(g, err)
				}
			}
			ac.stop()
			wg.Wait()
		})
	}
}
