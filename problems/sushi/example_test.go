package sushi_test

import (
	"context"
	"fmt"
	"time"

	"github.com/gochord/chord/problems/sushi"
	"github.com/gochord/chord/problems/sushi/check"
	"github.com/gochord/chord/props"
)

// Example serves 10 customers who all come at once to a bar of 5: the
// first five fill it, and the other five sit only when they have all
// left.
func Example() {
	cfg := sushi.Config{Customers: 10, Seats: 5, Eat: sushi.Span{Min: 100 * time.Millisecond, Max: 150 * time.Millisecond}}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second) // a deadlock ends as an error, not a hang
	defer cancel()
	res, err := sushi.Run(ctx, cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("served:", res.Stats.Served, "parties:", res.Stats.Parties, "intruders:", res.Stats.Intruders)
	fmt.Println("violations:", len(props.CheckAll(res.Events, check.Properties(cfg)...)))
	// Output:
	// served: 10 parties: 2 intruders: 0
	// violations: 0
}
