package props_test

// Test machinery shared by the property tests of the classic problems
// (barber, readers-writers, savages).

import (
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/props"
)

// caughtIn runs a negative control that must not deadlock: for seeds 0 to
// 19, each in its own synctest bubble, run plays the mistake with the seed
// and returns the violations of its trace and the run's error, which must
// be nil. It returns how many runs violated a property; the first
// violation of each must be of the property want. It logs the first run
// caught.
func caughtIn(t *testing.T, want string, run func(seed uint64) ([]*props.Violation, error)) int {
	t.Helper()
	caught := 0
	for seed := range uint64(20) {
		synctest.Test(t, func(t *testing.T) {
			vs, err := run(seed)
			require.NoError(t, err)
			if len(vs) == 0 {
				return
			}
			require.Equal(t, want, vs[0].Property, "%v", vs)
			if caught == 0 {
				t.Log(vs[0])
			}
			caught++
		})
	}
	return caught
}
