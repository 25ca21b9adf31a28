package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/gochord/chord/internal/testkit"
)

// TestHelpShowsOnlyTheCommandsFlags runs the command with -help: it lists its
// own flags, and none of rapid's (-rapid.*), which come with its checkers.
func TestHelpShowsOnlyTheCommandsFlags(t *testing.T) {
	out := testkit.Help(t, main)
	assert.NotContains(t, out, "-rapid.")
	assert.NotContains(t, out, "-test.")
}

// TestCommandLine runs the command as a user would: -h and -help print the
// usage with the common flags; -q prints the verdict only; -broken -q, run
// twice, shows the mistake at the broken mode's default seed, the same
// both times, and says how to rerun it.
func TestCommandLine(t *testing.T) {
	testkit.CommandLine(t, main, "santa", "santa/reindeer-priority")
}
