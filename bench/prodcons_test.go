package bench

import (
	"fmt"
	"sync"
	"testing"

	"github.com/gochord/chord/buffer"
)

// Producer/consumer: g/2 producers send n items in all through one bounded
// buffer of capacity pcCapacity to g/2 consumers. Producers work before
// each send, consumers after each receive. One op is one item.

const pcCapacity = 8

// pcItem is producer p's k-th item.
func pcItem(p, k int) int64 { return int64(p)<<32 | int64(k) }

// pcLog is what each consumer received, in order (only when asked for).
type pcLog [][]int64

// runProdCons runs the workload with send and recv; g must be at least 2.
func runProdCons(n, g, work int, log pcLog, send func(int64), recv func() int64) {
	np, nc := g/2, g-g/2
	var wg sync.WaitGroup
	for p := range np {
		wg.Go(func() {
			var acc uint64
			for k := range share(n, np, p) {
				acc += spin(work)
				send(pcItem(p, k))
			}
			keep(acc)
		})
	}
	for c := range nc {
		wg.Go(func() {
			var acc uint64
			for range share(n, nc, c) {
				v := recv()
				if log != nil {
					log[c] = append(log[c], v)
				}
				acc += spin(work)
			}
			keep(acc)
		})
	}
	wg.Wait()
}

func chordProdCons(n, g, work int, log pcLog) {
	b := buffer.New[int64](pcCapacity)
	runProdCons(n, g, work, log, func(v int64) {
		if err := b.Send(v); err != nil {
			panic(err)
		}
	}, func() int64 {
		v, err := b.Recv()
		if err != nil {
			panic(err)
		}
		return v
	})
}

// chanProdCons is Go's bounded buffer: a buffered channel.
func chanProdCons(n, g, work int, log pcLog) {
	c := make(chan int64, pcCapacity)
	runProdCons(n, g, work, log, func(v int64) { c <- v }, func() int64 { return <-c })
}

var prodConsImpls = []struct {
	name string
	run  func(n, g, work int, log pcLog)
}{
	{"chord", chordProdCons},
	{"chan", chanProdCons},
}

// checkProdCons checks that the consumers together received every item of
// every producer exactly once, and each consumer a producer's items in the
// order they were sent.
func checkProdCons(n, g int, log pcLog) error {
	np := g / 2
	seen := make(map[int64]bool, n)
	for c, items := range log {
		last := make(map[int64]int64)
		for _, v := range items {
			if seen[v] {
				return fmt.Errorf("item %#x received twice", v)
			}
			seen[v] = true
			p := v >> 32
			if k, ok := last[p]; ok && v&0xffffffff <= k {
				return fmt.Errorf("consumer %d got producer %d's item %d after %d", c, p, v&0xffffffff, k)
			}
			last[p] = v & 0xffffffff
		}
	}
	for p := range np {
		for k := range share(n, np, p) {
			if !seen[pcItem(p, k)] {
				return fmt.Errorf("producer %d's item %d lost", p, k)
			}
		}
	}
	if len(seen) != n {
		return fmt.Errorf("%d items received, want %d", len(seen), n)
	}
	return nil
}

func TestProdCons(t *testing.T) {
	const n = 5000
	for _, im := range prodConsImpls {
		for _, g := range []int{2, 5, 8} {
			for _, w := range testWorks {
				log := make(pcLog, g-g/2)
				within(t, testTimeout, func() { im.run(n, g, w, log) })
				if err := checkProdCons(n, g, log); err != nil {
					t.Errorf("%s g=%d work=%d: %v", im.name, g, w, err)
				}
			}
		}
	}
}

func BenchmarkProdCons(b *testing.B) {
	var impls []impl
	for _, im := range prodConsImpls {
		impls = append(impls, impl{im.name, func(n, g, work int) stats {
			im.run(n, g, work, nil)
			return stats{}
		}})
	}
	benchImpls(b, "g", goroutineCounts, impls)
}
