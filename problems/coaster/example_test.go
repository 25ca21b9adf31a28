package coaster_test

import (
	"context"
	"fmt"
	"time"

	"github.com/gochord/chord/problems/coaster"
	"github.com/gochord/chord/problems/coaster/check"
	"github.com/gochord/chord/props"
)

// Example runs the default park quickly. The interleaving differs from run
// to run; the rides, and their being full, do not.
func Example() {
	cfg := coaster.DefaultConfig()
	cfg.Wander = coaster.Span{Max: 5 * time.Millisecond}
	cfg.Ride = coaster.Span{Min: time.Millisecond, Max: 2 * time.Millisecond}
	cfg.Unload = coaster.Span{Max: time.Millisecond}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second) // a deadlock ends as an error, not a hang
	defer cancel()
	res, err := coaster.Run(ctx, cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("rides:", res.Stats.Rides, "riders:", res.Stats.Riders, "overlaps:", res.Stats.Overlaps)
	fmt.Println("violations:", len(props.CheckAll(res.Events, check.Properties(cfg)...)))
	// Output:
	// rides: 5 riders: 15 overlaps: 0
	// violations: 0
}
