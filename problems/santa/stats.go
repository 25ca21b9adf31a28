package santa

import "time"

// Stats summarises a run. Waiting times run from a member's arrival
// (DeerBack, ElfAsks) to Santa's waking for its group (WakeDeer, WakeElves).
type Stats struct {
	Deliveries    int           // deliveries made (DeliveryEnd events)
	Consultations int           // consultations held (ConsultEnd events)
	Elapsed       time.Duration // from the start of Run to Retire
	ReindeerWait  []Wait        // per reindeer, indexed by Who
	ElfWait       []Wait        // per elf, indexed by Who; Count is the elf's visits
	Unserved      int           // requests still queued when Santa retired (elves at his door)

	// ReindeerFirst counts the times Santa woke for the reindeer while at
	// least ElfGroup elves were waiting too (and consultations were still
	// due): where priority decided.
	ReindeerFirst int
}

// Wait is how long one member waited for Santa, over all its requests.
type Wait struct {
	Count int           // requests served
	Total time.Duration // summed over them
	Max   time.Duration // the longest
}

// Mean returns the mean waiting time, or 0 if no request was served.
func (w Wait) Mean() time.Duration {
	if w.Count == 0 {
		return 0
	}
	return w.Total / time.Duration(w.Count)
}

// Sum returns the waits of several members taken together.
func Sum(ws []Wait) Wait {
	var s Wait
	for _, w := range ws {
		s.Count += w.Count
		s.Total += w.Total
		s.Max = max(s.Max, w.Max)
	}
	return s
}

// statsOf reads the statistics off a trace of Run: each Harness or ShowIn
// serves the member's oldest request not yet served.
func statsOf(cfg Config, events []Event) Stats {
	st := Stats{
		ReindeerWait: make([]Wait, cfg.Reindeer),
		ElfWait:      make([]Wait, cfg.Elves),
	}
	deerQ := make([][]time.Duration, cfg.Reindeer) // arrival times not yet served
	elfQ := make([][]time.Duration, cfg.Elves)
	woke := map[int]time.Duration{} // group → when Santa woke for it
	elfGroups := 0                  // WakeElves so far
	serve := func(q [][]time.Duration, ws []Wait, who, group int) {
		if len(q[who]) == 0 {
			return // not a trace of Run
		}
		d := woke[group] - q[who][0]
		q[who] = q[who][1:]
		ws[who].Count++
		ws[who].Total += d
		ws[who].Max = max(ws[who].Max, d)
	}
	for _, e := range events {
		switch e.Kind {
		case DeerBack:
			deerQ[e.Who] = append(deerQ[e.Who], e.At)
		case ElfAsks:
			elfQ[e.Who] = append(elfQ[e.Who], e.At)
		case WakeDeer:
			woke[e.Group] = e.At
			waiting := 0
			for _, q := range elfQ {
				if len(q) > 0 {
					waiting++
				}
			}
			if waiting >= cfg.ElfGroup && elfGroups < cfg.ElfVisits {
				st.ReindeerFirst++
			}
		case WakeElves:
			woke[e.Group] = e.At
			elfGroups++
		case Harness:
			serve(deerQ, st.ReindeerWait, e.Who, e.Group)
		case ShowIn:
			serve(elfQ, st.ElfWait, e.Who, e.Group)
		case DeliveryEnd:
			st.Deliveries++
		case ConsultEnd:
			st.Consultations++
		case Retire:
			st.Elapsed = e.At
		}
	}
	for _, qs := range [][][]time.Duration{deerQ, elfQ} {
		for _, q := range qs {
			st.Unserved += len(q)
		}
	}
	return st
}
