package chanop_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/guard"
)

// Two goroutines talk over a synchronous channel; closing it tells the
// receiver that nothing more will come.
func ExampleChan() {
	c := chanop.New[string]()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, word := range []string{"ping", "pong"} {
			if err := c.Send(word); err != nil { // blocks until received
				fmt.Println("send:", err)
				return
			}
		}
		c.Close()
	}()
	for {
		v, err := c.Recv()
		if errors.Is(err, chanop.ErrClosed) {
			fmt.Println("closed")
			break
		}
		fmt.Println(v)
	}
	<-done
	// Output:
	// ping
	// pong
	// closed
}

// Close releases a blocked sender too: it learns that its message was not
// delivered.
func ExampleChan_Close() {
	c := chanop.New[int]()
	res := make(chan error)
	go func() { res <- c.Send(1) }()
	for c.Len() == 0 { // wait until the sender is parked
		time.Sleep(time.Millisecond)
	}
	c.Close()
	fmt.Println(<-res)
	// Output: chanop: channel closed
}

// A receive guard is run here by Wait, a select over one guard; after it
// completes, Value holds the message.
func ExampleChan_RecvOp() {
	c := chanop.New[int]()
	go func() { _ = c.Send(42) }()
	r := c.RecvOp()
	if err := guard.Wait(r); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Value())
	// Output: 42
}

// When disables a guard: a select with no enabled guard returns
// ErrNoGuards instead of blocking forever.
func ExampleWhen() {
	c := chanop.New[int]()
	haveRoom := false
	err := guard.Wait(chanop.When(haveRoom, c.RecvOp()))
	fmt.Println(errors.Is(err, guard.ErrNoGuards))
	// Output: true
}

// After is a timeout measured from the start of the select that runs it.
func ExampleAfter() {
	start := time.Now()
	err := guard.Wait(chanop.After(10 * time.Millisecond))
	fmt.Println(err, time.Since(start) >= 10*time.Millisecond)
	// Output: <nil> true
}
