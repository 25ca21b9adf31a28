package buffer

import "iter"

// All returns an iterator that receives from b until b is closed and
// drained, as `for v := range ch` does on a Go channel: after Close it
// still yields the messages stored before Close, then ends.
//
// Each step is a Recv, so the loop blocks while b is empty. It runs in the
// caller's goroutine and starts none: breaking out of the loop leaves
// nothing behind (no goroutine, no queued receive), and the messages not
// yet received stay in b. The iterator may be ranged over again, and then
// goes on with the next message.
//
// All panics on a nil *Buffer: ranging over a nil Go channel blocks
// forever, which chord never does.
func (b *Buffer[T]) All() iter.Seq[T] {
	b.check("All")
	return func(yield func(T) bool) {
		for {
			v, err := b.Recv()
			if err != nil { // chanop.ErrClosed, the only error a Recv returns
				return
			}
			if !yield(v) {
				return
			}
		}
	}
}
