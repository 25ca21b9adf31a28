package chanop

import "iter"

// All returns an iterator that receives from c until c is closed, as
// `for v := range ch` does on a Go channel:
//
//	for v := range c.All() {
//		fmt.Println(v)
//	}
//
// Each step is a Recv, so the loop blocks while no sender is waiting. It
// runs in the caller's goroutine and starts none: breaking out of the loop
// between two values leaves nothing behind (no goroutine, no queued
// receive), and the next message stays with its sender for a later
// receive. The iterator may be ranged over again, and then goes on with
// the messages that follow.
//
// The name follows package iter's convention (All for an iterator over all
// of a collection's elements); here they are the messages until Close.
// All panics on a nil *Chan: ranging over a nil Go channel blocks forever,
// which chord never does.
func (c *Chan[T]) All() iter.Seq[T] {
	c.check("All")
	return func(yield func(T) bool) {
		for {
			v, err := c.Recv()
			if err != nil { // ErrClosed, the only error a Recv returns
				return
			}
			if !yield(v) {
				return
			}
		}
	}
}
