package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gochord/chord/internal/timeline"
	"github.com/gochord/chord/props"
)

type config struct {
	Mistake bool
	Seed    uint64
}

func (config) Validate() error {
	if os.Getenv("DEMO_VALID") == "bad" {
		return errors.New("bad config")
	}
	return nil
}

// mainChild is Main as a command would call it, run in a child process
// because Main exits: DEMO_ARGS is its command line, DEMO_VALID=bad makes
// Validate fail, and DEMO_PLAY says what play returns.
func mainChild() {
	os.Args = append([]string{"cmd"}, strings.Fields(os.Getenv("DEMO_ARGS"))...)
	Flags = newFlags()
	Common = Options{}
	cfg := config{Seed: 1}
	Main("cmd", &cfg, &cfg.Seed, 7, &cfg.Mistake, "mistake", "the classic mistake",
		func(ctx context.Context, w io.Writer, cfg config, svg string) (bool, error) {
			fmt.Fprintf(w, "mistake=%v svg=%q seed=%d html=%q\n", cfg.Mistake, svg, cfg.Seed, Common.HTML)
			Verdict(w, "cmd", nil)
			switch os.Getenv("DEMO_PLAY") {
			case "violated":
				return false, nil
			case "err":
				return true, errors.New("play failed")
			}
			return true, nil
		})
}

func TestMainExitCodes(t *testing.T) {
	if os.Getenv("DEMO_MAIN_CHILD") == "1" {
		mainChild()
		return
	}
	for _, c := range []struct {
		args, valid, play string
		code              int
		want              string
		lacks             string
	}{
		{"", "", "", 0, `mistake=false svg="" seed=1`, ""},
		{"-mistake -svg x.svg", "", "", 0, `mistake=true svg="x.svg" seed=7`, ""},
		{"-broken", "", "", 0, `mistake=true svg="" seed=7`, ""},
		{"-broken", "", "", 0, "\nSeed 7. rerun: go run ./problems/cmd/cmd/cmd -broken -seed 7\n", ""},
		{"-broken -seed 3", "", "", 0, `mistake=true svg="" seed=3`, ""},
		{"-seed 3 -html x.html", "", "", 0, `seed=3 html="x.html"`, ""},
		{"-seed 3", "", "", 0, "rerun: go run ./problems/cmd/cmd/cmd -seed 3\n", ""},
		{"-q -seed 5", "", "", 0, "Verdict of package props: every cmd property holds.\n\nSeed 5. rerun: go run ./problems/cmd/cmd/cmd -seed 5\n", "mistake="},
		{"-h", "", "", 0, "-html file", "mistake="},
		{"-help", "", "", 0, "same as -broken", "mistake="},
		{"", "", "violated", 3, `mistake=false`, ""},
		{"", "", "err", 1, "play failed", ""},
		{"", "bad", "", 2, "bad config", ""},
		{"extra", "", "", 2, "same as -broken", ""},
		{"-bogus", "", "", 2, "flag provided but not defined", ""},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestMainExitCodes$", "-test.count=1")
		cmd.Env = append(os.Environ(), "DEMO_MAIN_CHILD=1", "DEMO_ARGS="+c.args, "DEMO_VALID="+c.valid, "DEMO_PLAY="+c.play)
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != c.code || !strings.Contains(string(out), c.want) || c.lacks != "" && strings.Contains(string(out), c.lacks) {
			t.Errorf("args %q valid %q play %q: exit %d, want %d; output lacks %q or has %q?\n%s", c.args, c.valid, c.play, code, c.code, c.want, c.lacks, out)
		}
	}
}

func TestWriteChartOnlyWhenAsked(t *testing.T) {
	drawn := 0
	chart := func() timeline.Chart {
		drawn++
		b := timeline.NewBuilder("t", []string{"a"}, timeline.States("s", "#000"))
		b.Set(0, 0, 0)
		return b.Chart(time.Second)
	}
	var w strings.Builder
	if err := WriteChart(&w, "", chart); err != nil || drawn != 0 || w.Len() != 0 {
		t.Fatalf("no file asked: err %v, drawn %d times, wrote %q", err, drawn, w.String())
	}
	svg := filepath.Join(t.TempDir(), "t.svg")
	if err := WriteChart(&w, svg, chart); err != nil || drawn != 1 || w.String() != "\nTimeline written to "+svg+"\n" {
		t.Fatalf("err %v, drawn %d times, wrote %q", err, drawn, w.String())
	}
	if data, err := os.ReadFile(svg); err != nil || !strings.Contains(string(data), "<svg") {
		t.Fatalf("%v: %.80q", err, data)
	}
	if err := WriteChart(&w, filepath.Join(svg, "no", "such"), chart); err == nil {
		t.Fatal("writing into a missing directory did not fail")
	}
}

func TestWriteHTMLOnlyWhenAsked(t *testing.T) {
	drawn := 0
	chart := func() timeline.Chart {
		drawn++
		b := timeline.NewBuilder("t", []string{"a"}, timeline.States("s", "#000"))
		b.Set(0, 0, 0)
		b.Note(0, "a starts")
		return b.Chart(time.Second)
	}
	var w strings.Builder
	if err := WriteHTML(&w, "", chart); err != nil || drawn != 0 || w.Len() != 0 {
		t.Fatalf("no file asked: err %v, drawn %d times, wrote %q", err, drawn, w.String())
	}
	html := filepath.Join(t.TempDir(), "t.html")
	if err := WriteHTML(&w, html, chart); err != nil || drawn != 1 || w.String() != "\nInteractive page written to "+html+"\n" {
		t.Fatalf("err %v, drawn %d times, wrote %q", err, drawn, w.String())
	}
	if data, err := os.ReadFile(html); err != nil || !strings.Contains(string(data), "a starts") || !strings.Contains(string(data), "<svg") {
		t.Fatalf("%v: %.80q", err, data)
	}
}

func TestMarkViolationsAtTheQuotedEvent(t *testing.T) {
	type ev struct {
		N  int
		At time.Duration
	}
	events := []ev{{1, 1}, {2, 5}, {3, 9}}
	b := timeline.NewBuilder("t", []string{"a"}, timeline.States("s", "#000"))
	vs := []*props.Violation{props.Violate("x/p", "broken", events[0], events[1]), props.Violate("x/q", "never", "unquoted")}
	MarkViolations(b, vs, events, func(e ev) time.Duration { return e.At }, 20)
	c := b.Chart(20)
	if len(c.Marks) != 2 || c.Marks[0].At != 5 || c.Marks[1].At != 20 || c.Marks[0].Label != "x/p: broken" || c.Marks[0].Kind != "violation" {
		t.Fatalf("%+v", c.Marks)
	}
}

func TestWriteChartToHTMLWritesThePage(t *testing.T) {
	chart := func() timeline.Chart {
		b := timeline.NewBuilder("t", []string{"a"}, timeline.States("s", "#000"))
		b.Set(0, 0, 0)
		return b.Chart(time.Second)
	}
	html := filepath.Join(t.TempDir(), "t.html")
	var w strings.Builder
	if err := WriteChart(&w, html, chart); err != nil || !strings.Contains(w.String(), "Interactive page") {
		t.Fatalf("%v %q", err, w.String())
	}
	if data, err := os.ReadFile(html); err != nil || !strings.Contains(string(data), "<!DOCTYPE html>") {
		t.Fatalf("%v: %.80q", err, data)
	}
}
