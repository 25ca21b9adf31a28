package join_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/join"
	"github.com/gochord/chord/selectx"
)

// TestCallContextBeforeTaken: the offer is withdrawn when the context
// ends before a firing takes it; the pattern then finds nothing.
func TestCallContextBeforeTaken(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := join.NewCall[int, int]()
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		start := time.Now()
		_, err := c.CallContext(ctx, 1)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, time.Second, time.Since(start))
		assert.Zero(t, c.Len())
		assert.False(t, join.All(join.From(c)).Ready())
	})
}

// TestCallContextAfterTaken: a firing took the call and its owner is slow;
// the caller returns when its context ends, and the owner's Reply then
// reports false.
func TestCallContextAfterTaken(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := join.NewCall[int, int]()
		part := join.From(c)
		p := join.All(part)
		ctx, cancel := context.WithCancel(t.Context())
		out := make(chan callResult, 1)
		go func() {
			r, err := c.CallContext(ctx, 7)
			out <- callResult{r, err}
		}()
		require.NoError(t, p.Wait())
		synctest.Wait()
		assert.True(t, pending(out))
		cancel()
		synctest.Wait()
		assert.Equal(t, callResult{0, context.Canceled}, <-out)
		assert.False(t, part.Values()[0].Reply(70), "the caller gave up")
	})
}

// TestCallContextAnswered: an answer that arrives before the context ends
// is returned, and Reply reports true.
func TestCallContextAnswered(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := join.NewCall[int, int]()
		part := join.From(c)
		p := join.All(part)
		go func() {
			for p.Wait() == nil {
				if !part.Values()[0].Reply(part.Values()[0].Value() * 10) {
					panic("reply refused")
				}
			}
		}()
		ctx, cancel := context.WithTimeout(t.Context(), time.Hour)
		defer cancel()
		r, err := c.CallContext(ctx, 4)
		require.NoError(t, err)
		assert.Equal(t, 40, r)
		r, err = c.CallContext(context.Background(), 5) // never ends: Call
		require.NoError(t, err)
		assert.Equal(t, 50, r)
		done, cancelDone := context.WithCancel(t.Context())
		cancelDone()
		_, err = c.CallContext(done, 6)
		assert.ErrorIs(t, err, context.Canceled)
		c.Close()
	})
}

// TestWaitContext: a CallOp chosen by a select waits for its answer until
// its context ends; the owner's Reply then reports false.
func TestWaitContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := join.NewCall[int, int]()
		part := join.From(c)
		p := join.All(part)
		go func() { _ = p.Wait() }()
		op := c.CallOp(3)
		g, err := selectx.Select(op, chanop.After(time.Minute))
		require.NoError(t, err)
		require.Equal(t, chanop.Guard(op), g)
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		start := time.Now()
		_, err = op.WaitContext(ctx)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, time.Second, time.Since(start))
		synctest.Wait()
		assert.False(t, part.Values()[0].Reply(30))
		assert.Panics(t, func() { _, _ = c.CallOp(1).WaitContext(ctx) })
	})
}

// The cancellation property: callers with random deadlines (CallContext,
// or CallOp and WaitContext), an owner that answers at random times or
// not at all; every call is accounted for.

type ctxCaller struct {
	deadline time.Duration // 0: no deadline
	useOp    bool
}

type ctxOwner struct {
	delays []time.Duration // per firing: how long the owner takes to answer
	skip   []bool          // per firing: leave the call unanswered (ErrNoReply)
}

// TestCallsEndWhenCallersGiveUp: every call is answered (Reply true, the
// caller got the answer), refused (Reply false, the caller got its
// context's error or ErrClosed), or returned to its caller with an error
// (never taken, taken and cancelled, or ErrNoReply for a skipped one); a
// caller whose context ends returns at that instant.
func TestCallsEndWhenCallersGiveUp(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		var callers []ctxCaller
		for i := range rapid.IntRange(1, 6).Draw(rt, "callers") {
			callers = append(callers, ctxCaller{
				deadline: time.Duration(rapid.IntRange(0, 5).Draw(rt, fmt.Sprint("deadline", i))) * time.Second,
				useOp:    rapid.Bool().Draw(rt, fmt.Sprint("useOp", i)),
			})
		}
		var own ctxOwner
		for i := range len(callers) {
			own.delays = append(own.delays, time.Duration(rapid.IntRange(0, 6).Draw(rt, fmt.Sprint("delay", i)))*time.Second)
			own.skip = append(own.skip, rapid.IntRange(0, 4).Draw(rt, fmt.Sprint("skip", i)) == 0)
		}
		var bad []string
		synctest.Test(t, func(*testing.T) { bad = runCtxScenario(callers, own) })
		if len(bad) > 0 {
			rt.Fatalf("%v", bad)
		}
	})
}

func runCtxScenario(callers []ctxCaller, own ctxOwner) []string {
	type outcome struct {
		r    int
		err  error
		took time.Duration
	}
	c := join.NewCall[int, int]()
	part := join.From(c)
	p := join.All(part)
	var mu sync.Mutex
	var bad []string
	replied := map[int]bool{} // id → what Reply reported
	skipped := map[int]bool{}
	outs := make([]outcome, len(callers))
	ownerDone := make(chan struct{})
	go func() {
		defer close(ownerDone)
		for k := 0; p.Wait() == nil; k++ {
			rq := part.Values()[0]
			id := rq.Value()
			i := k % len(own.delays)
			if own.skip[i] {
				mu.Lock()
				skipped[id] = true
				mu.Unlock()
				continue
			}
			time.Sleep(own.delays[i])
			ok := rq.Reply(id + 1000)
			mu.Lock()
			replied[id] = ok
			mu.Unlock()
		}
	}()
	var wg sync.WaitGroup
	for id, cl := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := context.Background()
			if cl.deadline > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, cl.deadline)
				defer cancel()
			}
			start := time.Now()
			var r int
			var err error
			if cl.useOp {
				op := c.CallOp(id)
				var g chanop.Guard
				g, err = selectx.Select(op, chanop.Done(ctx))
				if err == nil && g == op {
					r, err = op.WaitContext(ctx)
				}
			} else {
				r, err = c.CallContext(ctx, id)
			}
			outs[id] = outcome{r, err, time.Since(start)}
		}()
	}
	time.Sleep(time.Minute) // every deadline and delay has passed
	c.Close()
	wg.Wait()
	<-ownerDone

	mu.Lock()
	defer mu.Unlock()
	for id, o := range outs {
		ok, answered := replied[id]
		switch {
		case o.err == nil:
			if !answered || !ok || o.r != id+1000 {
				bad = append(bad, fmt.Sprintf("call %d returned %d without error, but Reply reported %v (made: %v)", id, o.r, ok, answered))
			}
		case errors.Is(o.err, context.DeadlineExceeded):
			if answered && ok {
				bad = append(bad, fmt.Sprintf("call %d gave up, but Reply reported true: an answer was lost", id))
			}
			if o.took != callers[id].deadline {
				bad = append(bad, fmt.Sprintf("call %d gave up after %v, not at its deadline %v", id, o.took, callers[id].deadline))
			}
		case errors.Is(o.err, join.ErrNoReply):
			if !skipped[id] {
				bad = append(bad, fmt.Sprintf("call %d got ErrNoReply but its owner did not skip it", id))
			}
		case errors.Is(o.err, chanop.ErrClosed):
			if answered && ok {
				bad = append(bad, fmt.Sprintf("call %d got ErrClosed, but Reply reported true", id))
			}
		default:
			bad = append(bad, fmt.Sprintf("call %d: unexpected error %v", id, o.err))
		}
		if answered && !ok && o.err == nil {
			bad = append(bad, fmt.Sprintf("call %d: Reply reported false but the caller got an answer", id))
		}
	}
	return bad
}
