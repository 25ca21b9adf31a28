// Package timeline draws a run of one of the classic problems as an SVG
// timeline: one lane per actor, its intervals coloured by state, and each
// firing of a join pattern (or any other event that releases several actors
// together) as one vertical link across the lanes it released. A
// resource's lane names who holds it, a wait-for edge is an arrow from the
// waiter to what it waits for, and a deadlock or a violated property is a
// red line where it happened. The Chart is also the data of the
// interactive page (package page), with its narration (Steps).
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

// A Span is one interval of one lane, coloured by a state. A span of a
// resource's lane (a chopstick, a seat, the room) may name the lanes that
// hold the resource meanwhile: the drawing writes their names in the band.
type Span struct {
	Lane     int
	From, To time.Duration
	State    int   // index into Chart.States
	Holders  []int `json:",omitempty"` // lanes holding this lane's resource during the span
}

// A Link is a firing: one event at At that took messages from several
// lanes at once and released them together, drawn as one vertical link
// joining Lanes.
type Link struct {
	At    time.Duration
	Lanes []int
	Label string
}

// A Wait is a wait-for edge: from From to To, the actor of lane Waiter
// waits for lane On (a resource or the actor holding what it needs). The
// drawing shows it as an arrow from the waiter to what it waits for where
// the wait begins, and again at the end of the run if it never ended.
type Wait struct {
	Waiter, On int
	From, To   time.Duration
	Label      string `json:",omitempty"`
	Open       bool   `json:",omitempty"` // still waiting when the run ended
}

// A Mark is a moment of the run worth seeing: a deadlock detected, a
// property violated. It is drawn as a red line across every lane.
type Mark struct {
	At    time.Duration
	Kind  string // "deadlock" or "violation"
	Label string
}

// A Step is one line of the narration: what happened at At. The
// interactive page (package page) plays a run step by step.
type Step struct {
	At   time.Duration
	Text string
	Link int `json:",omitempty"` // 1 + the index in Chart.Links of the firing this step reports, or 0
}

// A Chart is a run to draw.
type Chart struct {
	Title  string
	Lanes  []string // actor and resource names, top to bottom
	States []State
	Spans  []Span
	Links  []Link
	Waits  []Wait        `json:",omitempty"`
	Marks  []Mark        `json:",omitempty"`
	Steps  []Step        `json:",omitempty"`
	End    time.Duration // the right edge; at least the end of the last span
}

// A Builder makes a Chart from a trace read in order: Set starts a new
// state of a lane (ending its previous one), Hold a state of a resource's
// lane held by other lanes, WaitFor a wait-for edge, Link records a firing,
// Mark a deadlock or a violation, Note a line of narration. The zero
// Builder is not ready; use NewBuilder.
type Builder struct {
	c     Chart
	open  []int // per lane: index of its open span in c.Spans, or -1
	waits []int // indexes in c.Waits of the waits not yet ended
}

// NewBuilder returns a builder for a chart with these lanes and states.
func NewBuilder(title string, lanes []string, states []State) *Builder {
	b := &Builder{c: Chart{Title: title, Lanes: lanes, States: states}}
	b.open = make([]int, len(lanes))
	for i := range b.open {
		b.open[i] = -1
	}
	return b
}

// Set ends lane's current interval at at and, unless state is negative,
// opens an interval of state from at. It also ends the waits of lane: an
// actor that changes state no longer waits.
func (b *Builder) Set(lane int, state int, at time.Duration) {
	b.Hold(lane, state, at)
}

// Hold is Set for a resource's lane: the new interval records holders, the
// lanes that hold the resource meanwhile.
func (b *Builder) Hold(lane int, state int, at time.Duration, holders ...int) {
	if lane < 0 || lane >= len(b.open) {
		return
	}
	if i := b.open[lane]; i >= 0 {
		b.c.Spans[i].To = at
		b.open[lane] = -1
	}
	b.endWaits(lane, at)
	if state < 0 {
		b.endWaitsOn(lane, at) // a resource put down: nobody waits for its holder any more
	}
	if state >= 0 {
		b.open[lane] = len(b.c.Spans)
		b.c.Spans = append(b.c.Spans, Span{Lane: lane, From: at, To: at, State: state, Holders: slices.Clone(holders)})
	}
	b.c.End = max(b.c.End, at)
}

// WaitFor records that from at the actor of lane waiter waits for lane on,
// until its lane next changes state (Set) or the run ends.
func (b *Builder) WaitFor(waiter, on int, at time.Duration, label string) {
	if waiter < 0 || waiter >= len(b.open) || on < 0 || on >= len(b.open) {
		return
	}
	b.waits = append(b.waits, len(b.c.Waits))
	b.c.Waits = append(b.c.Waits, Wait{Waiter: waiter, On: on, From: at, To: at, Label: label})
	b.c.End = max(b.c.End, at)
}

func (b *Builder) endWaits(lane int, at time.Duration) {
	b.waits = slices.DeleteFunc(b.waits, func(i int) bool {
		if b.c.Waits[i].Waiter != lane {
			return false
		}
		b.c.Waits[i].To = at
		return true
	})
}

func (b *Builder) endWaitsOn(lane int, at time.Duration) {
	b.waits = slices.DeleteFunc(b.waits, func(i int) bool {
		if b.c.Waits[i].On != lane {
			return false
		}
		b.c.Waits[i].To = at
		return true
	})
}

// Link records a firing at at that took from lanes and released them
// together. It is also a step of the narration, labelled label.
func (b *Builder) Link(at time.Duration, label string, lanes ...int) {
	b.c.Links = append(b.c.Links, Link{At: at, Lanes: slices.Clone(lanes), Label: label})
	b.c.End = max(b.c.End, at)
}

// Mark records a deadlock ("deadlock") or a violated property
// ("violation") at at.
func (b *Builder) Mark(at time.Duration, kind, label string) {
	b.c.Marks = append(b.c.Marks, Mark{At: at, Kind: kind, Label: label})
	b.c.End = max(b.c.End, at)
}

// Note records a line of narration at at: a step of the interactive page.
// If the last link recorded is at at and has no step yet, the step reports
// that firing.
func (b *Builder) Note(at time.Duration, text string) {
	s := Step{At: at, Text: text}
	if n := len(b.c.Links); n > 0 && b.c.Links[n-1].At == at {
		taken := false
		for _, t := range b.c.Steps {
			taken = taken || t.Link == n
		}
		if !taken {
			s.Link = n
		}
	}
	b.c.Steps = append(b.c.Steps, s)
	b.c.End = max(b.c.End, at)
}

// Chart closes every open interval and wait at end (or at the latest time
// seen, if later) and returns the chart. Waits still open are marked Open:
// at a deadlock they are the cycle.
func (b *Builder) Chart(end time.Duration) Chart {
	end = max(end, b.c.End)
	for _, i := range b.waits {
		b.c.Waits[i].Open = true
		b.c.Waits[i].To = end
	}
	b.waits = nil
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

// Geometry is where WriteSVG puts things, in SVG user units: the time axis
// runs from X0 to X0+W, and lane i spans Top+i*(LaneH+Gap) to that plus
// LaneH. The interactive page draws its cursor with it.
type Geometry struct{ X0, W, Top, LaneH, Gap float64 }

// Geom returns the geometry of WriteSVG's drawings.
func Geom() Geometry { return Geometry{X0: labelW, W: plotW, Top: topH, LaneH: laneH, Gap: laneGap} }

// WriteSVG draws c as a standalone SVG document: the lanes and their
// coloured intervals, the holders of each resource written in its band,
// each wait-for edge as a dashed arrow from the waiter to what it waits for
// (drawn where the wait begins, and at the right edge if it never ended),
// each firing as one vertical link across the lanes it took from, and each
// deadlock or violation as a red line where it happened.
func (c Chart) WriteSVG(w io.Writer) error {
	end := c.End
	if end <= 0 {
		end = 1
	}
	x := func(t time.Duration) float64 { return labelW + float64(t)/float64(end)*plotW }
	y := func(lane int) float64 { return topH + float64(lane)*(laneH+laneGap) }
	mid := func(lane int) float64 { return y(lane) + laneH/2 }
	bottom := y(len(c.Lanes))
	markY := bottom + 4
	legendY := markY + 16*float64(len(c.Marks)) + 14
	width := labelW + plotW + 20
	height := legendY + 20*float64(2+(len(c.States)+4)/4) + 10

	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="timeline" width="%d" height="%.0f" viewBox="0 0 %d %.0f" font-family="sans-serif" font-size="11">`+"\n",
		width, height, width, height)
	b.WriteString(`<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">` +
		`<path d="M0,0 L10,5 L0,10 z" fill="#5e35b1"/></marker></defs>` + "\n")
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(&b, `<text x="8" y="16" font-size="14" font-weight="bold">%s</text>`+"\n", esc(c.Title))

	// Time axis: about ten ticks.
	step := tick(end)
	for t := time.Duration(0); t <= end; t += step {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%.1f" stroke="#ddd"/>`, x(t), topH-6, x(t), bottom)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle" fill="#666">%s</text>`+"\n", x(t), topH-9, esc(fmtDur(t)))
	}
	for i, name := range c.Lanes {
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end">%s</text>`+"\n", labelW-6, y(i)+laneH-5, esc(name))
		fmt.Fprintf(&b, `<rect x="%d" y="%.1f" width="%d" height="%d" fill="#f6f6f6"/>`+"\n", labelW, y(i), plotW, laneH)
	}
	for si, s := range c.Spans {
		if s.Lane < 0 || s.Lane >= len(c.Lanes) || s.State < 0 || s.State >= len(c.States) {
			continue
		}
		wd := max(x(s.To)-x(s.From), 0.8)
		st := c.States[s.State]
		held := c.names(s.Holders)
		tip := fmt.Sprintf("%s %s %s–%s", c.Lanes[s.Lane], st.Name, fmtDur(s.From), fmtDur(s.To))
		if held != "" {
			tip += ", held by " + held
		}
		fmt.Fprintf(&b, `<rect data-span="%d" x="%.1f" y="%.1f" width="%.1f" height="%d" fill="%s"><title>%s</title></rect>`+"\n",
			si, x(s.From), y(s.Lane), wd, laneH, esc(st.Color), esc(tip))
		if fit := int((wd - 6) / 6); held != "" && fit >= 3 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" fill="white" font-weight="bold" font-size="10">%s</text>`+"\n",
				x(s.From)+3, y(s.Lane)+laneH-5, esc(clip(held, fit)))
		}
	}
	for li, l := range c.Links {
		if len(l.Lanes) == 0 {
			continue
		}
		lo, hi := slices.Min(l.Lanes), slices.Max(l.Lanes)
		if lo < 0 || hi >= len(c.Lanes) {
			continue
		}
		fmt.Fprintf(&b, `<g class="firing" data-link="%d"><title>%s at %s</title>`, li, esc(l.Label), fmtDur(l.At))
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="5" height="%.1f" rx="2.5" fill="black" fill-opacity="0.15"/>`,
			x(l.At)-2.5, y(lo)+2, y(hi)-y(lo)+laneH-4)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="black" stroke-width="1.5"/>`,
			x(l.At), mid(lo), x(l.At), mid(hi))
		for _, ln := range l.Lanes {
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3" fill="black"/>`, x(l.At), mid(ln))
		}
		b.WriteString("</g>\n")
	}
	arrow := func(at float64, wt Wait) {
		to := y(wt.On) + 1
		if wt.On < wt.Waiter {
			to = y(wt.On) + laneH - 1
		}
		label := c.Lanes[wt.Waiter] + " waits for " + c.Lanes[wt.On]
		if wt.Label != "" {
			label += ": " + wt.Label
		}
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#5e35b1" stroke-width="1.5" stroke-dasharray="4 2" marker-end="url(#arrow)"><title>%s from %s</title></line>`+"\n",
			at, mid(wt.Waiter), at, to, esc(label), fmtDur(wt.From))
	}
	open := 0
	at := map[int]int{} // arrows drawn so far at each whole x: side by side, not on top of each other
	for _, wt := range c.Waits {
		if wt.Waiter < 0 || wt.Waiter >= len(c.Lanes) || wt.On < 0 || wt.On >= len(c.Lanes) {
			continue
		}
		k := at[int(x(wt.From))]
		at[int(x(wt.From))]++
		arrow(x(wt.From)+1.5+5*float64(k%8), wt)
		if wt.Open {
			arrow(x(end)-10-10*float64(open%40), wt)
			open++
		}
	}
	for i, m := range c.Marks {
		color, dash := "#d50000", ""
		if m.Kind != "deadlock" {
			color, dash = "#ff6d00", ` stroke-dasharray="6 3"`
		}
		fmt.Fprintf(&b, `<g><title>%s at %s</title><line x1="%.1f" y1="%d" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="2.5"%s/>`,
			esc(m.Kind+": "+m.Label), fmtDur(m.At), x(m.At), topH-6, x(m.At), markY+16*float64(i)+4, color, dash)
		anchor := "end"
		tx := x(m.At) - 4
		room := tx - 8
		if x(m.At) < labelW+plotW/2 {
			anchor, tx = "start", x(m.At)+4
			room = float64(width) - tx - 8
		}
		label := clip(m.Label+" at "+fmtDur(m.At), int(room/6.2))
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="%s" fill="%s" font-weight="bold">%s</text></g>`+"\n",
			tx, markY+16*float64(i)+12, anchor, color, esc(label))
	}
	// Legend: the states, then the link, the holders, the waits, the marks.
	lx, ly := 8.0, legendY
	item := func(draw func(x, y float64) string, name string) {
		w := 26 + 6.5*float64(len([]rune(name)))
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
	lx, ly = 8, ly+20
	item(func(x, y float64) string {
		return fmt.Sprintf(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="black" stroke-width="1.5"/><circle cx="%.1f" cy="%.1f" r="3"/>`,
			x+7, y, x+7, y+12, x+7, y+6)
	}, "a firing: one event took from these lanes at once and released them together")
	if c.hasHolders() {
		item(func(x, y float64) string {
			return fmt.Sprintf(`<rect x="%.1f" y="%.1f" width="14" height="12" fill="#8d6e63"/><text x="%.1f" y="%.1f" fill="white" font-size="9" font-weight="bold">P</text>`, x, y, x+4, y+10)
		}, "name in a band: who holds it")
	}
	if len(c.Waits) > 0 {
		item(func(x, y float64) string {
			return fmt.Sprintf(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#5e35b1" stroke-width="1.5" stroke-dasharray="4 2" marker-end="url(#arrow)"/>`, x+7, y, x+7, y+12)
		}, "waits for (where the wait begins; at the right edge if never served)")
	}
	if len(c.Marks) > 0 {
		item(func(x, y float64) string {
			return fmt.Sprintf(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#d50000" stroke-width="2.5"/>`, x+7, y, x+7, y+12)
		}, "deadlock detected / property violated")
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// clip shortens s to at most n runes, ending it with an ellipsis.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// names lists the names of lanes, "P1, P2".
func (c Chart) names(lanes []int) string {
	var ns []string
	for _, l := range lanes {
		if l >= 0 && l < len(c.Lanes) {
			ns = append(ns, c.Lanes[l])
		}
	}
	return strings.Join(ns, ", ")
}

func (c Chart) hasHolders() bool {
	for _, s := range c.Spans {
		if len(s.Holders) > 0 {
			return true
		}
	}
	return false
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
		return fmt.Sprintf("%.4gs", d.Seconds())
	case d >= time.Millisecond:
		return fmt.Sprintf("%.4gms", float64(d)/float64(time.Millisecond))
	case d >= time.Microsecond:
		return fmt.Sprintf("%.4gµs", float64(d)/float64(time.Microsecond))
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
