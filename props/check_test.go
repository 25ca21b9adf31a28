package props_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/join"
	"github.com/gochord/chord/props"
	"github.com/gochord/chord/selectx"
)

// TestCheckRunsEveryGoroutine checks a fan-in under the controlled
// scheduler: every message arrives whatever the schedule.
func TestCheckRunsEveryGoroutine(t *testing.T) {
	props.Check(t, func(r *props.Run) {
		c, done := chanop.New[int](), chanop.New[struct{}]()
		for i := range 3 {
			r.Go("worker", func() {
				_ = c.Send(i)
				_ = done.Send(struct{}{})
			})
		}
		sum := 0
		for range 3 {
			v, err := c.Recv()
			require.NoError(r.T, err)
			sum += v
		}
		for range 3 {
			_, _ = done.Recv()
		}
		if sum != 0+1+2 {
			r.T.Fatalf("received a sum of %d; want 3", sum)
		}
	})
}

// TestDeadlockIsExplained is a negative control: two goroutines each wait
// for the other first. The report names each blocked goroutine with the
// operation it waits in, where, and the message it offers.
func TestDeadlockIsExplained(t *testing.T) {
	out := props.ExpectViolation(t, "crossed", func(r *props.Run) {
		a, b := chanop.New[int](), chanop.New[int]()
		r.Go("left", func() { _ = a.Send(1); _, _ = b.Recv() })
		go func() { _ = b.Send(2); _, _ = a.Recv() }() // a plain go statement: named "go 0"
		_, _ = chanop.New[int]().Recv()
	})
	assert.Contains(t, out, "deadlock: main, left and go 0 are blocked")
	assert.Regexp(t, `main: blocked in Chan.Recv at check_test.go:\d+\n`, out)
	assert.Regexp(t, `left: blocked in Chan.Send at check_test.go:\d+, offering 1 on chan \d`, out)
	assert.Regexp(t, `go 0: blocked in Chan.Send at check_test.go:\d+, offering 2 on chan \d`, out)
	assert.Contains(t, out, "schedule: ")
}

// TestLeftoverGoroutinesFail is a negative control: a property that
// returns while a goroutine it started is still blocked fails, and the
// report says which and where.
func TestLeftoverGoroutinesFail(t *testing.T) {
	out := props.ExpectViolation(t, "leftover", func(r *props.Run) {
		c := chanop.New[int]()
		r.Go("stuck", func() { _ = c.Send(1) })
		r.Idle()
	})
	assert.Contains(t, out, "goroutines outlived the property: stuck is still blocked")
	assert.Regexp(t, `stuck: blocked in Chan.Send at check_test.go:\d+, offering 1 on chan 0`, out)
	assert.Regexp(t, `main\s+finds the program idle`, out)
}

// TestFatalfIsReportedWithItsSchedule is a negative control: a property
// that holds only if the first worker always sends first fails, and the
// report quotes the message and the schedule that broke it.
func TestFatalfIsReportedWithItsSchedule(t *testing.T) {
	out := props.ExpectViolation(t, "order", func(r *props.Run) {
		c := chanop.New[int]()
		for i := range 2 {
			r.Go("sender", func() { _ = c.Send(i) })
		}
		first, _ := c.Recv()
		_, _ = c.Recv()
		if first != 0 {
			r.T.Fatalf("sender %d went first", first)
		}
	})
	assert.Contains(t, out, "sender 1 went first")
	assert.Regexp(t, `sender #2\s+Chan.Send on chan 0 at check_test.go`, out)
	assert.Contains(t, out, "1 preemptions", "the shrunk schedule should switch once")
}

// TestSelectChoiceIsADecision is a negative control: which of two ready
// guards a select takes is the scheduler's decision, shown in the trace.
func TestSelectChoiceIsADecision(t *testing.T) {
	out := props.ExpectViolation(t, "select", func(r *props.Run) {
		a, b := chanop.New[int](), chanop.New[int]()
		r.Go("a", func() { _ = a.Send(1) })
		r.Go("b", func() { _ = b.Send(2) })
		ra, rb := a.RecvOp(), b.RecvOp()
		for range 2 {
			g, err := selectx.Select(ra, rb)
			require.NoError(r.T, err)
			if g == rb && !strings.Contains(r.Trace(), "chooses") {
				continue // b alone was ready
			}
			if g == rb {
				r.T.Fatalf("the select chose b")
			}
		}
	})
	assert.Contains(t, out, "the select chose b")
	assert.Regexp(t, `chooses \d of 2 in selectx.Select at check_test.go`, out)
}

// TestSelectDeadlockIsExplained is a negative control: a select over a
// pattern that lacks a message and a receive nobody sends to deadlocks,
// and the report lists the guards it waits on, and for the pattern which
// part has its message and which lacks it.
func TestSelectDeadlockIsExplained(t *testing.T) {
	out := props.ExpectViolation(t, "select", func(r *props.Run) {
		a, b, c := chanop.New[int](), chanop.New[int](), chanop.New[int]()
		r.Go("sender", func() { _ = a.Send(1) })
		both := join.All(join.From[int](a), join.From[int](b))
		_, _ = selectx.PriSelect(both, c.RecvOp(), chanop.When(false, c.RecvOp()))
	})
	assert.Regexp(t, `main: blocked in selectx.PriSelect over \[pattern 0 \(From: a message; From: no message\), receive from chan \d, disabled\] at check_test.go:\d+`, out)
	assert.Regexp(t, `sender: blocked in Chan.Send at check_test.go:\d+, offering 1 on chan \d`, out)
}
