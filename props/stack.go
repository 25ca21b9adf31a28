package props

// Goroutine stacks, as runtime.Stack prints them, read for three things the
// controlled scheduler needs and Go does not expose: a goroutine's id and
// bubble (to tell the property's goroutines from the rest of the process),
// its parent and body (to name it deterministically), and the chord
// operation it is in (for the trace and for explaining a deadlock).

import (
	"bytes"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
)

// A frame is one call in a goroutine's stack.
type frame struct {
	fn   string // full function name, e.g. github.com/gochord/chord/chanop.(*Chan[...]).Send
	file string
	line int
}

// A gstack is one goroutine's stack.
type gstack struct {
	id     int64
	bubble int64  // 0 outside any synctest bubble
	status string // "running", "sync.Cond.Wait (durable)", …
	frames []frame
	parent int64 // the goroutine that created it, 0 if unknown
}

// stackOf returns the calling goroutine's stack.
func stackOf() gstack {
	var buf [8 << 10]byte
	n := runtime.Stack(buf[:], false)
	gs := parseStacks(buf[:n])
	if len(gs) == 0 {
		return gstack{}
	}
	return gs[0]
}

// allStacks returns every goroutine's stack.
func allStacks() []gstack {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return parseStacks(buf[:n])
		}
		buf = make([]byte, 2*len(buf))
	}
}

// parseStacks parses the output of runtime.Stack.
func parseStacks(b []byte) []gstack {
	var gs []gstack
	for block := range bytes.SplitSeq(b, []byte("\n\n")) {
		lines := strings.Split(strings.TrimSpace(string(block)), "\n")
		if len(lines) == 0 || !strings.HasPrefix(lines[0], "goroutine ") {
			continue
		}
		var g gstack
		head := strings.TrimPrefix(lines[0], "goroutine ")
		if i := strings.IndexByte(head, ' '); i > 0 {
			g.id, _ = strconv.ParseInt(head[:i], 10, 64)
			head = head[i+1:]
		}
		head = strings.TrimSuffix(strings.TrimPrefix(head, "["), "]:")
		if i := strings.Index(head, ", synctest bubble "); i >= 0 {
			g.bubble, _ = strconv.ParseInt(strings.TrimSpace(head[i+len(", synctest bubble "):]), 10, 64)
			head = head[:i]
		}
		if i := strings.Index(head, ", "); i >= 0 {
			head = head[:i] // drop "N minutes", "locked to thread"
		}
		g.status = head
		for i := 1; i+1 < len(lines); i += 2 {
			fn, loc := lines[i], strings.TrimSpace(lines[i+1])
			if rest, ok := strings.CutPrefix(fn, "created by "); ok {
				if j := strings.LastIndex(rest, " in goroutine "); j >= 0 {
					g.parent, _ = strconv.ParseInt(rest[j+len(" in goroutine "):], 10, 64)
				}
				break
			}
			if j := strings.LastIndexByte(fn, '('); j > 0 && strings.HasSuffix(fn, ")") {
				fn = fn[:j]
			}
			f := frame{fn: fn}
			if j := strings.LastIndex(loc, " +0x"); j >= 0 {
				loc = loc[:j]
			}
			if j := strings.LastIndexByte(loc, ':'); j >= 0 {
				f.file = loc[:j]
				f.line, _ = strconv.Atoi(loc[j+1:])
			}
			g.frames = append(g.frames, f)
		}
		gs = append(gs, g)
	}
	return gs
}

const module = "github.com/gochord/chord/"

// chordOp reports whether fn is in one of chord's channel packages, or in
// csync, whose primitives are made of them.
func chordOp(fn string) bool {
	for _, p := range [...]string{"chanop.", "guard.", "selectx.", "join.", "buffer.", "csync."} {
		if strings.HasPrefix(fn, module+p) {
			return true
		}
	}
	return false
}

// machinery reports whether fn is below the user's code in a stack: the
// runtime, sync, chord's packages, or this scheduler.
func machinery(fn string) bool {
	switch {
	case chordOp(fn),
		strings.HasPrefix(fn, "runtime."),
		strings.HasPrefix(fn, "sync."),
		strings.HasPrefix(fn, "internal/"),
		strings.HasPrefix(fn, "time."),
		strings.HasPrefix(fn, "context."),
		strings.HasPrefix(fn, module+"internal/"),
		strings.HasPrefix(fn, module+"props.(*controller)"),
		strings.HasPrefix(fn, module+"props.(*Run)"),
		strings.HasPrefix(fn, module+"props.stackOf"),
		strings.HasPrefix(fn, module+"props.runOnce"),
		strings.HasPrefix(fn, module+"props.runSteps"):
		return true
	}
	return false
}

// infrastructure reports whether g is testing/synctest's own goroutine.
func (g gstack) infrastructure() bool {
	for _, f := range g.frames {
		if strings.HasPrefix(f.fn, "testing/synctest.") || strings.HasPrefix(f.fn, "internal/synctest.") {
			return true
		}
	}
	return false
}

// where returns the chord operation g is in (its outermost chord frame,
// e.g. "Chan.Send"), or "" if none, and the call site in the user's code
// that made it, e.g. "santa.go:366".
func (g gstack) where() (op, site string) {
	for _, f := range g.frames {
		if machinery(f.fn) {
			if chordOp(f.fn) {
				op = shortFunc(f.fn)
			}
			continue
		}
		return op, filepath.Base(f.file) + ":" + strconv.Itoa(f.line)
	}
	return op, ""
}

// blockedIn describes what a goroutine blocked outside chord waits in:
// the library call it is in ("WaitGroup.Wait"), or, blocked in its own
// code, the runtime's word for it ("a chan receive").
func (g gstack) blockedIn() string {
	for _, f := range g.frames {
		switch {
		case strings.HasPrefix(f.fn, "runtime."), strings.HasPrefix(f.fn, "internal/"), strings.HasPrefix(f.fn, "sync.runtime_"):
			continue
		case machinery(f.fn):
			return shortFunc(f.fn)
		}
		status := strings.TrimSuffix(g.status, " (durable)")
		if status == "" {
			return ""
		}
		return "a " + status
	}
	return ""
}

// label derives a goroutine's name from its body: the outermost named
// function of its stack that is not machinery or a closure, e.g. "elf" for
// a goroutine running (*workshop).elf. It returns "" for a goroutine whose
// body is an anonymous function.
func (g gstack) label() string {
	for i := len(g.frames) - 1; i >= 0; i-- {
		fn := g.frames[i].fn
		if machinery(fn) || closure(fn) {
			continue
		}
		s := shortFunc(fn)
		if j := strings.LastIndexByte(s, '.'); j >= 0 {
			s = s[j+1:]
		}
		return s
	}
	return ""
}

// closure reports whether fn is an anonymous function or a go statement's
// wrapper: pkg.F.func1, pkg.F.func1.2, pkg.F.gowrap1.
func closure(fn string) bool {
	i := strings.LastIndexByte(fn, '.')
	last := fn[i+1:]
	if _, err := strconv.Atoi(last); err == nil {
		return true
	}
	return strings.HasPrefix(last, "func") || strings.HasPrefix(last, "gowrap")
}

// shortFunc shortens a function name for a trace: the package path and
// type parameters go, and a method keeps its type: "Chan.Send",
// "selectx.Select", "workshop.elf".
func shortFunc(fn string) string {
	if i := strings.LastIndexByte(fn, '/'); i >= 0 {
		fn = fn[i+1:]
	}
	fn = strings.ReplaceAll(fn, "[...]", "")
	if i := strings.Index(fn, ".(*"); i >= 0 {
		fn = fn[i+3:]
		fn = strings.Replace(fn, ").", ".", 1)
	} else if i := strings.Index(fn, ".("); i >= 0 {
		fn = fn[i+2:]
		fn = strings.Replace(fn, ").", ".", 1)
	}
	return fn
}
