package chanop_test

import (
	"testing"

	"github.com/gochord/chord/internal/testkit"
)

// TestDocSnippetsAreExamples checks that every code block of chanop's
// package documentation is the body of a runnable Example, so that it
// compiles and runs as written.
func TestDocSnippetsAreExamples(t *testing.T) {
	testkit.RequireSnippetsInExamples(t, testkit.PackageDocSnippets(t, "."), testkit.ExampleLines(t, "."))
}

// TestReadmeSnippetsAreExamples checks the same for every Go block of the
// README: each is in an Example of chanop, selectx, join or buffer.
func TestReadmeSnippetsAreExamples(t *testing.T) {
	testkit.RequireSnippetsInExamples(t, testkit.MarkdownGoSnippets(t, "../README.md"),
		testkit.ExampleLines(t, ".", "../selectx", "../join", "../buffer", "../props"))
}
