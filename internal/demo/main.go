package demo

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/gochord/chord/internal/timeline"
)

// Main is the main function of a narrated command whose problem has one
// classic mistake. The command defines its own flags, writing into *cfg,
// first; Main adds -name (usage as given), which sets *mistake, a field of
// *cfg, its synonym -broken, and -svg, then parses the command line.
//
// A wrong command line or a config that Validate rejects prints the error
// and the usage and exits 2. Otherwise Main calls play with a context that
// an interrupt cancels, the standard output, the parsed config and the
// -svg file name, and exits 1 if play returned an error, 3 if a property
// was violated, and returns if every property held.
func Main[C interface{ Validate() error }](cfg *C, mistake *bool, name, usage string, play func(ctx context.Context, w io.Writer, cfg C, svg string) (bool, error)) {
	flag.BoolVar(mistake, name, false, usage)
	broken := flag.Bool("broken", false, "same as -"+name)
	svg := flag.String("svg", "", "write the run as an SVG timeline to this file")
	flag.Parse()
	*mistake = *mistake || *broken
	err := (*cfg).Validate()
	if err == nil && flag.NArg() > 0 {
		err = fmt.Errorf("unexpected arguments: %s", strings.Join(flag.Args(), " "))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		flag.Usage()
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ok, err := play(ctx, os.Stdout, *cfg, *svg)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if !ok {
		os.Exit(3)
	}
}

// WriteChart writes the timeline that chart draws to the file svg as SVG
// and says so on w. If svg is empty it does nothing and does not call
// chart.
func WriteChart(w io.Writer, svg string, chart func() timeline.Chart) error {
	if svg == "" {
		return nil
	}
	if err := chart().WriteFile(svg); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nTimeline written to %s\n", svg)
	return nil
}
