package river_test

import (
	"context"
	"fmt"
	"time"

	"github.com/gochord/chord/problems/river"
)

// Example ferries 9 hackers and 7 serfs quickly: whatever the order of
// arrival, three safe boats cross and four people stay ashore.
func Example() {
	cfg := river.DefaultConfig()
	cfg.Arrive = river.Span{Max: 10 * time.Millisecond}
	cfg.Row = river.Span{Min: time.Millisecond, Max: 2 * time.Millisecond}
	res, err := river.Run(context.Background(), cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("boats:", res.Stats.Boats, "unsafe:", res.Stats.Unsafe, "ashore:", res.Stats.Ashore)
	// Output:
	// boats: 3 unsafe: 0 ashore: 4
}
