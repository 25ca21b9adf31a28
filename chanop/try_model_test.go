package chanop_test

import (
	"errors"
	"testing/synctest"

	"pgregory.net/rapid"

	"github.com/gochord/chord/chanop"
)

// trySend is TrySend, run by the test's goroutine itself: if it blocked,
// the bubble would report a deadlock. The model: it delivers to the oldest
// parked receiver, fails with ErrClosed on a closed channel, and otherwise
// reports false and changes nothing.
func (m *chanMachine) trySend(t *rapid.T) {
	i := rapid.IntRange(0, len(m.nextSeq)-1).Draw(t, "sender")
	msg := seqMsg{i, m.nextSeq[i]}
	m.nextSeq[i]++
	ok, err := m.c.TrySend(msg)

	wantOK, wantErr := false, error(nil)
	switch {
	case m.closed:
		wantErr = chanop.ErrClosed
	case len(m.pendingRecvs) > 0:
		r := m.pendingRecvs[0]
		m.pendingRecvs = m.pendingRecvs[1:]
		m.wantRecvs[r] = outcome{Done: true, Msg: msg}
		wantOK = true
	}
	if ok != wantOK || !errors.Is(err, wantErr) || (err == nil) != (wantErr == nil) {
		t.Fatalf("TrySend(%v) = %v, %v; model says %v, %v", msg, ok, err, wantOK, wantErr)
	}
	if ok {
		m.mu.Lock()
		m.sends = append(m.sends, &outcome{Done: true, Msg: msg})
		m.mu.Unlock()
		m.sendMsgs = append(m.sendMsgs, msg)
		m.wantSends = append(m.wantSends, outcome{Done: true, Msg: msg})
	}
	synctest.Wait() // the receiver, woken, records its outcome
}

// tryRecv is TryRecv, likewise: it takes the oldest parked sender's
// message.
func (m *chanMachine) tryRecv(t *rapid.T) {
	v, ok, err := m.c.TryRecv()

	wantOK, wantErr, want := false, error(nil), seqMsg{}
	switch {
	case m.closed:
		wantErr = chanop.ErrClosed
	case len(m.pendingSends) > 0:
		s := m.pendingSends[0]
		m.pendingSends = m.pendingSends[1:]
		m.wantSends[s] = outcome{Done: true, Msg: m.sendMsgs[s]}
		wantOK, want = true, m.sendMsgs[s]
	}
	if ok != wantOK || !errors.Is(err, wantErr) || (err == nil) != (wantErr == nil) || v != want {
		t.Fatalf("TryRecv() = %v, %v, %v; model says %v, %v, %v", v, ok, err, want, wantOK, wantErr)
	}
	if ok {
		m.mu.Lock()
		m.received = append(m.received, v)
		m.mu.Unlock()
	}
	synctest.Wait() // the sender, woken, records its outcome
}
