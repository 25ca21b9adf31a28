package chanop_test

import (
	"runtime"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/guard"
)

// order records who ran first after a rendezvous.
type order struct {
	mu  sync.Mutex
	log []string
}

func (o *order) add(s string) {
	o.mu.Lock()
	o.log = append(o.log, s)
	o.mu.Unlock()
}

// whoRunsFirst makes a rendezvous on c at GOMAXPROCS(1) inside a bubble:
// the side named parked waits first, the other completes it; each side
// records itself as soon as its operation returns.
func whoRunsFirst(t *testing.T, pref chanop.Preference, parked string, op func(c *chanop.Chan[int], side string)) []string {
	t.Helper()
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	var got []string
	synctest.Test(t, func(t *testing.T) {
		c := chanop.New[int]()
		c.SetPreference(pref)
		var o order
		other := map[string]string{"sender": "receiver", "receiver": "sender"}[parked]
		go func() { op(c, parked); o.add(parked) }()
		synctest.Wait() // parked
		op(c, other)
		o.add(other)
		synctest.Wait()
		got = o.log
	})
	return got
}

func plain(c *chanop.Chan[int], side string) {
	if side == "sender" {
		_ = c.Send(1)
	} else {
		_, _ = c.Recv()
	}
}

func guards(c *chanop.Chan[int], side string) {
	if side == "sender" {
		_ = guard.Wait(c.SendOp(1))
	} else {
		_ = guard.Wait(c.RecvOp())
	}
}

// TestPreferenceDecidesWhoRunsFirst: by default the party that completes a
// parked partner keeps running; with a preference for the partner's side,
// the partner runs first. At GOMAXPROCS(1) the order is deterministic.
func TestPreferenceDecidesWhoRunsFirst(t *testing.T) {
	for name, op := range map[string]func(*chanop.Chan[int], string){"Send/Recv": plain, "SendOp/RecvOp": guards} {
		for _, tc := range []struct {
			pref   chanop.Preference
			parked string
			want   []string
		}{
			{chanop.PreferNone, "receiver", []string{"sender", "receiver"}},
			{chanop.PreferReceiver, "receiver", []string{"receiver", "sender"}},
			{chanop.PreferSender, "receiver", []string{"sender", "receiver"}},
			{chanop.PreferNone, "sender", []string{"receiver", "sender"}},
			{chanop.PreferSender, "sender", []string{"sender", "receiver"}},
			{chanop.PreferReceiver, "sender", []string{"receiver", "sender"}},
		} {
			got := whoRunsFirst(t, tc.pref, tc.parked, op)
			assert.Equal(t, tc.want, got, "%s, preference %d, %s parked first", name, tc.pref, tc.parked)
		}
	}
}

func TestSetPreferenceRefusesUnknownValue(t *testing.T) {
	c := chanop.New[int]()
	require.PanicsWithValue(t, "guard: unknown Preference", func() { c.SetPreference(7) })
}
