package sched_test

import (
	"fmt"

	"github.com/gochord/chord/internal/sched"
)

// last always takes the last of n choices and never yields.
type last struct{}

func (last) Choose(n int) int { return n - 1 }
func (last) Yield()           {}

// A test installs a scheduler for the duration of a check; chord's choice
// points then ask it instead of the random source.
func Example() {
	restore := sched.Set(last{})
	fmt.Println(sched.Intn(5), sched.Intn(2))
	restore()
	fmt.Println(sched.Intn(1)) // the default: uniform in [0, 1)
	// Output:
	// 4 1
	// 0
}
