package join_test

import (
	"testing"

	"github.com/gochord/chord/join"
)

// BenchmarkCall: one op is a call answered by a server goroutine (the
// reply is the message plus one). chord: join.Call and a pattern
// From(c) whose owner replies. native: what a Go programmer writes
// instead, a channel of requests that carry the caller's own reply
// channel (made once per caller and reused).
func BenchmarkCall(b *testing.B) {
	b.Run("chord", func(b *testing.B) {
		c := join.NewCall[int, int]()
		part := join.From(c)
		p := join.All(part)
		done := make(chan struct{})
		go func() {
			defer close(done)
			for p.Wait() == nil {
				rq := part.Values()[0]
				rq.Reply(rq.Value() + 1)
			}
		}()
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			r, err := c.Call(i)
			if err != nil || r != i+1 {
				b.Fatal(r, err)
			}
			i++
		}
		c.Close()
		<-done
	})
	b.Run("native", func(b *testing.B) {
		type request struct {
			v     int
			reply chan int
		}
		reqs := make(chan request)
		done := make(chan struct{})
		go func() {
			defer close(done)
			for rq := range reqs {
				rq.reply <- rq.v + 1
			}
		}()
		b.ReportAllocs()
		reply := make(chan int, 1)
		i := 0
		for b.Loop() {
			reqs <- request{i, reply}
			if r := <-reply; r != i+1 {
				b.Fatal(r)
			}
			i++
		}
		close(reqs)
		<-done
	})
}
