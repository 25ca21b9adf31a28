package bench

import (
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gochord/chord/join"
	"github.com/gochord/chord/selectx"
)

// RendezvousReply is Rendezvous written with replies to synchronous
// senders: a party selects between calling the exchanger with its value
// (a join.Call: the call returns the partner's value) and taking somebody
// else's call with its own pattern over the exchanger, answering it with
// its own value (Request.Reply). The private reply buffer of Rendezvous's
// chord version is gone; the hand-written version is the same as there.
//
// Shutdown closes the exchanger, as Rendezvous's chord version does. A
// Close between a firing and its Reply releases the caller with ErrClosed;
// Reply then reports false, and neither party counts that exchange.

func chordReplyExchanger(n, g, work int, rec *exRecorder) stats {
	ex := join.NewCall[*int64, int64]()
	var count atomic.Int64
	target := 2 * int64(n)
	var mu sync.Mutex
	var st stats
	var wg sync.WaitGroup
	for i := range g {
		wg.Go(func() {
			var acc uint64
			var log []swap
			offer := join.From(ex)
			take := join.All(offer)
			// The offer is a pointer to the party's current value, as in
			// Rendezvous's chord version, so one CallOp serves every
			// round: the taker reads the value while the caller waits for
			// its reply.
			var mine int64
			give := ex.CallOp(&mine)
			for k := 0; ; k++ {
				acc += spin(work)
				x := exValue(i, k)
				mine = x
				sel, err := selectx.Select(give, take)
				if err != nil {
					break // shut down
				}
				var y int64
				if sel == give {
					if y, err = give.Wait(); err != nil {
						break // shut down before the taker replied
					}
				} else {
					rq := offer.Values()[0]
					y = *rq.Value()
					if !rq.Reply(x) {
						break // shut down first: the caller got ErrClosed
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
			f, w := patternStats(take)
			mu.Lock()
			st.add(f, w)
			mu.Unlock()
		})
	}
	wg.Wait()
	return st
}

var replyExchangerImpls = []struct {
	name string
	run  func(n, g, work int, rec *exRecorder) stats
}{
	{"chord", chordReplyExchanger},
	{"chan", chanExchanger},
}

func TestRendezvousReply(t *testing.T) {
	for _, im := range replyExchangerImpls {
		for _, g := range []int{2, 3, 8} {
			for _, w := range testWorks {
				rec := &exRecorder{}
				within(t, testTimeout, func() { im.run(1000, g, w, rec) })
				checkSwaps(t, im.name, 1000, rec.swaps)
			}
		}
	}
}

func BenchmarkRendezvousReply(b *testing.B) {
	var impls []impl
	for _, im := range replyExchangerImpls {
		impls = append(impls, impl{im.name, func(n, g, work int) stats { return im.run(n, g, work, nil) }})
	}
	benchImpls(b, "g", goroutineCounts, impls)
}
