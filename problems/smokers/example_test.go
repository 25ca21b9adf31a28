package smokers_test

import (
	"context"
	"fmt"

	"github.com/gochord/chord/problems/smokers"
)

// Example smokes five rounds without pauses.
func Example() {
	cfg := smokers.Config{Rounds: 5, Seed: 1}
	res, err := smokers.Run(context.Background(), cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	st := res.Stats
	fmt.Println("rounds smoked:", st.Rounds)
	fmt.Println("smoked by T, P, M:", st.Smoked[0]+st.Smoked[1]+st.Smoked[2] == st.Rounds)
	// Output:
	// rounds smoked: 5
	// smoked by T, P, M: true
}
