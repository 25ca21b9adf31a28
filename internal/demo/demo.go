// Package demo holds what the narrated commands under problems/ share
// besides the drawing itself (package timeline): their command line, a
// flag set of their own (Flags) with the flags they all take (Define,
// Common: -seed, -broken, -svg, -html, -q), their main function and exit
// codes (Main), a run decided by its seed (Seeded) and the line that
// replays it (PrintRerun), the writing of the timeline (WriteChart) and of
// the interactive page that plays it (WriteHTML, package page), the marking
// of violations on the timeline (MarkViolations), the verdict of the
// problem's checkers (Verdict) and the end of a play function that prints
// it and writes the chart (Conclude), the lists a narration prints (List),
// and a watchdog that turns a deadlock of a real-time run into a cancelled
// context the command can explain.
package demo

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gochord/chord/internal/timeline"
	"github.com/gochord/chord/props"
)

// A Watchdog cancels its context when nothing happened for a while: a run
// whose actors are all blocked records no event, and the command that
// narrates it ends it and explains the deadlock instead of hanging.
type Watchdog struct {
	quiet  time.Duration
	timer  *time.Timer
	cancel context.CancelFunc
	fired  atomic.Bool
}

// NewWatchdog returns a watchdog and a context derived from parent that it
// cancels once Touch has not been called for quiet.
func NewWatchdog(parent context.Context, quiet time.Duration) (*Watchdog, context.Context) {
	ctx, cancel := context.WithCancel(parent)
	w := &Watchdog{quiet: quiet, cancel: cancel}
	w.timer = time.AfterFunc(quiet, func() {
		w.fired.Store(true)
		cancel()
	})
	return w, ctx
}

// Touch says that something happened: the run is not stuck.
func (w *Watchdog) Touch() { w.timer.Reset(w.quiet) }

// Stop releases the watchdog and its context.
func (w *Watchdog) Stop() {
	w.timer.Stop()
	w.cancel()
}

// Fired reports whether the watchdog cancelled the run.
func (w *Watchdog) Fired() bool { return w.fired.Load() }

// Verdict prints the verdict of the checkers (props.Property values, from
// the problem's package check) on a run of the problem called what,
// quoting each violation's counterexample, and reports whether every
// property held.
func Verdict(w io.Writer, what string, vs []*props.Violation) bool {
	nl := "\n" // a blank line after the narration, none with -q (Out)
	if u := unquiet(w); u != w {
		w, nl = u, ""
	}
	if len(vs) == 0 {
		fmt.Fprintf(w, "%sVerdict of package props: every %s property holds.\n", nl, what)
		return true
	}
	fmt.Fprintf(w, "%sVerdict of package props:\n", nl)
	for _, v := range vs {
		fmt.Fprintf(w, "  %v\n", strings.ReplaceAll(v.Error(), "\n", "\n  "))
	}
	return false
}

// Conclude ends a command's play function: it prints the checkers'
// verdict on the run (Verdict, what is the problem's name), writes the
// chart to svg and -html (WriteChart), and returns whether every property
// held with the error of writing the chart, or else err, the run's.
func Conclude(w io.Writer, what string, vs []*props.Violation, svg string, chart func() timeline.Chart, err error) (bool, error) {
	ok := Verdict(w, what, vs)
	if werr := WriteChart(w, svg, chart); werr != nil {
		return ok, werr
	}
	return ok, err
}

// List formats xs as a narration's list, "[c0 c3 c5]": all of them if
// most is 0, else the first most and a count of the others ("+4").
func List[T fmt.Stringer](xs []T, most int) string {
	var s []string
	for i, x := range xs {
		if most > 0 && i == most {
			s = append(s, fmt.Sprintf("+%d", len(xs)-most))
			break
		}
		s = append(s, x.String())
	}
	return "[" + strings.Join(s, " ") + "]"
}

// Lanes returns the lanes of a chart with an actor of type T for each of
// 0 to n-1, named by its String, then the lane called shared (what they
// all use: the car, the bar), and the index of that last lane.
func Lanes[T interface {
	~int
	fmt.Stringer
}](n int, shared string) (lanes []string, sharedLane int) {
	for i := range n {
		lanes = append(lanes, T(i).String())
	}
	return append(lanes, shared), n
}

// A Summary prints the summary that ends a run's narration: a heading
// with the run's length (Summarize), then a row a figure (Rowf), its label
// in a column of its own.
type Summary struct{ w io.Writer }

// Summarize prints on w the heading of the summary of a run that took
// elapsed, and returns the summary to print its rows on.
func Summarize(w io.Writer, elapsed time.Duration) Summary {
	fmt.Fprintf(w, "\nSummary after %.2fs\n", elapsed.Seconds())
	return Summary{w}
}

// Rowf prints a row of the summary: label, then the figure formatted as
// with fmt.Printf.
func (s Summary) Rowf(label, format string, args ...any) {
	fmt.Fprintf(s.w, "  %-14s %s\n", label, fmt.Sprintf(format, args...))
}
