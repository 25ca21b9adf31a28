//go:build chorddebug

package guard

import (
	"slices"
	"sync/atomic"
)

// The assertion mode, as the runtime's debugChan and debugSelect: built with
// -tags chorddebug, it checks the protocol's rules where chord relies on
// them, and panics with "guard: assertion failed: …" when one is broken.
// Off by default; .ci/run runs the whole suite with it on.
const debug = true

// Debug reports whether the assertion mode is on (build tag chorddebug),
// for guard kinds outside this package that check their own rules.
const Debug = debug

// DebugPending returns how many snapshots of the listener entries es
// (AppendLive) have not been notified yet: a source has announced a
// message to them that their Notify has not yet seen.
func DebugPending(es []Entry) int {
	n := 0
	for i := range es {
		n += int(es[i].pend.n.Load())
	}
	return n
}

// debugSnapshot records that a snapshot of e was taken (d = 1) or
// notified or dropped (d = -1).
func debugSnapshot(e *Entry, d int) { e.pend.n.Add(int32(d)) }

// debugCount is a waiter's count of its entries that are in a queue.
type debugCount struct{ n atomic.Int32 }

// debugQueued records that e entered (d = 1) or left (d = -1) a queue.
func debugQueued(e *Entry, d int) {
	if e.W != nil {
		e.W.debug.n.Add(int32(d))
	}
}

// debugReset: a waiter is reused only when quiescent, no entry of it left
// in any queue (the Invariants).
func debugReset(w *Waiter) {
	if n := w.debug.n.Load(); n != 0 {
		panic("guard: assertion failed: a waiter is reused while " + itoa(int(n)) + " of its entries are queued")
	}
}

// debugQuiescent: after park, every entry of the select is out of its
// queue.
func debugQuiescent(_ *Waiter, queued bool) {
	if queued {
		panic("guard: assertion failed: an entry is still queued after its select woke and dequeued")
	}
}

// debugSorted: a lock list is in lock order, without duplicates.
func debugSorted(ls []*Mutex) {
	for i := 1; i < len(ls); i++ {
		if ls[i-1].order() >= ls[i].order() {
			panic("guard: assertion failed: a lock list is not in lock order (SortLocks), or has a lock twice")
		}
	}
}

// debugStable: g's Locks returns the same, sorted list every time.
func debugStable(g Guard, ls []*Mutex) {
	debugSorted(ls)
	if again := g.Locks(); !slices.Equal(again, ls) {
		panic("guard: assertion failed: a guard's Locks changed between two calls")
	}
}

// debugFailedCommit: a Commit that failed left the guard not ready (the
// Commit rule: it fails only when Poll would), so nothing it could have
// completed is left waiting for a wake-up. g's locks are held.
func debugFailedCommit(g Guard) {
	// A guard without locks (After, Done, Skip) may become ready at any
	// instant, its Commit's failure notwithstanding.
	if len(g.Locks()) > 0 && g.Poll() {
		panic("guard: assertion failed: Commit failed while Poll reports the guard ready")
	}
}

func itoa(n int) string {
	if n < 0 {
		return "-" + itoa(-n)
	}
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
