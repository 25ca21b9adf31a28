package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/gochord/chord/problems/santa"
)

// A narrator turns events into a story, one line per thing worth telling.
// It follows the trace to know who is waiting: a reindeer from DeerBack to
// Harness, an elf from ElfAsks to ShowIn. Its methods are called one at a
// time (santa.Config.Observe is serialised).
type narrator struct {
	w       io.Writer
	cfg     santa.Config
	verbose bool   // tell every reindeer's return
	chooser string // "pri", "random" or "fair": how Santa chooses

	deerBack     []int // reindeer back and not yet harnessed, in order of return
	elvesWaiting []int // elves that asked and were not yet shown in, in order
	busy         string
	deliveries   int
	visits       int

	passedOver int // times the elves went first while the whole team was back

	wake  *santa.Event // Santa's decision, told once its group is known
	why   string       // what was waiting when he decided
	group []int        // the members joining the current group
}

func newNarrator(w io.Writer, cfg santa.Config, verbose bool) *narrator {
	return &narrator{w: w, cfg: cfg, verbose: verbose, chooser: "pri"}
}

func (n *narrator) header(speed float64) {
	c := n.cfg
	fmt.Fprintf(n.w, "The Santa Claus problem: %d reindeer, %d elves who wake Santa %d at a time.\n", c.Reindeer, c.Elves, c.ElfGroup)
	fmt.Fprintf(n.w, "Work to do: %s and %s. Seed %d", plural(c.Deliveries, "delivery", "deliveries"), plural(c.ElfVisits, "consultation", "consultations"), c.Seed)
	if speed != 1 {
		fmt.Fprintf(n.w, ", speed ×%g", speed)
	}
	switch n.chooser {
	case "random":
		fmt.Fprint(n.w, ", Santa chooses at random (no reindeer priority)")
	case "fair":
		fmt.Fprint(n.w, ", Santa takes turns (selectx.Fair)")
	}
	fmt.Fprint(n.w, ".\n")
	fmt.Fprintf(n.w, "\nThe mechanism: reindeer r Sends on its own channel deer[r] and elf e on elf[e]; each stays\n"+
		"blocked in Send. Santa keeps no count of who is waiting. He sleeps in one select over two join patterns,\n"+
		"  reindeer = All(Each(deer[0], …, deer[%d]))     one message from every reindeer channel\n"+
		"  elves    = All(AnyOf(%d, elf[0], …, elf[%d]))   one message from each of any %d elf channels\n",
		c.Reindeer-1, c.ElfGroup, c.Elves-1, c.ElfGroup)
	switch n.chooser {
	case "random":
		fmt.Fprint(n.w, "  selectx.Select(reindeer, elves)               when both can fire, a coin decides (the mistake)\n")
	case "fair":
		fmt.Fprint(n.w, "  selectx.Fair.Select(reindeer, elves)          when both can fire, they take turns\n")
	default:
		fmt.Fprint(n.w, "  selectx.PriSelect(reindeer, elves)            when both can fire, the reindeer go first\n")
	}
	fmt.Fprint(n.w, "A pattern takes nothing until its whole group is there, then takes the whole group at once,\n"+
		"and that firing is what releases the group's Sends, together.\n")
	fmt.Fprint(n.w, "\nLegend\n"+
		"  back from holiday / needs help    a Send on the member's channel: it is queued there\n"+
		"  wakes: …                          Santa's select returned: what was waiting when it did\n"+
		"  * … pattern fires                 the firing: which messages it took together, whom it released\n"+
		"  (n waiting, Santa is busy)        members queued on their channels while no pattern can be served\n\n")
	fmt.Fprintf(n.w, "%7s  %-11s  %s\n", "time", "who", "what")
}

func (n *narrator) line(at time.Duration, who, format string, args ...any) {
	fmt.Fprintf(n.w, "%6.2fs  %-11s  %s\n", at.Seconds(), who, fmt.Sprintf(format, args...))
}

func (n *narrator) event(e santa.Event) {
	c := n.cfg
	switch e.Kind {
	case santa.DeerBack:
		n.deerBack = append(n.deerBack, e.Who)
		k := len(n.deerBack)
		switch {
		case k == c.Reindeer && k > 1:
			n.line(e.At, who(e), "back from holiday, the last of %d: the team is complete", c.Reindeer)
		case k == 1 && c.Reindeer > 1:
			n.line(e.At, who(e), "back from holiday, the first of %d", c.Reindeer)
		case n.verbose:
			n.line(e.At, who(e), "back from holiday (%d of %d)", k, c.Reindeer)
		}

	case santa.ElfAsks:
		n.elvesWaiting = append(n.elvesWaiting, e.Who)
		k := len(n.elvesWaiting)
		what := fmt.Sprintf("needs help: %s waiting", plural(k, "elf", "elves"))
		switch {
		case n.busy != "":
			what += ", Santa is " + n.busy
		case k == c.ElfGroup && n.visits < c.ElfVisits:
			what += ", enough to wake Santa"
		case n.visits >= c.ElfVisits:
			what += ", but Santa has no more time for elves"
		}
		n.line(e.At, who(e), "%s", what)

	case santa.WakeDeer, santa.WakeElves:
		n.wake, n.group = &e, n.group[:0]
		n.why = n.reason(e)

	case santa.Harness:
		n.group = append(n.group, e.Who)
		n.deerBack = slices.DeleteFunc(n.deerBack, func(r int) bool { return r == e.Who })

	case santa.ShowIn:
		n.group = append(n.group, e.Who)
		n.elvesWaiting = slices.DeleteFunc(n.elvesWaiting, func(x int) bool { return x == e.Who })

	case santa.DeliveryStart:
		n.deliveries++
		n.busy = "delivering"
		n.line(n.wake.At, "Santa", "wakes: %s", n.why)
		n.line(n.wake.At, "", "* the reindeer pattern fires: takes one message from each of the %d deer channels at once, releasing %s together", c.Reindeer, team(n.group, c.Reindeer))
		n.line(e.At, "Santa", "harnesses %s; the sleigh leaves (delivery %d of %d)", team(n.group, c.Reindeer), n.deliveries, c.Deliveries)

	case santa.ConsultStart:
		n.visits++
		n.busy = "consulting"
		n.line(n.wake.At, "Santa", "wakes: %s", n.why)
		n.line(n.wake.At, "", "* the elves pattern fires: takes the messages of elves %s at once, releasing those %d", list(n.group), len(n.group))
		n.line(e.At, "Santa", "shows elves %s into the study (consultation %d of %d)", list(n.group), n.visits, c.ElfVisits)

	case santa.Unharness:
		if e.Who == n.group[len(n.group)-1] {
			n.busy = ""
			n.line(e.At, "Santa", "the sleigh is back; unharnesses the reindeer, who go on holiday")
		}

	case santa.ShowOut:
		if e.Who == n.group[len(n.group)-1] {
			n.busy = ""
			n.line(e.At, "Santa", "shows elves %s out, back to work", list(n.group))
		}

	case santa.Retire:
		what := "retires: the work is done"
		if k := len(n.elvesWaiting); k > 0 {
			what += fmt.Sprintf("; %s still at the door go home", plural(k, "elf", "elves"))
		}
		n.line(e.At, "Santa", "%s", what)
	}
}

// reason says why Santa woke, and what else was waiting, at decision e.
func (n *narrator) reason(e santa.Event) string {
	c := n.cfg
	elves, deer := len(n.elvesWaiting), len(n.deerBack)
	elvesDue, deerDue := n.visits < c.ElfVisits, n.deliveries < c.Deliveries
	if e.Kind == santa.WakeDeer {
		s := "all reindeer are back"
		if c.Reindeer > 1 {
			s = fmt.Sprintf("all %d reindeer are back", c.Reindeer)
		}
		switch {
		case elves >= c.ElfGroup && elvesDue && n.chooser == "pri":
			return s + fmt.Sprintf(" (%s also waiting — reindeer go first)", plural(elves, "elf", "elves"))
		case elves >= c.ElfGroup && elvesDue:
			return s + fmt.Sprintf(" (%s also waiting; the reindeer won the draw)", plural(elves, "elf", "elves"))
		case elves > 0:
			return s + fmt.Sprintf(" (%s waiting)", plural(elves, "elf", "elves"))
		}
		return s
	}
	s := fmt.Sprintf("%s need help", plural(elves, "elf", "elves"))
	if elves > c.ElfGroup {
		s += fmt.Sprintf(", %d can come in", c.ElfGroup)
	}
	switch {
	case deer == c.Reindeer && deerDue:
		// With PriSelect this happens only when the last reindeer came
		// back just as the elves' pattern fired.
		n.passedOver++
		return s + fmt.Sprintf(" (all %d reindeer are back too, and yet the elves go first!)", c.Reindeer)
	case deerDue:
		return s + fmt.Sprintf(" (%d of %d reindeer back)", deer, c.Reindeer)
	}
	return s
}

func (n *narrator) summary(res santa.Result, err error) {
	st, c := res.Stats, n.cfg
	fmt.Fprintln(n.w)
	if err != nil {
		fmt.Fprintf(n.w, "Stopped: %v\n", err)
	}
	rw, ew := santa.Sum(st.ReindeerWait), santa.Sum(st.ElfWait)
	fmt.Fprintf(n.w, "Summary after %.2fs\n", st.Elapsed.Seconds())
	fmt.Fprintf(n.w, "  %-15s %-8s reindeer waited %s for their team\n", "deliveries", fmt.Sprintf("%d of %d", st.Deliveries, c.Deliveries), waits(rw))
	fmt.Fprintf(n.w, "  %-15s %-8s elves waited %s for Santa\n", "consultations", fmt.Sprintf("%d of %d", st.Consultations, c.ElfVisits), waits(ew))
	var visits []string
	for e, w := range st.ElfWait {
		visits = append(visits, fmt.Sprintf("%d:%d", e, w.Count))
	}
	fmt.Fprintf(n.w, "  %-15s %s  (elf:visits)\n", "elf visits", strings.Join(visits, " "))
	switch {
	case st.ReindeerFirst > 0 && n.chooser == "pri":
		fmt.Fprintf(n.w, "  %-15s the reindeer went first %s while a group of elves was waiting too\n", "priority", plural(st.ReindeerFirst, "time", "times"))
	case st.ReindeerFirst > 0:
		fmt.Fprintf(n.w, "  %-15s the reindeer went first %s while a group of elves was waiting too (by chance: run again to see the draw go the other way)\n", "priority", plural(st.ReindeerFirst, "time", "times"))
	default:
		fmt.Fprintf(n.w, "  %-15s never needed: the team and a group of elves were never both waiting\n", "priority")
	}
	fmt.Fprintf(n.w, "  %-15s the elves were served %s while all %d reindeer were back and waiting", "check", plural(n.passedOver, "time", "times"), c.Reindeer)
	if n.chooser == "pri" {
		fmt.Fprint(n.w, " (with PriSelect only when the\n                  last reindeer came back as the elves' pattern fired; the checkers' verdict below decides)\n")
	} else {
		fmt.Fprint(n.w, " (each is a priority violation\n                  unless the last reindeer came back as the elves' pattern fired; see the verdict below)\n")
	}
	if st.Unserved > 0 {
		fmt.Fprintf(n.w, "  %-15s %s still queued when Santa retired\n", "unserved", plural(st.Unserved, "request", "requests"))
	}
}

func waits(w santa.Wait) string {
	if w.Count == 0 {
		return "—"
	}
	return fmt.Sprintf("%.2fs on average (at most %.2fs)", w.Mean().Seconds(), w.Max.Seconds())
}

func who(e santa.Event) string {
	if e.Kind == santa.DeerBack {
		return fmt.Sprintf("reindeer %d", e.Who)
	}
	return fmt.Sprintf("elf %d", e.Who)
}

// team names the harnessed reindeer: "all 9 reindeer" when it is 0…n-1.
func team(rs []int, n int) string {
	if len(rs) == n && n > 1 {
		return fmt.Sprintf("all %d reindeer", n)
	}
	return "reindeer " + list(rs)
}

// list formats indexes as "1, 3 and 7", in increasing order.
func list(xs []int) string {
	xs = slices.Sorted(slices.Values(xs))
	var b strings.Builder
	for i, x := range xs {
		switch {
		case i == 0:
		case i == len(xs)-1:
			b.WriteString(" and ")
		default:
			b.WriteString(", ")
		}
		fmt.Fprint(&b, x)
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
