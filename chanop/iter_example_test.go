package chanop_test

import (
	"fmt"

	"github.com/gochord/chord/chanop"
)

// All receives until the channel is closed, like ranging over a Go channel.
func ExampleChan_All() {
	c := chanop.New[string]()
	go func() {
		for _, w := range []string{"one", "two", "three"} {
			_ = c.Send(w)
		}
		c.Close()
	}()
	for v := range c.All() {
		fmt.Println(v)
	}
	// Output:
	// one
	// two
	// three
}
