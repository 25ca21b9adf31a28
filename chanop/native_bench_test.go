package chanop_test

import (
	"testing"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/selectx"
)

// BenchmarkRecvFrom: a goroutine sends b.N messages on a Go channel, and
// the benchmark's goroutine receives them in a select that also waits on
// an idle chord channel: with a RecvFrom guard ("RecvFrom"), and through a
// forwarding goroutine that receives from the Go channel and sends on a
// chord channel, the way to mix the two without native guards
// ("forwarder"). unbuffered: the select usually blocks (a helper per
// blocking select); buffered: the sender runs ahead and the select takes
// its ready path.
func BenchmarkRecvFrom(b *testing.B) {
	for _, size := range []int{0, 64} {
		name := "unbuffered"
		if size > 0 {
			name = "buffered"
		}
		b.Run(name, func(b *testing.B) {
			b.Run("RecvFrom", func(b *testing.B) {
				ch := make(chan int, size)
				go produce(ch, b.N)
				idle := chanop.New[int]().RecvOp()
				r := chanop.RecvFrom(ch)
				b.ReportAllocs()
				for i := range b.N {
					if g, err := selectx.Select(r, idle); g != r || err != nil || r.Value() != i {
						b.Fatal(g, err)
					}
				}
			})
			b.Run("forwarder", func(b *testing.B) {
				ch := make(chan int, size)
				go produce(ch, b.N)
				fwd, idle := chanop.New[int](), chanop.New[int]().RecvOp()
				go func() {
					for v := range ch {
						if fwd.Send(v) != nil {
							return
						}
					}
				}()
				defer fwd.Close()
				r := fwd.RecvOp()
				b.ReportAllocs()
				for i := range b.N {
					if g, err := selectx.Select(r, idle); g != r || err != nil || r.Value() != i {
						b.Fatal(g, err)
					}
				}
			})
		})
	}
}

func produce(ch chan<- int, n int) {
	for i := range n {
		ch <- i
	}
	close(ch)
}
