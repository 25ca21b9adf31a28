package chanop_test

import (
	"math/rand/v2"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/guard"
	"github.com/gochord/chord/selectx"
)

func TestRecvFromReady(t *testing.T) {
	ch := make(chan int, 2)
	ch <- 1
	ch <- 2
	r := chanop.RecvFrom(ch)
	g, err := selectx.Select(r)
	require.NoError(t, err)
	assert.Same(t, r, g)
	assert.Equal(t, 1, r.Value())
	assert.Equal(t, (<-chan int)(ch), r.GuardOps().(guard.OnChannel).Channel(), "the guard names its Go channel")
	close(ch)
	g, err = selectx.PriSelect(r, chanop.Skip())
	require.NoError(t, err)
	assert.Same(t, r, g)
	assert.Equal(t, 2, r.Value())
	for range 2 { // closed: every time
		g, err = selectx.Select(r, chanop.New[int]().RecvOp())
		assert.Same(t, r, g)
		assert.ErrorIs(t, err, chanop.ErrClosed)
		assert.Zero(t, r.Value())
	}
}

// TestRecvFromStashesWhatAnotherGuardWins: a select that polls the guard
// and takes another keeps the message in the guard for its next select.
func TestRecvFromStashesWhatAnotherGuardWins(t *testing.T) {
	ch := make(chan int, 1)
	r := chanop.RecvFrom(ch)
	for i := range 200 {
		ch <- i
		a := chanop.After(0)
		g, err := selectx.Select(a, r) // both ready: either wins
		require.NoError(t, err)
		if g == a {
			assert.Empty(t, ch, "the select's poll took the message into the stash")
			g, err = selectx.PriSelect(chanop.Skip(), r) // Skip first wins: the stash waits
			require.NoError(t, err)
			require.NotSame(t, r, g)
			g, err = selectx.PriSelect(r, chanop.Skip())
			require.NoError(t, err)
			require.Same(t, r, g, "the stashed message was lost")
		}
		require.Equal(t, i, r.Value())
	}
}

func TestRecvFromBlocks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ch := make(chan string)
		c := chanop.New[string]()
		defer c.Close()
		r := chanop.RecvFrom(ch)
		go func() {
			time.Sleep(time.Second)
			ch <- "hi"
		}()
		g, err := selectx.Select(c.RecvOp(), r)
		require.NoError(t, err)
		assert.Same(t, r, g)
		assert.Equal(t, "hi", r.Value())
		go func() {
			time.Sleep(time.Second)
			close(ch)
		}()
		g, err = selectx.Select(c.RecvOp(), r)
		assert.Same(t, r, g)
		assert.ErrorIs(t, err, chanop.ErrClosed)
	})
}

// TestRecvFromHelperKeepsALateMessage: the select completes through a
// chord channel while the helper receives; the helper keeps its message
// for the next select, and no helper outlives its select.
func TestRecvFromHelperKeepsALateMessage(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ch := make(chan int)
		c := chanop.New[int]()
		r, rc := chanop.RecvFrom(ch), c.RecvOp()
		go func() { _ = c.Send(7) }()
		g, err := selectx.Select(rc, r) // enqueues (helper) or takes c at once
		require.NoError(t, err)
		require.Same(t, rc, g)
		synctest.Wait() // every helper ended: ch has no receiver
		select {
		case ch <- 1:
			t.Fatal("a helper outlived its select")
		default:
		}
		go func() { ch <- 8 }()
		g, err = selectx.Select(chanop.After(time.Hour), r)
		require.NoError(t, err)
		require.Same(t, r, g)
		require.Equal(t, 8, r.Value())
	})
}

func TestRecvFromNilIsDisabled(t *testing.T) {
	var ch chan int
	_, err := selectx.Select(chanop.RecvFrom(ch))
	assert.ErrorIs(t, err, selectx.ErrNoGuards)
	_, err = selectx.Select(chanop.SendTo(ch, 1))
	assert.ErrorIs(t, err, selectx.ErrNoGuards)
}

func TestSendTo(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ch := make(chan int)
		s := chanop.SendTo(ch, 5)
		assert.Equal(t, (chan<- int)(ch), s.GuardOps().(guard.OnChannel).Channel(), "the guard names its Go channel")
		skip := chanop.Skip()
		g, err := selectx.PriSelect(s, skip) // nobody receives
		require.NoError(t, err)
		require.Same(t, skip, g)
		got := make(chan int, 1)
		go func() { got <- <-ch }()
		synctest.Wait()
		g, err = selectx.PriSelect(s, skip)
		require.NoError(t, err)
		require.Same(t, s, g)
		require.Equal(t, 5, <-got)
		// Blocking.
		go func() {
			time.Sleep(time.Second)
			got <- <-ch
		}()
		g, err = selectx.Select(chanop.New[int]().RecvOp(), s)
		require.NoError(t, err)
		require.Same(t, s, g)
		require.Equal(t, 5, <-got)
		// Buffered: ready while there is room, for Select too.
		bch := make(chan int, 1)
		b := chanop.SendTo(bch, 6)
		g, err = selectx.Select(b, chanop.New[int]().RecvOp())
		require.NoError(t, err)
		require.Same(t, b, g)
		require.Equal(t, 6, <-bch)
		close(ch)
		for range 2 {
			g, err = selectx.Select(chanop.New[int]().RecvOp(), s)
			require.Same(t, s, g)
			require.ErrorIs(t, err, chanop.ErrClosed)
		}
	})
}

// TestNativeGuardsDeliverExactlyOnce runs 10⁶ messages (10⁵ under -short
// or -race) through selects (Select, PriSelect or Fair, at random) mixing
// a RecvFrom, a chord receive, a SendTo and a random timeout, and checks that every message is delivered
// exactly once, in order, whether the select takes it on its ready path,
// through a helper, or from a stash left by a select that timed out.
func TestNativeGuardsDeliverExactlyOnce(t *testing.T) {
	total := 1_000_000
	if testing.Short() || raceEnabled {
		total = 100_000
	}
	nNative, nChord := total/3, total/3
	nOut := total - nNative - nChord

	in, out := make(chan int), make(chan int)
	cc := chanop.New[int]()
	go func() {
		for i := range nNative {
			in <- i
		}
	}()
	go func() {
		for i := range nChord {
			if cc.Send(i) != nil {
				return
			}
		}
	}()
	drained := make(chan int)
	go func() {
		next := 0
		for v := range out {
			if v != next {
				panic("SendTo delivered out of order or twice")
			}
			next++
		}
		drained <- next
	}()

	rf, rc := chanop.RecvFrom(in), cc.RecvOp()
	st := chanop.SendTo(out, 0)
	var fair selectx.Fair
	selects := []func(...chanop.Guard) (chanop.Guard, error){selectx.Select, selectx.PriSelect, fair.Select}
	gotNative, gotChord, sent, timeouts := 0, 0, 0, 0
	rng := rand.New(rand.NewPCG(1, 2))
	for gotNative < nNative || gotChord < nChord || sent < nOut {
		a := chanop.After(time.Duration(rng.IntN(20)) * time.Microsecond)
		sel := selects[rng.IntN(len(selects))]
		g, err := sel(
			chanop.When(gotNative < nNative, rf),
			chanop.When(gotChord < nChord, rc),
			chanop.When(sent < nOut, st),
			a)
		require.NoError(t, err)
		switch g {
		case rf:
			require.Equal(t, gotNative, rf.Value(), "RecvFrom lost, repeated or reordered a message")
			gotNative++
		case rc:
			require.Equal(t, gotChord, rc.Value())
			gotChord++
		case st:
			sent++
			st = chanop.SendTo(out, sent)
		case a:
			timeouts++
		}
	}
	close(out)
	require.Equal(t, nOut, <-drained)
	cc.Close()
	t.Logf("%d native, %d chord, %d sent, %d timeouts", gotNative, gotChord, sent, timeouts)
}

// TestNativeGuardsAreTimed: the guards reset their per-select state when a
// select begins, so a Commit that failed in one select does not keep them
// unready in the next.
func TestNativeGuardsAreTimed(t *testing.T) {
	ch := make(chan int, 1)
	r, s := chanop.RecvFrom(ch), chanop.SendTo(ch, 1)
	skip := chanop.Skip()
	g, err := selectx.PriSelect(r, skip) // empty: r's Commit fails
	require.NoError(t, err)
	require.Same(t, skip, g)
	g, err = selectx.PriSelect(s, skip)
	require.NoError(t, err)
	require.Same(t, s, g)
	g, err = selectx.Select(r) // a new select: r is ready
	require.NoError(t, err)
	require.Same(t, r, g)
	require.Equal(t, 1, r.Value())
}
