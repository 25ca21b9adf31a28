package selectx_test

import (
	"errors"
	"fmt"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/selectx"
)

// A fan-in server registers its channels once and selects over them in a
// loop; a channel that closes is removed. Each Select looks only at the
// channels that became ready, however many are registered.
func ExampleSelector() {
	cs := make([]*chanop.Chan[int], 100)
	rs := make([]*chanop.RecvOp[int], len(cs))
	s := selectx.NewSelector()
	defer s.Close()
	for i := range cs {
		cs[i] = chanop.New[int]()
		rs[i] = cs[i].RecvOp()
		s.Add(rs[i]) // index i
	}
	for _, i := range []int{7, 42, 99} {
		go func() {
			_ = cs[i].Send(i * 10)
			cs[i].Close()
		}()
	}
	for i := range cs {
		if i != 7 && i != 42 && i != 99 {
			cs[i].Close()
		}
	}

	sum := 0
	for {
		i, err := s.SelectIndex()
		if errors.Is(err, selectx.ErrNoGuards) {
			break // every channel closed and removed
		}
		if errors.Is(err, chanop.ErrClosed) {
			s.Remove(rs[i])
			continue
		}
		sum += rs[i].Value()
	}
	fmt.Println("sum", sum)
	// Output: sum 1480
}
