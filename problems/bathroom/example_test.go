package bathroom_test

import (
	"context"
	"fmt"
	"time"

	"github.com/gochord/chord/problems/bathroom"
	"github.com/gochord/chord/problems/bathroom/check"
	"github.com/gochord/chord/props"
)

// Example runs a quick day of 5 women and 3 men, three visits each: the
// interleaving differs from run to run; the visits, and nobody being
// overtaken, do not.
func Example() {
	cfg := bathroom.DefaultConfig()
	cfg.Away = bathroom.Span{Max: 5 * time.Millisecond}
	cfg.Use = bathroom.Span{Min: time.Millisecond, Max: 2 * time.Millisecond}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second) // a deadlock ends as an error, not a hang
	defer cancel()
	res, err := bathroom.Run(ctx, cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("visits:", res.Stats.Visits, "most overtaken:", res.Stats.MaxOvertaken)
	fmt.Println("violations:", len(props.CheckAll(res.Events, check.Properties(cfg)...)))
	// Output:
	// visits: 24 most overtaken: 0
	// violations: 0
}
