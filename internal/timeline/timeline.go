// Package timeline draws a run of one of the classic problems as an SVG
// timeline: one lane per actor, its intervals coloured by state, and each
// firing of a join pattern (or any other event that releases several actors
// together) as one vertical link across the lanes it released.
//
// Every narrated command under problems/ builds a Chart from its trace with
// a Builder and writes it with WriteSVG; the drawing lives here only.
package timeline

import (
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"
)

// A State is a colour of the legend: what an actor is doing during an
// interval.
type State struct {
	Name  string // shown in the legend
	Color string // an SVG colour, e.g. "#4caf50"
}

// A Span is one interval of one lane, coloured by a state.
type Span struct {
	Lane     int
	From, To time.Duration
	State    int // index into Chart.States
}

// A Link is a firing: one vertical line at At joining Lanes, labelled.
type Link struct {
	At    time.Duration
	Lanes []int
	Label string
}

// A Chart is a run to draw.
type Chart struct {
	Title  string
	Lanes  []string // actor names, top to bottom
	States []State
	Spans  []Span
	Links  []Link
	End    time.Duration // the right edge; at least the end of the last span
}

// A Builder makes a Chart from a trace read in order: Set starts a new
// state of a lane (ending its previous one), Link records a firing.
// The zero Builder is not ready; use NewBuilder.
type Builder struct {
	c    Chart
	open []int           // per lane: index of its open span in c.Spans, or -1
	last []time.Duration // per lane: when its open span began
}

// NewBuilder returns a builder for a chart with these lanes and states.
func NewBuilder(title string, lanes []string, states []State) *Builder {
	b := &Builder{c: Chart{Title: title, Lanes: lanes, States: states}}
	b.open = make([]int, len(lanes))
	b.last = make([]time.Duration, len(lanes))
	for i := range b.open {
		b.open[i] = -1
	}
	return b
}

// Set ends lane's current interval at at and, unless state is negative,
// opens an interval of state from at.
func (b *Builder) Set(lane int, state int, at time.Duration) {
	if lane < 0 || lane >= len(b.open) {
		return
	}
	if i := b.open[lane]; i >= 0 {
		b.c.Spans[i].To = at
		b.open[lane] = -1
	}
	if state >= 0 {
		b.open[lane] = len(b.c.Spans)
		b.c.Spans = append(b.c.Spans, Span{Lane: lane, From: at, To: at, State: state})
	}
	b.c.End = max(b.c.End, at)
}

// Link records a firing at at that released lanes together.
func (b *Builder) Link(at time.Duration, label string, lanes ...int) {
	b.c.Links = append(b.c.Links, Link{At: at, Lanes: slices.Clone(lanes), Label: label})
	b.c.End = max(b.c.End, at)
}

// Chart closes every open interval at end (or at the latest time seen, if
// later) and returns the chart.
func (b *Builder) Chart(end time.Duration) Chart {
	end = max(end, b.c.End)
	for lane := range b.open {
		b.Set(lane, -1, end)
	}
	b.c.End = end
	return b.c
}

// Geometry of the drawing, in SVG user units.
const (
	labelW  = 110 // lane names
	plotW   = 900 // the time axis
	laneH   = 18
	laneGap = 4
	topH    = 40 // title and time axis
)

// WriteSVG draws c as a standalone SVG document.
func (c Chart) WriteSVG(w io.Writer) error {
	end := c.End
	if end <= 0 {
		end = 1
	}
	x := func(t time.Duration) float64 { return labelW + float64(t)/float64(end)*plotW }
	y := func(lane int) float64 { return topH + float64(lane)*(laneH+laneGap) }
	legendY := y(len(c.Lanes)) + 14
	width := labelW + plotW + 20
	height := legendY + 20*float64(1+(len(c.States)+1)/4) + 10

	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%.0f" viewBox="0 0 %d %.0f" font-family="sans-serif" font-size="11">`+"\n",
		width, height, width, height)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(&b, `<text x="8" y="16" font-size="14" font-weight="bold">%s</text>`+"\n", esc(c.Title))

	// Time axis: about ten ticks.
	step := tick(end)
	for t := time.Duration(0); t <= end; t += step {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%.1f" stroke="#ddd"/>`, x(t), topH-6, x(t), y(len(c.Lanes)))
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle" fill="#666">%s</text>`+"\n", x(t), topH-9, esc(fmtDur(t)))
	}
	for i, name := range c.Lanes {
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end">%s</text>`+"\n", labelW-6, y(i)+laneH-5, esc(name))
		fmt.Fprintf(&b, `<rect x="%d" y="%.1f" width="%d" height="%d" fill="#f6f6f6"/>`+"\n", labelW, y(i), plotW, laneH)
	}
	for _, s := range c.Spans {
		if s.Lane < 0 || s.Lane >= len(c.Lanes) || s.State < 0 || s.State >= len(c.States) {
			continue
		}
		wd := max(x(s.To)-x(s.From), 0.8)
		st := c.States[s.State]
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%d" fill="%s"><title>%s %s %s–%s</title></rect>`+"\n",
			x(s.From), y(s.Lane), wd, laneH, esc(st.Color), esc(c.Lanes[s.Lane]), esc(st.Name), fmtDur(s.From), fmtDur(s.To))
	}
	for _, l := range c.Links {
		if len(l.Lanes) == 0 {
			continue
		}
		lo, hi := slices.Min(l.Lanes), slices.Max(l.Lanes)
		if lo < 0 || hi >= len(c.Lanes) {
			continue
		}
		fmt.Fprintf(&b, `<g><title>%s at %s</title>`, esc(l.Label), fmtDur(l.At))
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="black" stroke-width="1.5"/>`,
			x(l.At), y(lo)+laneH/2, x(l.At), y(hi)+laneH/2)
		for _, ln := range l.Lanes {
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3" fill="black"/>`, x(l.At), y(ln)+laneH/2)
		}
		b.WriteString("</g>\n")
	}
	// Legend: the states, then the link.
	lx, ly := 8.0, legendY
	item := func(draw func(x, y float64) string, name string) {
		w := 26 + 7*float64(len([]rune(name)))
		if lx > 8 && lx+w > float64(width) {
			lx, ly = 8, ly+20
		}
		b.WriteString(draw(lx, ly))
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f">%s</text>`+"\n", lx+18, ly+10, esc(name))
		lx += w
	}
	for _, s := range c.States {
		item(func(x, y float64) string {
			return fmt.Sprintf(`<rect x="%.1f" y="%.1f" width="14" height="12" fill="%s"/>`, x, y, esc(s.Color))
		}, s.Name)
	}
	item(func(x, y float64) string {
		return fmt.Sprintf(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="black" stroke-width="1.5"/><circle cx="%.1f" cy="%.1f" r="3"/>`,
			x+7, y, x+7, y+12, x+7, y+6)
	}, "a firing: the actors it released together")
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// tick returns a round step that cuts end into about ten.
func tick(end time.Duration) time.Duration {
	step := time.Duration(1)
	for end/step > 10 {
		switch {
		case end/(2*step) <= 10:
			return 2 * step
		case end/(5*step) <= 10:
			return 5 * step
		}
		step *= 10
	}
	return step
}

func fmtDur(d time.Duration) string {
	switch {
	case d == 0:
		return "0"
	case d >= time.Second:
		return fmt.Sprintf("%gs", d.Seconds())
	case d >= time.Millisecond:
		return fmt.Sprintf("%gms", float64(d)/float64(time.Millisecond))
	}
	return d.String()
}

func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// WriteFile writes c's SVG to the file path.
func (c Chart) WriteFile(path string) error {
	var b strings.Builder
	if err := c.WriteSVG(&b); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// States builds a legend from name, colour pairs:
// States("waiting", "#f4b400", "eating", "#0f9d58").
func States(nameColor ...string) []State {
	var ss []State
	for i := 0; i+1 < len(nameColor); i += 2 {
		ss = append(ss, State{Name: nameColor[i], Color: nameColor[i+1]})
	}
	return ss
}
