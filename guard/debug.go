//go:build !chorddebug

package guard

// The assertion mode is off: see debug_on.go, built with -tags chorddebug.
const debug = false

// debugCount is the assertion mode's count of a waiter's queued entries.
//
//lint:ignore U1000 the field is counted in the assertion mode (debug_on.go)
type debugCount struct{}

func debugQueued(*Entry, int)      {}
func debugReset(*Waiter)           {}
func debugQuiescent(*Waiter, bool) {}
func debugSorted([]*Mutex)         {}
func debugStable(Guard, []*Mutex)  {}
func debugFailedCommit(Guard)      {}
