package bench

import (
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gochord/chord/buffer"
	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/selectx"
)

// Rendezvous: an exchanger shared by g goroutines. Any two parties that
// meet swap values: each offers its value and gets its partner's (Java's
// Exchanger, Turon and Russo's rendezvous). One op is one exchange (two
// parties). The parties run until n exchanges are done; then the exchanger
// is shut down and parties left without a partner return.
//
// Both versions are the same program: a party selects between offering its
// value on a shared synchronous channel and taking somebody else's offer;
// the taker replies with its own value on the offerer's private one-place
// buffer (a buffered Go channel in the hand-written version).

// swap is what one party saw in one exchange.
type swap struct{ mine, got int64 }

// exRecorder keeps every party's exchanges for the test.
type exRecorder struct {
	mu    sync.Mutex
	swaps []swap
}

func (r *exRecorder) add(s []swap) {
	if r == nil {
		return
	}
	r.mu.Lock()
	r.swaps = append(r.swaps, s...)
	r.mu.Unlock()
}

// exValue is the value party i offers in its k-th exchange: unique.
func exValue(i, k int) int64 { return int64(i)<<32 | int64(k) }

// chordOffer is an offer on the chord exchanger.
type chordOffer struct {
	v     int64
	reply *buffer.Buffer[int64]
}

func chordExchanger(n, g, work int, rec *exRecorder) stats {
	ex := chanop.New[*chordOffer]()
	var count atomic.Int64
	target := 2 * int64(n)
	var wg sync.WaitGroup
	for i := range g {
		wg.Go(func() {
			var acc uint64
			var log []swap
			me := &chordOffer{reply: buffer.New[int64](1)}
			give, take := ex.SendOp(me), ex.RecvOp()
			for k := 0; ; k++ {
				acc += spin(work)
				x := exValue(i, k)
				me.v = x
				sel, err := selectx.Select(give, take)
				if err != nil {
					break // shut down
				}
				var y int64
				if sel == give {
					y, err = me.reply.Recv()
					if err != nil {
						panic(err)
					}
				} else {
					o := take.Value()
					y = o.v
					if err := o.reply.Send(x); err != nil {
						panic(err)
					}
				}
				if rec != nil {
					log = append(log, swap{x, y})
				}
				if count.Add(1) == target {
					ex.Close()
				}
			}
			rec.add(log)
			keep(acc)
		})
	}
	wg.Wait()
	return stats{}
}

type chanOffer struct {
	v     int64
	reply chan int64
}

func chanExchanger(n, g, work int, rec *exRecorder) stats {
	ex := make(chan *chanOffer)
	done := make(chan struct{})
	var count atomic.Int64
	target := 2 * int64(n)
	var wg sync.WaitGroup
	for i := range g {
		wg.Go(func() {
			var acc uint64
			var log []swap
			me := &chanOffer{reply: make(chan int64, 1)}
		loop:
			for k := 0; ; k++ {
				acc += spin(work)
				x := exValue(i, k)
				me.v = x
				var y int64
				select {
				case ex <- me:
					y = <-me.reply
				case o := <-ex:
					y = o.v
					o.reply <- x
				case <-done:
					break loop
				}
				if rec != nil {
					log = append(log, swap{x, y})
				}
				if count.Add(1) == target {
					close(done)
				}
			}
			rec.add(log)
			keep(acc)
		})
	}
	wg.Wait()
	return stats{}
}

var exchangerImpls = []struct {
	name string
	run  func(n, g, work int, rec *exRecorder) stats
}{
	{"chord", chordExchanger},
	{"chan", chanExchanger},
}

// checkSwaps checks that every exchange pairs two distinct parties that
// got each other's value, and that at least n exchanges happened.
func checkSwaps(t *testing.T, name string, n int, swaps []swap) {
	t.Helper()
	got := make(map[int64]int64, len(swaps))
	for _, s := range swaps {
		if _, dup := got[s.mine]; dup {
			t.Errorf("%s: value %#x offered twice", name, s.mine)
			return
		}
		got[s.mine] = s.got
	}
	for _, s := range swaps {
		if s.mine>>32 == s.got>>32 {
			t.Errorf("%s: party %d exchanged with itself", name, s.mine>>32)
			return
		}
		if back, ok := got[s.got]; !ok || back != s.mine {
			t.Errorf("%s: %#x got %#x, whose owner got %#x (recorded %v)", name, s.mine, s.got, back, ok)
			return
		}
	}
	if len(swaps) < 2*n {
		t.Errorf("%s: %d exchanges, want at least %d", name, len(swaps)/2, n)
	}
}

func TestRendezvous(t *testing.T) {
	for _, im := range exchangerImpls {
		for _, g := range []int{2, 3, 8} {
			for _, w := range testWorks {
				rec := &exRecorder{}
				within(t, testTimeout, func() { im.run(1000, g, w, rec) })
				checkSwaps(t, im.name, 1000, rec.swaps)
			}
		}
	}
}

func BenchmarkRendezvous(b *testing.B) {
	var impls []impl
	for _, im := range exchangerImpls {
		impls = append(impls, impl{im.name, func(n, g, work int) stats { return im.run(n, g, work, nil) }})
	}
	benchImpls(b, "g", goroutineCounts, impls)
}
