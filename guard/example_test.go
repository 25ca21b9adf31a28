package guard_test

import (
	"fmt"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/guard"
	"github.com/gochord/chord/join"
	"github.com/gochord/chord/selectx"
)

// A Latch is a guard kind of one's own: closed until Open, then ready for
// every select for ever, like a closed channel that carries no error.
type Latch struct {
	mu      guard.Mutex
	locks   [1]*guard.Mutex
	open    bool
	waiters guard.Queue // entries of selects waiting for the latch
}

func NewLatch() *Latch {
	l := new(Latch)
	l.locks[0] = &l.mu
	return l
}

// Open opens the latch and completes every select waiting on it.
func (l *Latch) Open() {
	l.mu.Lock()
	l.open = true
	wake := l.waiters.CloseAll(nil, nil, nil) // claims and completes each waiter
	l.mu.Unlock()
	guard.WakeAll(wake) // with no lock held
}

// GuardOps makes a *Latch a chanop.Guard: a select runs latchOps.
func (l *Latch) GuardOps() guard.Guard { return (*latchOps)(l) }

// latchOps is the latch seen by a select: the guard protocol, on a view
// of the same memory.
type latchOps Latch

func (l *latchOps) Locks() []*guard.Mutex        { return l.locks[:] } // the same slice every time
func (l *latchOps) Poll() bool                   { return l.open }
func (l *latchOps) Commit() (bool, error)        { return l.open, nil }
func (l *latchOps) Enqueue(e *guard.Entry)       { l.waiters.PushBack(e) }
func (l *latchOps) Dequeue(e *guard.Entry)       { l.waiters.Remove(e) }
func (l *latchOps) AfterUnlock()                 {}
func (l *latchOps) Detached(e *guard.Entry) bool { return !e.Queued() } // Open removed it

// A guard of one's own mixes with chord's guards in a select.
func Example_guard() {
	latch := NewLatch()
	c := chanop.New[string]()
	recv := c.RecvOp()
	go latch.Open()
	g, err := selectx.Select(latch, recv)
	fmt.Println(g == latch, err)
	// Output: true <nil>
}

// A Stack is a source kind of one's own: messages pushed onto it are taken
// by join patterns newest first.
type Stack[T any] struct {
	mu        guard.Mutex
	items     []T
	senders   guard.Queue // always empty: Push never blocks
	listeners guard.Queue // patterns waiting for a message
	closing   guard.Closing
}

// Push adds v and tells the listening patterns.
func (s *Stack[T]) Push(v T) {
	s.mu.Lock()
	s.items = append(s.items, v)
	ls := s.listeners.AppendLive(nil)
	s.mu.Unlock()
	guard.NotifyAll(ls) // with no lock held
}

// SourceOps makes a *Stack a chanop.Source for join's parts.
func (s *Stack[T]) SourceOps() guard.Source[T] { return (*stackOps[T])(s) }

type stackOps[T any] Stack[T]

func (s *stackOps[T]) SourceLock() *guard.Mutex { return &s.mu }
func (s *stackOps[T]) Buffered() int            { return len(s.items) }
func (s *stackOps[T]) TakeBuffered() T {
	s.closing.Taking() // a closed source tells the patterns it shrank
	v := s.items[len(s.items)-1]
	s.items = s.items[:len(s.items)-1]
	return v
}
func (s *stackOps[T]) Senders() *guard.Queue     { return &s.senders }
func (s *stackOps[T]) TakeSender(*guard.Entry) T { panic("stack: no senders") }
func (s *stackOps[T]) Closed() bool              { return s.closing.Closed() }
func (s *stackOps[T]) Listen(e *guard.Entry)     { s.listeners.PushBack(e) }
func (s *stackOps[T]) Unlisten(e *guard.Entry)   { s.listeners.Remove(e) }
func (s *stackOps[T]) Settle()                   {}

// A source of one's own feeds join patterns.
func Example_source() {
	var s Stack[int]
	two := join.FromN(&s, 2)
	p := join.All(two)
	for i := 1; i <= 3; i++ {
		s.Push(i)
	}
	if err := p.Wait(); err != nil {
		fmt.Println(err)
	}
	fmt.Println(two.Values())
	// Output: [3 2]
}
