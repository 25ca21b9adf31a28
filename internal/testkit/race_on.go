//go:build race

package testkit

// Race reports whether the race detector is on. Under it sync.Pool drops
// a quarter of what it is given, at random, so a test that counts the
// allocations of a path that recycles through a pool must skip.
const Race = true
