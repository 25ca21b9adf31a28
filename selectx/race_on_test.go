//go:build race

package selectx_test

// raceEnabled: the race detector is on, and sync.Pool drops items at random.
const raceEnabled = true
