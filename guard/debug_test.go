//go:build chorddebug

package guard

import (
	"strings"
	"testing"
)

// Each test breaks one rule of the protocol on purpose and expects the
// assertion mode to catch it.

func mustAssert(t *testing.T, want string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		msg, _ := r.(string)
		if !strings.HasPrefix(msg, "guard: assertion failed: ") || !strings.Contains(msg, want) {
			t.Fatalf("got panic %v; want an assertion failure about %q", r, want)
		}
	}()
	f()
}

// complete completes w through e as a partner would.
func complete(t *testing.T, w *Waiter, e *Entry) {
	t.Helper()
	if !w.Claim() {
		t.Fatal("claim failed")
	}
	w.Complete(e, nil)
	w.Wake()
}

func TestAssertReuseWhileAnEntryIsQueued(t *testing.T) {
	var p Parking
	var q Queue
	w := p.Waiter()
	q.PushBack(&Entry{W: w}) // an entry nobody will remove
	complete(t, w, &Entry{W: w})
	mustAssert(t, "reused while 1 of its entries are queued", func() { p.Park(nil) })
}

// leaky is a guard whose Dequeue forgets to remove its entry.
type leaky struct {
	mu Mutex
	q  Queue
}

func (g *leaky) Locks() []*Mutex       { return []*Mutex{&g.mu} }
func (g *leaky) Poll() bool            { return false }
func (g *leaky) Commit() (bool, error) { return false, nil }
func (g *leaky) Enqueue(e *Entry)      { g.q.PushBack(e) }
func (g *leaky) Dequeue(*Entry)        {}
func (g *leaky) AfterUnlock()          {}
func (g *leaky) GuardOps() Guard       { return g }

func TestAssertEntryLeftQueuedAfterItsSelectWoke(t *testing.T) {
	var p Parking
	g := &leaky{}
	gs := []Guard{g}
	LockAll(g.Locks())
	p.Enqueue(gs, func() { UnlockAll(g.Locks()) })
	complete(t, p.Waiter(), &Entry{W: p.Waiter()}) // a Notify-like completion
	mustAssert(t, "still queued after its select woke", func() { p.Park(gs) })
}

func TestAssertLockListOutOfOrder(t *testing.T) {
	a, b := new(Mutex), new(Mutex)
	ls := SortLocks([]*Mutex{a, b})
	ls[0], ls[1] = ls[1], ls[0]
	mustAssert(t, "not in lock order", func() { LockAll(ls) })
	mustAssert(t, "not in lock order", func() { LockAll([]*Mutex{a, a}) })
}

// fickle is a guard whose Locks differs from one call to the next.
type fickle struct {
	a, b  Mutex
	calls int
}

func (g *fickle) Locks() []*Mutex {
	g.calls++
	if g.calls%2 == 0 {
		return SortLocks([]*Mutex{&g.a, &g.b})
	}
	return []*Mutex{&g.a}
}
func (g *fickle) Poll() bool            { return false }
func (g *fickle) Commit() (bool, error) { return false, nil }
func (g *fickle) Enqueue(*Entry)        {}
func (g *fickle) Dequeue(*Entry)        {}
func (g *fickle) AfterUnlock()          {}

func TestAssertLocksChangeBetweenCalls(t *testing.T) {
	g := &fickle{}
	es := make([]Entry, 1)
	mustAssert(t, "Locks changed between two calls", func() { DequeueAll([]Guard{g}, es, nil) })
}

// liar is a guard whose Commit fails while Poll reports it ready.
type liar struct{ mu Mutex }

func (g *liar) Locks() []*Mutex       { return []*Mutex{&g.mu} }
func (g *liar) Poll() bool            { return true }
func (g *liar) Commit() (bool, error) { return false, nil }
func (g *liar) Enqueue(*Entry)        {}
func (g *liar) Dequeue(*Entry)        {}
func (g *liar) AfterUnlock()          {}

func TestAssertFailedCommitOfAReadyGuard(t *testing.T) {
	g := &liar{}
	mustAssert(t, "Commit failed while Poll reports the guard ready", func() { Commit(g) })
}

// The rules hold for a correct guard: no assertion fires.
func TestAssertionsQuietForACorrectSelect(t *testing.T) {
	var p Parking
	g := &leaky{}
	for range 3 {
		gs := []Guard{g}
		LockAll(g.Locks())
		p.Enqueue(gs, func() { UnlockAll(g.Locks()) })
		g.mu.Lock()
		e := g.q.Front()
		g.q.Remove(e) // as a partner that completes e removes it
		g.mu.Unlock()
		complete(t, p.Waiter(), e)
		if i, err := p.Park(gs); i != 0 || err != nil {
			t.Fatalf("Park = %d, %v; want 0, nil", i, err)
		}
	}
}
