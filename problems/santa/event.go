package santa

import (
	"fmt"
	"time"

	"github.com/gochord/chord/internal/trace"
)

// Santa is the Who of Santa's own events (waking, delivering, consulting,
// retiring): not a reindeer or elf index.
const Santa = -1

// A Kind says what an Event records.
type Kind uint8

// The events of a run. A reindeer's or elf's cycle is
//
//	DeerBack → Harness → Unharness       (the reindeer's team is a Group)
//	ElfAsks  → ShowIn  → ShowOut         (the elf's group is a Group)
//
// and Santa's service of a group g is
//
//	WakeDeer(g)  → Harness(g)… → DeliveryStart(g) → DeliveryEnd(g) → Unharness(g)…
//	WakeElves(g) → ShowIn(g)…  → ConsultStart(g)  → ConsultEnd(g)  → ShowOut(g)…
//
// Arrivals (DeerBack, ElfAsks) are recorded before the member sends its
// message, and WakeDeer and WakeElves right after Santa's select returns:
// package santa/check relies on both to check reindeer priority (see there).
const (
	DeerBack      Kind = iota + 1 // reindeer Who is back from holiday and queues at the stable
	ElfAsks                       // elf Who needs help and queues at Santa's door
	WakeDeer                      // Santa's select took the reindeer pattern: Group is a new team
	WakeElves                     // Santa's select took the elves pattern: Group is a new group of elves
	Harness                       // Santa harnesses reindeer Who of team Group
	DeliveryStart                 // the sleigh leaves with team Group
	DeliveryEnd                   // the sleigh is back with team Group
	Unharness                     // Santa unharnesses reindeer Who and sends it on holiday
	ShowIn                        // Santa shows elf Who of group Group into his study
	ConsultStart                  // Santa starts consulting with group Group
	ConsultEnd                    // the consultation with group Group is over
	ShowOut                       // Santa shows elf Who out and sends it back to work
	Retire                        // the work is done (or cancelled); everybody went home
)

var kindNames = [...]string{
	DeerBack:      "DeerBack",
	ElfAsks:       "ElfAsks",
	WakeDeer:      "WakeDeer",
	WakeElves:     "WakeElves",
	Harness:       "Harness",
	DeliveryStart: "DeliveryStart",
	DeliveryEnd:   "DeliveryEnd",
	Unharness:     "Unharness",
	ShowIn:        "ShowIn",
	ConsultStart:  "ConsultStart",
	ConsultEnd:    "ConsultEnd",
	ShowOut:       "ShowOut",
	Retire:        "Retire",
}

// String returns the constant's name, e.g. "DeerBack".
func (k Kind) String() string {
	return trace.KindName(kindNames[:], k)
}

// An Event is one step of a run, as recorded in Result.Events.
type Event struct {
	Seq   int           // position in the trace: 1, 2, 3, …
	At    time.Duration // time since Run began (fake time inside a synctest bubble)
	Kind  Kind          // what happened
	Who   int           // the reindeer's or elf's index, or Santa for Santa's own events
	Group int           // the firing that formed the group (1, 2, …); 0 for arrivals and Retire
}

// String formats e for a counterexample, e.g.
// "#12 1.5s Harness reindeer 3 (group 2)".
func (e Event) String() string {
	var who string
	switch e.Kind {
	case DeerBack, Harness, Unharness:
		who = fmt.Sprintf(" reindeer %d", e.Who)
	case ElfAsks, ShowIn, ShowOut:
		who = fmt.Sprintf(" elf %d", e.Who)
	default:
		if e.Who != Santa {
			who = fmt.Sprintf(" who=%d", e.Who)
		}
	}
	s := fmt.Sprintf("#%d %v %v%s", e.Seq, e.At, e.Kind, who)
	if e.Group != 0 {
		s += fmt.Sprintf(" (group %d)", e.Group)
	}
	return s
}

// stamp gives e its place in the trace and its time since Run began.
func stamp(e *Event, seq int, at time.Duration) { e.Seq, e.At = seq, at }
