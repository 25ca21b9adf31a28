package selectx_test

import (
	"errors"
	"fmt"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/selectx"
)

// Go's nil-channel idiom: a merge sets an input to nil once it is closed,
// which switches its case off, and stops when both are nil. A nil *Chan's
// guards are never ready; a select over nothing but them would return
// ErrNoGuards rather than block forever.
func Example_nilChannel() {
	a, b := chanop.New[int](), chanop.New[int]()
	go func() { a.Send(1); a.Send(2); a.Close() }()
	go func() { b.Send(10); b.Close() }()

	sum := 0
	for a != nil || b != nil {
		ra, rb := a.RecvOp(), b.RecvOp()
		g, err := selectx.Select(ra, rb)
		switch {
		case errors.Is(err, chanop.ErrClosed) && g == ra:
			a = nil
		case errors.Is(err, chanop.ErrClosed) && g == rb:
			b = nil
		case g == ra:
			sum += ra.Value()
		case g == rb:
			sum += rb.Value()
		}
	}
	fmt.Println("sum", sum)
	// Output: sum 13
}
