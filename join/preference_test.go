package join_test

import (
	"runtime"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/join"
)

// TestPatternPreferenceDecidesWhoRunsFirst: the owner parks on a pattern
// of two channels; the second arrival fires it for the owner. By default
// the arriving sender goes on; with PreferReceiver the owner runs first.
// And when the owner's own Wait fires the pattern over parked senders,
// PreferSender lets them run before it.
func TestPatternPreferenceDecidesWhoRunsFirst(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	for _, tc := range []struct {
		pref        chanop.Preference
		ownerParked bool
		want        []string
	}{
		{chanop.PreferNone, true, []string{"sender", "owner"}},
		{chanop.PreferReceiver, true, []string{"owner", "sender"}},
		{chanop.PreferNone, false, []string{"owner", "sender"}},
		{chanop.PreferSender, false, []string{"sender", "owner"}},
	} {
		synctest.Test(t, func(t *testing.T) {
			a, b := chanop.New[int](), chanop.New[int]()
			p := join.All(join.From(a), join.From(b))
			p.SetPreference(tc.pref)
			var mu sync.Mutex
			var log []string
			add := func(s string) { mu.Lock(); log = append(log, s); mu.Unlock() }
			go func() { _ = a.Send(1) }() // an earlier sender, not recorded
			synctest.Wait()
			if tc.ownerParked {
				go func() { require.NoError(t, p.Wait()); add("owner") }()
				synctest.Wait()
				require.NoError(t, b.Send(2)) // fires the pattern for the owner
				add("sender")
			} else {
				go func() { _ = b.Send(2); add("sender") }()
				synctest.Wait()
				require.NoError(t, p.Wait()) // the owner fires it over parked senders
				add("owner")
			}
			synctest.Wait()
			assert.Equal(t, tc.want, log, "preference %d, owner parked %v", tc.pref, tc.ownerParked)
		})
	}
}

func TestPatternSetPreferenceOnZeroPatternPanics(t *testing.T) {
	var p join.Pattern
	require.Panics(t, func() { p.SetPreference(chanop.PreferReceiver) })
}
