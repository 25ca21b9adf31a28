package join_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/gochord/chord/buffer"
	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/join"
	"github.com/gochord/chord/selectx"
)

// Each benchmark has a "chord" case and the baseline a Go programmer would
// write instead ("native"), in the same run. ns/op is per firing.

// feed starts one goroutine per channel that sends on it until it is
// closed, and returns a function that closes them all and waits.
func feed(cs []*chanop.Chan[int]) (stop func()) {
	var wg sync.WaitGroup
	for _, c := range cs {
		wg.Go(func() {
			for i := 0; c.Send(i) == nil; i++ {
			}
		})
	}
	return func() {
		closeAll(cs)
		wg.Wait()
	}
}

// feedNative is feed for Go channels.
func feedNative(cs []chan int) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	for _, c := range cs {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case c <- i:
				case <-done:
					return
				}
			}
		})
	}
	return func() {
		close(done)
		wg.Wait()
	}
}

func nativeChans(n int) []chan int {
	cs := make([]chan int, n)
	for i := range cs {
		cs[i] = make(chan int)
	}
	return cs
}

// BenchmarkEach is the firing cost of All(Each(k channels)), with k senders
// each sending in a loop, against receiving from k unbuffered Go channels
// in a row (which is not atomic: it holds the first messages while it waits
// for the others).
func BenchmarkEach(b *testing.B) {
	for _, k := range []int{1, 2, 4, 9} {
		b.Run(fmt.Sprintf("k=%d/chord", k), func(b *testing.B) {
			cs := chans(k)
			part := join.Each(sources(cs)...)
			p := join.All(part)
			stop := feed(cs)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if err := p.Wait(); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			stop()
		})
		b.Run(fmt.Sprintf("k=%d/native", k), func(b *testing.B) {
			cs := nativeChans(k)
			stop := feedNative(cs)
			b.ReportAllocs()
			b.ResetTimer()
			sum := 0
			for range b.N {
				for _, c := range cs {
					sum += <-c
				}
			}
			b.StopTimer()
			stop()
			_ = sum
		})
	}
}

// recvAny3of10 receives one message from each of 3 distinct channels of
// cs, any 3: the hand-written AnyOf(3, …) over a native select, disabling
// a channel (nil) once it has given its message.
func recvAny3of10(cs *[10]chan int) (sum int) {
	c := *cs
	for range 3 {
		select {
		case v := <-c[0]:
			sum, c[0] = sum+v, nil
		case v := <-c[1]:
			sum, c[1] = sum+v, nil
		case v := <-c[2]:
			sum, c[2] = sum+v, nil
		case v := <-c[3]:
			sum, c[3] = sum+v, nil
		case v := <-c[4]:
			sum, c[4] = sum+v, nil
		case v := <-c[5]:
			sum, c[5] = sum+v, nil
		case v := <-c[6]:
			sum, c[6] = sum+v, nil
		case v := <-c[7]:
			sum, c[7] = sum+v, nil
		case v := <-c[8]:
			sum, c[8] = sum+v, nil
		case v := <-c[9]:
			sum, c[9] = sum+v, nil
		}
	}
	return sum
}

// BenchmarkAnyOf3of10 is the firing cost of All(AnyOf(3, 10 channels)),
// with 10 senders each sending in a loop, against a counter over a native
// select of the 10 channels.
func BenchmarkAnyOf3of10(b *testing.B) {
	b.Run("chord", func(b *testing.B) {
		cs := chans(10)
		part := join.AnyOf(3, sources(cs)...)
		p := join.All(part)
		stop := feed(cs)
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			if err := p.Wait(); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		stop()
	})
	b.Run("native", func(b *testing.B) {
		cs := nativeChans(10)
		var arr [10]chan int
		copy(arr[:], cs)
		stop := feedNative(cs)
		b.ReportAllocs()
		b.ResetTimer()
		sum := 0
		for range b.N {
			sum += recvAny3of10(&arr)
		}
		b.StopTimer()
		stop()
		_ = sum
	})
}

// BenchmarkSantaWakeups runs a Santa-like workload: 9 reindeer channels and
// 10 elf channels, each with a sender looping, and Santa looping over
// PriSelect(All(Each(deer...)), All(AnyOf(3, elves...))). Besides ns per
// firing it reports wakeups/firing (Pattern.Stats: firings that woke the
// parked Santa, over all firings; lazy matching wakes him at most once per
// firing, and not at all when his select finds a pattern ready) and the
// share of reindeer firings.
func BenchmarkSantaWakeups(b *testing.B) {
	deer, elves := chans(9), chans(10)
	reindeer := join.All(join.Each(sources(deer)...))
	helpers := join.All(join.AnyOf(3, sources(elves)...))
	stop := feed(append(append([]*chanop.Chan[int](nil), deer...), elves...))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := selectx.PriSelect(reindeer, helpers); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	stop()
	rf, rw := reindeer.Stats()
	ef, ew := helpers.Stats()
	b.ReportMetric(float64(rw+ew)/float64(rf+ef), "wakeups/firing")
	b.ReportMetric(float64(rf)/float64(rf+ef), "reindeer/firing")
}

// BenchmarkWaitReady is a pattern Wait that finds its messages ready and
// puts them back, the philosophers' meal without contention, beside the
// hand-written pair of mutexes a Go programmer would use instead.
func BenchmarkWaitReady(b *testing.B) {
	b.Run("chord", func(b *testing.B) {
		l, r := buffer.New[int](1), buffer.New[int](1)
		_ = l.Send(0)
		_ = r.Send(1)
		p := join.All(join.Each[int](l, r))
		for b.Loop() {
			_ = p.Wait()
			_ = l.Send(0)
			_ = r.Send(1)
		}
	})
	b.Run("mutex", func(b *testing.B) {
		var l, r sync.Mutex
		meals := 0
		for b.Loop() {
			l.Lock()
			r.Lock()
			meals++ // what the pattern's firing stands for: both held at once
			r.Unlock()
			l.Unlock()
		}
		if meals == 0 {
			b.Fatal("no meal")
		}
	})
}

// BenchmarkFromNArrivals fills FromN(c, n) with its owner parked, from n
// senders that arrive concurrently: one op is one firing that takes all n
// messages. The baseline is a Go programmer's hand-written equivalent: a
// counter under a mutex, the n-th arrival closing a channel the owner
// waits on, with each sender waiting for the release.
func BenchmarkFromNArrivals(b *testing.B) {
	for _, n := range []int{1000, 8000} {
		b.Run(fmt.Sprintf("n=%d/chord", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c := chanop.New[int]()
				p := join.All(join.FromN(c, n))
				var wg sync.WaitGroup
				wg.Go(func() { _ = p.Wait() })
				for i := range n {
					wg.Go(func() { _ = c.Send(i) })
				}
				wg.Wait()
			}
		})
		b.Run(fmt.Sprintf("n=%d/native", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var mu sync.Mutex
				got := make([]int, 0, n)
				full := make(chan struct{})
				var wg sync.WaitGroup
				wg.Go(func() { <-full })
				for i := range n {
					wg.Go(func() {
						mu.Lock()
						got = append(got, i)
						if len(got) == n {
							close(full)
						}
						mu.Unlock()
						<-full
					})
				}
				wg.Wait()
			}
		})
	}
}
