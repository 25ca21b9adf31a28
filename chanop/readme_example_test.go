package chanop_test

import (
	"fmt"

	"github.com/gochord/chord/chanop"
)

// The README's first snippet: a synchronous channel.
func Example_tourChan() {
	c := chanop.New[string]()
	go c.Send("ping")    // blocks until somebody takes the message
	msg, err := c.Recv() // "ping", nil; chanop.ErrClosed once c is closed
	fmt.Println(msg, err)
	// Output: ping <nil>
}

// The README's range over a channel.
func Example_tourAll() {
	c := chanop.New[int]()
	go func() {
		_ = c.Send(1)
		_ = c.Send(2)
		c.Close()
	}()

	for v := range c.All() { // receives until c is closed
		fmt.Println(v)
	}
	// Output:
	// 1
	// 2
}

// The README's TryRecv: a poll of one channel, here a closed one.
func Example_tourTryRecv() {
	c := chanop.New[int]()
	c.Close()

	if v, ok, err := c.TryRecv(); ok {
		fmt.Println("got", v)
	} else if err != nil {
		fmt.Println(err) // chanop.ErrClosed
	}
	// Output: chanop: channel closed
}
