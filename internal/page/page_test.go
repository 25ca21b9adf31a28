package page

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gochord/chord/internal/timeline"
)

// chart is a small run: two atoms queue, a firing takes both, a third
// holds a resource that a fourth waits for until a deadlock is detected.
func chart() timeline.Chart {
	b := timeline.NewBuilder("a <small> run", []string{"H0", "H1", "O0", "bonder", "lock"},
		timeline.States("queued", "#f4b400", "bonded", "#0f9d58", "held", "#8d6e63"))
	ms := time.Millisecond
	b.Set(0, 0, 0)
	b.Note(0, "H0 arrives")
	b.Set(1, 0, ms)
	b.Note(ms, "H1 arrives")
	b.Set(0, 1, 3*ms)
	b.Set(1, 1, 3*ms)
	b.Link(3*ms, "water", 0, 1, 3)
	b.Note(3*ms, "water fires: takes H0 and H1")
	b.Hold(4, 2, 4*ms, 2)
	b.Note(4*ms, "O0 takes the lock")
	b.Set(3, 0, 5*ms)
	b.WaitFor(3, 4, 5*ms, "the lock, which O0 holds")
	b.Note(5*ms, "the bonder waits for the lock")
	b.Mark(9*ms, "deadlock", "deadlock detected")
	return b.Chart(9 * ms)
}

func TestPageIsSelfContained(t *testing.T) {
	var s strings.Builder
	if err := Write(&s, chart()); err != nil {
		t.Fatal(err)
	}
	h := s.String()
	for _, want := range []string{"<!DOCTYPE html>", "<svg", `id="data"`, "water fires", `id="play"`, `id="slider"`, `id="nextfiring"`, "a &lt;small&gt; run"} {
		if !strings.Contains(h, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// No network: nothing loaded from elsewhere; the only URL is the SVG
	// namespace.
	if m := regexp.MustCompile(`(?i)<script[^>]+src|<link|<img|<iframe|@import|url\(http`).FindString(h); m != "" {
		t.Errorf("page loads something from elsewhere: %q", m)
	}
	for _, u := range regexp.MustCompile(`https?://[^"' )]+`).FindAllString(h, -1) {
		if u != "http://www.w3.org/2000/svg" {
			t.Errorf("page names a URL: %s", u)
		}
	}
	// The JSON cannot end the script early.
	if strings.Count(h, "</script>") != 2 {
		t.Errorf("%d </script>; want 2", strings.Count(h, "</script>"))
	}
}

func TestStepsMadeWhenTheChartHasNone(t *testing.T) {
	b := timeline.NewBuilder("t", []string{"a", "b"}, timeline.States("s", "#000"))
	b.Set(1, 0, 2)
	b.Set(0, 0, 1)
	b.Link(3, "f", 0, 1)
	ss := steps(b.Chart(4))
	if len(ss) != 3 || ss[0].Text != "a: s" || ss[2].Link != 1 {
		t.Fatalf("%+v", ss)
	}
}

// chromium returns the path of a Chromium or Chrome, or skips t.
func chromium(t *testing.T) string {
	p, err := Browser()
	if err != nil {
		t.Skip("no Chromium installed (chromium, chromium-browser or google-chrome on PATH): the browser test skips")
	}
	return p
}

// TestPagePlaysInABrowser opens the page in headless Chromium with
// #selftest: the page's script steps, jumps to a firing, clicks one,
// moves the slider, plays and pauses, and writes what it saw into
// #selftest, which the browser's dump of the DOM shows.
func TestPagePlaysInABrowser(t *testing.T) {
	chromium(t)
	path := filepath.Join(t.TempDir(), "run.html")
	if err := WriteFile(path, chart()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	res, err := SelfTest(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(res, "SELFTEST PASS") || strings.Contains(res, "FAIL") {
		t.Fatalf("self-test:\n%s", res)
	}
	for _, want := range []string{"ok step shows the first event", "ok the next step changes what is shown",
		"ok clicking a firing highlights it", "ok marks shown at the end", "ok play advances the steps by itself",
		"steps 5 links 1 waits 1 marks 1"} {
		if !strings.Contains(res, want) {
			t.Errorf("self-test lacks %q:\n%s", want, res)
		}
	}
}

// A page whose script fails a check says so: the self-test is not a
// rubber stamp. A chart with one step cannot show a second.
func TestSelfTestCanFail(t *testing.T) {
	chromium(t)
	b := timeline.NewBuilder("one step", []string{"a"}, timeline.States("s", "#000"))
	b.Set(0, 0, 0)
	b.Note(0, "a starts")
	path := filepath.Join(t.TempDir(), "run.html")
	if err := WriteFile(path, b.Chart(time.Second)); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	res, err := SelfTest(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(res, "SELFTEST FAIL") || !strings.Contains(res, "FAIL the next step changes what is shown") {
		t.Fatalf("self-test of a one-step page:\n%s", res)
	}
}

// TestPageStateFollowsTheStep checks, in the browser, that the panel
// shows the holdings and waits of the step: dumped at the last step
// (#end), the lock is held by O0 and the bonder waits for it.
func TestPageStateFollowsTheStep(t *testing.T) {
	bin := chromium(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "run.html")
	if err := WriteFile(path, chart()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--virtual-time-budget=2000", "--dump-dom", "file://"+path+"#end").Output()
	if err != nil {
		t.Fatal(err)
	}
	dom := string(out)
	for _, want := range []string{"lock is held by O0", "bonder waits for lock", "deadlock: deadlock detected", "the bonder waits for the lock"} {
		if !strings.Contains(dom, want) {
			t.Errorf("at the end the page does not show %q", want)
		}
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
}
