// Package demo holds what the narrated commands under problems/ share
// besides the drawing itself (package timeline): their command line, a
// flag set of their own (Flags) with the flags they all take (Define,
// Common: -seed, -broken, -svg, -html, -q), their main function and exit
// codes (Main), a run decided by its seed (Seeded) and the line that
// replays it (PrintRerun), the writing of the timeline (WriteChart) and of
// the interactive page that plays it (WriteHTML, package page), the marking
// of violations on the timeline (MarkViolations), the verdict of the
// problem's checkers (Verdict), and a watchdog that turns a deadlock of a
// real-time run into a cancelled context the command can explain.
package demo

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"time"

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
