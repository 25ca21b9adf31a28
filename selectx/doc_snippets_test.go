package selectx_test

import (
	"testing"

	"github.com/gochord/chord/internal/testkit"
)

// TestDocSnippetsAreExamples checks that every code block of selectx's
// package documentation is the body of a runnable Example, so that it
// compiles and runs as written.
func TestDocSnippetsAreExamples(t *testing.T) {
	testkit.RequireSnippetsInExamples(t, testkit.PackageDocSnippets(t, "."), testkit.ExampleLines(t, "."))
}
