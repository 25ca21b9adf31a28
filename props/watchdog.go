package props

// The watchdog: a run must never hang. The controller decides only when
// every goroutine of the run is durably blocked (synctest.Wait); a
// goroutine blocked on something the bubble cannot see through (a plain
// sync.Mutex, a channel made outside the run) is never durably blocked,
// so the controller would wait for it for ever. A goroutine outside the
// bubble watches the controller's progress and, when there has been none
// for a while of real time and some goroutine of the run is blocked that
// way, reports which, where, and what to use instead, and ends the test
// binary: nothing can end the run (a channel of the bubble cannot be
// touched from outside it).

import (
	"fmt"
	"os"
	"strings"
	"time"
)

// Real-time bounds of the watchdog: hangAfter without progress while a
// goroutine is blocked outside chord, spinAfter while one runs without
// reaching a scheduling point.
const (
	hangTick  = 100 * time.Millisecond
	hangAfter = 2 * time.Second
	spinAfter = 20 * time.Second
)

// watch starts the watchdog of c's run and returns the function that
// stops it.
func (c *controller) watch() (stop func()) {
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(hangTick)
		defer tick.Stop()
		last, since := c.progress.Load(), time.Now()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			if p := c.progress.Load(); p != last {
				last, since = p, time.Now()
				continue
			}
			if c.where.Load() == 0 || time.Since(since) < hangAfter {
				continue
			}
			if report := c.hung(time.Since(since) >= spinAfter); report != "" {
				fmt.Fprintln(os.Stderr, report)
				panic("props: the run hangs outside chord's scheduling points (see the report above)")
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}

// hung returns the report of a run that hangs: the goroutines of its
// bubble that are neither parked in chord nor durably blocked, or "" if
// there is none. spinning counts runnable ones too: they run without
// reaching a scheduling point.
func (c *controller) hung(spinning bool) string {
	bubble, self := c.where.Load(), c.self.Load()
	var b strings.Builder
	var names []string
	for _, st := range allStacks() {
		if st.bubble != bubble || st.id == self || st.infrastructure() || strings.HasSuffix(st.status, "(durable)") {
			continue
		}
		running := st.status == "running" || st.status == "runnable" || st.status == "syscall"
		if running && !spinning {
			continue
		}
		name := fmt.Sprintf("goroutine %d", st.id)
		if c.mu.TryLock() { // it may be held by a goroutine that hangs
			if g := c.byID[st.id]; g != nil && g.name != "" {
				name = g.name
			}
			c.mu.Unlock()
		}
		names = append(names, name)
		_, site := st.where()
		what := "blocked in " + st.blockedIn()
		if running {
			what = "running without reaching a scheduling point"
		}
		if site != "" {
			what += " at " + site
		}
		if use := st.instead(); use != "" {
			what += ": props does not schedule it; use " + use
		}
		fmt.Fprintf(&b, "\t%s: %s\n", name, what)
	}
	if len(names) == 0 {
		return ""
	}
	trace := ""
	if c.mu.TryLock() {
		trace = formatSteps(c.steps, c.events)
		c.mu.Unlock()
	}
	return fmt.Sprintf("props: the run hangs: %s blocked outside chord for %v of real time, where the controlled scheduler cannot see %s\n%s%s",
		joinNames(names), hangAfter, pronoun(len(names)), b.String(), trace)
}

// instead names what to use, under props, instead of the primitive g is
// blocked in, if it is one props does not schedule.
func (g gstack) instead() string {
	for _, f := range g.frames {
		switch {
		case strings.HasPrefix(f.fn, "sync.(*Mutex)."):
			return "csync.Mutex"
		case strings.HasPrefix(f.fn, "sync.(*RWMutex)."):
			return "csync.RWMutex"
		case strings.HasPrefix(f.fn, "sync.(*WaitGroup)."):
			return "csync.WaitGroup"
		case strings.HasPrefix(f.fn, "sync.(*Cond)."):
			return "csync.Cond"
		case strings.HasPrefix(f.fn, "sync.(*Once)."):
			return "csync.Once"
		}
	}
	status := strings.TrimSuffix(g.status, " (durable)")
	switch {
	case strings.HasPrefix(status, "chan send"), strings.HasPrefix(status, "chan receive"):
		return "chanop.Chan"
	case strings.HasPrefix(status, "select"):
		return "selectx.Select over chanop guards"
	}
	return ""
}
