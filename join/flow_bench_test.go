package join_test

import (
	"runtime"
	"sync"
	"testing"

	"github.com/gochord/chord/join"
)

// BenchmarkAnyOf2Over10000ChannelsOneDoubleSender: one op is a Ready of
// AnyOf(2) over 10,000 channels, whose only sender is one select offering
// on two of them; the pattern cannot fire, and first-fit hands the
// question to the exhaustive matcher. B/op is the matcher's memory.
func BenchmarkAnyOf2Over10000ChannelsOneDoubleSender(b *testing.B) {
	cs := chans(10000)
	p := join.All(join.AnyOf(2, sources(cs)...))
	var wg sync.WaitGroup
	doubleSender(&wg, cs[0], cs[1], 1, 2)
	for cs[0].Len() == 0 || cs[1].Len() == 0 {
		runtime.Gosched()
	}
	b.ReportAllocs()
	for b.Loop() {
		if p.Ready() {
			b.Fatal("ready")
		}
	}
	b.StopTimer()
	closeAll(cs)
	wg.Wait()
}
