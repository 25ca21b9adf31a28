package selectx_test

import (
	"errors"
	"flag"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/gochord/chord/buffer"
	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/selectx"
)

// selModelChan is one channel of TestSelectorMatchesModel: a Chan (whose
// messages are parked senders) or an Unbounded buffer, with what the model
// says it holds.
type selModelChan struct {
	c      *chanop.Chan[int]
	b      *buffer.Buffer[int]
	recv   chanop.Guard // registered receive, or nil
	value  func() int
	idx    int   // its index in the Selector while registered
	msgs   []int // pending messages, oldest first
	closed bool
}

func (m *selModelChan) ready() bool { return len(m.msgs) > 0 || m.closed }

// TestSelectorMatchesModel runs random sequences of registrations,
// removals, arrivals, closes and selects on a Selector inside a synctest
// bubble, settling every goroutine (synctest.Wait) after each step, so that
// every notification has landed; then a Selector's PriSelect must choose
// exactly what a fresh PriSelect over the registered guards in index order
// would (the lowest ready index, the Skip if one is registered below it),
// its Select one of the ready guards, and every message must come out
// once, in order per channel. Selects run only when something is ready, so
// a lost notification is a deadlock, which synctest reports.
func TestSelectorMatchesModel(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		rapid.SyncTest(rt, func(rt *rapid.T) {
			n := rapid.IntRange(1, 5).Draw(rt, "channels")
			chans := make([]*selModelChan, n)
			for i := range chans {
				m := &selModelChan{}
				if rapid.Bool().Draw(rt, fmt.Sprintf("buffer%d", i)) {
					m.b = buffer.Unbounded[int]()
				} else {
					m.c = chanop.New[int]()
				}
				chans[i] = m
			}
			defer func() { // release parked senders whatever happens
				for _, m := range chans {
					if m.c != nil {
						m.c.Close()
					}
				}
			}()
			s := selectx.NewSelector()
			defer s.Close()
			var skip chanop.Guard // registered Skip, or nil
			skipIdx := -1
			next := 0

			register := func(m *selModelChan) {
				if m.c != nil {
					r := m.c.RecvOp()
					m.recv, m.value = r, r.Value
				} else {
					r := m.b.RecvOp()
					m.recv, m.value = r, r.Value
				}
				m.idx = s.Add(m.recv)
			}
			// expected returns the index PriSelect must choose, or -1 if it
			// would block.
			expected := func() int {
				best := skipIdx
				for _, m := range chans {
					if m.recv != nil && m.ready() && (best < 0 || m.idx < best) {
						best = m.idx
					}
				}
				return best
			}
			take := func(rt *rapid.T, i int, err error, pri bool) {
				if skip != nil && i == skipIdx {
					for k, m := range chans {
						if m.recv != nil && m.ready() && pri && m.idx < skipIdx {
							rt.Fatalf("Skip chosen over ready channel %d", k)
						}
					}
					return
				}
				k := slices.IndexFunc(chans, func(m *selModelChan) bool { return m.recv != nil && m.idx == i })
				if k < 0 {
					rt.Fatalf("Select returned index %d, which no channel's receive holds", i)
				}
				m := chans[k]
				if !m.ready() {
					rt.Fatalf("Select chose channel %d, which holds nothing", k)
				}
				if len(m.msgs) == 0 {
					if !errors.Is(err, chanop.ErrClosed) {
						rt.Fatalf("channel %d is closed and empty: err = %v", k, err)
					}
					return
				}
				if err != nil || m.value() != m.msgs[0] {
					rt.Fatalf("channel %d: got %d, %v; want %d", k, m.value(), err, m.msgs[0])
				}
				m.msgs = m.msgs[1:]
			}

			rt.Repeat(map[string]func(*rapid.T){
				"register": func(rt *rapid.T) {
					m := chans[rapid.IntRange(0, n-1).Draw(rt, "ch")]
					if m.recv == nil {
						register(m)
					}
				},
				"remove": func(rt *rapid.T) {
					m := chans[rapid.IntRange(0, n-1).Draw(rt, "ch")]
					if m.recv != nil {
						if !s.Remove(m.recv) {
							rt.Fatalf("Remove of a registered guard reported false")
						}
						m.recv = nil
					}
				},
				"toggleSkip": func(rt *rapid.T) {
					if skip != nil {
						s.Remove(skip)
						skip, skipIdx = nil, -1
						return
					}
					skip = chanop.Skip()
					skipIdx = s.Add(skip)
				},
				"send": func(rt *rapid.T) {
					m := chans[rapid.IntRange(0, n-1).Draw(rt, "ch")]
					if m.closed {
						return
					}
					v := next
					next++
					m.msgs = append(m.msgs, v)
					if m.b != nil {
						if err := m.b.Send(v); err != nil {
							rt.Fatalf("Send: %v", err)
						}
					} else {
						go m.c.Send(v)
					}
					synctest.Wait()
				},
				"close": func(rt *rapid.T) {
					m := chans[rapid.IntRange(0, n-1).Draw(rt, "ch")]
					if m.closed || rapid.IntRange(0, 3).Draw(rt, "closeRoll") != 0 {
						return
					}
					m.closed = true
					if m.b != nil {
						m.b.Close()
					} else {
						m.c.Close()
						m.msgs = nil // parked senders are released with ErrClosed
					}
					synctest.Wait()
				},
				"PriSelect": func(rt *rapid.T) {
					want := expected()
					if want < 0 {
						rt.Skip("it would block")
					}
					i, err := s.PriSelectIndex()
					if i != want {
						rt.Fatalf("PriSelectIndex = %d, %v; want %d", i, err, want)
					}
					take(rt, i, err, true)
					synctest.Wait()
				},
				"Select": func(rt *rapid.T) {
					if expected() < 0 {
						rt.Skip("it would block")
					}
					i, err := s.SelectIndex()
					take(rt, i, err, false)
					synctest.Wait()
				},
			})
		})
	})
}

// selFault is a fault injected into TestSelectorMatchesModelUnderRaces's
// system under test, for its negative controls.
type selFault int

const (
	noFault      selFault = iota
	ignoreRemove          // Remove is not passed on to the Selector
	loseMessage           // the first message the Selector delivers is dropped
)

// selRaceChan is one channel of the racing model: what was sent on it and
// not yet seen received, and whether a Close was started.
type selRaceChan struct {
	c       *chanop.Chan[int]
	b       *buffer.Buffer[int]
	recv    chanop.Guard // registered receive, or nil
	value   func() int
	idx     int
	sent    map[int]bool // values sent (or being sent) on it, not yet received
	last    int          // last value received from the buffer (FIFO check)
	closing bool
}

// TestSelectorMatchesModelUnderRaces is TestSelectorMatchesModel with the
// senders and closers racing the Selector instead of settling: sends on a
// Chan and closes run in goroutines of their own, and a step does not wait
// for them. Registrations, removals, re-registrations, Skip, Selects and
// Closes of the Selector (which then starts afresh) are drawn at random.
// The reference model checks each Select against what may have happened —
// it returns a registered guard's index; a message that was sent on that
// channel and not received before; ErrClosed only from a channel whose
// Close started; messages of a buffer in order — and at the end, every
// message whose Send succeeded was received exactly once, and no other.
// A Select runs only when a registered channel has a message outstanding
// or a Close started, so it must return; a watchdog turns a lost wake-up
// into a failure.
func TestSelectorMatchesModelUnderRaces(t *testing.T) {
	rapid.Check(t, selectorRaceProp(noFault))
}

// The negative controls: the property must catch each injected fault.
func TestSelectorMatchesModelUnderRacesCatchesFaults(t *testing.T) {
	// A fault may leave a Select waiting for a message it took elsewhere:
	// the watchdog ends it, and shrinking such runs is not worth its time.
	for name, v := range map[string]string{"rapid.nofailfile": "true", "rapid.shrinktime": "1s"} {
		old := flag.Lookup(name).Value.String()
		require.NoError(t, flag.Set(name, v))
		defer flag.Set(name, old)
	}
	for _, f := range []selFault{ignoreRemove, loseMessage} {
		rt := &selRecordingTB{TB: t}
		rapid.Check(rt, selectorRaceProp(f))
		if !rt.failed {
			t.Errorf("fault %d: the model did not catch it", f)
		} else {
			t.Logf("fault %d caught: %s", f, rt.first)
		}
	}
}

// selRecordingTB records a failure instead of failing the test.
type selRecordingTB struct {
	testing.TB
	failed bool
	first  string
}

func (r *selRecordingTB) Helper()             {}
func (r *selRecordingTB) Log(...any)          {}
func (r *selRecordingTB) Logf(string, ...any) {}
func (r *selRecordingTB) Fail()               { r.failed = true }
func (r *selRecordingTB) FailNow()            { r.failed = true }
func (r *selRecordingTB) Failed() bool        { return r.failed }
func (r *selRecordingTB) Error(a ...any)      { r.Errorf("%s", fmt.Sprint(a...)) }
func (r *selRecordingTB) Fatal(a ...any)      { r.Error(a...) }
func (r *selRecordingTB) Fatalf(f string, a ...any) {
	r.Errorf(f, a...)
}
func (r *selRecordingTB) Errorf(f string, a ...any) {
	if !r.failed {
		r.first = fmt.Sprintf(f, a...)
		if len(r.first) > 200 {
			r.first = r.first[:200]
		}
	}
	r.failed = true
}

func selectorRaceProp(fault selFault) func(*rapid.T) {
	return func(rt *rapid.T) {
		n := rapid.IntRange(1, 4).Draw(rt, "channels")
		chans := make([]*selRaceChan, n)
		for i := range chans {
			m := &selRaceChan{sent: map[int]bool{}, last: -1}
			if rapid.Bool().Draw(rt, fmt.Sprintf("buffer%d", i)) {
				m.b = buffer.Unbounded[int]()
			} else {
				m.c = chanop.New[int]()
			}
			chans[i] = m
		}
		var mu sync.Mutex
		delivered := map[int]bool{} // messages whose Send returned nil (Chans)
		var senders sync.WaitGroup
		closeAll := func() {
			for _, m := range chans {
				if m.c != nil {
					m.c.Close()
				} else {
					m.b.Close()
				}
			}
		}
		s := selectx.NewSelector()
		defer func() { // whatever happens, leave no sender parked
			s.Close()
			closeAll()
			senders.Wait()
		}()
		var skip chanop.Guard
		skipIdx := -1
		next := 0
		received := map[int]int{} // value → times received
		lost := fault == loseMessage

		register := func(m *selRaceChan) {
			if m.c != nil {
				r := m.c.RecvOp()
				m.recv, m.value = r, r.Value
			} else {
				r := m.b.RecvOp()
				m.recv, m.value = r, r.Value
			}
			m.idx = s.Add(m.recv)
		}
		selectable := func() bool {
			if skip != nil {
				return true
			}
			for _, m := range chans {
				if m.recv != nil && (len(m.sent) > 0 || m.closing) {
					return true
				}
			}
			return false
		}
		doSelect := func(rt *rapid.T, pri bool) {
			if !selectable() {
				rt.Skip("it could block")
			}
			var timedOut atomic.Bool
			patience := 10 * time.Second
			if fault != noFault {
				patience = 100 * time.Millisecond
			}
			dog := time.AfterFunc(patience, func() { timedOut.Store(true); closeAll() })
			sel := s.SelectIndex
			if pri {
				sel = s.PriSelectIndex
			}
			i, err := sel()
			dog.Stop()
			if timedOut.Load() {
				rt.Fatalf("Select blocked for %v with a message outstanding: a lost wake-up", patience)
			}
			k := slices.IndexFunc(chans, func(m *selRaceChan) bool { return m.recv != nil && m.idx == i })
			if k < 0 {
				if skip != nil && i == skipIdx && err == nil {
					return
				}
				rt.Fatalf("Select returned index %d, %v, which no registered receive holds", i, err)
			}
			m := chans[k]
			if errors.Is(err, chanop.ErrClosed) {
				if !m.closing {
					rt.Fatalf("channel %d: ErrClosed before any Close", k)
				}
				return
			}
			if err != nil {
				rt.Fatalf("channel %d: %v", k, err)
			}
			v := m.value()
			if !m.sent[v] {
				rt.Fatalf("channel %d delivered %d, which was not sent on it or was received already", k, v)
			}
			delete(m.sent, v)
			if m.b != nil {
				if v <= m.last {
					rt.Fatalf("buffer %d delivered %d after %d", k, v, m.last)
				}
				m.last = v
			}
			if lost {
				lost = false
				return
			}
			received[v]++
		}

		rt.Repeat(map[string]func(*rapid.T){
			"register": func(rt *rapid.T) {
				m := chans[rapid.IntRange(0, n-1).Draw(rt, "ch")]
				if m.recv == nil {
					register(m)
				}
			},
			"remove": func(rt *rapid.T) {
				m := chans[rapid.IntRange(0, n-1).Draw(rt, "ch")]
				if m.recv == nil {
					return
				}
				if fault != ignoreRemove && !s.Remove(m.recv) {
					rt.Fatalf("Remove of a registered guard reported false")
				}
				m.recv = nil
			},
			"toggleSkip": func(rt *rapid.T) {
				if skip != nil {
					s.Remove(skip)
					skip, skipIdx = nil, -1
					return
				}
				skip = chanop.Skip()
				skipIdx = s.Add(skip)
			},
			"send": func(rt *rapid.T) {
				m := chans[rapid.IntRange(0, n-1).Draw(rt, "ch")]
				v := next
				next++
				if m.b != nil {
					if m.b.Send(v) == nil {
						m.sent[v] = true
						mu.Lock()
						delivered[v] = true
						mu.Unlock()
					}
					return
				}
				m.sent[v] = true
				senders.Go(func() {
					if m.c.Send(v) == nil {
						mu.Lock()
						delivered[v] = true
						mu.Unlock()
					}
				})
			},
			"close": func(rt *rapid.T) {
				m := chans[rapid.IntRange(0, n-1).Draw(rt, "ch")]
				if m.closing || rapid.IntRange(0, 3).Draw(rt, "closeRoll") != 0 {
					return
				}
				m.closing = true
				if m.c != nil {
					senders.Go(m.c.Close)
				} else {
					senders.Go(m.b.Close)
				}
			},
			"closeSelector": func(rt *rapid.T) {
				if rapid.IntRange(0, 3).Draw(rt, "closeSelRoll") != 0 {
					return
				}
				s.Close()
				s = selectx.NewSelector()
				for _, m := range chans {
					m.recv = nil
				}
				skip, skipIdx = nil, -1
			},
			"Select":    func(rt *rapid.T) { doSelect(rt, false) },
			"PriSelect": func(rt *rapid.T) { doSelect(rt, true) },
		})

		// The end: every message whose Send succeeded was received once.
		s.Close()
		for _, m := range chans {
			if m.b != nil {
				m.b.Close()
				for {
					v, err := m.b.Recv()
					if err != nil {
						break
					}
					received[v]++
				}
			}
		}
		closeAll() // releases parked senders with ErrClosed
		senders.Wait()
		for _, m := range chans {
			if m.c != nil {
				// A Chan's messages left were either released by a close
				// (not delivered) or taken by nobody: none was delivered.
				for v := range m.sent {
					if delivered[v] {
						rt.Fatalf("message %d: Send succeeded but nobody received it", v)
					}
				}
			}
		}
		for v, k := range received {
			if k != 1 {
				rt.Fatalf("message %d received %d times", v, k)
			}
			if !delivered[v] {
				rt.Fatalf("message %d received but its Send failed", v)
			}
		}
		for v := range delivered {
			if received[v] == 0 {
				rt.Fatalf("message %d: Send succeeded but it was never received", v)
			}
		}
	}
}
