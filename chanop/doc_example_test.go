package chanop_test

import (
	"fmt"
	"time"

	"github.com/gochord/chord/buffer"
	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/join"
	"github.com/gochord/chord/selectx"
)

// The package documentation's snippet, as written there.
func Example() {
	c := chanop.New[int]()
	go c.Send(42)      // blocks until somebody takes 42
	v, err := c.Recv() // 42, nil

	r := c.RecvOp() // a receive guard
	timeout := chanop.After(time.Minute)
	go c.Send(43)
	g, err := selectx.Select(r, timeout)
	if g == r {
		fmt.Println(r.Value()) // 43
	}
	fmt.Println(v, err)
	// Output:
	// 43
	// 42 <nil>
}

// Sources turns a slice of channels — here synchronous ones — into the
// []Source[T] that join.Each and join.AnyOf take, inferring T.
func ExampleSources() {
	deerChans := make([]*chanop.Chan[int], 3)
	for i := range deerChans {
		deerChans[i] = chanop.New[int]()
		go deerChans[i].Send(10 + i)
	}
	deer := join.Each(chanop.Sources(deerChans...)...)
	if err := join.All(deer).Wait(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(deer.Values())
	// Output: [10 11 12]
}

// Sources works on a slice of any one Source type, such as package
// buffer's asynchronous channels.
func ExampleSources_buffers() {
	notes := []*buffer.Buffer[string]{buffer.Unbounded[string](), buffer.Unbounded[string]()}
	notes[0].Send("first")
	notes[1].Send("second")
	both := join.Each(chanop.Sources(notes...)...)
	if err := join.All(both).Wait(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(both.Values())
	// Output: [first second]
}
