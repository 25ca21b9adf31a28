package join_test

import (
	"testing"

	"github.com/gochord/chord/internal/testkit"
)

// TestDocSnippetsAreExamples checks that every code block of join's package
// documentation is in a runnable Example, so that it compiles and runs as
// written.
func TestDocSnippetsAreExamples(t *testing.T) {
	testkit.RequireSnippetsInExamples(t, testkit.PackageDocSnippets(t, "."), testkit.ExampleLines(t, "."))
}
