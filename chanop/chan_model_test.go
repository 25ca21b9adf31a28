package chanop_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"testing/synctest"

	"pgregory.net/rapid"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/guard"
)

// This file checks Chan against a tiny reference model (compare
// sync/map_reference_test.go): a synchronous channel with FIFO queues of
// waiting senders and receivers. Every operation runs in its own goroutine
// inside a synctest bubble, and after each action synctest.Wait lets every
// goroutine either finish or park, so the state the model predicts is
// exactly observable: who has returned, with what.

// seqMsg is message Seq of sender Sender.
type seqMsg struct{ Sender, Seq int }

func (m seqMsg) String() string { return fmt.Sprintf("s%d#%d", m.Sender, m.Seq) }

// outcome is what an operation returned, or that it has not.
type outcome struct {
	Done bool
	Msg  seqMsg // the message sent, or received
	Err  error
}

type chanMachine struct {
	c       *chanop.Chan[seqMsg]
	nextSeq []int // per sender: the next sequence number to send

	mu    sync.Mutex // guards the real outcomes, written by the op goroutines
	sends []*outcome // real outcome of each send, in order of issue
	recvs []*outcome // real outcome of each receive, in order of issue

	// The model.
	wantSends, wantRecvs []outcome
	sendMsgs             []seqMsg // message of each send
	pendingSends         []int    // indices of parked sends, oldest first
	pendingRecvs         []int    // indices of parked receives, oldest first
	closed               bool

	// Observations for the end-to-end properties.
	logged   []bool   // per receive: already appended to received
	received []seqMsg // successful receives, in the order they happened
}

func (m *chanMachine) send(t *rapid.T) {
	i := rapid.IntRange(0, len(m.nextSeq)-1).Draw(t, "sender")
	how := rapid.SampledFrom([]string{"Send", "Wait(SendOp)"}).Draw(t, "how")
	msg := seqMsg{i, m.nextSeq[i]}
	m.nextSeq[i]++

	out := new(outcome)
	m.mu.Lock()
	idx := len(m.sends)
	m.sends = append(m.sends, out)
	m.mu.Unlock()
	go func() {
		var err error
		if how == "Send" {
			err = m.c.Send(msg)
		} else {
			err = guard.Wait(m.c.SendOp(msg))
		}
		m.mu.Lock()
		*out = outcome{Done: true, Msg: msg, Err: err}
		m.mu.Unlock()
	}()

	// Model.
	m.sendMsgs = append(m.sendMsgs, msg)
	m.wantSends = append(m.wantSends, outcome{Msg: msg})
	switch {
	case m.closed:
		m.wantSends[idx] = outcome{Done: true, Msg: msg, Err: chanop.ErrClosed}
	case len(m.pendingRecvs) > 0:
		r := m.pendingRecvs[0]
		m.pendingRecvs = m.pendingRecvs[1:]
		m.wantRecvs[r] = outcome{Done: true, Msg: msg}
		m.wantSends[idx] = outcome{Done: true, Msg: msg}
	default:
		m.pendingSends = append(m.pendingSends, idx)
	}
	synctest.Wait()
}

func (m *chanMachine) recv(t *rapid.T) {
	how := rapid.SampledFrom([]string{"Recv", "Wait(RecvOp)"}).Draw(t, "how")
	out := new(outcome)
	m.mu.Lock()
	idx := len(m.recvs)
	m.recvs = append(m.recvs, out)
	m.mu.Unlock()
	go func() {
		var v seqMsg
		var err error
		if how == "Recv" {
			v, err = m.c.Recv()
		} else {
			r := m.c.RecvOp()
			err = guard.Wait(r)
			v = r.Value()
		}
		m.mu.Lock()
		*out = outcome{Done: true, Msg: v, Err: err}
		m.mu.Unlock()
	}()

	m.logged = append(m.logged, false)
	m.wantRecvs = append(m.wantRecvs, outcome{})
	switch {
	case m.closed:
		m.wantRecvs[idx] = outcome{Done: true, Err: chanop.ErrClosed}
	case len(m.pendingSends) > 0:
		s := m.pendingSends[0]
		m.pendingSends = m.pendingSends[1:]
		m.wantSends[s] = outcome{Done: true, Msg: m.sendMsgs[s]}
		m.wantRecvs[idx] = outcome{Done: true, Msg: m.sendMsgs[s]}
	default:
		m.pendingRecvs = append(m.pendingRecvs, idx)
	}
	synctest.Wait()
}

// close closes the channel now and then (and again, which must do nothing):
// rarely, so that most runs exercise the open channel.
func (m *chanMachine) close(t *rapid.T) {
	if rapid.IntRange(0, 15).Draw(t, "closeRoll") != 5 {
		return
	}
	m.closeNow()
}

func (m *chanMachine) closeNow() {
	m.c.Close()
	for _, s := range m.pendingSends {
		m.wantSends[s] = outcome{Done: true, Msg: m.sendMsgs[s], Err: chanop.ErrClosed}
	}
	for _, r := range m.pendingRecvs {
		m.wantRecvs[r] = outcome{Done: true, Err: chanop.ErrClosed}
	}
	m.pendingSends, m.pendingRecvs, m.closed = nil, nil, true
	synctest.Wait()
}

// sameOutcome compares a real outcome with the model's: an operation the
// model expects still blocked must not have returned; one it expects done
// must have returned exactly that.
func sameOutcome(got, want outcome) bool {
	if !want.Done {
		return !got.Done
	}
	return got == want
}

// check compares the real channel with the model after every action.
func (m *chanMachine) check(t *rapid.T) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, want := range m.wantSends {
		if got := *m.sends[i]; !sameOutcome(got, want) {
			t.Fatalf("send %d (%v): got %+v, model says %+v", i, m.sendMsgs[i], got, want)
		}
	}
	for i, want := range m.wantRecvs {
		got := *m.recvs[i]
		if !sameOutcome(got, want) {
			t.Fatalf("receive %d: got %+v, model says %+v", i, got, want)
		}
		if got.Done && got.Err == nil && !m.logged[i] {
			m.logged[i] = true
			m.received = append(m.received, got.Msg)
		}
	}
	if got, want := m.c.Len(), len(m.pendingSends); got != want {
		t.Fatalf("Len() = %d, model has %d waiting senders", got, want)
	}
}

// checkDelivery checks the end-to-end properties from the observations
// alone, independently of the model: every value whose Send returned nil
// was received exactly once, nothing was received that was not sent, and
// each sender's values were received in the order it sent them.
func (m *chanMachine) checkDelivery(t *rapid.T) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delivered := map[seqMsg]bool{}
	for _, s := range m.sends {
		if s.Done && s.Err == nil {
			delivered[s.Msg] = true
		}
	}
	seen := map[seqMsg]bool{}
	last := map[int]int{}
	for _, v := range m.received {
		if seen[v] {
			t.Fatalf("%v received twice; received %v", v, m.received)
		}
		seen[v] = true
		if !delivered[v] {
			t.Fatalf("%v received but no Send of it returned nil; received %v", v, m.received)
		}
		if prev, ok := last[v.Sender]; ok && v.Seq <= prev {
			t.Fatalf("sender %d: #%d received after #%d; received %v", v.Sender, v.Seq, prev, m.received)
		}
		last[v.Sender] = v.Seq
	}
	for v := range delivered {
		if !seen[v] {
			t.Fatalf("Send(%v) returned nil but nobody received it; received %v", v, m.received)
		}
	}
}

func TestChanMatchesReferenceModel(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		rapid.SyncTest(rt, func(t *rapid.T) {
			m := &chanMachine{
				c:       chanop.New[seqMsg](),
				nextSeq: make([]int, rapid.IntRange(1, 4).Draw(t, "senders")),
			}
			// On failure too: release every parked goroutine so the bubble ends.
			t.Cleanup(m.c.Close)
			t.Repeat(map[string]func(*rapid.T){
				"send":    m.send,
				"recv":    m.recv,
				"trySend": m.trySend,
				"tryRecv": m.tryRecv,
				"close":   m.close,
				"":        m.check,
			})
			m.checkDelivery(t)

			// Close releases whatever is still parked, with ErrClosed.
			m.closeNow()
			m.check(t)
			m.mu.Lock()
			defer m.mu.Unlock()
			if i := slices.IndexFunc(m.sends, func(o *outcome) bool { return !o.Done }); i >= 0 {
				t.Fatalf("send %d still blocked after Close", i)
			}
			if i := slices.IndexFunc(m.recvs, func(o *outcome) bool { return !o.Done }); i >= 0 {
				t.Fatalf("receive %d still blocked after Close", i)
			}
		})
	})
}
