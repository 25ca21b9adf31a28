package demo

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/gochord/chord/internal/timeline"
)

// Main is the main function of a narrated command whose problem has one
// classic mistake. The command defines its own flags first; Main adds
// -name (usage as given), which sets *mistake, its synonym -broken, and
// -svg, then parses the command line.
//
// A wrong command line or a config that validate rejects prints the error
// and the usage and exits 2. Otherwise Main calls play with a context that
// an interrupt cancels, the standard output and the -svg file name, and
// exits 1 if play returned an error, 3 if a property was violated, and
// returns if every property held.
//
// validate and play run after the flags are parsed, so they must read the
// config the flags write into when they run: closures over it, not method
// values such as cfg.Validate, which would copy the config before the
// flags are parsed.
func Main(mistake *bool, name, usage string, validate func() error, play func(ctx context.Context, w io.Writer, svg string) (bool, error)) {
	flag.BoolVar(mistake, name, false, usage)
	broken := flag.Bool("broken", false, "same as -"+name)
	svg := flag.String("svg", "", "write the run as an SVG timeline to this file")
	flag.Parse()
	*mistake = *mistake || *broken
	if err := validate(); err != nil || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, err)
		flag.Usage()
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ok, err := play(ctx, os.Stdout, *svg)
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
