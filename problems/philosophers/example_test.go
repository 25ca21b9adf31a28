package philosophers_test

import (
	"context"
	"fmt"
	"time"

	"github.com/gochord/chord/problems/philosophers"
)

// Five philosophers eat three meals each. Who eats when depends on the
// scheduler, but with join patterns every philosopher gets all his meals
// and every chopstick ends up back on the table.
func Example() {
	cfg := philosophers.Config{
		N:     5,
		Meals: 3,
		Think: philosophers.Range{Min: 0, Max: 2 * time.Millisecond},
		Eat:   philosophers.Range{Min: time.Millisecond, Max: 2 * time.Millisecond},
		Seed:  1,
	}
	res, err := philosophers.Run(context.Background(), cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, s := range res.Stats {
		fmt.Printf("P%d ate %d meals\n", i, s.Meals)
	}
	onTable := 0
	for _, e := range res.Events {
		if e.Kind == philosophers.OnTable {
			onTable++
		}
	}
	fmt.Printf("%d meals in all; %d chopsticks back on the table\n", res.Meals(), onTable)
	// Output:
	// P0 ate 3 meals
	// P1 ate 3 meals
	// P2 ate 3 meals
	// P3 ate 3 meals
	// P4 ate 3 meals
	// 15 meals in all; 5 chopsticks back on the table
}

// Validate names the field that is wrong.
func ExampleConfig_Validate() {
	cfg := philosophers.Config{N: 1, Meals: 3}
	fmt.Println(cfg.Validate())
	cfg = philosophers.Config{N: 5, Meals: 3, Eat: philosophers.Range{Min: time.Second, Max: time.Millisecond}}
	fmt.Println(cfg.Validate())
	// Output:
	// philosophers: invalid config: N = 1; need at least 2 philosophers (one philosopher has a single chopstick and can never eat)
	// philosophers: invalid config: Eat = [1s, 1ms]; need Min <= Max
}
