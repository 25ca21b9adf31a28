package props

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// A Bound limits what Explore runs.
type Bound struct {
	// Preemptions is the most preemptions a schedule may make. A
	// preemption is a switch away from a goroutine that is at a scheduling
	// point and could go on; a switch because the running goroutine
	// blocked, parked or finished is free, and so is the choice a select
	// makes among ready guards (every choice is explored). 0 explores the
	// non-preemptive schedules only (unless Delays is set: see below);
	// most concurrency bugs need one to three.
	Preemptions int
	// Delays, if not 0, is the most delays a schedule may make (delay
	// bounding): at each decision the options are ordered, the default
	// first (the last goroutine goes on if it can, else the next one in
	// round-robin order; a select's first ready guard), and taking option k
	// costs k delays. Unlike preemptions, which leave the switches at a
	// blocking point free, delays bound every deviation from the default
	// schedule, so the number of schedules stays polynomial in the length
	// of a run: use it for programs with many goroutines.
	//
	// The two bounds combine: a schedule must keep within both. As every
	// preemption is also at least one delay, Preemptions above Delays adds
	// nothing; Delays alone (Preemptions 0) bounds the delays only, not
	// the preemptions to none: it is Preemptions equal to Delays.
	Delays int
	// Schedules stops the exploration after this many schedules, leaving
	// it incomplete (Explored.Exhaustive false). 0 means 10,000.
	Schedules int
	// Replay, if not empty, runs only this schedule: the one a failure
	// report of Explore names.
	Replay string
	// Steps bounds the length of a run: a run that takes more scheduling
	// steps fails as a possible livelock (a polling loop that nothing
	// ends), with the last steps of its schedule. 0 means 100,000, the
	// bound Check uses.
	Steps int
}

// defaultSchedules is Bound.Schedules when it is 0.
const defaultSchedules = 10_000

// Explored is what Explore ran.
type Explored struct {
	Schedules  int           // distinct schedules run
	Runs       int           // runs: one a schedule, as no schedule runs twice
	Exhaustive bool          // every schedule within the bound ran
	Elapsed    time.Duration // wall-clock time of the whole exploration
}

// Explore runs prop under every schedule within the bound, depth first,
// and fails t with the first schedule that violates it (a failure of
// r.T, a panic, a deadlock), quoting the schedule so that Bound.Replay
// runs it alone. It logs and returns how many schedules it ran.
//
// Schedules are explored in order of preemptions: every schedule without
// one first, then every one with one, and so on up to the bound, so the
// failing schedule reported has as few preemptions as any that fails.
//
// A schedule is the sequence of the controller's decisions (see Check):
// which goroutine goes on at each scheduling point, and which ready guard
// each select takes. Explore starts from the schedule that never preempts,
// then varies the last decision that can still vary within the bound, as
// CHESS does with iterative preemption bounding. A run replays exactly from its
// decisions, so every schedule runs once and a failing one replays.
//
// prop should describe one program: under Explore it should not draw from
// r.T (each schedule would draw different values). Explore is meant for
// small configurations; use Check to sample large ones.
func Explore(t *testing.T, b Bound, prop func(*Run)) Explored {
	t.Helper()
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	if b.Delays > 0 && b.Preemptions == 0 {
		b.Preemptions = b.Delays // delays alone: see Bound
	}
	limit := b.Schedules
	if limit <= 0 {
		limit = defaultSchedules
	}
	prefix, err := parseSchedule(b.Replay)
	if err != nil {
		t.Fatalf("props: Bound.Replay: %v", err)
	}
	var res Explored
	var failing []int // once found, later calls of rapid's property replay it
	done := false
	rapid.Check(t, func(rt *rapid.T) {
		// One call of raise for the first failure and its replays: rapid
		// takes two failures for the same only if they are raised at the
		// same place.
		if c := explore(rt, b, limit, prefix, &failing, &done, &res, prop); c != nil {
			explainReplay(rt, failing, res)
			c.raise(rt)
		}
	})
	complete := "all of them"
	if !res.Exhaustive {
		complete = "stopped at the Schedules bound"
	}
	delays := ""
	if b.Delays > 0 {
		delays = fmt.Sprintf(" and %d delays", b.Delays)
	}
	t.Logf("props: explored %d schedules with at most %d preemptions%s (%s; %d runs) in %v",
		res.Schedules, b.Preemptions, delays, complete, res.Runs, res.Elapsed.Round(time.Millisecond))
	return res
}

// explore runs the exploration the first time it is called, and returns
// the controller of the first failing run; once one failed, it replays
// that schedule instead.
func explore(rt *rapid.T, b Bound, limit int, prefix []int, failing *[]int, done *bool, res *Explored, prop func(*Run)) *controller {
	if *failing != nil {
		return runSteps(rt, &explorer{prefix: *failing}, b.Steps, prop)
	}
	if *done {
		return nil // the exploration ran in the first call
	}
	*done = true
	start := time.Now()
	defer func() { res.Elapsed = time.Since(start) }()
	if b.Replay != "" {
		e := &explorer{prefix: prefix}
		c := runSteps(rt, e, b.Steps, prop)
		res.Schedules, res.Runs = 1, 1
		if c.failed() {
			*failing = append([]int{}, e.schedule()...)
			return c
		}
		return nil
	}
	// Iterative preemption bounding: all schedules with no preemption,
	// then those with one, and so on, so that the first failure found has
	// as few preemptions as any. A level explores depth first from its
	// roots, varying only the decisions after a root's; a variation that
	// costs one more preemption than the level allows is not dropped but
	// becomes a root of the next level. So every schedule runs once: no
	// level re-runs the schedules of the levels below.
	roots := [][]int{{}}
	for k := 0; k <= b.Preemptions && len(roots) > 0; k++ {
		var deeper [][]int
		for _, root := range roots {
			cur := root // the forced decisions of the next schedule
			for {
				e := &explorer{prefix: cur}
				c := runSteps(rt, e, b.Steps, prop)
				res.Runs++
				res.Schedules++
				if c.failed() {
					*failing = append([]int{}, e.schedule()...)
					return c
				}
				if res.Schedules >= limit {
					return nil
				}
				next, ok, later := e.next(b, k, len(root))
				deeper = append(deeper, later...)
				if !ok {
					break
				}
				cur = next
			}
		}
		roots = deeper
	}
	res.Exhaustive = true
	return nil
}

// explainReplay logs how to replay a failing schedule.
func explainReplay(rt *rapid.T, s []int, res Explored) {
	rt.Logf("props: schedule %d of the exploration fails; replay it alone with props.Bound{Replay: %q}", res.Schedules, formatSchedule(s))
}

// An explorer decides from a prefix of decisions, then takes option 0 (the
// goroutine that ran last goes on: no preemption), and keeps what it did.
type explorer struct {
	prefix []int
	taken  []decision
}

type decision struct {
	n, v       int
	preemptive bool // option 0 lets the last goroutine go on: others preempt it
	costly     int  // options from this one on cost a preemption anyway (a timer fires early)
}

func (e *explorer) choose(n int, preemptive bool, costly int) int {
	v := 0
	if i := len(e.taken); i < len(e.prefix) {
		v = min(e.prefix[i], n-1) // a replay of a schedule from an edited program
	}
	e.taken = append(e.taken, decision{n: n, v: v, preemptive: preemptive, costly: costly})
	return v
}

// cost is the preemptions that option v of d makes.
func (d decision) cost(v int) int {
	if (d.preemptive && v != 0) || v >= d.costly {
		return 1
	}
	return 0
}

// next returns the prefix of the next schedule in depth-first order within
// level preemptions (and b's delays): the last decision after the first
// fixed ones that has an option left within the bound takes it; the
// decisions before it stay. The options it passes over on the way that
// cost one preemption more than level, within b, it returns as later:
// roots of the next level.
func (e *explorer) next(b Bound, level, fixed int) (p []int, ok bool, later [][]int) {
	pre := make([]int, len(e.taken)+1) // preemptions before decision i
	del := make([]int, len(e.taken)+1) // delays before decision i
	for i, d := range e.taken {
		pre[i+1] = pre[i] + d.cost(d.v)
		del[i+1] = del[i] + d.v
	}
	prefix := func(i, v int) []int {
		p := make([]int, i+1)
		for j := range i {
			p[j] = e.taken[j].v
		}
		p[i] = v
		return p
	}
	for i := len(e.taken) - 1; i >= fixed; i-- {
		d := e.taken[i]
		for v := d.v + 1; v < d.n; v++ {
			cost := pre[i] + d.cost(v)
			if cost > b.Preemptions || (b.Delays > 0 && del[i]+v > b.Delays) {
				break // later options cost as many preemptions, and more delays
			}
			if cost <= level {
				return prefix(i, v), true, later
			}
			later = append(later, prefix(i, v))
		}
	}
	return nil, false, later
}

// schedule returns the decisions taken, without the trailing zeros that
// a replay takes anyway.
func (e *explorer) schedule() []int {
	s := make([]int, len(e.taken))
	for i, d := range e.taken {
		s[i] = d.v
	}
	for len(s) > 0 && s[len(s)-1] == 0 {
		s = s[:len(s)-1]
	}
	return s
}

// formatSchedule writes a schedule as Bound.Replay takes it: "0.2.0.1".
// The default schedule, which has no decision but the zeros, is "0": an
// empty Replay means no replay.
func formatSchedule(s []int) string {
	if len(s) == 0 {
		return "0"
	}
	parts := make([]string, len(s))
	for i, v := range s {
		parts[i] = strconv.Itoa(v)
	}
	return strings.Join(parts, ".")
}

func parseSchedule(s string) ([]int, error) {
	if s == "" {
		return nil, nil
	}
	var vs []int
	for p := range strings.SplitSeq(s, ".") {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 {
			return nil, fmt.Errorf("%q is not a schedule (numbers joined by dots)", s)
		}
		vs = append(vs, v)
	}
	return vs, nil
}
