package buffer_test

import (
	"fmt"

	"github.com/gochord/chord/buffer"
)

// TrySend and TryRecv never block: a full buffer refuses, an empty one has
// nothing to give.
func ExampleBuffer_TrySend() {
	b := buffer.New[string](1)
	ok, _ := b.TrySend("first")
	fmt.Println("first stored:", ok)
	ok, _ = b.TrySend("second")
	fmt.Println("second stored:", ok)

	v, ok, _ := b.TryRecv()
	fmt.Println(v, ok)
	_, ok, _ = b.TryRecv()
	fmt.Println("empty gives:", ok)
	// Output:
	// first stored: true
	// second stored: false
	// first true
	// empty gives: false
}
