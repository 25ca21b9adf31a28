//go:build !unix

package bench

import "time"

// cpuTime is not available here: the benchmarks report no cpu-ns/op.
func cpuTime() (time.Duration, bool) { return 0, false }
