package rw_test

import (
	"context"
	"fmt"

	"github.com/gochord/chord/problems/rw"
)

// Example runs 3 readers and 2 writers, twice each, without pauses.
func Example() {
	cfg := rw.Config{Readers: 3, Writers: 2, Visits: 2, Seed: 1}
	res, err := rw.Run(context.Background(), cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("visits:", res.Stats.Visits)
	// Output:
	// visits: 10
}
