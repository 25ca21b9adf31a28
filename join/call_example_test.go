package join_test

import (
	"fmt"
	"sync"

	"github.com/gochord/chord/buffer"
	"github.com/gochord/chord/join"
)

// An exchanger: two callers meet and each gets the other's value. The
// pattern takes two calls at once (FromN(ex, 2)); its owner answers each
// with the other's message. Neither caller returns before both were taken,
// and each gets the answer of the firing that took its own message.
func ExampleCall_exchanger() {
	ex := join.NewCall[string, string]()
	pair := join.FromN(ex, 2)
	swap := join.All(pair)
	served := make(chan struct{})
	go func() {
		defer close(served)
		for swap.Wait() == nil { // the server: each firing takes two calls
			a, b := pair.Values()[0], pair.Values()[1]
			a.Reply(b.Value())
			b.Reply(a.Value())
		}
	}()

	var wg sync.WaitGroup
	got := make([]string, 2)
	for i, v := range []string{"ping", "pong"} {
		wg.Go(func() {
			r, err := ex.Call(v) // in each caller: the other caller's value
			if err != nil {
				r = err.Error()
			}
			got[i] = v + " got " + r
		})
	}
	wg.Wait()
	ex.Close() // the pattern can never fire again: its Wait returns ErrClosed
	<-served
	fmt.Println(got[0])
	fmt.Println(got[1])
	// Output:
	// ping got pong
	// pong got ping
}

// A lockServer hands out a lock with tickets: Acquire is a call that the
// server's pattern answers when it can also take the lock's token, a
// message in a one-place buffer that holds the next ticket number; Release
// puts the token back. The join pattern does the queueing: callers wait
// in Acquire until the token is there.
type lockServer struct {
	acquire *join.Call[string, int]
	token   *buffer.Buffer[int]
	done    chan struct{}
}

func newLockServer() *lockServer {
	l := &lockServer{
		acquire: join.NewCall[string, int](),
		token:   buffer.New[int](1),
		done:    make(chan struct{}),
	}
	if err := l.token.Send(1); err != nil { // the lock is free; the first ticket is 1
		panic(err)
	}
	who, tok := join.From(l.acquire), join.From(l.token)
	grant := join.All(who, tok)
	go func() {
		defer close(l.done)
		for grant.Wait() == nil {
			t := tok.Values()[0]
			if !who.Values()[0].Reply(t) { // the ticket
				_ = l.token.Send(t) // Stop came first: the caller did not get the lock
			}
		}
	}()
	return l
}

// Acquire blocks until the lock is free and returns the holder's ticket.
func (l *lockServer) Acquire(name string) (int, error) { return l.acquire.Call(name) }

// Release frees the lock held with ticket.
func (l *lockServer) Release(ticket int) error { return l.token.Send(ticket + 1) }

// Stop ends the server; callers still in Acquire get chanop.ErrClosed.
func (l *lockServer) Stop() {
	l.acquire.Close()
	<-l.done
}

func ExampleCall_lockServer() {
	l := newLockServer()
	t, err := l.Acquire("alice")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("alice holds ticket", t)

	bob := make(chan int)
	go func() {
		t, err := l.Acquire("bob") // waits for alice's release
		if err != nil {
			fmt.Println(err)
		}
		bob <- t
	}()
	fmt.Println("alice releases")
	if err := l.Release(t); err != nil {
		fmt.Println(err)
	}
	t = <-bob
	fmt.Println("bob holds ticket", t)
	if err := l.Release(t); err != nil {
		fmt.Println(err)
	}
	l.Stop()
	// Output:
	// alice holds ticket 1
	// alice releases
	// bob holds ticket 2
}

// The lock server of the package documentation, in one goroutine: the
// loop answers each call it takes with the token's ticket.
func ExampleNewCall() {
	acquire := join.NewCall[string, int]() // a caller's name in, a ticket out
	token := buffer.New[int](1)            // the lock's token: the next ticket
	token.Send(1)
	who, tok := join.From(acquire), join.From(token)
	grant := join.All(who, tok)
	go func() {
		t, err := acquire.Call("alice") // waits for the token
		fmt.Println("alice holds ticket", t, err)
		acquire.Close() // the only caller is served: stop the server
	}()
	for grant.Wait() == nil {
		who.Values()[0].Reply(tok.Values()[0])
	}
	// Output: alice holds ticket 1 <nil>
}
