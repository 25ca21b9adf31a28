package buffer_test

import (
	"runtime"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"

	"github.com/gochord/chord/buffer"
	"github.com/gochord/chord/chanop"
)

// TestBufferPreferenceDecidesWhoRunsFirst: a Send that hands its message
// to a parked receiver, and a Recv that makes room for a parked sender,
// keep running by default; with a preference for the woken side, that side
// runs first (deterministic at GOMAXPROCS(1)).
func TestBufferPreferenceDecidesWhoRunsFirst(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	for _, tc := range []struct {
		pref   chanop.Preference
		parked string
		want   []string
	}{
		{chanop.PreferNone, "receiver", []string{"sender", "receiver"}},
		{chanop.PreferReceiver, "receiver", []string{"receiver", "sender"}},
		{chanop.PreferNone, "sender", []string{"receiver", "sender"}},
		{chanop.PreferSender, "sender", []string{"sender", "receiver"}},
	} {
		synctest.Test(t, func(t *testing.T) {
			b := buffer.New[int](1)
			b.SetPreference(tc.pref)
			if tc.parked == "sender" {
				_ = b.Send(0) // full: the next sender parks
			}
			var mu sync.Mutex
			var log []string
			add := func(s string) { mu.Lock(); log = append(log, s); mu.Unlock() }
			op := map[string]func(){
				"sender":   func() { _ = b.Send(1) },
				"receiver": func() { _, _ = b.Recv() },
			}
			other := map[string]string{"sender": "receiver", "receiver": "sender"}[tc.parked]
			go func() { op[tc.parked](); add(tc.parked) }()
			synctest.Wait()
			op[other]()
			add(other)
			synctest.Wait()
			assert.Equal(t, tc.want, log, "preference %d, %s parked first", tc.pref, tc.parked)
		})
	}
}
