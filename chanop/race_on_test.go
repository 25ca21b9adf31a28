//go:build race

package chanop_test

const raceEnabled = true
