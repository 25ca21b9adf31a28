package join_test

import (
	"fmt"
	"testing"

	"github.com/gochord/chord/buffer"
	"github.com/gochord/chord/join"
)

// BenchmarkWhereSkips measures what a selective part pays for the messages
// it rejects: k rejected messages stay at the front of a buffer while the
// owner, in a loop, sends an accepted one and takes it with Wait. Each
// match looks at the k rejected messages first (k = 0 is the cost of the
// predicate machinery alone), and taking from behind them moves them.
// plain is the same loop with a part without Where and no rejected
// messages, for comparison.
func BenchmarkWhereSkips(b *testing.B) {
	for _, k := range []int{0, 10, 100} {
		b.Run(fmt.Sprint("k=", k), func(b *testing.B) {
			c := buffer.Unbounded[int]()
			for range k {
				_ = c.Send(-1)
			}
			part := join.From(c).Where(func(v int) bool { return v >= 0 })
			p := join.All(part)
			b.ReportAllocs()
			for b.Loop() {
				_ = c.Send(1)
				if err := p.Wait(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("plain", func(b *testing.B) {
		c := buffer.Unbounded[int]()
		p := join.All(join.From(c))
		b.ReportAllocs()
		for b.Loop() {
			_ = c.Send(1)
			if err := p.Wait(); err != nil {
				b.Fatal(err)
			}
		}
	})
}
