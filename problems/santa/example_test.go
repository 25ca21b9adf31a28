package santa_test

import (
	"context"
	"fmt"
	"time"

	"github.com/gochord/chord/problems/santa"
)

// Example runs the problem a hundred times faster than the demo command
// (about 50ms). The interleaving differs from run to run; the amount of
// work done does not.
func Example() {
	cfg := santa.DefaultConfig().Scaled(0.01)
	res, err := santa.Run(context.Background(), cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	st := res.Stats
	fmt.Println("deliveries:", st.Deliveries)
	fmt.Println("reindeer returns served:", santa.Sum(st.ReindeerWait).Count)
	fmt.Println("consultations:", st.Consultations)
	fmt.Println("elf visits:", santa.Sum(st.ElfWait).Count)
	fmt.Println("last event:", res.Events[len(res.Events)-1].Kind)
	// Output:
	// deliveries: 2
	// reindeer returns served: 18
	// consultations: 7
	// elf visits: 21
	// last event: Retire
}

func ExampleConfig_Validate() {
	cfg := santa.DefaultConfig()
	cfg.Elves, cfg.ElfGroup = 2, 3
	cfg.Delivery = santa.Span{Min: time.Second, Max: time.Second / 2}
	fmt.Println(cfg.Validate())
	// Output:
	// santa: ElfGroup = 3 is more than Elves = 2: no group could ever form
	// santa: Delivery.Max = 500ms is less than Delivery.Min = 1s
}
