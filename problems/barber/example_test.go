package barber_test

import (
	"context"
	"fmt"
	"time"

	"github.com/gochord/chord/problems/barber"
)

// Example runs a day where five customers arrive together at a shop with
// two chairs. Who gets a chair depends on the interleaving; that nobody
// stands in the waiting room does not.
func Example() {
	cfg := barber.Config{Chairs: 2, Customers: 5, Cut: barber.Span{Min: time.Millisecond, Max: time.Millisecond}}
	cfg.Arrive = barber.Span{Min: time.Millisecond, Max: time.Millisecond}
	res, err := barber.Run(context.Background(), cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	st := res.Stats
	fmt.Println("everyone was served or left:", st.Served+st.Balked == cfg.Customers)
	fmt.Println("at most two seated:", st.MaxSeated <= 2)
	// Output:
	// everyone was served or left: true
	// at most two seated: true
}
