package selectx_test

import (
	"errors"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/selectx"
)

// TestNoMessageLostOrDuplicatedWhenClosingUnderLoad runs real goroutines
// (no bubble, so the race detector and the scheduler see true
// interleavings): senders and receivers use plain operations and selects
// over all channels, some with timeouts, and the channels are closed while
// traffic is flowing. Afterwards, the messages whose send reported success
// are exactly the messages received, each once: Close, timeouts and
// competing selects neither lose nor duplicate a message.
func TestNoMessageLostOrDuplicatedWhenClosingUnderLoad(t *testing.T) {
	const (
		nChans     = 3
		nSenders   = 4
		nReceivers = 3
		perSender  = 400
	)
	type msg struct{ sender, seq int }
	cs := make([]*chanop.Chan[msg], nChans)
	for i := range cs {
		cs[i] = chanop.New[msg]()
	}

	var (
		wg        sync.WaitGroup
		mu        sync.Mutex
		delivered = map[msg]bool{}
		received  = map[msg]int{}
		nReceived atomic.Int64
		failures  = make(chan error, nSenders+nReceivers)
	)
	for s := range nSenders {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(s), 1))
			for seq := range perSender {
				m := msg{s, seq}
				var err error
				timedOut := false
				switch rng.IntN(3) {
				case 0:
					err = cs[s%nChans].Send(m)
				case 1:
					gs := make([]chanop.Guard, nChans)
					for i, c := range cs {
						gs[i] = c.SendOp(m)
					}
					_, err = selectx.Select(gs...)
				case 2:
					timeout := chanop.After(time.Duration(rng.IntN(50)) * time.Microsecond)
					var g chanop.Guard
					g, err = selectx.PriSelect(cs[rng.IntN(nChans)].SendOp(m), timeout)
					timedOut = err == nil && g == timeout
				}
				if errors.Is(err, chanop.ErrClosed) {
					return
				}
				if err != nil {
					failures <- err
					return
				}
				if !timedOut {
					mu.Lock()
					delivered[m] = true
					mu.Unlock()
				}
			}
		})
	}
	for r := range nReceivers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(r), 2))
			ops := make([]*chanop.RecvOp[msg], nChans)
			gs := make([]chanop.Guard, nChans+1)
			for i, c := range cs {
				ops[i] = c.RecvOp()
				gs[i] = ops[i]
			}
			for {
				var m msg
				var err error
				got := true
				switch rng.IntN(3) {
				case 0:
					m, err = cs[r%nChans].Recv()
				case 1:
					var g chanop.Guard
					g, err = selectx.Select(gs[:nChans]...)
					if err == nil {
						m = g.(*chanop.RecvOp[msg]).Value()
					}
				case 2:
					gs[nChans] = chanop.After(time.Duration(rng.IntN(50)) * time.Microsecond)
					var f selectx.Fair
					var g chanop.Guard
					g, err = f.Select(gs...)
					if err == nil && g == gs[nChans] {
						got = false
					} else if err == nil {
						m = g.(*chanop.RecvOp[msg]).Value()
					}
				}
				if errors.Is(err, chanop.ErrClosed) {
					return
				}
				if err != nil {
					failures <- err
					return
				}
				if got {
					mu.Lock()
					received[m]++
					mu.Unlock()
					nReceived.Add(1)
				}
			}
		})
	}

	// Close while messages flow: once a third of them got through, or when
	// traffic stops (the random choices can leave every goroutine blocked
	// on operations with no partner, e.g. when the senders are done).
	for last, idle := int64(-1), 0; nReceived.Load() < nSenders*perSender/3 && idle < 200; {
		time.Sleep(100 * time.Microsecond)
		if n := nReceived.Load(); n != last {
			last, idle = n, 0
		} else {
			idle++
		}
	}
	for _, c := range cs {
		c.Close()
	}
	finished := make(chan struct{})
	go func() { wg.Wait(); close(finished) }()
	select {
	case <-finished:
	case <-time.After(20 * time.Second):
		t.Fatal("goroutines still blocked 20s after every channel was closed")
	}
	close(failures)
	for err := range failures {
		t.Errorf("unexpected error: %v", err)
	}

	require.NotEmpty(t, received, "no traffic at all")
	for m, n := range received {
		if n != 1 {
			t.Errorf("%+v received %d times", m, n)
		}
		if !delivered[m] {
			t.Errorf("%+v received but its send did not report success", m)
		}
	}
	for m := range delivered {
		if received[m] == 0 {
			t.Errorf("%+v: send reported success but nobody received it", m)
		}
	}
	assert.Equal(t, len(delivered), len(received))
	t.Logf("%d messages delivered before close", len(delivered))
}
