package join

import "github.com/gochord/chord/chanop"

// matchFlow is the exhaustive matcher: it decides whether the pattern can
// fire as a maximum-flow problem and, if so, records the picks. It runs
// only when first-fit failed after skipping a shared sender, and with the
// pattern's locks held.
//
// Network: source → each live waiter (capacity 1: a waiter gives one
// message) → each channel it offers on (1) → sink. A required channel
// (From, FromN, Each) has capacity to the sink of the messages it still
// needs beyond those it buffers. An AnyOf channel that buffers a message
// needs no waiter and is taken first; the others reach the sink through
// their part's node (1 each), whose capacity is the number of channels the
// part still needs. The pattern can fire iff the maximum flow saturates
// every demand.
func (p *Pattern) matchFlow() bool {
	type chanNode struct {
		part, local int
		src         rawSource
		nbuf        int // buffered messages taken
		need        int // required: messages needed from waiters; AnyOf: 1 if usable through the group
		group       int // index into groups for AnyOf channels needing a waiter, else -1
	}
	var chans []chanNode
	var groups []int // remaining demand of each AnyOf part
	demand := 0
	for pi, c := range p.parts {
		count, m, any := c.shape()
		c.resetPicks()
		srcs := c.sources()
		if !any {
			for li, s := range srcs {
				b := min(s.Buffered(), count)
				chans = append(chans, chanNode{pi, li, s, b, count - b, -1})
				demand += count - b
			}
			continue
		}
		g := len(groups)
		left := m
		for li, s := range srcs {
			if left > 0 && s.Buffered() > 0 {
				chans = append(chans, chanNode{pi, li, s, 1, 0, -1})
				left--
			} else {
				chans = append(chans, chanNode{pi, li, s, 0, 1, g})
			}
		}
		groups = append(groups, left)
		demand += left
	}

	// Waiters: distinct, live, not already in the claim set (the owner).
	index := map[*chanop.Waiter]int{}
	var waiters []*chanop.Waiter
	for _, cn := range chans {
		if cn.need == 0 {
			continue
		}
		for e := cn.src.Senders().Front(); e != nil; e = e.Next() {
			if e.W.Done() || p.m.has(e.W) {
				continue
			}
			if _, ok := index[e.W]; !ok {
				index[e.W] = len(waiters)
				waiters = append(waiters, e.W)
			}
		}
	}

	// Nodes: 0 source, 1 sink, waiters, channels, groups.
	nw, nc := len(waiters), len(chans)
	wNode := func(i int) int { return 2 + i }
	cNode := func(i int) int { return 2 + nw + i }
	gNode := func(i int) int { return 2 + nw + nc + i }
	n := 2 + nw + nc + len(groups)
	capa := make([][]int, n)
	for i := range capa {
		capa[i] = make([]int, n)
	}
	for i := range waiters {
		capa[0][wNode(i)] = 1
	}
	for ci, cn := range chans {
		if cn.need == 0 {
			continue
		}
		for e := cn.src.Senders().Front(); e != nil; e = e.Next() {
			if wi, ok := index[e.W]; ok && !e.W.Done() {
				capa[wNode(wi)][cNode(ci)] = 1
			}
		}
		if cn.group < 0 {
			capa[cNode(ci)][1] = cn.need
		} else {
			capa[cNode(ci)][gNode(cn.group)] = 1
		}
	}
	for gi, left := range groups {
		capa[gNode(gi)][1] = left
	}

	// Ford–Fulkerson with depth-first augmenting paths; every capacity is
	// small, and the total flow is at most the demand.
	flow := 0
	seen := make([]bool, n)
	var augment func(u int) bool
	augment = func(u int) bool {
		if u == 1 {
			return true
		}
		seen[u] = true
		for v := 0; v < n; v++ {
			if capa[u][v] > 0 && !seen[v] && augment(v) {
				capa[u][v]--
				capa[v][u]++
				return true
			}
		}
		return false
	}
	for flow < demand {
		clear(seen)
		if !augment(0) {
			return false
		}
		flow++
	}

	// A waiter sends to the channel its unit of flow went to: the reverse
	// residual capacity on the waiter→channel edge is then 1.
	var es []*chanop.Entry
	for ci, cn := range chans {
		es = es[:0]
		if cn.need > 0 {
			for e := cn.src.Senders().Front(); e != nil; e = e.Next() {
				wi, ok := index[e.W]
				if ok && capa[cNode(ci)][wNode(wi)] > 0 && !p.m.has(e.W) {
					es = append(es, e)
					p.m.ws = append(p.m.ws, e.W)
				}
			}
		}
		if cn.nbuf+len(es) > 0 {
			p.parts[cn.part].setPick(cn.local, cn.nbuf, es)
		}
	}
	return true
}
