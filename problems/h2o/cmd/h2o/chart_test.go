package main

import (
	"testing"
	"time"

	"github.com/gochord/chord/problems/h2o"
)

// In a greedy run a site that bonded is free again once its molecule has
// left (it used to stay "in a molecule" to the end); a site holding an atom
// when the run is stopped is in the deadlock, marked where it was detected,
// waiting for the site that holds what it needs.
func TestGreedyChart(t *testing.T) {
	ms := time.Millisecond
	H := func(n int) h2o.Atom { return h2o.Atom{Elem: h2o.H, N: n} }
	O := func(n int) h2o.Atom { return h2o.Atom{Elem: h2o.O, N: n} }
	cfg := h2o.Config{Hydrogen: 4, Oxygen: 2, Greedy: true, Sites: 3}
	events := []h2o.Event{
		{At: 1 * ms, Kind: h2o.Arrive, Atom: H(0)},
		{At: 1 * ms, Kind: h2o.Took, Atom: H(0), Site: 0},
		{At: 2 * ms, Kind: h2o.Arrive, Atom: H(1)},
		{At: 2 * ms, Kind: h2o.Took, Atom: H(1), Site: 0},
		{At: 3 * ms, Kind: h2o.Arrive, Atom: O(0)},
		{At: 3 * ms, Kind: h2o.Took, Atom: O(0), Site: 0},
		{At: 3 * ms, Kind: h2o.Bond, Atoms: []h2o.Atom{H(0), H(1), O(0)}, Site: 0},
		{At: 4 * ms, Kind: h2o.Arrive, Atom: H(2)},
		{At: 4 * ms, Kind: h2o.Took, Atom: H(2), Site: 1},
		{At: 5 * ms, Kind: h2o.Arrive, Atom: H(3)},
		{At: 5 * ms, Kind: h2o.Took, Atom: H(3), Site: 2},
		{At: 6 * ms, Kind: h2o.Leave, Atom: H(0)},
		{At: 6 * ms, Kind: h2o.Leave, Atom: H(1)},
		{At: 6 * ms, Kind: h2o.Leave, Atom: O(0)},
		{At: 7 * ms, Kind: h2o.Arrive, Atom: O(1)},
		{At: 50 * ms, Kind: h2o.Unbonded, Atom: H(2)},
		{At: 50 * ms, Kind: h2o.Unbonded, Atom: H(3)},
		{At: 50 * ms, Kind: h2o.Unbonded, Atom: O(1)},
	}
	c := chart(cfg, events)
	site := func(s int) int { return cfg.Hydrogen + cfg.Oxygen + s }
	for _, s := range c.Spans {
		if s.Lane == site(0) && s.To > 6*ms {
			t.Errorf("site 0 still %q after its molecule left: %+v", c.States[s.State].Name, s)
		}
		if s.Lane == 2 && s.State == 1 && (len(s.Holders) != 1 || s.Holders[0] != site(1)) {
			t.Errorf("H2's band does not name site 1 as its holder: %+v", s)
		}
	}
	var deadlock bool
	for _, m := range c.Marks {
		deadlock = deadlock || (m.Kind == "deadlock" && m.At == 50*ms)
	}
	if !deadlock {
		t.Errorf("no deadlock marked at 50ms: %+v", c.Marks)
	}
	waits := map[[2]int]bool{}
	for _, w := range c.Waits {
		waits[[2]int{w.Waiter, w.On}] = true
	}
	if !waits[[2]int{site(1), site(2)}] || !waits[[2]int{site(2), site(1)}] {
		t.Errorf("sites 1 and 2 do not wait for each other: %+v", c.Waits)
	}
}
