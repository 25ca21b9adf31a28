package bus_test

import (
	"context"
	"fmt"
	"time"

	"github.com/gochord/chord/problems/bus"
	"github.com/gochord/chord/problems/bus/check"
	"github.com/gochord/chord/props"
)

// Example runs a service of 2 buses of 50 seats for 70 riders who all come
// before the first bus: it takes 50, the second takes the other 20.
func Example() {
	cfg := bus.Config{Riders: 70, Capacity: 50, Buses: 2,
		Arrive: bus.Span{Max: 5 * time.Millisecond}, Interval: bus.Span{Min: 200 * time.Millisecond, Max: 200 * time.Millisecond}}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second) // a deadlock ends as an error, not a hang
	defer cancel()
	res, err := bus.Run(ctx, cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range res.Events {
		if e.Kind == bus.Depart {
			fmt.Printf("bus %d leaves with %d riders\n", e.Bus, len(e.Riders))
		}
	}
	fmt.Println("violations:", len(props.CheckAll(res.Events, check.Properties(cfg)...)))
	// Output:
	// bus 1 leaves with 50 riders
	// bus 2 leaves with 20 riders
	// violations: 0
}
