package bench

import (
	"fmt"
	"reflect"
	"sync"
	"testing"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/selectx"
)

// BenchmarkFanIn: one consumer receives from n channels; ns/op is one
// message, handoff included. Two loads:
//
//   - one: one producer sends on the n channels in turn, so one channel is
//     ready at a time (the workload of selectx's BenchmarkFanIn);
//   - all: n producers, one per channel, each sending as fast as it is
//     served, so every channel is ready at once.
//
// Consumers: Selector (a selectx.Selector registering the n receives once),
// SelectIndex (selectx.SelectIndex, enqueueing on all n on every call that
// blocks), reflect (reflect.Select over n Go channels), forward (the
// idiomatic Go answer: a goroutine per Go channel forwarding into one
// channel the consumer receives from). Under load all, each producer sends
// b.N/n+1 messages and the consumer takes b.N; the rest are drained after
// the timer stops.
func BenchmarkFanIn(b *testing.B) {
	for _, load := range []string{"one", "all"} {
		for _, n := range []int{2, 1000} {
			b.Run(fmt.Sprintf("ready=%s/n=%d", load, n), func(b *testing.B) {
				all := load == "all"
				b.Run("Selector", func(b *testing.B) { fanInChord(b, n, all, true) })
				b.Run("SelectIndex", func(b *testing.B) { fanInChord(b, n, all, false) })
				b.Run("reflect", func(b *testing.B) { fanInReflect(b, n, all) })
				b.Run("forward", func(b *testing.B) { fanInForward(b, n, all) })
			})
		}
	}
}

// produce starts the producers: with all, one per channel, producer i
// sending i, i+n, i+2n, … (b.N/n+1 messages); else one sending k on
// channel k%n for k < b.N. send sends v on channel i. It returns the
// number of messages sent in all.
func produce(wg *sync.WaitGroup, total, n int, all bool, send func(i, v int) bool) int {
	if !all {
		wg.Go(func() {
			for k := range total {
				if !send(k%n, k) {
					return
				}
			}
		})
		return total
	}
	per := total/n + 1
	for i := range n {
		wg.Go(func() {
			for k := range per {
				if !send(i, i+k*n) {
					return
				}
			}
		})
	}
	return per * n
}

func fanInChord(b *testing.B, n int, all, registered bool) {
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
	produce(&wg, total, n, all, func(i, v int) bool { return cs[i].Send(v) == nil })
	b.ReportAllocs()
	b.ResetTimer()
	for k := range total {
		i, err := sel()
		if err != nil || rs[i].Value()%n != i || !all && rs[i].Value() != k {
			b.Fatalf("select = %d, %v, message %d", i, err, rs[i].Value())
		}
	}
	b.StopTimer()
	for _, c := range cs {
		c.Close() // the producers' last messages are not taken
	}
	wg.Wait()
}

func fanInReflect(b *testing.B, n int, all bool) {
	chs := make([]chan int, n)
	cases := make([]reflect.SelectCase, n)
	for i := range chs {
		chs[i] = make(chan int)
		cases[i] = reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(chs[i])}
	}
	total := b.N
	var wg sync.WaitGroup
	sent := produce(&wg, total, n, all, func(i, v int) bool { chs[i] <- v; return true })
	b.ReportAllocs()
	b.ResetTimer()
	for k := range total {
		i, v, ok := reflect.Select(cases)
		if !ok || int(v.Int())%n != i || !all && int(v.Int()) != k {
			b.Fatalf("reflect.Select = %d, %v, %v", i, v, ok)
		}
	}
	b.StopTimer()
	for range sent - total {
		reflect.Select(cases)
	}
	wg.Wait()
}

func fanInForward(b *testing.B, n int, all bool) {
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
	sent := produce(&wg, total, n, all, func(i, v int) bool { chs[i] <- v; return true })
	b.ReportAllocs()
	b.ResetTimer()
	sum := 0
	for range total {
		sum += <-merged // forwarders may reorder messages of different channels
	}
	b.StopTimer()
	if !all {
		if want := total * (total - 1) / 2; sum != want {
			b.Fatalf("sum of messages = %d; want %d", sum, want)
		}
	}
	for range sent - total {
		<-merged
	}
	wg.Wait()
	for _, c := range chs {
		close(c)
	}
	fwd.Wait()
}
