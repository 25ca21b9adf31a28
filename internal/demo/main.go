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

	"github.com/gochord/chord/internal/timeline"
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
// and says so on w. If svg is empty it does nothing and does not call
// chart.
func WriteChart(w io.Writer, svg string, chart func() timeline.Chart) error {
	if svg == "" {
		return nil
	}
	if err := chart().WriteFile(svg); err != nil {
		return err
	}
	fmt.Fprintf(unquiet(w), "\nTimeline written to %s\n", svg)
	return nil
}
