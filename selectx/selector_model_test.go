package selectx_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"testing/synctest"

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
