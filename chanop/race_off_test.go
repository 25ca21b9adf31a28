//go:build !race

package chanop_test

const raceEnabled = false
