package timeline

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

// WellFormed fails t unless svg parses as XML with an <svg> root.
func wellFormed(t *testing.T, svg string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(svg))
	root := ""
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, svg)
		}
		if s, ok := tok.(xml.StartElement); ok && root == "" {
			root = s.Name.Local
		}
	}
	if root != "svg" {
		t.Fatalf("root element %q; want svg", root)
	}
}

func TestChartIsWellFormedSVGWithLanesSpansAndLinks(t *testing.T) {
	b := NewBuilder(`a <title> & "quotes"`, []string{"H 0", "O <1>"}, States("waits", "#fc0", "bonds", "#0a0"))
	b.Set(0, 0, 0)
	b.Set(1, 0, time.Millisecond)
	b.Set(0, 1, 3*time.Millisecond)
	b.Set(1, 1, 3*time.Millisecond)
	b.Link(3*time.Millisecond, "bond 1", 0, 1)
	c := b.Chart(5 * time.Millisecond)
	if len(c.Spans) != 4 || c.Spans[0].To != 3*time.Millisecond || c.Spans[3].To != 5*time.Millisecond {
		t.Fatalf("spans %+v", c.Spans)
	}
	var s strings.Builder
	if err := c.WriteSVG(&s); err != nil {
		t.Fatal(err)
	}
	wellFormed(t, s.String())
	for _, want := range []string{"O &lt;1&gt;", "bond 1", "a firing", "waits", "5ms"} {
		if !strings.Contains(s.String(), want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
}

func TestEmptyChartIsWellFormed(t *testing.T) {
	var s strings.Builder
	if err := (Chart{}).WriteSVG(&s); err != nil {
		t.Fatal(err)
	}
	wellFormed(t, s.String())
}

func TestTickIsRound(t *testing.T) {
	for _, c := range []struct{ end, want time.Duration }{
		{10 * time.Millisecond, time.Millisecond},
		{35 * time.Millisecond, 5 * time.Millisecond},
		{3 * time.Second, 500 * time.Millisecond},
	} {
		if got := tick(c.end); got != c.want {
			t.Errorf("tick(%v) = %v; want %v", c.end, got, c.want)
		}
	}
}

func TestWaitsEndWhenTheWaiterMovesOrTheResourceIsFree(t *testing.T) {
	b := NewBuilder("t", []string{"P0", "P1", "fork"}, States("waits", "#fc0", "held", "#840"))
	b.Hold(2, 1, 0, 1)
	b.Set(0, 0, 1)
	b.WaitFor(0, 2, 1, "fork, which P1 holds")
	b.Set(1, 0, 2)
	b.WaitFor(1, 0, 2, "")
	b.Set(2, -1, 5) // the fork is put down: P0 no longer waits for it
	b.Mark(9, "deadlock", "deadlock detected")
	c := b.Chart(9)
	if len(c.Waits) != 2 || c.Waits[0].To != 5 || c.Waits[0].Open || c.Waits[1].To != 9 || !c.Waits[1].Open {
		t.Fatalf("waits %+v", c.Waits)
	}
	if len(c.Spans[0].Holders) != 1 || c.Spans[0].Holders[0] != 1 {
		t.Fatalf("spans %+v", c.Spans)
	}
	var s strings.Builder
	if err := c.WriteSVG(&s); err != nil {
		t.Fatal(err)
	}
	wellFormed(t, s.String())
	for _, want := range []string{"P0 waits for fork: fork, which P1 holds", "deadlock detected", "held by P1", "marker-end", "waits for (where"} {
		if !strings.Contains(s.String(), want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
}
