package selectx_test

import (
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/selectx"
)

// indexFn is one of the three index forms under test.
type indexFn func(...chanop.Guard) (int, error)

func indexSelects() map[string]indexFn {
	var f selectx.Fair
	return map[string]indexFn{
		"SelectIndex":      selectx.SelectIndex,
		"PriSelectIndex":   selectx.PriSelectIndex,
		"Fair.SelectIndex": f.SelectIndex,
	}
}

func TestSelectIndexWithoutEnabledGuardsReturnsMinusOneAndErrNoGuards(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := chanop.New[int]()
		for name, sel := range indexSelects() {
			i, err := sel()
			assert.Equal(t, -1, i, name)
			assert.ErrorIs(t, err, selectx.ErrNoGuards, name)
			i, err = sel(chanop.When(false, c.RecvOp()), chanop.When(false, chanop.Skip()))
			assert.Equal(t, -1, i, name)
			assert.ErrorIs(t, err, selectx.ErrNoGuards, name)
		}
	})
}

func TestSelectIndexReturnsThePositionOfTheReadyGuard(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cs := make([]*chanop.Chan[int], 5)
		rs := make([]*chanop.RecvOp[int], len(cs))
		gs := make([]chanop.Guard, len(cs))
		for i := range cs {
			cs[i] = chanop.New[int]()
			rs[i] = cs[i].RecvOp()
			gs[i] = rs[i]
		}
		for name, sel := range indexSelects() {
			for want := range cs {
				go cs[want].Send(100 + want)
				synctest.Wait() // the sender is parked: the guard is ready
				i, err := sel(gs...)
				require.NoError(t, err, name)
				assert.Equal(t, want, i, name)
				assert.Equal(t, 100+want, rs[i].Value(), name)
			}
		}
	})
}

func TestSelectIndexReturnsThePositionOfTheGuardCompletedWhileBlocked(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cs := []*chanop.Chan[string]{chanop.New[string](), chanop.New[string](), chanop.New[string]()}
		gs := []chanop.Guard{cs[0].RecvOp(), cs[1].RecvOp(), cs[2].RecvOp()}
		for name, sel := range indexSelects() {
			done := make(chan int)
			go func() {
				i, err := sel(gs...)
				assert.NoError(t, err, name)
				done <- i
			}()
			synctest.Wait() // the select is parked
			require.NoError(t, cs[2].Send("x"))
			assert.Equal(t, 2, <-done, name)
		}
	})
}

func TestSelectIndexReportsErrClosedWithTheIndexOfTheClosedGuard(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		open, shut := chanop.New[int](), chanop.New[int]()
		shut.Close()
		for name, sel := range indexSelects() {
			i, err := sel(open.RecvOp(), shut.RecvOp())
			assert.Equal(t, 1, i, name)
			assert.ErrorIs(t, err, chanop.ErrClosed, name)
		}
	})
}

func TestPriSelectIndexPrefersTheFirstReadyGuard(t *testing.T) {
	gs := []chanop.Guard{chanop.When(false, chanop.Skip()), chanop.Skip(), chanop.Skip()}
	for range 10 {
		i, err := selectx.PriSelectIndex(gs...)
		require.NoError(t, err)
		assert.Equal(t, 1, i)
	}
}

func TestFairSelectIndexRotatesLikeFairSelect(t *testing.T) {
	gs := []chanop.Guard{chanop.After(0), chanop.After(0), chanop.After(0)}
	var byIndex, byGuard selectx.Fair
	for range 7 {
		i, err := byIndex.SelectIndex(gs...)
		require.NoError(t, err)
		g, err := byGuard.Select(gs...)
		require.NoError(t, err)
		assert.Same(t, gs[i], g)
	}
	var f selectx.Fair
	var got []int
	for range 4 {
		i, _ := f.SelectIndex(gs...)
		got = append(got, i)
	}
	assert.Equal(t, []int{0, 1, 2, 0}, got)
}

func TestSelectIndexChoosesEveryReadyGuard(t *testing.T) {
	gs := []chanop.Guard{chanop.After(0), chanop.After(0), chanop.After(0)}
	seen := make([]bool, len(gs))
	for k := 0; k < 10000 && (!seen[0] || !seen[1] || !seen[2]); k++ {
		i, err := selectx.SelectIndex(gs...)
		require.NoError(t, err)
		seen[i] = true
	}
	assert.Equal(t, []bool{true, true, true}, seen)
}
