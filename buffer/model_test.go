package buffer_test

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"
	"testing/synctest"

	"pgregory.net/rapid"

	"github.com/gochord/chord/buffer"
	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/join"
	"github.com/gochord/chord/selectx"
)

// result is what a blocking operation returned: a Send (no values), a Recv
// (one value) or a pattern (its part's values).
type result struct {
	vals []int
	err  error
}

func (r result) String() string { return fmt.Sprintf("(%v, %v)", r.vals, r.err) }

func (r result) equal(s result) bool {
	return errors.Is(r.err, s.err) && errors.Is(s.err, r.err) && slices.Equal(r.vals, s.vals)
}

// A pending operation runs in its own goroutine; the model decides when it
// completes and with what.
type pending struct {
	what    string
	done    <-chan result
	want    *result // set once the model completed it
	checked bool
}

type sender struct {
	v int
	p *pending
}

// model is a slice-backed reference buffer: what Buffer must do, step by
// step, when every operation has settled before the next starts.
type model struct {
	limit     int // math.MaxInt if unbounded
	items     []int
	senders   []sender   // blocked, oldest first; only while full
	receivers []*pending // blocked, oldest first; only while empty
	pat       *pending   // a blocked FromN(b, patK) pattern
	patK      int
	closed    bool
	ops       []*pending
}

func (m *model) complete(p *pending, r result) {
	if p != nil {
		p.want = &r
	}
}

// send models a Send of v by p (nil for a guard whose select returned at
// once); with block false it reports ok=false where a Send would block.
func (m *model) send(v int, p *pending, block bool) (ok bool, err error) {
	switch {
	case m.closed:
		m.complete(p, result{err: chanop.ErrClosed})
		return true, chanop.ErrClosed
	case len(m.receivers) > 0:
		r := m.receivers[0]
		m.receivers = m.receivers[1:]
		m.complete(r, result{vals: []int{v}})
		m.complete(p, result{})
	case len(m.items) < m.limit:
		m.items = append(m.items, v)
		m.complete(p, result{})
		m.arrived()
	case !block:
		return false, nil
	default:
		m.senders = append(m.senders, sender{v, p})
		m.arrived()
	}
	return true, nil
}

// arrived: a message became available; a waiting pattern fires if it can.
func (m *model) arrived() {
	if m.pat != nil && len(m.items)+len(m.senders) >= m.patK {
		m.complete(m.pat, result{vals: m.take(m.patK)})
		m.pat = nil
	}
}

// take removes the k oldest messages, stored ones first, and settles.
func (m *model) take(k int) []int {
	n := min(k, len(m.items))
	vals := slices.Clone(m.items[:n])
	m.items = m.items[n:]
	for len(vals) < k {
		s := m.senders[0]
		m.senders = m.senders[1:]
		vals = append(vals, s.v)
		m.complete(s.p, result{})
	}
	m.refill()
	return vals
}

func (m *model) refill() {
	for len(m.senders) > 0 && len(m.items) < m.limit {
		s := m.senders[0]
		m.senders = m.senders[1:]
		m.items = append(m.items, s.v)
		m.complete(s.p, result{})
	}
}

func (m *model) recv(p *pending, block bool) (v int, ok bool, err error) {
	switch {
	case len(m.items) > 0:
		v = m.items[0]
		m.items = m.items[1:]
		m.refill()
		m.complete(p, result{vals: []int{v}})
		return v, true, nil
	case m.closed:
		m.complete(p, result{err: chanop.ErrClosed})
		return 0, true, chanop.ErrClosed
	case !block:
		return 0, false, nil
	}
	m.receivers = append(m.receivers, p)
	return 0, true, nil
}

// tryTake models a select over a FromN(b, k) pattern and Skip.
func (m *model) tryTake(k int) (vals []int, ok bool, err error) {
	switch {
	case len(m.items)+len(m.senders) >= k:
		return m.take(k), true, nil
	case m.closed: // no senders after Close: the part can never be satisfied
		return nil, true, chanop.ErrClosed
	}
	return nil, false, nil
}

func (m *model) close() {
	if m.closed {
		return
	}
	m.closed = true
	for _, s := range m.senders {
		m.complete(s.p, result{err: chanop.ErrClosed})
	}
	for _, r := range m.receivers {
		m.complete(r, result{err: chanop.ErrClosed})
	}
	m.senders, m.receivers = nil, nil
	if m.pat != nil { // it waited, so fewer than patK messages are stored
		m.complete(m.pat, result{err: chanop.ErrClosed})
		m.pat = nil
	}
}

// TestBufferMatchesModel runs random sequences of operations — plain and
// select-based sends and receives that may block, non-blocking selects,
// join patterns taking n messages (at once or waiting), Close — on a
// Buffer and on the model, letting every goroutine settle (synctest.Wait)
// after each step, and checks that the same operations have completed with
// the same results (FIFO, capacity, close semantics), that Len is exact,
// and that the buffer's invariants hold. A deadlock is reported by
// synctest, not hung.
func TestBufferMatchesModel(t *testing.T) {
	noLeak(t)
	rapid.Check(t, func(rt *rapid.T) {
		rapid.SyncTest(rt, func(rt *rapid.T) {
			capacity := rapid.IntRange(0, 3).Draw(rt, "capacity") // 0: unbounded
			var b *buffer.Buffer[int]
			m := &model{limit: capacity}
			if capacity == 0 {
				b, m.limit = buffer.Unbounded[int](), math.MaxInt
			} else {
				b = buffer.New[int](capacity)
			}
			idle := chanop.New[int]() // nobody sends: selects also receiving from it wait on two guards
			// On failure too, release every goroutine, so that the bubble
			// reports the failure rather than a deadlock.
			defer idle.Close()
			defer b.Close()
			next := 0
			start := func(what string, f func() result) *pending {
				p := &pending{what: fmt.Sprintf("%s #%d", what, len(m.ops)), done: goAsync(f)}
				m.ops = append(m.ops, p)
				return p
			}
			check := func(rt *rapid.T) {
				synctest.Wait()
				for _, p := range m.ops {
					if p.checked {
						continue
					}
					select {
					case r := <-p.done:
						if p.want == nil {
							rt.Fatalf("%s completed with %v; the model has it blocked", p.what, r)
						}
						if !r.equal(*p.want) {
							rt.Fatalf("%s completed with %v; the model says %v", p.what, r, *p.want)
						}
						p.checked = true
					default:
						if p.want != nil {
							rt.Fatalf("%s is blocked; the model completed it with %v", p.what, *p.want)
						}
					}
				}
				if n := b.Len(); n != len(m.items) {
					rt.Fatalf("Len() = %d; the model stores %v", n, m.items)
				}
				if err := b.CheckSettled(); err != nil {
					rt.Fatalf("invariant: %v", err)
				}
			}
			rt.Repeat(map[string]func(*rapid.T){
				"Send": func(rt *rapid.T) {
					v := next
					next++
					p := start("Send", func() result { return result{err: b.Send(v)} })
					m.send(v, p, true)
				},
				"SelectSend": func(rt *rapid.T) {
					v := next
					next++
					op := b.SendOp(v)
					p := start("SelectSend", func() result {
						g, err := selectx.Select(op, idle.RecvOp())
						if g != op {
							return result{err: fmt.Errorf("select chose %v", g)}
						}
						return result{err: err}
					})
					m.send(v, p, true)
				},
				"Recv": func(rt *rapid.T) {
					p := start("Recv", func() result {
						v, err := b.Recv()
						if err != nil {
							return result{err: err}
						}
						return result{vals: []int{v}}
					})
					m.recv(p, true)
				},
				"SelectRecv": func(rt *rapid.T) {
					op := b.RecvOp()
					p := start("SelectRecv", func() result {
						g, err := selectx.Select(idle.RecvOp(), op)
						switch {
						case g != op:
							return result{err: fmt.Errorf("select chose %v", g)}
						case err != nil:
							return result{err: err}
						}
						return result{vals: []int{op.Value()}}
					})
					m.recv(p, true)
				},
				"TrySend": func(rt *rapid.T) {
					v := next
					next++
					op, skip := b.SendOp(v), chanop.Skip()
					g, err := selectx.PriSelect(op, skip)
					ok, werr := m.send(v, nil, false)
					if (g == op) != ok || !errors.Is(err, werr) {
						rt.Fatalf("TrySend(%d) chose send: %v, err %v; the model says %v, %v", v, g == op, err, ok, werr)
					}
				},
				"TryRecv": func(rt *rapid.T) {
					op, skip := b.RecvOp(), chanop.Skip()
					g, err := selectx.PriSelect(op, skip)
					v, ok, werr := m.recv(nil, false)
					if (g == op) != ok || !errors.Is(err, werr) || (ok && werr == nil && op.Value() != v) {
						rt.Fatalf("TryRecv chose recv: %v, got %d, %v; the model says %v, %d, %v", g == op, op.Value(), err, ok, v, werr)
					}
				},
				"TrySendMethod": func(rt *rapid.T) {
					v := next
					next++
					ok, err := b.TrySend(v)
					mok, werr := m.send(v, nil, false)
					if ok != (mok && werr == nil) || !errors.Is(err, werr) {
						rt.Fatalf("TrySend(%d) = %v, %v; the model says %v, %v", v, ok, err, mok && werr == nil, werr)
					}
				},
				"TryRecvMethod": func(rt *rapid.T) {
					v, ok, err := b.TryRecv()
					mv, mok, werr := m.recv(nil, false)
					if ok != (mok && werr == nil) || !errors.Is(err, werr) || (ok && v != mv) {
						rt.Fatalf("TryRecv() = %d, %v, %v; the model says %d, %v, %v", v, ok, err, mv, mok && werr == nil, werr)
					}
				},
				"TakeN": func(rt *rapid.T) {
					k := rapid.IntRange(1, 3).Draw(rt, "k")
					part := join.FromN(b, k)
					pat, skip := join.All(part), chanop.Skip()
					g, err := selectx.PriSelect(pat, skip)
					vals, ok, werr := m.tryTake(k)
					if (g == pat) != ok || !errors.Is(err, werr) || (ok && werr == nil && !slices.Equal(part.Values(), vals)) {
						rt.Fatalf("TakeN(%d) fired: %v, took %v, %v; the model says %v, %v, %v", k, g == pat, part.Values(), err, ok, vals, werr)
					}
				},
				"WaitN": func(rt *rapid.T) {
					k := rapid.IntRange(1, 3).Draw(rt, "k")
					if m.pat != nil || m.closed || len(m.items)+len(m.senders) >= k {
						return // only a pattern that must wait; TakeN covers the others
					}
					part := join.FromN(b, k)
					pat := join.All(part)
					m.pat, m.patK = start(fmt.Sprintf("WaitN(%d)", k), func() result {
						if err := pat.Wait(); err != nil {
							return result{err: err}
						}
						return result{vals: slices.Clone(part.Values())}
					}), k
				},
				"Close": func(rt *rapid.T) {
					if rapid.IntRange(0, 4).Draw(rt, "close") != 0 {
						return // rarely, so that most steps run on an open buffer
					}
					b.Close()
					m.close()
				},
				"": check,
			})
			b.Close()
			m.close()
			check(rt)
		})
	})
}
