// Package page writes a run of one of the classic problems as one
// self-contained HTML page that plays it: the timeline of package timeline
// with a cursor, play and pause, steps to the next event or the next
// firing, a time slider, and at each step the narration line and the state
// of the run (who is in which state, who holds what, who waits for what,
// the deadlocks and violations so far). Clicking a firing highlights the
// messages it took. The page needs no network: its script, its style and
// its data (the timeline's Chart, as JSON) are inline.
//
// Opened with the fragment #selftest, the page plays itself through and
// writes what it saw into the element #selftest; the browser test reads it
// back from headless Chromium.
package page

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/gochord/chord/internal/timeline"
)

// data is what the page's script reads: the chart and the geometry of its
// drawing.
type data struct {
	Chart timeline.Chart
	Geom  timeline.Geometry
}

// Write writes c as an interactive page to w.
func Write(w io.Writer, c timeline.Chart) error {
	if len(c.Steps) == 0 {
		c.Steps = steps(c)
	}
	var svg strings.Builder
	if err := c.WriteSVG(&svg); err != nil {
		return err
	}
	js, err := json.Marshal(data{Chart: c, Geom: timeline.Geom()}) // escapes <, > and &: safe inside <script>
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
	fmt.Fprintf(&b, "<title>%s</title>\n<style>%s</style>\n</head><body>\n", html.EscapeString(c.Title), style)
	b.WriteString(controls)
	b.WriteString(`<div id="chart">`)
	b.WriteString(svg.String())
	b.WriteString("</div>\n")
	b.WriteString(panel)
	fmt.Fprintf(&b, "<script id=\"data\" type=\"application/json\">%s</script>\n", js)
	fmt.Fprintf(&b, "<script>%s</script>\n</body></html>\n", script)
	_, err = io.WriteString(w, b.String())
	return err
}

// WriteFile writes c's page to the file path.
func WriteFile(path string, c timeline.Chart) error {
	var b strings.Builder
	if err := Write(&b, c); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// ErrNoBrowser is SelfTest's error when no Chromium or Chrome is on PATH.
var ErrNoBrowser = errors.New("page: no Chromium installed (chromium, chromium-browser or google-chrome on PATH)")

// Browser returns the path of a Chromium or Chrome on PATH, or
// ErrNoBrowser.
func Browser() (string, error) {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNoBrowser
}

// SelfTest opens the page in the file path in headless Chromium with the
// fragment #selftest, which makes the page play itself through (step,
// next firing, a click on a firing, the slider, play and pause) and write
// what it saw into the element #selftest, and returns that text: it
// begins with "SELFTEST PASS" if every check passed. It fails with
// ErrNoBrowser if there is no browser to run.
func SelfTest(ctx context.Context, path string) (string, error) {
	bin, err := Browser()
	if err != nil {
		return "", err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	profile, err := os.MkdirTemp("", "page-selftest")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(profile)
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--user-data-dir="+profile, "--virtual-time-budget=5000", "--dump-dom", "file://"+abs+"#selftest")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("page: %s: %v\n%s", bin, err, stderr.String())
	}
	m := selftestRE.FindSubmatch(out)
	if m == nil {
		return "", fmt.Errorf("page: the page wrote no self-test result; its DOM begins:\n%.2000s", out)
	}
	return html.UnescapeString(string(m[1])), nil
}

var selftestRE = regexp.MustCompile(`(?s)<pre id="selftest">(.*?)</pre>`)

// steps makes a narration for a chart that has none: a step per interval
// begun and per firing.
func steps(c timeline.Chart) []timeline.Step {
	var ss []timeline.Step
	for _, s := range c.Spans {
		if s.Lane >= 0 && s.Lane < len(c.Lanes) && s.State >= 0 && s.State < len(c.States) {
			ss = append(ss, timeline.Step{At: s.From, Text: c.Lanes[s.Lane] + ": " + c.States[s.State].Name})
		}
	}
	for i, l := range c.Links {
		ss = append(ss, timeline.Step{At: l.At, Text: "fires: " + l.Label, Link: i + 1})
	}
	slices.SortStableFunc(ss, func(a, b timeline.Step) int { return cmp.Compare(a.At, b.At) })
	return ss
}

const style = `
body { font-family: sans-serif; margin: 12px; color: #222; }
#controls { position: sticky; top: 0; background: #fff; padding: 6px 0; z-index: 2; display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }
#controls button { font-size: 14px; padding: 3px 10px; }
#slider { flex: 1; min-width: 200px; }
#clock { font-family: monospace; min-width: 9em; }
#chart svg { max-width: 100%; height: auto; }
#chart .firing { cursor: pointer; }
#chart .firing.sel rect { fill: #ff1744; fill-opacity: 0.5; }
#chart rect.took { stroke: #ff1744; stroke-width: 2.5; }
#narration { font-family: monospace; font-size: 15px; background: #fffde7; border-left: 4px solid #f4b400; padding: 6px 10px; margin: 6px 0; }
#panel { display: flex; gap: 24px; flex-wrap: wrap; font-size: 13px; }
#panel section { min-width: 260px; max-width: 520px; }
#panel h3 { font-size: 13px; margin: 6px 0 4px; color: #555; }
#panel ul { margin: 0; padding-left: 18px; }
.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: middle; }
.mark { color: #d50000; font-weight: bold; }
#log { font-family: monospace; font-size: 12px; color: #666; max-height: 9em; overflow: auto; }
#firing { color: #b71c1c; }
`

const controls = `<div id="controls">
<button id="back" title="previous event">&#9664; step</button>
<button id="play" title="play or pause">&#9654; play</button>
<button id="next" title="next event">step &#9654;</button>
<button id="nextfiring" title="next firing">next firing &#9654;&#9654;</button>
<input id="slider" type="range" min="0" max="1000" value="0" title="time">
<span id="clock"></span>
</div>
`

const panel = `<div id="narration"></div>
<div id="firing"></div>
<div id="panel">
<section><h3>Who is doing what (queues by state)</h3><ul id="states"></ul></section>
<section><h3>Who holds what</h3><ul id="holds"></ul><h3>Who waits for what</h3><ul id="waits"></ul><h3>Deadlocks and violations so far</h3><ul id="marks"></ul></section>
<section><h3>Narration so far</h3><div id="log"></div></section>
</div>
<pre id="selftest" hidden></pre>
`
