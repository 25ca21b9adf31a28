package join_test

import (
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/guard"
	"github.com/gochord/chord/join"
	"github.com/gochord/chord/selectx"
)

// A callResult is what a Call returned.
type callResult struct {
	r   int
	err error
}

// goCall starts c.Call(v) and returns where its result will appear.
func goCall(c *join.Call[int, int], v int) <-chan callResult {
	out := make(chan callResult, 1)
	go func() {
		r, err := c.Call(v)
		out <- callResult{r, err}
	}()
	return out
}

// pending reports whether the call behind out has not returned.
func pending(out <-chan callResult) bool { return len(out) == 0 }

// TestCallerGetsTheReplyOfTheFiringThatTookIt, whether the pattern fired
// in its owner's select (the calls were there first) or for its parked
// owner (the second call completed it).
func TestCallerGetsTheReplyOfTheFiringThatTookIt(t *testing.T) {
	for _, ownerFirst := range []bool{false, true} {
		synctest.Test(t, func(t *testing.T) {
			c := join.NewCall[int, int]()
			pair := join.FromN(c, 2)
			p := join.All(pair)
			var owner <-chan error
			if ownerFirst {
				owner = goWait(p)
				synctest.Wait()
			}
			a := goCall(c, 1)
			b := goCall(c, 2)
			synctest.Wait()
			assert.True(t, pending(a) && pending(b), "a caller returned before a reply")
			if !ownerFirst {
				require.NoError(t, p.Wait())
			} else {
				require.NoError(t, <-owner)
			}
			synctest.Wait()
			assert.True(t, pending(a) && pending(b), "a caller returned before a reply")
			vs := pair.Values()
			require.Len(t, vs, 2)
			for _, rq := range vs {
				rq.Reply(rq.Value() * 10)
			}
			assert.Equal(t, callResult{10, nil}, <-a)
			assert.Equal(t, callResult{20, nil}, <-b)
			c.Close()
		})
	}
}

// TestUnansweredCallGetsErrNoReplyWhenThePatternRunsAgain: the owner
// answers one of two calls and selects on the pattern again; the other
// caller gets ErrNoReply at that moment — not a hang — and a late Reply
// to it panics.
func TestUnansweredCallGetsErrNoReplyWhenThePatternRunsAgain(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := join.NewCall[int, int]()
		pair := join.FromN(c, 2)
		p := join.All(pair)
		a := goCall(c, 1)
		synctest.Wait()
		b := goCall(c, 2)
		synctest.Wait()
		require.NoError(t, p.Wait())
		first, second := pair.Values()[0], pair.Values()[1]
		require.Equal(t, 1, first.Value())
		assert.True(t, first.Reply(100))
		assert.Equal(t, callResult{100, nil}, <-a)

		assert.False(t, p.Ready(), "Ready is a probe and must not expire the firing's calls")
		synctest.Wait()
		assert.True(t, pending(b), "Ready expired an owed call")

		again := goWait(p) // the owner runs a select on the pattern again
		synctest.Wait()
		assert.Equal(t, callResult{0, join.ErrNoReply}, <-b)
		msg := panicMessage(func() { second.Reply(200) })
		assert.Contains(t, msg, "join: Reply after the request expired")
		msg = panicMessage(func() { first.Reply(100) })
		assert.Contains(t, msg, "join: Reply twice")

		c.Close()
		assert.ErrorIs(t, <-again, chanop.ErrClosed)
	})
}

// TestUnansweredCallExpiresWhenASelectReachesThePattern: the deadline is
// the first select that looks at the pattern again, whatever else it
// selects over. A PriSelect that completes an earlier ready guard never
// looks at the pattern, so the call stays owed; a Select, which polls
// every guard, expires it even though it then completes another guard.
func TestUnansweredCallExpiresWhenASelectReachesThePattern(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := join.NewCall[int, int]()
		part := join.From(c)
		p := join.All(part)
		a := goCall(c, 1)
		synctest.Wait()
		require.NoError(t, p.Wait())

		g, err := selectx.PriSelect(chanop.Skip(), p)
		require.NoError(t, err)
		require.Equal(t, chanop.Skip(), g)
		synctest.Wait()
		assert.True(t, pending(a), "a select that never reached the pattern expired its call")

		g, err = selectx.Select(p, chanop.Skip()) // looks at every guard
		require.NoError(t, err)
		assert.Equal(t, chanop.Skip(), g)
		assert.Equal(t, callResult{0, join.ErrNoReply}, <-a)
		c.Close()
	})
}

// TestCloseReleasesEveryWaitingCaller: a caller whose message no firing
// took and one whose message was taken but not answered both get
// ErrClosed; a Reply after the Close is dropped and reports false; later
// calls fail at once.
func TestCloseReleasesEveryWaitingCaller(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := join.NewCall[int, int]()
		part := join.From(c)
		p := join.All(part)
		a := goCall(c, 1)
		synctest.Wait()
		b := goCall(c, 2)
		synctest.Wait()
		require.NoError(t, p.Wait()) // takes a's call
		taken := part.Values()[0]
		require.Equal(t, 1, taken.Value())
		require.Equal(t, 1, c.Len())

		c.Close()
		assert.Equal(t, callResult{0, chanop.ErrClosed}, <-a)
		assert.Equal(t, callResult{0, chanop.ErrClosed}, <-b)
		assert.False(t, taken.Reply(5), "a Reply after Close must report that it did not reach the caller")
		_, err := c.Call(3)
		assert.ErrorIs(t, err, chanop.ErrClosed)
		assert.ErrorIs(t, p.Wait(), chanop.ErrClosed)
		c.Close() // idempotent
	})
}

// TestCallOpWithdrawsOnTimeoutUntilTaken: a caller selecting between its
// offer and a timeout withdraws when nobody took the message; once a
// firing took it, the select returns the CallOp and Wait the reply.
func TestCallOpWithdrawsOnTimeoutUntilTaken(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := join.NewCall[int, int]()
		part := join.From(c)
		p := join.All(part)
		op := c.CallOp(7)
		to := chanop.After(time.Second)
		g, err := selectx.Select(op, to)
		require.NoError(t, err)
		require.Equal(t, to, g)
		assert.Contains(t, panicMessage(func() { _, _ = op.Wait() }), "no firing took the call")
		assert.Equal(t, 0, c.Len(), "the withdrawn offer is still queued")

		done := make(chan callResult, 1)
		go func() {
			g, err := selectx.Select(op, to) // the same op, offered again
			if g != op || err != nil {
				done <- callResult{-1, err}
				return
			}
			r, err := op.Wait()
			done <- callResult{r, err}
		}()
		synctest.Wait()
		require.NoError(t, p.Wait())
		part.Values()[0].Reply(part.Values()[0].Value() + 1)
		assert.Equal(t, callResult{8, nil}, <-done)
		c.Close()
	})
}

// TestCallMisuseIsRefused: zero values and nil pointers panic with a
// "join: …" message.
func TestCallMisuseIsRefused(t *testing.T) {
	var zero join.Call[int, int]
	misusePanic(t, func() { _, _ = zero.Call(1) })
	misusePanic(t, func() { zero.Close() })
	misusePanic(t, func() { join.From[*join.Request[int, int]](&zero) })
	var nilCall *join.Call[int, int]
	misusePanic(t, func() { nilCall.Close() })
	misusePanic(t, func() { _ = guard.Wait((*join.CallOp[int, int])(nil)) })
	misusePanic(t, func() { _ = guard.Wait(new(join.CallOp[int, int])) })
	misusePanic(t, func() { new(join.Request[int, int]).Reply(1) })
	var err error = join.ErrNoReply
	assert.True(t, errors.Is(err, join.ErrNoReply))
}
