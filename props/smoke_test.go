package props_test

import (
	"os"
	"testing"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/props"
)

func TestSmokePass(t *testing.T) {
	props.Check(t, func(r *props.Run) {
		c := chanop.New[int]()
		done := chanop.New[int]()
		for i := range 3 {
			r.Go("worker", func() { _ = c.Send(i); _ = done.Send(0) })
		}
		sum := 0
		for range 3 {
			v, _ := c.Recv()
			sum += v
		}
		for range 3 {
			_, _ = done.Recv()
		}
		if sum != 3 {
			r.T.Fatalf("sum %d", sum)
		}
		if os.Getenv("SMOKE_TRACE") != "" {
			r.T.Log(r.Trace())
		}
	})
}

func TestSmokeDeadlock(t *testing.T) {
	if os.Getenv("SMOKE") == "" {
		t.Skip()
	}
	props.Check(t, func(r *props.Run) {
		a, b := chanop.New[int](), chanop.New[int]()
		r.Go("left", func() { _, _ = a.Recv(); _ = b.Send(1) })
		go func() { _, _ = b.Recv(); _ = a.Send(1) }()
		_, _ = a.Recv()
	})
}
