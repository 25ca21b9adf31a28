package chanop_test

import (
	"fmt"
	"time"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/guard"
)

// TryRecv polls: Go's select with a receive and a default.
func ExampleChan_TryRecv() {
	c := chanop.New[string]()
	if _, ok, _ := c.TryRecv(); !ok {
		fmt.Println("nobody is sending")
	}
	go c.Send("hello")
	for c.Len() == 0 { // wait until the sender is parked
		time.Sleep(time.Millisecond)
	}
	v, ok, err := c.TryRecv()
	fmt.Println(v, ok, err)
	c.Close()
	_, ok, err = c.TryRecv()
	fmt.Println(ok, err)
	// Output:
	// nobody is sending
	// hello true <nil>
	// false chanop: channel closed
}

// TrySend delivers only to a receiver that is already waiting.
func ExampleChan_TrySend() {
	c := chanop.New[int]()
	ok, err := c.TrySend(1)
	fmt.Println(ok, err)

	got := make(chan int)
	r := c.RecvOp()
	go func() {
		_ = guard.Wait(r)
		got <- r.Value()
	}()
	for {
		if ok, _ := c.TrySend(2); ok { // succeeds once the receiver waits
			break
		}
		time.Sleep(time.Millisecond)
	}
	fmt.Println(<-got)
	// Output:
	// false <nil>
	// 2
}
