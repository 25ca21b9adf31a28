package selectx_test

import (
	"fmt"
	"time"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/selectx"
)

// The package documentation's first snippet, as written there: compare the
// guard returned with the guards passed in.
func Example() {
	in, out := chanop.New[string](), chanop.New[string]()
	go in.Send("ping") // nobody receives from out

	recv, send := in.RecvOp(), out.SendOp("hi")
	timeout := chanop.After(time.Minute)
	g, err := selectx.Select(recv, send, timeout)
	switch g {
	case recv:
		fmt.Println("received", recv.Value(), err)
	case send:
		fmt.Println("sent", err)
	case timeout:
		fmt.Println("timed out")
	}
	// Output: received ping <nil>
}

// A fan-in over a slice of channels: the index says which channel sent,
// and the receive guard at that index holds the message.
func ExampleSelectIndex() {
	cs := make([]*chanop.Chan[string], 4)
	for i := range cs {
		cs[i] = chanop.New[string]()
	}
	go cs[2].Send("hello")

	rs := make([]*chanop.RecvOp[string], len(cs)) // cs []*chanop.Chan[string]
	gs := make([]chanop.Guard, len(cs))
	for i, c := range cs {
		rs[i] = c.RecvOp()
		gs[i] = rs[i]
	}
	i, err := selectx.SelectIndex(gs...)
	if err == nil {
		fmt.Println("channel", i, "sent", rs[i].Value())
	}
	// Output: channel 2 sent hello
}

// PriSelectIndex with Skip last polls a dynamic list: the index of Skip
// means nothing was ready; -1 means no guard was enabled.
func ExamplePriSelectIndex() {
	c := chanop.New[int]()
	i, err := selectx.PriSelectIndex(c.RecvOp(), chanop.Skip())
	fmt.Println(i, err)
	i, err = selectx.PriSelectIndex(chanop.When(false, c.RecvOp()))
	fmt.Println(i, err)
	// Output:
	// 1 <nil>
	// -1 selectx: select with no enabled guard
}

// Fair.SelectIndex rotates the preference among always-ready guards.
func ExampleFair_SelectIndex() {
	gs := []chanop.Guard{chanop.After(0), chanop.After(0), chanop.After(0)}
	var f selectx.Fair
	for range 4 {
		i, _ := f.SelectIndex(gs...)
		fmt.Print(i, " ")
	}
	fmt.Println()
	// Output: 0 1 2 0
}
