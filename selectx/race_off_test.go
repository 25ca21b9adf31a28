//go:build !race

package selectx_test

const raceEnabled = false
