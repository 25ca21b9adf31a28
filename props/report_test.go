package props_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/props"
)

// TestNamedChannelsInReports is a negative control: a channel named with
// Run.Name is called so in the trace and the deadlock report, and a long
// message is cut short.
func TestNamedChannelsInReports(t *testing.T) {
	out := props.ExpectViolation(t, "named", func(r *props.Run) {
		orders := chanop.New[string]()
		r.Name(orders, "orders")
		r.Go("clerk", func() { _ = orders.Send(strings.Repeat("x", 100)) })
		r.Idle()
		_, _ = chanop.New[int]().Recv()
	})
	long := strings.Repeat("x", 39) + "…"
	assert.Contains(t, out, "clerk: blocked in Chan.Send at report_test.go:")
	assert.Contains(t, out, ", offering "+long+" on orders")
	assert.Regexp(t, `clerk\s+Chan.Send on orders at report_test.go:\d+`, out)
	assert.Contains(t, out, "clerk offers "+long+" on orders")
	assert.NotContains(t, out, strings.Repeat("x", 41))
}

// TestBackgroundGoroutineMayOutliveTheProperty: a server loop started with
// Run.Background does not fail the run when the property returns.
func TestBackgroundGoroutineMayOutliveTheProperty(t *testing.T) {
	props.Check(t, func(r *props.Run) {
		requests := chanop.New[int]()
		r.Background("server", func() {
			for {
				if _, err := requests.Recv(); err != nil {
					return
				}
			}
		})
		for i := range 3 {
			_ = requests.Send(i)
		}
	})
}

// TestFailedTrySendShows: the schedule says when a TrySend found no
// receiver, and not when it found one.
func TestFailedTrySendShows(t *testing.T) {
	props.Check(t, func(r *props.Run) {
		c := chanop.New[int]()
		r.Name(c, "jobs")
		ok, _ := c.TrySend(1)
		if ok {
			r.T.Fatalf("nobody receives yet")
		}
		r.Go("receiver", func() { _, _ = c.Recv() })
		r.Idle()
		if ok, _ := c.TrySend(2); !ok {
			r.T.Fatalf("the receiver waits")
		}
		tr := r.Trace()
		if n := strings.Count(tr, "Chan.TrySend fails: no receiver waiting at report_test.go:"); n != 1 {
			r.T.Fatalf("%d failed TrySends in the trace; want 1:\n%s", n, tr)
		}
	})
}
