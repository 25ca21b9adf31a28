package props

import (
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/gochord/chord/chanop"
)

// TestCheckStepBound: under Check's chooser too, a loop that nothing ends
// fails as a possible livelock at the step bound rather than hanging.
func TestCheckStepBound(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		c := runSteps(rt, &drawChooser{t: rt}, 300, func(r *Run) {
			c := chanop.New[int]()
			for {
				if _, ok, _ := c.TryRecv(); ok {
					return
				}
			}
		})
		if !strings.HasPrefix(c.failure, "possible livelock: the run took 300 steps") {
			rt.Fatalf("failure %q; want a possible livelock", c.failure)
		}
		if !strings.Contains(c.explain, "main: 300 of the last 300 steps") {
			rt.Fatalf("explanation %q; want main named", c.explain)
		}
	})
}
