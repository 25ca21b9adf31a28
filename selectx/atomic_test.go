package selectx_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/buffer"
	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/guard"
	"github.com/gochord/chord/selectx"
)

// A hook is a guard that is never ready and runs f when a select looks at
// it: it stands in for the selecting goroutine being preempted between
// looking at the guards before it and the guards after it.
type hook struct {
	f func()
	guard.Guard
}

func newHook(f func()) *hook {
	return &hook{f: f, Guard: chanop.When(false, chanop.Skip()).GuardOps()}
}

// GuardOps makes h a chanop.Guard whose protocol is h itself.
func (h *hook) GuardOps() guard.Guard { return h }

// Disabled: h takes part in selects, though it is never ready.
func (h *hook) Disabled() bool { return false }

func (h *hook) Poll() bool { h.f(); return false }

func (h *hook) Commit() (bool, error) { h.f(); return false, nil }

// meanwhile runs f in another goroutine, as another party acting while the
// select is preempted, and gives it a moment to finish. A select that
// holds the locks of the guards it has looked at keeps f from finishing
// (f waits for a lock); one that does not lets f change what it saw.
func meanwhile(f func()) (finished <-chan struct{}) {
	done := make(chan struct{})
	go func() { f(); close(done) }()
	select {
	case <-done:
	case <-time.After(50 * time.Millisecond):
	}
	return done
}

func waitFor(t *testing.T, done <-chan struct{}) {
	t.Helper()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the other party never finished: a lock stayed held")
	}
}

// TestPollIsDecidedAtOneInstant: Go's TestNonblockSelectRace made
// deterministic. A message sits in c1; while the select is between c2 and
// c1, another party puts a message in c2 and only then takes c1's. At every
// instant one of them holds a message, so the poll must not take Skip.
// Looking at c2 and c1 under separate locks, one after the other, it did.
func TestPollIsDecidedAtOneInstant(t *testing.T) {
	var f selectx.Fair
	for name, sel := range map[string]selectFn{"PriSelect": selectx.PriSelect, "Fair": f.Select} {
		t.Run(name, func(t *testing.T) {
			c1, c2 := buffer.New[int](1), buffer.New[int](1)
			require.NoError(t, c1.Send(1))
			r1, r2, skip := c1.RecvOp(), c2.RecvOp(), chanop.Skip()
			var done <-chan struct{}
			h := newHook(func() {
				done = meanwhile(func() {
					_ = c2.Send(2)
					_, _ = selectx.PriSelect(c1.RecvOp(), chanop.Skip())
				})
			})
			f = selectx.Fair{}
			g, err := sel(r2, h, r1, skip)
			require.NoError(t, err)
			waitFor(t, done)
			assert.False(t, g == skip, "the poll took Skip though c1 or c2 held a message at every instant")
			assert.Equal(t, 1, c1.Len()+c2.Len(), "exactly one message left, the one the select did not take")
		})
	}
}

// TestPriSelectNeverInvertsPriority: a becomes ready before b, both while
// the select is between them. PriSelect(a, …, b) must not return b: at no
// instant was b ready and a not.
func TestPriSelectNeverInvertsPriority(t *testing.T) {
	a, b := buffer.New[int](1), buffer.New[int](1)
	ra, rb := a.RecvOp(), b.RecvOp()
	var done <-chan struct{}
	h := newHook(func() {
		done = meanwhile(func() {
			_ = a.Send(1)
			_ = b.Send(2)
		})
	})
	g, err := selectx.PriSelect(ra, h, rb)
	require.NoError(t, err)
	waitFor(t, done)
	require.Same(t, ra, g, "PriSelect returned b, which became ready after a")
	assert.Equal(t, 1, ra.Value())
}

// TestSelectChoosesAmongGuardsReadyAtOneInstant: a random Select looks at
// every guard with all their locks held, so a message that moves from c1 to
// c2 while it looks is seen in one place, never in both or neither: with
// Skip disabled it always completes at once, from where the message was.
func TestSelectChoosesAmongGuardsReadyAtOneInstant(t *testing.T) {
	for range 20 {
		c1, c2 := buffer.New[int](1), buffer.New[int](1)
		require.NoError(t, c1.Send(1))
		r1, r2 := c1.RecvOp(), c2.RecvOp()
		var done <-chan struct{}
		once := false
		h := newHook(func() {
			if once {
				return
			}
			once = true
			done = meanwhile(func() {
				r := c1.RecvOp()
				if g, _ := selectx.PriSelect(r, chanop.Skip()); g == r {
					_ = c2.Send(r.Value())
				}
			})
		})
		g, err := selectx.Select(r2, h, r1)
		require.NoError(t, err)
		waitFor(t, done)
		require.Contains(t, []chanop.Guard{r1, r2}, g)
		assert.Equal(t, 0, c1.Len()+c2.Len(), "the one message was taken")
	}
}

// TestNonblockSelectRace is Go's runtime test of the same name, on chord:
// the race between a poll and a party moving a message, run many times.
func TestNonblockSelectRace(t *testing.T) {
	n := 2000
	if testing.Short() {
		n = 200
	}
	done := make(chan bool, 1)
	for i := range n {
		c1, c2 := buffer.New[int](1), buffer.New[int](1)
		require.NoError(t, c1.Send(1))
		skip := chanop.Skip()
		go func() {
			var g chanop.Guard
			if i%2 == 0 {
				g, _ = selectx.PriSelect(c1.RecvOp(), c2.RecvOp(), skip)
			} else {
				g, _ = selectx.PriSelect(c2.RecvOp(), c1.RecvOp(), skip)
			}
			done <- g != skip
		}()
		require.NoError(t, c2.Send(1))
		_, _ = selectx.PriSelect(c1.RecvOp(), chanop.Skip())
		require.True(t, <-done, "iteration %d: no channel was ready", i)
	}
}
