package bench

import "fmt"

// Example runs the barrier workload both ways, as the benchmarks do, and
// checks them the way TestBarrier does: 4 parties through 100 phases, with
// no party passing a phase before all arrived.
func Example() {
	for _, v := range []struct {
		name string
		run  func(n, g, work int, c *barrierCheck) stats
	}{{"chord", chordBarrier}, {"cond", condBarrierRun}} {
		var c barrierCheck
		v.run(100, 4, 0, &c)
		fmt.Printf("%s: %d arrivals, %d out of phase\n", v.name, c.arrived.Load(), c.bad.Load())
	}
	// Output:
	// chord: 400 arrivals, 0 out of phase
	// cond: 400 arrivals, 0 out of phase
}
