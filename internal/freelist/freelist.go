// Package freelist recycles the blocks (waiter, entry, guard) of blocking
// channel operations, so that an operation that parks allocates nothing in
// steady state.
package freelist

import "sync/atomic"

// A Linked is a pointer to a recyclable block that has a link field for
// the free list.
type Linked[T any] interface {
	*T
	// FreeLink returns the block's link field; only a Stack uses it.
	FreeLink() **T
}

// A Stack is a lock-free stack of free blocks (Treiber's). Push may be
// called from any goroutine. Pop must be serialised by the caller: every Pop
// of one Stack happens under one lock (the channel's), so no block can be
// popped and pushed back between a Pop's load of the top and its
// compare-and-swap, which rules out the ABA problem.
//
// A Stack keeps every block pushed onto it: its size is the largest number
// of operations that were parked at once on its channel.
//
// The zero value is an empty stack.
type Stack[T any, P Linked[T]] struct {
	top atomic.Pointer[T]
}

// Pop returns a free block, or nil if there is none. The caller must hold
// the lock that serialises Pops of s.
func (s *Stack[T, P]) Pop() *T {
	for {
		b := s.top.Load()
		if b == nil {
			return nil
		}
		link := P(b).FreeLink()
		if s.top.CompareAndSwap(b, *link) {
			*link = nil
			return b
		}
	}
}

// Push returns b to s. The caller must own b: no other party may touch it
// any more.
func (s *Stack[T, P]) Push(b *T) {
	link := P(b).FreeLink()
	for {
		top := s.top.Load()
		*link = top
		if s.top.CompareAndSwap(top, b) {
			return
		}
	}
}
