package chanop_test

import (
	"sync"
	"testing"

	"github.com/gochord/chord/chanop"
)

// BenchmarkRendezvous streams b.N messages from one goroutine to another
// over a synchronous channel: ns/op is the cost of one message, handoff and
// wake-up included. The baseline is an unbuffered Go channel.
func BenchmarkRendezvous(b *testing.B) {
	b.Run("chanop", func(b *testing.B) {
		c := chanop.New[int]()
		n := b.N
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range n {
				if err := c.Send(i); err != nil {
					b.Error(err)
					return
				}
			}
		}()
		b.ReportAllocs()
		b.ResetTimer()
		for i := range n {
			v, err := c.Recv()
			if err != nil || v != i {
				b.Fatalf("Recv = %d, %v; want %d, nil", v, err, i)
			}
		}
		b.StopTimer()
		wg.Wait()
	})
	b.Run("native", func(b *testing.B) {
		c := make(chan int)
		n := b.N
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range n {
				c <- i
			}
		}()
		b.ReportAllocs()
		b.ResetTimer()
		for i := range n {
			if v := <-c; v != i {
				b.Fatalf("<-c = %d; want %d", v, i)
			}
		}
		b.StopTimer()
		wg.Wait()
	})
}

// BenchmarkCommstime is the classic CSP benchmark (Roscoe/Welch; PyCSP's
// Listing 17-18): Prefix, a sequential Delta and Successor form a ring that
// counts, and Delta also feeds the Consumer, which is the benchmark loop.
// Each of the b.N iterations is 4 communications; ns/comm is ns/op / 4.
//
// The ring runs exactly b.N rounds and then shuts down by poison flowing
// downstream: Prefix closes a, Delta closes b and d, Successor closes c, so
// every goroutine has returned when the benchmark does.
func BenchmarkCommstime(b *testing.B) {
	b.Run("chanop", func(b *testing.B) {
		a, bc, c, d := chanop.New[int](), chanop.New[int](), chanop.New[int](), chanop.New[int]()
		n := b.N
		var wg sync.WaitGroup
		wg.Add(3)
		go func() { // Prefix(0): c -> a
			defer wg.Done()
			defer a.Close()
			if a.Send(0) != nil {
				return
			}
			for i := 1; i < n; i++ {
				v, err := c.Recv()
				if err != nil || a.Send(v) != nil {
					return
				}
			}
			c.Recv() // the ring's last value
		}()
		go func() { // Delta: a -> b, then d
			defer wg.Done()
			defer d.Close()
			defer bc.Close()
			for {
				v, err := a.Recv()
				if err != nil || bc.Send(v) != nil || d.Send(v) != nil {
					return
				}
			}
		}()
		go func() { // Successor: b -> c, plus one
			defer wg.Done()
			defer c.Close()
			for {
				v, err := bc.Recv()
				if err != nil || c.Send(v+1) != nil {
					return
				}
			}
		}()
		b.ReportAllocs()
		b.ResetTimer()
		for i := range n { // Consumer: d
			v, err := d.Recv()
			if err != nil || v != i {
				b.Fatalf("Consumer got %d, %v; want %d, nil", v, err, i)
			}
		}
		wg.Wait()
		b.StopTimer()
		reportPerComm(b)
	})
	b.Run("native", func(b *testing.B) {
		a, bc, c, d := make(chan int), make(chan int), make(chan int), make(chan int)
		n := b.N
		var wg sync.WaitGroup
		wg.Add(3)
		go func() { // Prefix(0): c -> a
			defer wg.Done()
			defer close(a)
			a <- 0
			for i := 1; i < n; i++ {
				a <- <-c
			}
			<-c // the ring's last value
		}()
		go func() { // Delta: a -> b, then d
			defer wg.Done()
			defer close(d)
			defer close(bc)
			for v := range a {
				bc <- v
				d <- v
			}
		}()
		go func() { // Successor: b -> c, plus one
			defer wg.Done()
			defer close(c)
			for v := range bc {
				c <- v + 1
			}
		}()
		b.ReportAllocs()
		b.ResetTimer()
		for i := range n { // Consumer: d
			if v := <-d; v != i {
				b.Fatalf("Consumer got %d; want %d", v, i)
			}
		}
		wg.Wait()
		b.StopTimer()
		reportPerComm(b)
	})
}

func reportPerComm(b *testing.B) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(4*b.N), "ns/comm")
}
