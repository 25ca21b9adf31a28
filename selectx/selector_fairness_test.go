package selectx_test

import (
	"context"
	"math"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/selectx"
)

// Issue 20, item 2: a Selector's Select is uniform over the ready guards
// whatever their index. 4 channels with a sender that re-parks after every
// message sit at indices 0, 1, 50 and 99 among 96 idle ones; in a synctest
// bubble all 4 are ready at every Select.
func TestSelectorChoosesUniformlyWhateverTheIndex(t *testing.T) {
	const draws = 4000
	synctest.Test(t, func(t *testing.T) {
		const n = 100
		busy := []int{0, 1, 50, 99}
		cs := make([]*chanop.Chan[int], n)
		gs := make([]chanop.Guard, n)
		for i := range cs {
			cs[i] = chanop.New[int]()
			defer cs[i].Close()
			gs[i] = cs[i].RecvOp()
		}
		for _, i := range busy {
			go func() {
				for cs[i].Send(i) == nil {
				}
			}()
		}
		s := selectx.NewSelector(gs...)
		defer s.Close()
		counts := make([]int, len(busy))
		for range draws {
			synctest.Wait() // every sender parked: all 4 guards ready
			i, err := s.SelectIndex()
			require.NoError(t, err)
			k := -1
			for j, b := range busy {
				if b == i {
					k = j
				}
			}
			require.GreaterOrEqual(t, k, 0, "chose idle channel %d", i)
			counts[k]++
		}
		x := chiSquare(counts)
		t.Logf("counts %v, χ² = %.2f (bound %.0f)", counts, x, chiSquareBound3)
		require.Less(t, x, chiSquareBound3, "Selector's choice among ready guards is not uniform: counts %v", counts)
	})
}

// Issue 20, item 2: a shutdown guard registered after 1,000 channels that
// are always busy is seen within a bound that a uniform choice meets with
// overwhelming probability. Each Select tries guards drawn uniformly from
// at most 1,001 ready ones, the shutdown guard among them, so each try
// takes it with probability at least 1/1,001, and it is missed by m =
// 40,000 Selects with probability at most (1 − 1/1001)^m < e^−39 ≈ 1e−17.
// With PriSelect it would never be seen (it has the highest index); the
// issue saw 16 s with a Selector that reused indices. The shutdown is
// watched (a receive on a closed channel) or plain (chanop.Done).
func TestSelectorSeesShutdownAmongBusyChannels(t *testing.T) {
	const n, bound = 1000, 40000
	// The bound above, checked: the probability of a spurious failure.
	require.Less(t, float64(bound)*math.Log1p(-1.0/(n+1)), -39.0)
	for _, kind := range []string{"watched", "plain"} {
		t.Run(kind, func(t *testing.T) {
			cs := make([]*chanop.Chan[int], n)
			gs := make([]chanop.Guard, n)
			for i := range cs {
				cs[i] = chanop.New[int]()
				gs[i] = cs[i].RecvOp()
			}
			done := make(chan struct{})
			for i := range cs {
				go func() {
					defer func() { done <- struct{}{} }()
					for cs[i].Send(i) == nil {
					}
				}()
			}
			defer func() {
				for _, c := range cs {
					c.Close()
				}
				for range cs {
					<-done
				}
			}()
			s := selectx.NewSelector(gs...)
			defer s.Close()
			// Let every channel get busy first.
			for range 4 * n {
				_, err := s.SelectIndex()
				require.NoError(t, err)
			}
			var shutdown chanop.Guard
			if kind == "watched" {
				c := chanop.New[int]()
				c.Close()
				shutdown = c.RecvOp()
			} else {
				ctx, cancel := context.WithCancel(context.Background())
				cancel()
				shutdown = chanop.Done(ctx)
			}
			at := s.Add(shutdown)
			require.Equal(t, n, at)
			for k := range bound {
				i, err := s.SelectIndex()
				if i == at {
					require.Error(t, err)
					t.Logf("shutdown seen at Select %d (expected about %d)", k+1, n+1)
					return
				}
				require.NoError(t, err)
			}
			t.Fatalf("shutdown not seen in %d Selects among %d busy channels", bound, n)
		})
	}
}

// Issue 20, item 3: a Selector that parks with plain guards enqueues them
// in a random order, so a partner that arrives for several of them on one
// channel completes each with equal probability: here 4 sends on one
// channel, and a receiver that arrives once the Selector is parked.
func TestSelectorParkedEnqueuesPlainGuardsUniformly(t *testing.T) {
	const draws = 4000
	synctest.Test(t, func(t *testing.T) {
		c := chanop.New[int]()
		gs := []chanop.Guard{c.SendOp(0), c.SendOp(1), c.SendOp(2), c.SendOp(3)}
		s := selectx.NewSelector(gs...)
		defer s.Close()
		counts := make([]int, len(gs))
		got := make(chan int, 1)
		for range draws {
			go func() {
				i, err := s.SelectIndex()
				if err != nil {
					i = -1
				}
				got <- i
			}()
			synctest.Wait() // the Selector is parked, its 4 sends queued
			v, err := c.Recv()
			require.NoError(t, err)
			i := <-got
			require.Equal(t, v, i, "the send that completed is the one whose value was received")
			counts[i]++
		}
		x := chiSquare(counts)
		t.Logf("counts %v, χ² = %.2f (bound %.0f)", counts, x, chiSquareBound3)
		require.Less(t, x, chiSquareBound3, "a parked Selector's plain guards are not equally likely: counts %v", counts)
	})
}
