package testkit

import (
	"go/ast"
	"go/doc/comment"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A Snippet is a block of Go code shown in documentation, as trimmed
// non-blank lines, with where it came from.
type Snippet struct {
	From  string
	Lines []string
}

// PackageDocSnippets returns the code blocks of the package comment of the
// Go package in dir (its non-test files).
func PackageDocSnippets(t *testing.T, dir string) []Snippet {
	t.Helper()
	fset := token.NewFileSet()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []Snippet
	for _, ent := range ents {
		name := ent.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		path := filepath.Join(dir, name)
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments|parser.PackageClauseOnly)
		if err != nil {
			t.Fatal(err)
		}
		if f.Doc == nil {
			continue
		}
		out = append(out, commentSnippets(path, f.Doc)...)
	}
	return out
}

func commentSnippets(from string, cg *ast.CommentGroup) []Snippet {
	var p comment.Parser
	var out []Snippet
	for _, b := range p.Parse(cg.Text()).Content {
		if c, ok := b.(*comment.Code); ok {
			out = append(out, Snippet{From: from, Lines: codeLines(c.Text)})
		}
	}
	return out
}

// MarkdownGoSnippets returns the ```go blocks of the Markdown file at path.
func MarkdownGoSnippets(t *testing.T, path string) []Snippet {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []Snippet
	var cur []string
	in := false
	for _, line := range strings.Split(string(data), "\n") {
		switch {
		case !in && strings.TrimSpace(line) == "```go":
			in, cur = true, nil
		case in && strings.TrimSpace(line) == "```":
			in = false
			out = append(out, Snippet{From: path, Lines: codeLines(strings.Join(cur, "\n"))})
		case in:
			cur = append(cur, line)
		}
	}
	return out
}

// ExampleLines returns the trimmed non-blank lines of every example file
// (*example_test.go) in dirs, one slice per file.
func ExampleLines(t *testing.T, dirs ...string) map[string][]string {
	t.Helper()
	out := make(map[string][]string)
	for _, dir := range dirs {
		paths, err := filepath.Glob(filepath.Join(dir, "*example_test.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			out[p] = codeLines(string(data))
		}
	}
	return out
}

// RequireSnippetsInExamples fails t for each snippet that does not appear,
// as consecutive lines, in one of the example files: documentation shows
// only code that a runnable Example compiles and runs. A line "…" in a
// snippet stands for code left out: the pieces it separates must appear in
// order in one file.
func RequireSnippetsInExamples(t *testing.T, snippets []Snippet, examples map[string][]string) {
	t.Helper()
	if len(snippets) == 0 {
		t.Fatal("no snippets found")
	}
	for _, s := range snippets {
		found := false
		for _, lines := range examples {
			if containsPieces(lines, s.Lines) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("%s: this snippet is in no Example:\n\t%s", s.From, strings.Join(s.Lines, "\n\t"))
		}
	}
}

// containsPieces reports whether the pieces of needle between "…" lines
// occur in hay, each as consecutive lines, in order.
func containsPieces(hay, needle []string) bool {
	from := 0
	for len(needle) > 0 {
		piece := needle
		rest := []string(nil)
		for i, l := range needle {
			if l == "…" {
				piece, rest = needle[:i], needle[i+1:]
				break
			}
		}
		if len(piece) > 0 {
			at := indexRun(hay[from:], piece)
			if at < 0 {
				return false
			}
			from += at + len(piece)
		}
		needle = rest
	}
	return true
}

// indexRun returns the index of the first occurrence of needle in hay as
// consecutive lines, or -1.
func indexRun(hay, needle []string) int {
	for i := 0; i+len(needle) <= len(hay); i++ {
		match := true
		for j, l := range needle {
			if hay[i+j] != l {
				match = false
				break
			}
		}
		if match {
			return i
		}
	}
	return -1
}

// codeLines splits text into lines, collapses each line's runs of spaces
// and tabs, and drops blank lines, so that indentation and gofmt's
// alignment of comments do not matter when matching.
func codeLines(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if f := strings.Fields(l); len(f) > 0 {
			out = append(out, strings.Join(f, " "))
		}
	}
	return out
}
