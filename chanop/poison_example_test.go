package chanop_test

import (
	"fmt"
	"sync"

	"github.com/gochord/chord/chanop"
)

// Poison: closing one channel stops a whole process network. Each process
// returns at the first ErrClosed from a Send or a Recv, and closes its
// channels on the way out (defer), which poisons its neighbours in turn:
// a Close releases both a Chan's waiting receivers and its waiting
// senders, so the poison flows downstream and upstream alike.
//
// The network is commstime's: Prefix, Delta and Successor form a ring
// that counts, and Delta also feeds the consumer. The consumer takes five
// numbers and closes its input; every process ends, and no goroutine is
// left.
func Example_poison() {
	a, b, c, d := chanop.New[int](), chanop.New[int](), chanop.New[int](), chanop.New[int]()
	var wg sync.WaitGroup
	wg.Go(func() { // Prefix(0): c -> a
		defer a.Close()
		defer c.Close()
		for v, err := 0, error(nil); err == nil; v, err = c.Recv() {
			if a.Send(v) != nil {
				return
			}
		}
	})
	wg.Go(func() { // Delta: a -> b, d
		defer a.Close()
		defer b.Close()
		defer d.Close()
		for v, err := a.Recv(); err == nil; v, err = a.Recv() {
			if b.Send(v) != nil || d.Send(v) != nil {
				return
			}
		}
	})
	wg.Go(func() { // Successor: b -> c, plus one
		defer b.Close()
		defer c.Close()
		for v, err := b.Recv(); err == nil; v, err = b.Recv() {
			if c.Send(v+1) != nil {
				return
			}
		}
	})
	var got []int
	for range 5 { // the consumer
		v, _ := d.Recv()
		got = append(got, v)
	}
	d.Close() // the poison
	wg.Wait()
	fmt.Println(got)
	fmt.Println("all processes ended")
	// Output:
	// [0 1 2 3 4]
	// all processes ended
}

// A black hole swallows what a process sends to it: commstime's Delta
// feeds one, as nobody consumes, and the ring stops when Prefix, after
// three numbers, closes its output.
func ExampleBlackHole() {
	a, b, c := chanop.New[int](), chanop.New[int](), chanop.New[int]()
	d := chanop.BlackHole[int]()
	var wg sync.WaitGroup
	wg.Go(func() { // Prefix(0), three rounds
		defer a.Close()
		v := 0
		for range 3 {
			if a.Send(v) != nil {
				return
			}
			var err error
			if v, err = c.Recv(); err != nil {
				return
			}
		}
	})
	wg.Go(func() { // Delta: a -> b, d
		defer b.Close()
		defer d.Close()
		for v, err := a.Recv(); err == nil; v, err = a.Recv() {
			if b.Send(v) != nil || d.Send(v) != nil { // d.Send never waits
				return
			}
		}
	})
	wg.Go(func() { // Successor: b -> c, plus one
		defer c.Close()
		for v, err := b.Recv(); err == nil; v, err = b.Recv() {
			fmt.Println("successor of", v)
			if c.Send(v+1) != nil {
				return
			}
		}
	})
	wg.Wait()
	fmt.Println(d.Len(), d.Send(1))
	// Output:
	// successor of 0
	// successor of 1
	// successor of 2
	// 0 chanop: channel closed
}
