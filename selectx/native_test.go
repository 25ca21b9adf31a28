package selectx_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/selectx"
)

// TestSelectorWithNativeGuards: RecvFrom and SendTo guards registered in a
// Selector beside a watched chord receive (they are plain guards there),
// through blocking and ready selects; each message arrives exactly once.
func TestSelectorWithNativeGuards(t *testing.T) {
	const n = 2000
	in, out := make(chan int), make(chan int)
	c := chanop.New[int]()
	go func() {
		for i := range n {
			in <- i
		}
	}()
	go func() {
		for i := range n {
			if c.Send(i) != nil {
				return
			}
		}
	}()
	got := make(chan int)
	go func() {
		next := 0
		for v := range out {
			if v != next {
				panic("SendTo in a Selector delivered out of order or twice")
			}
			next++
		}
		got <- next
	}()
	rf, rc := chanop.RecvFrom(in), c.RecvOp()
	s := selectx.NewSelector(rf, rc)
	defer s.Close()
	st := chanop.SendTo(out, 0)
	s.Add(st)
	timeout := chanop.After(time.Millisecond)
	s.Add(timeout)
	nf, nc, ns := 0, 0, 0
	for nf < n || nc < n || ns < n {
		g, err := s.Select()
		require.NoError(t, err)
		switch g {
		case rf:
			require.Equal(t, nf, rf.Value())
			if nf++; nf == n {
				s.Remove(rf)
			}
		case rc:
			require.Equal(t, nc, rc.Value())
			if nc++; nc == n {
				s.Remove(rc)
			}
		case st:
			s.Remove(st)
			if ns++; ns < n {
				st = chanop.SendTo(out, ns)
				s.Add(st)
			}
		}
	}
	close(out)
	require.Equal(t, n, <-got)
	c.Close()
}
