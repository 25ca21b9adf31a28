package chanop_test

import (
	"testing"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/selectx"
)

var sinkInt int

// BenchmarkTry is a poll that finds no partner, the common case of a
// non-blocking operation: TryRecv/TrySend, then the baseline a Go
// programmer would write (a select with one case and a default on an
// unbuffered channel), then what chord offered before TryRecv and TrySend
// (PriSelect with Skip last).
func BenchmarkTry(b *testing.B) {
	b.Run("recv/TryRecv", func(b *testing.B) {
		c := chanop.New[int]()
		b.ReportAllocs()
		for b.Loop() {
			if v, ok, _ := c.TryRecv(); ok {
				sinkInt = v
			}
		}
	})
	b.Run("recv/native", func(b *testing.B) {
		c := make(chan int)
		b.ReportAllocs()
		for b.Loop() {
			select {
			case v := <-c:
				sinkInt = v
			default:
			}
		}
	})
	b.Run("recv/PriSelect", func(b *testing.B) {
		c := chanop.New[int]()
		r, skip := c.RecvOp(), chanop.Skip()
		b.ReportAllocs()
		for b.Loop() {
			if g, _ := selectx.PriSelect(r, skip); g == r {
				sinkInt = r.Value()
			}
		}
	})
	b.Run("send/TrySend", func(b *testing.B) {
		c := chanop.New[int]()
		b.ReportAllocs()
		for b.Loop() {
			if ok, _ := c.TrySend(1); ok {
				sinkInt++
			}
		}
	})
	b.Run("send/native", func(b *testing.B) {
		c := make(chan int)
		b.ReportAllocs()
		for b.Loop() {
			select {
			case c <- 1:
				sinkInt++
			default:
			}
		}
	})
	b.Run("send/PriSelect", func(b *testing.B) {
		c := chanop.New[int]()
		s, skip := c.SendOp(1), chanop.Skip()
		b.ReportAllocs()
		for b.Loop() {
			if g, _ := selectx.PriSelect(s, skip); g == s {
				sinkInt++
			}
		}
	})
}
