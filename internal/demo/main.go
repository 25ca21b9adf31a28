package demo

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/gochord/chord/internal/page"
	"github.com/gochord/chord/internal/timeline"
	"github.com/gochord/chord/props"
)

// Flags is the command line of a narrated command: a flag set of its own
// rather than flag.CommandLine, where packages the command imports register
// flags that mean nothing to it (pgregory.net/rapid's -rapid.* flags, which
// come with the checkers and package props). A command defines its flags
// on Flags, then calls Main, or Parse if it has no Main.
var Flags = newFlags()

func newFlags() *flag.FlagSet {
	fs := flag.NewFlagSet(filepath.Base(os.Args[0]), flag.ExitOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage of %s:\n", fs.Name())
		fs.PrintDefaults()
	}
	return fs
}

// Main is the main function of a narrated command whose problem has one
// classic mistake. The command defines its own flags on Flags, writing
// into *cfg, first; Main adds the common ones (Define: -seed into *seed,
// -broken and its synonym -mistakeFlag into *mistake, -svg, -html, -q),
// then parses the command line.
//
// A wrong command line or a config that Validate rejects prints the error
// and the usage and exits 2. Otherwise Main calls play, Seeded by the
// seed, with a context that an interrupt cancels, the standard output (Out:
// only the verdict with -q), the parsed config and the -svg file name,
// says how to rerun the run (PrintRerun), and exits 1 if play returned an
// error, 3 if a property was violated, and returns if every property held.
func Main[C interface{ Validate() error }](name string, cfg *C, seed *uint64, brokenSeed uint64, mistake *bool, mistakeFlag, usage string, play func(ctx context.Context, w io.Writer, cfg C, svg string) (bool, error)) {
	Define(name, seed, brokenSeed, mistake, mistakeFlag, usage)
	Parse()
	err := (*cfg).Validate()
	if err == nil && Flags.NArg() > 0 {
		err = fmt.Errorf("unexpected arguments: %s", strings.Join(Flags.Args(), " "))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		Flags.Usage()
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	restore := Seeded(Common.Seed)
	ok, err := play(ctx, Out(os.Stdout), *cfg, Common.SVG)
	restore()
	PrintRerun(os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if !ok {
		os.Exit(3)
	}
}

// WriteChart writes the timeline that chart draws to the file svg as SVG
// and says so on w, and the interactive page that plays it (WriteHTML) to
// the file of -html (Common.HTML). With neither it does nothing and does
// not call chart. A file name given to -svg that ends in .html gets the
// page instead of the SVG.
func WriteChart(w io.Writer, svg string, chart func() timeline.Chart) error {
	if svg != "" {
		if strings.HasSuffix(strings.ToLower(svg), ".html") {
			if err := WriteHTML(w, svg, chart); err != nil {
				return err
			}
		} else {
			if err := chart().WriteFile(svg); err != nil {
				return err
			}
			fmt.Fprintf(unquiet(w), "\nTimeline written to %s\n", svg)
		}
	}
	if Common.HTML != "" {
		return WriteHTML(w, Common.HTML, chart)
	}
	return nil
}

// MarkViolations marks on b, for each violation of vs, the moment it
// happened: the time (at) of the last event of events that its
// counterexample quotes (events formatted with %v, as props.Violate quotes
// them), or else end, the end of the run. A checker's counterexample is
// the trace's own events, so the mark lands on the event that broke the
// property.
func MarkViolations[E any](b *timeline.Builder, vs []*props.Violation, events []E, at func(E) time.Duration, end time.Duration) {
	if len(vs) == 0 {
		return
	}
	index := map[string]int{}
	for i, e := range events {
		index[fmt.Sprint(e)] = i
	}
	for _, v := range vs {
		when := end
		last := -1
		for _, q := range v.Events {
			if i, ok := index[q]; ok && i > last {
				last = i
			}
		}
		if last >= 0 {
			when = at(events[last])
		}
		b.Mark(when, "violation", v.Property+": "+v.Reason)
	}
}

// WriteHTML writes the run that chart draws to the file html as an
// interactive page (package page: the timeline with play, pause, steps, a
// time slider and the state at each step) and says so on w. If html is
// empty it does nothing and does not call chart.
func WriteHTML(w io.Writer, html string, chart func() timeline.Chart) error {
	if html == "" {
		return nil
	}
	if err := page.WriteFile(html, chart()); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nInteractive page written to %s\n", html)
	return nil
}
