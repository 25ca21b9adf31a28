package h2o_test

import (
	"context"
	"fmt"
	"time"

	"github.com/gochord/chord/problems/h2o"
)

// Example bonds 8 hydrogen and 5 oxygen atoms quickly. The interleaving
// differs from run to run; the molecules formed do not.
func Example() {
	cfg := h2o.DefaultConfig()
	cfg.Arrive = h2o.Span{Max: 10 * time.Millisecond}
	cfg.Bond = h2o.Span{Min: time.Millisecond, Max: 2 * time.Millisecond}
	res, err := h2o.Run(context.Background(), cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("molecules:", res.Stats.Molecules, "of", res.Stats.Possible)
	fmt.Println("unbonded atoms:", res.Stats.Unbonded)
	// Output:
	// molecules: 4 of 4
	// unbonded atoms: 1
}
