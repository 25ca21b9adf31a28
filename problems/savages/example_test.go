package savages_test

import (
	"context"
	"fmt"

	"github.com/gochord/chord/problems/savages"
)

// Example feeds 4 savages 3 servings each from a pot of 5: 12 meals need
// three potfuls, whatever the order in which the savages eat.
func Example() {
	cfg := savages.Config{Savages: 4, Meals: 3, Servings: 5, Seed: 1}
	res, err := savages.Run(context.Background(), cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("meals:", res.Stats.Meals)
	fmt.Println("potfuls:", res.Stats.Refills)
	// Output:
	// meals: 12
	// potfuls: 3
}
