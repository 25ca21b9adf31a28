package join_test

import (
	"runtime"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/join"
	"github.com/gochord/chord/selectx"
)

// allocated returns the bytes the heap allocated while f ran. Call it with
// every other goroutine of the test blocked.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// doubleSender starts a select offering a on one channel and b on another,
// the shape that sends first-fit to the exhaustive matcher.
func doubleSender(wg *sync.WaitGroup, x, y *chanop.Chan[int], a, b int) {
	wg.Go(func() { _, _ = selectx.Select(x.SendOp(a), y.SendOp(b)) })
}

// TestFlowMatcherMemoryIsLinearInOffers: an AnyOf(2) over 3,000 channels
// whose only sender is one select offering on two of them cannot fire;
// finding that out must cost memory in proportion to that one sender's two
// offers, not to the square of the pattern's size.
//
// Regression test (issue 10, item 3): the matcher built a dense V×V
// matrix (V ≈ 3,000) per attempt: the sender's Notify allocated 72 MB, and
// so did each Ready.
func TestFlowMatcherMemoryIsLinearInOffers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cs := chans(3000)
		p := join.All(join.AnyOf(2, sources(cs)...))
		owner := goWait(p)
		synctest.Wait()
		var wg sync.WaitGroup
		notify := allocated(func() {
			doubleSender(&wg, cs[0], cs[1], 1, 2)
			synctest.Wait() // the sender enqueued, notified the owner's pattern, and parked
		})
		if notify > 256<<10 {
			t.Errorf("a double-offering sender's arrival allocated %d bytes, want < 256 KiB", notify)
		}
		var ready bool
		probe := allocated(func() { ready = p.Ready() })
		if ready {
			t.Error("AnyOf(2) is ready with one sender")
		}
		t.Logf("arrival allocated %d bytes, Ready %d", notify, probe)
		if probe > 64<<10 {
			t.Errorf("Ready allocated %d bytes, want < 64 KiB", probe)
		}
		if ok, _ := waitReturned(owner); ok {
			t.Error("the owner's Wait returned")
		}
		closeAll(cs)
		wg.Wait()
		<-owner
	})
}

// TestFlowMatcherMemoryOnRingOfDoubleSenders: n senders, sender i a select
// offering on channels i and i+1 (mod n), queued so that first-fit gives
// channel 0 to sender n-1 and then finds channel n-1 empty; an Each over the
// n channels fires with the rotated matching, and costs memory linear in
// n.
//
// Regression test (issue 10, item 3): at n = 1,000 the dense matrix took
// 32 MB (at 3,200, over 1 GB).
func TestFlowMatcherMemoryOnRingOfDoubleSenders(t *testing.T) {
	const n = 1000
	synctest.Test(t, func(t *testing.T) {
		cs := chans(n)
		part := join.Each(sources(cs)...)
		p := join.All(part)
		var wg sync.WaitGroup
		// Sender i reaches channel i before sender i-1 does: start them from
		// the last.
		for i := n - 1; i >= 0; i-- {
			doubleSender(&wg, cs[i], cs[(i+1)%n], i, i)
			synctest.Wait()
		}
		var err error
		used := allocated(func() { err = p.Wait() })
		if err != nil {
			t.Fatal(err)
		}
		if used > 2<<20 {
			t.Errorf("firing allocated %d bytes, want < 2 MiB", used)
		}
		t.Logf("firing over a ring of %d double senders allocated %d bytes", n, used)
		// The ring has two perfect matchings (sender i to channel i, or to
		// channel i+1); either will do, as long as every sender gave once.
		seen := make([]bool, n)
		for _, v := range part.Values() {
			if seen[v] {
				t.Fatalf("sender %d gave twice", v)
			}
			seen[v] = true
		}
		wg.Wait() // every sender was released
		closeAll(cs)
	})
}
