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
