package selectx_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/guard"
	"github.com/gochord/chord/selectx"
)

// newTagged returns an always-ready guard with an identity, for a test that
// must tell which of several ready guards was chosen: each Skip is
// distinct (TestSkipGuardsAreDistinct).
func newTagged() chanop.Guard { return chanop.Skip() }

// selectFn is one of the three selects under test.
type selectFn func(...chanop.Guard) (chanop.Guard, error)

// selects returns the three selects; Fair gets a fresh zero Fair.
func selects() map[string]selectFn {
	var f selectx.Fair
	return map[string]selectFn{
		"Select":    selectx.Select,
		"PriSelect": selectx.PriSelect,
		"Fair":      f.Select,
	}
}

func indexOf(gs []chanop.Guard, g chanop.Guard) int {
	for i, x := range gs {
		if x == g {
			return i
		}
	}
	return -1
}

func TestErrNoGuardsIsChanopErrNoGuards(t *testing.T) {
	assert.Same(t, guard.ErrNoGuards, selectx.ErrNoGuards)
	assert.NotErrorIs(t, selectx.ErrNoGuards, chanop.ErrClosed)
}

func TestEmptySelectReturnsErrNoGuards(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		for name, sel := range selects() {
			g, err := sel()
			assert.Nil(t, g, name)
			assert.ErrorIs(t, err, selectx.ErrNoGuards, name)
			g, err = sel([]chanop.Guard{}...)
			assert.Nil(t, g, name)
			assert.ErrorIs(t, err, selectx.ErrNoGuards, name)
		}
	})
}

func TestSelectWithAllGuardsDisabledReturnsErrNoGuards(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := chanop.New[int]()
		for name, sel := range selects() {
			g, err := sel(
				chanop.When(false, c.RecvOp()),
				chanop.When(false, c.SendOp(1)),
				chanop.When(false, chanop.Skip()),
				chanop.When(false, chanop.After(0)),
				chanop.When(false, chanop.Done(context.Background())),
			)
			assert.Nil(t, g, name)
			assert.ErrorIs(t, err, selectx.ErrNoGuards, name)
		}
		assert.Equal(t, 0, c.Len(), "disabled guards must not enqueue")
	})
}

func TestNilGuardPanicsWithSelectxMessage(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		for name, sel := range selects() {
			assertPanicsWithPrefix(t, "selectx: ", func() { _, _ = sel(nil) }, name+"(nil)")
			// Even when another guard is ready: nil is a bug, not a disabled guard.
			assertPanicsWithPrefix(t, "selectx: ", func() { _, _ = sel(chanop.Skip(), nil) }, name+"(Skip, nil)")
			assertPanicsWithPrefix(t, "selectx: ", func() { _, _ = sel(chanop.When(false, chanop.Skip()), nil) }, name+"(disabled, nil)")
		}
	})
}

func TestOpPassedTwiceToBlockingSelectPanics(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		for name, sel := range selects() {
			// That the channels stay usable after the panic is checked by
			// TestChannelStaysUsableAfterRecoveredMisusePanic.
			c := chanop.New[int]()
			r := c.RecvOp()
			assertPanicsWithPrefix(t, "chanop: ", func() { _, _ = sel(r, r) }, name+"(r, r)")
			d := chanop.New[int]()
			s := d.SendOp(1)
			assertPanicsWithPrefix(t, "chanop: ", func() { _, _ = sel(s, s) }, name+"(s, s)")
		}
	})
}

func TestSelectOverSkipReturnsSkip(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		for name, sel := range selects() {
			s := chanop.Skip()
			g, err := sel(s)
			assert.NoError(t, err, name)
			assert.Equal(t, s, g, name)
		}
	})
}

func TestSelectReturnsTheGuardThatCompleted(t *testing.T) {
	for name, sel := range selects() {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				a, b := chanop.New[string](), chanop.New[string]()
				defer a.Close()
				defer b.Close()
				ra, rb := a.RecvOp(), b.RecvOp()
				s := goErr(func() error { return b.Send("to b") })
				synctest.Wait()
				g, err := sel(ra, rb)
				require.NoError(t, err)
				assert.Same(t, rb, g)
				assert.Equal(t, "to b", rb.Value())
				synctest.Wait()
				assert.True(t, s.Returned())
				assert.NoError(t, s.Err)
			})
		})
	}
}

func TestSelectSendOpDeliversItsValue(t *testing.T) {
	for name, sel := range selects() {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				a, b := chanop.New[int](), chanop.New[int]()
				defer a.Close()
				defer b.Close()
				r := goCall(a.Recv)
				synctest.Wait()
				sa, sb := a.SendOp(10), b.SendOp(20)
				g, err := sel(sb, sa)
				require.NoError(t, err)
				assert.Same(t, sa, g)
				synctest.Wait()
				require.True(t, r.Returned())
				assert.Equal(t, 10, r.V)
				assert.Equal(t, 0, b.Len(), "the losing SendOp must not stay queued")
			})
		})
	}
}

func TestSelectBlocksUntilAPartnerArrivesAndDequeuesTheOthers(t *testing.T) {
	for name, sel := range selects() {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				a, b, c := chanop.New[int](), chanop.New[int](), chanop.New[int]()
				defer a.Close()
				defer b.Close()
				defer c.Close()
				ra, sb, rc := a.RecvOp(), b.SendOp(2), c.RecvOp()
				gs := []chanop.Guard{ra, sb, rc}
				sp := goCall(func() (chanop.Guard, error) { return sel(gs...) })
				synctest.Wait()
				require.False(t, sp.Returned(), "select returned with nothing ready")
				assert.Equal(t, 1, b.Len(), "a blocked SendOp is a waiting sender")

				require.NoError(t, c.Send(3))
				synctest.Wait()
				require.True(t, sp.Returned())
				require.NoError(t, sp.Err)
				assert.Same(t, rc, sp.V)
				assert.Equal(t, 3, rc.Value())

				// The select's other entries are gone: a is not received
				// from and b's value is not offered any more.
				assert.Equal(t, 0, b.Len())
				s := goErr(func() error { return a.Send(1) })
				synctest.Wait()
				assert.False(t, s.Returned(), "a finished select took a's value")
				v, err := a.Recv()
				require.NoError(t, err)
				assert.Equal(t, 1, v)
			})
		})
	}
}

func TestSelectOnClosedChannelReturnsErrClosedWithItsGuard(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		for name, sel := range selects() {
			c := chanop.New[int]()
			c.Close()
			idle := chanop.New[int]()
			r, s := c.RecvOp(), c.SendOp(1)
			g, err := sel(idle.RecvOp(), r)
			assert.ErrorIs(t, err, chanop.ErrClosed, name)
			assert.Same(t, r, g, name)
			g, err = sel(idle.RecvOp(), s)
			assert.ErrorIs(t, err, chanop.ErrClosed, name)
			assert.Same(t, s, g, name)
		}
	})
}

func TestBlockedSelectReleasedByCloseReturnsErrClosed(t *testing.T) {
	for name, sel := range selects() {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				a, b := chanop.New[int](), chanop.New[int]()
				defer a.Close()
				rs := []chanop.Guard{a.RecvOp(), b.SendOp(5)}
				sp := goCall(func() (chanop.Guard, error) { return sel(rs...) })
				synctest.Wait()
				require.False(t, sp.Returned())
				b.Close()
				synctest.Wait()
				require.True(t, sp.Returned())
				assert.ErrorIs(t, sp.Err, chanop.ErrClosed)
				assert.Same(t, rs[1], sp.V)
			})
		})
	}
}

func TestSelectIgnoresDisabledGuards(t *testing.T) {
	for name, sel := range selects() {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				c := chanop.New[int]()
				defer c.Close()
				goErr(func() error { return c.Send(1) })
				synctest.Wait()
				// The disabled guards would be ready if they were enabled.
				d1, d2 := chanop.When(false, chanop.Skip()), chanop.When(false, c.RecvOp())
				r := c.RecvOp()
				for range 20 {
					g, err := sel(d1, r, d2)
					require.NoError(t, err)
					require.Same(t, r, g)
					goErr(func() error { return c.Send(1) })
					synctest.Wait()
				}
			})
		})
	}
}

func TestSelectDoesNotMatchItsOwnSendAndRecv(t *testing.T) {
	for name, sel := range selects() {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				c := chanop.New[int]()
				gs := []chanop.Guard{c.SendOp(1), c.RecvOp()}
				sp := goCall(func() (chanop.Guard, error) { return sel(gs...) })
				synctest.Wait()
				assert.False(t, sp.Returned(), "a select completed with itself as partner")
				c.Close()
				synctest.Wait()
				require.True(t, sp.Returned())
				assert.ErrorIs(t, sp.Err, chanop.ErrClosed)
			})
		})
	}
}

func TestTwoBlockingSelectsMeet(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, b, x, y := chanop.New[int](), chanop.New[int](), chanop.New[int](), chanop.New[int]()
		for _, c := range []*chanop.Chan[int]{a, b, x, y} {
			defer c.Close()
		}
		s1 := []chanop.Guard{x.RecvOp(), a.SendOp(1), b.RecvOp()}
		p1 := goCall(func() (chanop.Guard, error) { return selectx.Select(s1...) })
		synctest.Wait()
		require.False(t, p1.Returned())
		// The second select meets the first one's SendOp on a; nobody
		// receives from y.
		r2 := a.RecvOp()
		g, err := selectx.Select(y.SendOp(9), r2)
		require.NoError(t, err)
		assert.Same(t, r2, g)
		assert.Equal(t, 1, r2.Value())
		synctest.Wait()
		require.True(t, p1.Returned())
		assert.NoError(t, p1.Err)
		assert.Same(t, s1[1], p1.V)
	})
}

func TestSelectWithSeveralGuardsOnOneChannel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := chanop.New[int]()
		defer c.Close()
		r1, r2 := c.RecvOp(), c.RecvOp()
		sp := goCall(func() (chanop.Guard, error) { return selectx.Select(r1, r2) })
		synctest.Wait()
		require.NoError(t, c.Send(5))
		synctest.Wait()
		require.True(t, sp.Returned())
		require.NoError(t, sp.Err)
		got := sp.V.(*chanop.RecvOp[int])
		assert.Equal(t, 5, got.Value())
		// Exactly one receive happened: the next sender waits.
		s := goErr(func() error { return c.Send(6) })
		synctest.Wait()
		assert.False(t, s.Returned())
		assert.Equal(t, 1, c.Len())
	})
}

func TestGuardsAreReusableAcrossSelects(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, b := chanop.New[int](), chanop.New[int]()
		defer a.Close()
		defer b.Close()
		ra, rb := a.RecvOp(), b.RecvOp()
		var got []int
		for i := range 10 {
			c := a
			if i%3 == 0 {
				c = b
			}
			if i%2 == 0 { // alternate blocking and ready paths
				go func() { _ = c.Send(i) }()
				synctest.Wait()
			} else {
				go func() { _ = c.Send(i) }()
			}
			g, err := selectx.Select(ra, rb)
			require.NoError(t, err)
			got = append(got, g.(*chanop.RecvOp[int]).Value())
			assert.Same(t, c, g.GuardOps().(guard.OnChannel).Channel())
		}
		assert.Equal(t, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, got)
	})
}

func TestSelectOverTenThousandGuards(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const n = 10000
		cs := make([]*chanop.Chan[int], n)
		gs := make([]chanop.Guard, n)
		for i := range cs {
			cs[i] = chanop.New[int]()
			gs[i] = cs[i].RecvOp()
		}
		defer func() {
			for _, c := range cs {
				c.Close()
			}
		}()
		sp := goCall(func() (chanop.Guard, error) { return selectx.Select(gs...) })
		synctest.Wait()
		require.False(t, sp.Returned())
		require.NoError(t, cs[n-1].Send(77))
		synctest.Wait()
		require.True(t, sp.Returned())
		require.NoError(t, sp.Err)
		assert.Same(t, gs[n-1], sp.V)
		assert.Equal(t, 77, gs[n-1].(*chanop.RecvOp[int]).Value())
	})
}

func TestPriSelectTakesFirstReadyGuard(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cs := []*chanop.Chan[int]{chanop.New[int](), chanop.New[int](), chanop.New[int]()}
		defer func() {
			for _, c := range cs {
				c.Close()
			}
		}()
		for i := 1; i < 3; i++ { // channels 1 and 2 ready, 0 not
			go func() {
				for cs[i].Send(i) == nil {
				}
			}()
		}
		synctest.Wait()
		gs := []chanop.Guard{cs[0].RecvOp(), cs[1].RecvOp(), cs[2].RecvOp(), chanop.Skip()}
		for range 20 {
			g, err := selectx.PriSelect(gs...)
			require.NoError(t, err)
			require.Same(t, gs[1], g)
			synctest.Wait()
		}
	})
}

func TestPriSelectWithSkipLastPollsWithoutBlocking(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := chanop.New[int]()
		skip := chanop.Skip()
		r := c.RecvOp()
		g, err := selectx.PriSelect(r, skip)
		require.NoError(t, err)
		assert.Equal(t, skip, g)
		assert.Equal(t, 0, c.Len())
	})
}

func TestFairZeroValueRotatesAmongReadyGuards(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var f selectx.Fair
		gs := []chanop.Guard{newTagged(), newTagged(), newTagged()}
		var got []int
		for range 7 {
			g, err := f.Select(gs...)
			require.NoError(t, err)
			got = append(got, indexOf(gs, g))
		}
		assert.Equal(t, []int{0, 1, 2, 0, 1, 2, 0}, got)
	})
}

func TestFairSkipsNotReadyAndDisabledGuards(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var f selectx.Fair
		idle := chanop.New[int]()
		gs := []chanop.Guard{newTagged(), idle.RecvOp(), chanop.When(false, newTagged()), newTagged()}
		var got []int
		for range 5 {
			g, err := f.Select(gs...)
			require.NoError(t, err)
			got = append(got, indexOf(gs, g))
		}
		assert.Equal(t, []int{0, 3, 0, 3, 0}, got)
		assert.Equal(t, 0, idle.Len())
	})
}

func TestFairWithNoEnabledGuardsKeepsItsPlace(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var f selectx.Fair
		gs := []chanop.Guard{newTagged(), newTagged()}
		g, err := f.Select(gs...)
		require.NoError(t, err)
		assert.Same(t, gs[0], g)
		_, err = f.Select()
		assert.ErrorIs(t, err, selectx.ErrNoGuards)
		_, err = f.Select(chanop.When(false, gs[0]))
		assert.ErrorIs(t, err, selectx.ErrNoGuards)
		g, err = f.Select(gs...)
		require.NoError(t, err)
		assert.Same(t, gs[1], g, "an ErrNoGuards call must not move the rotation")
	})
}

func TestSelectSurvivesConcurrentCompetitors(t *testing.T) {
	// Several selects compete for the senders of shared channels; every
	// message is received exactly once. Real goroutines (no bubble) so that
	// the race detector sees true interleavings.
	const chans, perChan, receivers = 4, 200, 3
	cs := make([]*chanop.Chan[int], chans)
	for i := range cs {
		cs[i] = chanop.New[int]()
	}
	got := make(chan int, chans*perChan)
	done := make(chan struct{})
	var errs = make(chan error, chans+receivers)
	for i, c := range cs {
		go func() {
			for k := range perChan {
				if err := c.Send(i*perChan + k); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range receivers {
		go func() {
			gs := make([]chanop.Guard, chans)
			for i, c := range cs {
				gs[i] = c.RecvOp()
			}
			for {
				g, err := selectx.Select(gs...)
				if err != nil {
					if errors.Is(err, chanop.ErrClosed) {
						break
					}
					errs <- err
					return
				}
				got <- g.(*chanop.RecvOp[int]).Value()
			}
			<-done
			errs <- nil
		}()
	}
	// Every wait below has a deadline: a lost message or wake-up fails the
	// test instead of hanging it.
	deadline := time.After(20 * time.Second)
	next := func(ch <-chan int) int {
		select {
		case v := <-ch:
			return v
		case <-deadline:
			t.Fatal("stuck: a message or a wake-up was lost")
			return 0
		}
	}
	nextErr := func() error {
		select {
		case err := <-errs:
			return err
		case <-deadline:
			t.Fatal("stuck: a goroutine did not finish")
			return nil
		}
	}
	seen := make(map[int]bool)
	for range chans * perChan {
		v := next(got)
		require.False(t, seen[v], "%d received twice", v)
		seen[v] = true
	}
	for range chans {
		require.NoError(t, nextErr())
	}
	for _, c := range cs {
		c.Close()
	}
	close(done)
	for range receivers {
		require.NoError(t, nextErr())
	}
	assert.Len(t, seen, chans*perChan)
}
