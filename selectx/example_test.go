package selectx_test

import (
	"fmt"
	"time"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/selectx"
)

// Select with a timeout: the guards are values, compared with the one
// returned to tell which case happened.
func ExampleSelect() {
	c := chanop.New[int]()
	go func() { _ = c.Send(42) }()

	r := c.RecvOp()
	timeout := chanop.After(time.Minute)
	g, err := selectx.Select(r, timeout)
	switch {
	case err != nil:
		fmt.Println("error:", err)
	case g == r:
		fmt.Println("received", r.Value())
	case g == timeout:
		fmt.Println("timed out")
	}
	// Output: received 42
}

// The guard list is built at run time: here a receive from each of several
// channels, one of which has a sender.
func ExampleSelect_dynamic() {
	cs := make([]*chanop.Chan[string], 5)
	gs := make([]chanop.Guard, len(cs))
	for i := range cs {
		cs[i] = chanop.New[string]()
		gs[i] = cs[i].RecvOp()
	}
	go func() { _ = cs[3].Send("from 3") }()

	g, err := selectx.Select(gs...)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(g.(*chanop.RecvOp[string]).Value())
	// Output: from 3
}

// PriSelect with Skip last is a poll: Go's select with a default case.
func ExamplePriSelect() {
	c := chanop.New[string]()
	r := c.RecvOp()
	poll := func() {
		g, _ := selectx.PriSelect(r, chanop.Skip())
		if g == r {
			fmt.Println("got", r.Value())
		} else {
			fmt.Println("nothing ready")
		}
	}

	poll()
	go func() { _ = c.Send("hello") }()
	for c.Len() == 0 { // wait until the sender is parked
		time.Sleep(time.Millisecond)
	}
	poll()
	// Output:
	// nothing ready
	// got hello
}

// PriSelect always prefers the first ready guard; Fair rotates the
// preference, so a guard that stays ready is never starved. The three
// After(0) guards here are always ready.
func ExampleFair() {
	a, b, c := chanop.After(0), chanop.After(0), chanop.After(0)
	name := map[chanop.Guard]string{a: "a", b: "b", c: "c"}

	fmt.Print("PriSelect:")
	for range 4 {
		g, _ := selectx.PriSelect(a, b, c)
		fmt.Print(" ", name[g])
	}
	fmt.Println()

	var f selectx.Fair
	fmt.Print("Fair:")
	for range 4 {
		g, _ := f.Select(a, b, c)
		fmt.Print(" ", name[g])
	}
	fmt.Println()
	// Output:
	// PriSelect: a a a a
	// Fair: a b c a
}

// When disables a guard without changing the shape of the select; with no
// guard enabled, the select returns ErrNoGuards instead of blocking.
func ExampleSelect_when() {
	in := chanop.New[int]()
	out := chanop.New[int]()
	haveInput, haveOutput := false, false
	_, err := selectx.Select(
		chanop.When(haveInput, in.RecvOp()),
		chanop.When(haveOutput, out.SendOp(1)),
	)
	fmt.Println(err == selectx.ErrNoGuards)
	// Output: true
}
