package buffer_test

import (
	"testing"

	"github.com/gochord/chord/buffer"
	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/selectx"
)

var sinkInt int

// BenchmarkTry: non-blocking operations on a buffer that is neither full
// nor empty when it matters. "pair" is a TrySend and a TryRecv that both
// succeed; "empty" is a TryRecv on an empty buffer. Each against the
// baseline a Go programmer would write (selects with a default on a
// buffered channel) and against PriSelect with Skip last.
func BenchmarkTry(b *testing.B) {
	b.Run("pair/Try", func(b *testing.B) {
		q := buffer.New[int](64)
		b.ReportAllocs()
		for b.Loop() {
			q.TrySend(1)
			if v, ok, _ := q.TryRecv(); ok {
				sinkInt += v
			}
		}
	})
	b.Run("pair/native", func(b *testing.B) {
		q := make(chan int, 64)
		b.ReportAllocs()
		for b.Loop() {
			select {
			case q <- 1:
			default:
			}
			select {
			case v := <-q:
				sinkInt += v
			default:
			}
		}
	})
	b.Run("pair/PriSelect", func(b *testing.B) {
		q := buffer.New[int](64)
		s, r, skip := q.SendOp(1), q.RecvOp(), chanop.Skip()
		b.ReportAllocs()
		for b.Loop() {
			selectx.PriSelect(s, skip)
			if g, _ := selectx.PriSelect(r, skip); g == r {
				sinkInt += r.Value()
			}
		}
	})
	b.Run("empty/TryRecv", func(b *testing.B) {
		q := buffer.New[int](64)
		b.ReportAllocs()
		for b.Loop() {
			if v, ok, _ := q.TryRecv(); ok {
				sinkInt += v
			}
		}
	})
	b.Run("empty/native", func(b *testing.B) {
		q := make(chan int, 64)
		b.ReportAllocs()
		for b.Loop() {
			select {
			case v := <-q:
				sinkInt += v
			default:
			}
		}
	})
	b.Run("empty/PriSelect", func(b *testing.B) {
		q := buffer.New[int](64)
		r, skip := q.RecvOp(), chanop.Skip()
		b.ReportAllocs()
		for b.Loop() {
			if g, _ := selectx.PriSelect(r, skip); g == r {
				sinkInt += r.Value()
			}
		}
	})
}
