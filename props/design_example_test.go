package props_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/props"
)

// A ticket is one event of a user's design: who got which number.
type ticket struct {
	who string
	n   int
}

// dispense is the design: a dispenser hands out numbered tickets over a
// chord channel to three customers. spawn starts a goroutine (Run.Go under
// the checker). With broken, the dispenser forgets to count.
func dispense(spawn func(string, func()), broken bool) []ticket {
	desk := chanop.New[int]()
	var mu sync.Mutex
	var got []ticket
	var wg sync.WaitGroup
	wg.Add(3)
	spawn("dispenser", func() {
		for n := 1; ; {
			if desk.Send(n) != nil {
				return
			}
			if !broken {
				n++
			}
		}
	})
	for i := range 3 {
		who := fmt.Sprintf("customer %d", i)
		spawn(who, func() {
			defer wg.Done()
			n, _ := desk.Recv()
			mu.Lock()
			got = append(got, ticket{who, n})
			mu.Unlock()
		})
	}
	wg.Wait()
	desk.Close()
	return got
}

// onceEach is the property: no ticket number is handed out twice.
var onceEach = props.AtMostOnce("tickets/at-most-once", func(t ticket) (int, bool) { return t.n, true })

// TestTickets checks the design under the controlled scheduler, and the
// broken one as a negative control: the property must catch it.
func TestTickets(t *testing.T) {
	prop := func(broken bool) func(*props.Run) {
		return func(r *props.Run) {
			if v := onceEach.Check(dispense(r.Go, broken)); v != nil {
				r.T.Fatal(v)
			}
		}
	}
	props.Check(t, prop(false))
	out := props.ExpectViolation(t, "no counting", prop(true))
	assert.Contains(t, out, "handled twice")
}

// A user's own design checked with a generic property: the dispenser of
// TestTickets, run with plain goroutines, and its broken variant, the
// negative control. (A test runs the same check under the controlled
// scheduler with props.Check and props.ExpectViolation, as TestTickets
// does.)
func Example_yourDesign() {
	spawn := func(_ string, f func()) { go f() }
	for _, broken := range []bool{false, true} {
		got := dispense(spawn, broken)
		ns := make([]int, len(got))
		for i, t := range got {
			ns[i] = t.n
		}
		slices.Sort(ns)
		verdict := "ok"
		if v := onceEach.Check(got); v != nil {
			verdict = v.Reason
		}
		fmt.Printf("broken=%v: tickets %v, %s: %s\n", broken, ns, onceEach.Name, verdict)
	}
	// Output:
	// broken=false: tickets [1 2 3], tickets/at-most-once: ok
	// broken=true: tickets [1 1 1], tickets/at-most-once: 1 handled twice
}
