package selectx_test

import (
	"fmt"
	"reflect"
	"sync"
	"testing"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/selectx"
)

// BenchmarkFanIn: one consumer receives from n channels, one producer
// sends on them in turn, so one channel is ready at a time; ns/op is one
// message, handoff included. Selector registers the n receives once;
// Select (selectx.SelectIndex) enqueues on all n on every call;
// reflect.Select is the standard library's dynamic select over Go
// channels; forward is the idiomatic Go answer, a goroutine per channel
// forwarding into one channel that the consumer receives from (it does
// not keep the order of messages of different channels).
func BenchmarkFanIn(b *testing.B) {
	for _, n := range []int{2, 1024} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.Run("Selector", func(b *testing.B) { fanInChord(b, n, true) })
			b.Run("Select", func(b *testing.B) { fanInChord(b, n, false) })
			b.Run("reflect", func(b *testing.B) { fanInReflect(b, n) })
			b.Run("forward", func(b *testing.B) { fanInForward(b, n) })
		})
	}
}

func fanInChord(b *testing.B, n int, registered bool) {
	cs := make([]*chanop.Chan[int], n)
	rs := make([]*chanop.RecvOp[int], n)
	gs := make([]chanop.Guard, n)
	for i := range cs {
		cs[i] = chanop.New[int]()
		rs[i] = cs[i].RecvOp()
		gs[i] = rs[i]
	}
	sel := func() (int, error) { return selectx.SelectIndex(gs...) }
	if registered {
		s := selectx.NewSelector(gs...)
		defer s.Close()
		sel = s.SelectIndex
	}
	total := b.N
	var wg sync.WaitGroup
	wg.Go(func() {
		for k := range total {
			if err := cs[k%n].Send(k); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportAllocs()
	b.ResetTimer()
	for k := range total {
		i, err := sel()
		if err != nil || i != k%n || rs[i].Value() != k {
			b.Fatalf("select = %d, %v; want %d", i, err, k%n)
		}
	}
	b.StopTimer()
	wg.Wait()
}

func fanInReflect(b *testing.B, n int) {
	chs := make([]chan int, n)
	cases := make([]reflect.SelectCase, n)
	for i := range chs {
		chs[i] = make(chan int)
		cases[i] = reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(chs[i])}
	}
	total := b.N
	var wg sync.WaitGroup
	wg.Go(func() {
		for k := range total {
			chs[k%n] <- k
		}
	})
	b.ReportAllocs()
	b.ResetTimer()
	for k := range total {
		i, v, ok := reflect.Select(cases)
		if !ok || i != k%n || int(v.Int()) != k {
			b.Fatalf("reflect.Select = %d, %v, %v; want %d", i, v, ok, k%n)
		}
	}
	b.StopTimer()
	wg.Wait()
}

func fanInForward(b *testing.B, n int) {
	chs := make([]chan int, n)
	merged := make(chan int)
	var fwd sync.WaitGroup
	for i := range chs {
		chs[i] = make(chan int)
		fwd.Go(func() {
			for v := range chs[i] {
				merged <- v
			}
		})
	}
	total := b.N
	var wg sync.WaitGroup
	wg.Go(func() {
		for k := range total {
			chs[k%n] <- k
		}
	})
	b.ReportAllocs()
	b.ResetTimer()
	sum := 0
	for range total {
		sum += <-merged // forwarders may reorder messages of different channels
	}
	b.StopTimer()
	if want := total * (total - 1) / 2; sum != want {
		b.Fatalf("sum of messages = %d; want %d", sum, want)
	}
	wg.Wait()
	for _, c := range chs {
		close(c)
	}
	fwd.Wait()
}
