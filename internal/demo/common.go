package demo

import (
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/gochord/chord/internal/sched"
)

// Options is the command line every narrated command shares (Common), as
// Define defines it on Flags and Parse fills it.
type Options struct {
	// Seed (-seed) decides the whole run: the problem's random durations
	// and choices, which the command's config takes from it, and every
	// choice a select makes among ready guards (Seeded).
	Seed uint64
	// SeedGiven says that -seed was on the command line; without it the
	// broken mode (-broken) plays its own default seed, one that shows
	// the mistake.
	SeedGiven bool
	// Broken (-broken, or the command's own name for its mistake) plays
	// the problem's classic mistake.
	Broken bool
	// SVG (-svg FILE) is the file to draw the run to as an SVG timeline,
	// or empty.
	SVG string
	// HTML (-html FILE) is the file to write the run to as an interactive
	// HTML page, or empty: while it is empty nothing is written.
	HTML string
	// Quiet (-q) prints the verdict only: no introduction, no legend, no
	// event lines, no summary (see Out).
	Quiet bool

	name, mistake string
	seed          *uint64
	mistakeVar    *bool
	brokenSeed    uint64
}

// Common holds the shared flags of the running command once Parse has
// parsed them.
var Common Options

// Define defines, on Flags, the flags every narrated command shares:
//
//	-seed N       the seed of the run, into *seed, whose value is its default
//	-broken       the classic mistake, into *mistake; -mistake (the name given,
//	              e.g. -left-then-right) is the same flag
//	-svg FILE     draw the run as an SVG timeline
//	-html FILE    write the run as an interactive HTML page
//	-q            print the verdict only
//
// name is the command's (its directory: problems/name/cmd/name), for the
// line that says how to rerun it; brokenSeed is the seed that -broken
// plays unless -seed is given, one that shows the mistake.
func Define(name string, seed *uint64, brokenSeed uint64, mistake *bool, mistakeFlag, usage string) {
	Common = Options{name: name, mistake: mistakeFlag, seed: seed, brokenSeed: brokenSeed}
	Flags.Uint64Var(seed, "seed", *seed, fmt.Sprintf("the seed: it decides the whole run, durations and select choices (%d with -broken)", brokenSeed))
	Flags.BoolVar(mistake, "broken", false, usage)
	if mistakeFlag != "" && mistakeFlag != "broken" {
		Flags.BoolVar(mistake, mistakeFlag, false, "same as -broken")
	}
	Flags.StringVar(&Common.SVG, "svg", "", "write the run as an SVG timeline to this `file`")
	Flags.StringVar(&Common.HTML, "html", "", "write the run as an interactive HTML page to this `file`")
	Flags.BoolVar(&Common.Quiet, "q", false, "quiet: print the verdict only (no introduction, legend or events)")
	Common.mistakeVar = mistake
}

// Parse parses the command line, os.Args[1:], into Flags: -h and -help
// print the usage and exit 0, a wrong command line prints the error and
// the usage and exits 2. If Define was called it then fills Common: with
// -broken and no -seed, the seed is the broken mode's.
func Parse() {
	_ = Flags.Parse(os.Args[1:])
	if Common.seed == nil {
		return
	}
	Flags.Visit(func(f *flag.Flag) { Common.SeedGiven = Common.SeedGiven || f.Name == "seed" })
	Common.Broken = *Common.mistakeVar
	if Common.Broken && !Common.SeedGiven {
		*Common.seed = Common.brokenSeed
	}
	Common.Seed = *Common.seed
}

// Rerun returns the command line that plays this run again: the flags
// given, with -seed the run's seed, -svg, -html and -q left out.
func Rerun() string {
	args := []string{"go run ./problems/" + Common.name + "/cmd/" + Common.name}
	var set []string
	Flags.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "seed", "svg", "html", "q", "broken", Common.mistake:
			return
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() && f.Value.String() == "true" {
			set = append(set, "-"+f.Name)
			return
		}
		set = append(set, "-"+f.Name+" "+quote(f.Value.String()))
	})
	sort.Strings(set)
	if Common.Broken {
		args = append(args, "-broken")
	}
	args = append(args, set...)
	args = append(args, fmt.Sprintf("-seed %d", Common.Seed))
	return strings.Join(args, " ")
}

func quote(s string) string {
	if s == "" || strings.ContainsAny(s, " \t\"'\\$") {
		return fmt.Sprintf("%q", s)
	}
	return s
}

// PrintRerun says on w which seed the run used and how to play it again.
func PrintRerun(w io.Writer) {
	w = unquiet(w)
	fmt.Fprintf(w, "\nSeed %d. rerun: %s\n", Common.Seed, Rerun())
}

// Out returns w, or with -q a writer that drops everything but the verdict
// (Verdict), the files written (WriteChart) and the rerun line
// (PrintRerun), which write through it to w.
func Out(w io.Writer) io.Writer {
	if Common.Quiet {
		return quiet{w}
	}
	return w
}

// quiet is the writer Out returns with -q.
type quiet struct{ w io.Writer }

func (quiet) Write(p []byte) (int, error) { return len(p), nil }

// unquiet returns the writer under a quiet one, or w.
func unquiet(w io.Writer) io.Writer {
	if q, ok := w.(quiet); ok {
		return q.w
	}
	return w
}

// Seeded makes the select choices of the run depend on seed alone, and
// runs the command on one processor, until the function it returns is
// called: see sched.Seeded.
func Seeded(seed uint64) (restore func()) { return sched.Seeded(seed) }
