package selectx_test

import (
	"fmt"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/selectx"
)

// chiSquareBound3 is the bound on the chi-square statistic with 3 degrees
// of freedom (4 categories): a uniform choice exceeds it with probability
// P(χ²₃ > 40) = erfc(√20) + √(80/π)·e^(−20) ≈ 1.1e-8, so each test below
// fails spuriously about once in 10^8 runs, well under the 1e-6 budget
// even summed over all of them. It still catches any gross bias: a select
// that prefers one of 4 guards with probability 0.3 instead of 0.25 scores
// about 530 over 40 000 draws and about 53 over 4 000.
const chiSquareBound3 = 40.0

// chiSquare returns Σ (observed − expected)² / expected for a uniform
// expectation over len(counts) categories.
func chiSquare(counts []int) float64 {
	total := 0
	for _, c := range counts {
		total += c
	}
	expected := float64(total) / float64(len(counts))
	x := 0.0
	for _, c := range counts {
		d := float64(c) - expected
		x += d * d / expected
	}
	return x
}

func TestChiSquareDetectsBias(t *testing.T) {
	// The statistic itself: a fair sample passes, a biased one fails.
	require.Less(t, chiSquare([]int{10000, 10050, 9950, 10000}), chiSquareBound3)
	require.Greater(t, chiSquare([]int{10600, 9800, 9800, 9800}), chiSquareBound3)
	require.Greater(t, chiSquare([]int{40000, 0, 0, 0}), chiSquareBound3)
}

// TestSelectChoosesUniformlyAmongReadyGuards: 4 always-ready guards are
// interleaved with guards that are not ready (RecvOps nobody sends to) and
// disabled ones, so the one-pass reservoir rule must count only the ready
// ones. Each of the 4 must be chosen with probability 1/4.
func TestSelectChoosesUniformlyAmongReadyGuards(t *testing.T) {
	const draws = 40000
	idle1, idle2 := chanop.New[int](), chanop.New[int]()
	ready := []chanop.Guard{newTagged(), newTagged(), newTagged(), newTagged()}
	gs := []chanop.Guard{
		idle1.RecvOp(), ready[0], chanop.When(false, newTagged()), ready[1],
		ready[2], idle2.SendOp(0), chanop.When(false, chanop.Skip()), ready[3],
	}
	counts := make([]int, len(ready))
	for range draws {
		g, err := selectx.Select(gs...)
		require.NoError(t, err)
		i := indexOf(ready, g)
		require.GreaterOrEqual(t, i, 0, "chose a guard that is not ready: %v", g)
		counts[i]++
	}
	x := chiSquare(counts)
	t.Logf("counts %v, χ² = %.2f (bound %.0f)", counts, x, chiSquareBound3)
	require.Less(t, x, chiSquareBound3, "choice among ready guards is not uniform: counts %v", counts)
	require.Equal(t, 0, idle2.Len(), "a not-ready SendOp was enqueued on the ready path")
}

// TestSelectChoosesUniformlyAmongParkedSenders is the same with real
// partners: 4 channels each with a sender that re-parks after every
// message (in a synctest bubble, so all 4 are ready at every select).
func TestSelectChoosesUniformlyAmongParkedSenders(t *testing.T) {
	const draws = 4000
	synctest.Test(t, func(t *testing.T) {
		const k = 4
		cs := make([]*chanop.Chan[int], k)
		gs := make([]chanop.Guard, k)
		for i := range cs {
			cs[i] = chanop.New[int]()
			defer cs[i].Close()
			gs[i] = cs[i].RecvOp()
			go func() {
				for v := 0; cs[i].Send(v) == nil; v++ {
				}
			}()
		}
		counts := make([]int, k)
		next := make([]int, k) // per channel, the value its sender sends next
		for range draws {
			synctest.Wait() // every sender parked: all 4 guards ready
			g, err := selectx.Select(gs...)
			require.NoError(t, err)
			i := indexOf(gs, g)
			require.GreaterOrEqual(t, i, 0)
			require.Equal(t, next[i], gs[i].(*chanop.RecvOp[int]).Value(), "channel %d", i)
			next[i]++
			counts[i]++
		}
		x := chiSquare(counts)
		t.Logf("counts %v, χ² = %.2f (bound %.0f)", counts, x, chiSquareBound3)
		require.Less(t, x, chiSquareBound3, "choice among parked senders is not uniform: counts %v", counts)
	})
}

// TestSelectChoosesUniformlyWhateverTheArgumentOrder checks that a ready
// guard's chance does not depend on where it sits among not-ready guards:
// the one ready guard of interest moves through every position.
func TestSelectChoosesUniformlyWhateverTheArgumentOrder(t *testing.T) {
	const draws = 8000
	idle := chanop.New[int]()
	for pos := range 4 {
		t.Run(fmt.Sprintf("pos=%d", pos), func(t *testing.T) {
			ready := []chanop.Guard{newTagged(), newTagged(), newTagged(), newTagged()}
			gs := make([]chanop.Guard, 0, 6)
			gs = append(gs, ready[:pos]...)
			gs = append(gs, idle.RecvOp(), chanop.When(false, chanop.Skip()))
			gs = append(gs, ready[pos:]...)
			counts := make([]int, len(ready))
			for range draws {
				g, err := selectx.Select(gs...)
				require.NoError(t, err)
				counts[indexOf(ready, g)]++
			}
			x := chiSquare(counts)
			require.Less(t, x, chiSquareBound3, "counts %v", counts)
		})
	}
}

// blockedWins runs draws blocked selects over four receives on one
// channel (and an idle one), each completed by one Send that arrives once
// the select has parked, and counts which of the four the Send completed.
func blockedWins(t *testing.T, draws int, sel func(...chanop.Guard) (int, error)) []int {
	counts := make([]int, 4)
	synctest.Test(t, func(t *testing.T) {
		c, idle := chanop.New[int](), chanop.New[int]()
		gs := []chanop.Guard{c.RecvOp(), idle.RecvOp(), c.RecvOp(), c.RecvOp(), c.RecvOp()}
		won := make(chan int)
		go func() {
			for range draws {
				i, err := sel(gs...)
				if err != nil {
					panic(err)
				}
				won <- i
			}
		}()
		for v := range draws {
			synctest.Wait() // the select has enqueued all its guards
			require.NoError(t, c.Send(v))
			i := <-won
			require.NotEqual(t, 1, i, "the idle guard completed")
			require.Equal(t, v, gs[i].(*chanop.RecvOp[int]).Value())
			if i > 1 {
				i--
			}
			counts[i]++
		}
	})
	return counts
}

// TestBlockedSelectIsUniform: a partner that arrives for several guards of
// a blocked select on one channel completes each of them equally often,
// as with Go's select (which enqueues in its random poll order), for
// Select and Fair; PriSelect enqueues in argument order, so the first
// guard always wins.
func TestBlockedSelectIsUniform(t *testing.T) {
	const draws = 4000
	var f selectx.Fair
	for name, sel := range map[string]func(...chanop.Guard) (int, error){
		"Select": selectx.SelectIndex, "Fair": f.SelectIndex,
	} {
		t.Run(name, func(t *testing.T) {
			counts := blockedWins(t, draws, sel)
			x := chiSquare(counts)
			t.Logf("counts %v, χ² = %.2f (bound %.0f)", counts, x, chiSquareBound3)
			require.Less(t, x, chiSquareBound3, "blocked %s is not uniform: counts %v", name, counts)
		})
	}
	t.Run("PriSelect", func(t *testing.T) {
		counts := blockedWins(t, draws, selectx.PriSelectIndex)
		require.Equal(t, []int{draws, 0, 0, 0}, counts, "a blocked PriSelect must favour its first guard")
	})
}
