//go:build !race

package testkit

// Race reports whether the tests run under the race detector, which
// randomises the order of goroutines on purpose: a run is then not decided
// by its seed alone.
const Race = false
