package join

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/guard"
)

// TestFromNLooksOnlyWhenItCanFire: FromN(c, n) with its owner parked,
// filled by n senders one after another. Each arrival's Notify counts it
// in the pattern's availability hint, which knows the part needs n, so
// only the n-th arrival locks the pattern and matches. Before the hint
// counted messages, one message on c was enough to say "may fire", and
// every arrival locked and matched all the queued senders — O(n²) work,
// O(n³) with the quadratic waiter lookup of the match.
func TestFromNLooksOnlyWhenItCanFire(t *testing.T) {
	const n = 300
	c := chanop.New[int]()
	part := FromN(c, n)
	p := All(part)
	fired := make(chan error, 1)
	go func() { fired <- p.Wait() }()
	waitQueued(t, func() bool {
		guard.LockAll(p.locks)
		defer guard.UnlockAll(p.locks)
		return p.owner != nil
	}, "the owner to enqueue")

	for i := range n {
		go func() { _ = c.Send(i) }()
		if i < n-1 {
			waitQueued(t, func() bool { return c.Len() == i+1 }, "a sender to queue")
		}
	}
	select {
	case err := <-fired:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("the pattern never fired")
	}
	assert.Len(t, part.Values(), n)
	guard.LockAll(p.locks)
	lookups := p.lookups
	guard.UnlockAll(p.locks)
	assert.LessOrEqual(t, lookups, int64(2), "Notifies that locked the pattern for %d arrivals", n)
}

func waitQueued(t *testing.T, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(50 * time.Microsecond)
	}
}
