package buffer_test

import (
	"fmt"

	"github.com/gochord/chord/buffer"
)

// All ranges over a buffer until it is closed and drained.
func ExampleBuffer_All() {
	b := buffer.New[int](4)
	for v := range 3 {
		b.Send(v * v)
	}
	b.Close() // the stored messages are still received
	for v := range b.All() {
		fmt.Println(v)
	}
	// Output:
	// 0
	// 1
	// 4
}
