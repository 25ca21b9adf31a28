package selectx_test

import (
	"context"
	"fmt"
	"time"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/selectx"
)

// waitSender returns once a sender waits on c.
func waitSender[T any](c *chanop.Chan[T]) {
	for c.Len() == 0 {
		time.Sleep(time.Millisecond)
	}
}

// The README's select over a receive and a send: in has a sender, out has
// no receiver.
func Example_tourSelect() {
	in, out := chanop.New[int](), chanop.New[int]()
	go in.Send(7)

	recv := in.RecvOp() // guards are values: make them once, reuse them
	send := out.SendOp(42)
	g, err := selectx.Select(recv, send)
	switch g {
	case recv:
		fmt.Println("got", recv.Value())
	case send:
		fmt.Println("sent 42")
	}
	fmt.Println(err)
	// Output:
	// got 7
	// <nil>
}

// The README's fan-in over a slice of workers, by index.
func Example_tourSelectIndex() {
	workers := make([]*chanop.Chan[int], 3)
	for i := range workers {
		workers[i] = chanop.New[int]()
	}
	go workers[1].Send(11)

	rs := make([]*chanop.RecvOp[int], len(workers)) // workers []*chanop.Chan[int]
	gs := make([]chanop.Guard, len(workers))
	for i, w := range workers {
		rs[i] = w.RecvOp()
		gs[i] = rs[i]
	}
	i, err := selectx.SelectIndex(gs...)
	fmt.Println("worker", i, "sent", rs[i].Value(), err)
	// Output: worker 1 sent 11 <nil>
}

// The README's poll: PriSelect with Skip last.
func Example_tourPoll() {
	in := chanop.New[int]()
	recv := in.RecvOp()

	skip := chanop.Skip()
	if g, _ := selectx.PriSelect(recv, skip); g == skip {
		fmt.Println("nothing was ready")
	}
	// Output: nothing was ready
}

// The README's When, After and Done: a queue of at most limit messages
// that stops taking input when full, until ctx is cancelled.
func Example_tourWhen() {
	in := chanop.New[int]()
	recv := in.RecvOp()
	var queue []int
	const limit = 2
	ctx, cancel := context.WithCancel(context.Background())
	step := func() error {
		timeout := chanop.After(100 * time.Millisecond)
		stop := chanop.Done(ctx)
		g, err := selectx.Select(chanop.When(len(queue) < limit, recv), timeout, stop)
		switch g {
		case stop:
			return err // ctx.Err()
		case timeout:
			// nothing arrived for 100ms
		case recv:
			queue = append(queue, recv.Value())
		}
		return nil
	}

	go func() {
		for v := range 2 {
			in.Send(v)
		}
	}()
	for range limit {
		waitSender(in) // so that the timeout cannot win
		if err := step(); err != nil {
			fmt.Println(err)
		}
	}
	cancel() // the queue is full: only stop can complete
	fmt.Println(queue, step())
	// Output: [0 1] context canceled
}

// The README's Fair: a quiet guard that is ready is chosen within two
// calls, though busy is ready on every call.
func Example_tourFair() {
	c := chanop.New[string]()
	go c.Send("quiet one")
	waitSender(c)
	busy, quiet := chanop.After(0), c.RecvOp()

	var f selectx.Fair
	g, err := f.Select(busy, quiet) // a ready quiet is chosen within 2 calls
	fmt.Println(g == busy, err)
	g, err = f.Select(busy, quiet)
	fmt.Println(g == quiet, err)
	// Output:
	// true <nil>
	// true <nil>
}

// The README's Go channels in a select: a RecvFrom and a SendTo beside a
// chord guard. results has room, so the send is the one ready guard.
func Example_goChannels() {
	in := chanop.New[int]()
	recv := in.RecvOp()
	ctxDone := make(chan struct{})
	results, r := make(chan int, 1), 7
	stop := chanop.RecvFrom(ctxDone) // ctxDone <-chan struct{}
	g, err := selectx.Select(recv, stop, chanop.SendTo(results, r))
	fmt.Println(g != recv && g != stop, err, <-results)
	// Output: true <nil> 7
}
