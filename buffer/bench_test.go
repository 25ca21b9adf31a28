package buffer_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/gochord/chord/buffer"
)

// BenchmarkStream streams b.N messages from producers to consumers through
// one buffer: ns/op is the cost of one message, blocking and wake-ups
// included. The baseline ("native") is a Go channel of the same capacity;
// for Unbounded, a Go channel of capacity 1024, what a user would reach for.
//
//	go test -run '^$' -bench Stream -count 5 -benchmem ./buffer
func BenchmarkStream(b *testing.B) {
	for _, capacity := range []int{1, 64, 0} {
		for _, pc := range [][2]int{{1, 1}, {2, 2}} {
			name := fmt.Sprintf("cap=%d/%dx%d", capacity, pc[0], pc[1])
			if capacity == 0 {
				name = fmt.Sprintf("unbounded/%dx%d", pc[0], pc[1])
			}
			b.Run(name+"/buffer", func(b *testing.B) {
				q := buffer.Unbounded[int]()
				if capacity > 0 {
					q = buffer.New[int](capacity)
				}
				stream(b, pc[0], pc[1],
					func(v int) {
						if err := q.Send(v); err != nil {
							panic(err)
						}
					},
					func() {
						if _, err := q.Recv(); err != nil {
							panic(err)
						}
					})
			})
			b.Run(name+"/native", func(b *testing.B) {
				c := make(chan int, capacity)
				if capacity == 0 {
					c = make(chan int, 1024)
				}
				stream(b, pc[0], pc[1], func(v int) { c <- v }, func() { <-c })
			})
		}
	}
}

// stream runs producers goroutines that send b.N messages in all and
// consumers goroutines that receive them.
func stream(b *testing.B, producers, consumers int, send func(int), recv func()) {
	n := b.N
	b.ReportAllocs()
	b.ResetTimer()
	var wg sync.WaitGroup
	for p := range producers {
		wg.Go(func() {
			for i := share(n, producers, p); i > 0; i-- {
				send(i)
			}
		})
	}
	for c := range consumers {
		wg.Go(func() {
			for i := share(n, consumers, c); i > 0; i-- {
				recv()
			}
		})
	}
	wg.Wait()
}

// share is worker k's part of n items split among w workers.
func share(n, w, k int) int {
	s := n / w
	if k < n%w {
		s++
	}
	return s
}

// BenchmarkSendThenRecv is one goroutine storing and taking a message: the
// uncontended cost of a Send plus a Recv, with no blocking.
func BenchmarkSendThenRecv(b *testing.B) {
	b.Run("buffer", func(b *testing.B) {
		q := buffer.New[int](64)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			q.Send(i)
			q.Recv()
		}
	})
	b.Run("unbounded", func(b *testing.B) {
		q := buffer.Unbounded[int]()
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			q.Send(i)
			q.Recv()
		}
	})
	b.Run("native", func(b *testing.B) {
		c := make(chan int, 64)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			c <- i
			<-c
		}
	})
}
