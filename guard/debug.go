//go:build !chorddebug

package guard

// The assertion mode is off: see debug_on.go, built with -tags chorddebug.
const debug = false

// Debug reports whether the assertion mode is on (build tag chorddebug),
// for guard kinds outside this package that check their own rules.
const Debug = debug

// DebugPending returns, in the assertion mode, how many snapshots of the
// listener entries es (AppendLive) have not been notified yet: a source
// has announced a message to them that their Notify has not yet seen.
// Without the assertion mode it returns 0.
func DebugPending(es []Entry) int { return 0 }

// debugCount is the assertion mode's count of a waiter's queued entries.
//
//lint:ignore U1000 the field is counted in the assertion mode (debug_on.go)
type debugCount struct{}

func debugQueued(*Entry, int)      {}
func debugSnapshot(*Entry, int)    {}
func debugReset(*Waiter)           {}
func debugQuiescent(*Waiter, bool) {}
func debugSorted([]*Mutex)         {}
func debugStable(Guard, []*Mutex)  {}
func debugFailedCommit(Guard)      {}
