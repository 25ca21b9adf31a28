package join

import "github.com/gochord/chord/guard"

// This file is the exhaustive matcher, a maximum flow over a sparse graph.
//
// Invariants:
//
//   - matchFlow runs with every lock of the pattern held, only after
//     first-fit failed having skipped a sender that it had already picked
//     for another source (a select offering on several sources of the
//     pattern), and with p.m.ws holding at most the owner's waiter.
//   - Memory is linear in the offers: the graph has one node per live
//     waiter, per source that can contribute (it buffers a message or has a
//     live sender) and per AnyOf part, and one edge per (waiter, source) it
//     offers on, plus one per node to the source or sink. Sources with
//     nothing to give get no node, so an AnyOf(2) over 10,000 channels with
//     one sender offering on two of them builds a graph of five nodes.
//   - The scratch (flowNet) is made by the pattern's first exhaustive match
//     and reused: it is guarded by the pattern's locks, like the rest of the
//     match state, and keeps the size of the largest graph built so far.
//
// Here is a tempting simplification that is wrong: a dense V×V capacity
// matrix. It is what this file used to build, and at 10,000 channels one
// Ready allocated 784 MB.

// matchFlow decides whether the pattern can fire as a maximum-flow problem
// and, if so, records the picks in the parts and the picked senders'
// waiters in p.m.
//
// Network: source → each live waiter (capacity 1: a waiter gives one
// message) → each source it offers on (1) → sink. A required source (From,
// FromN, Each) has capacity to the sink of the messages it still needs
// beyond those it buffers. An AnyOf source that buffers a message needs no
// waiter and is taken first; the others reach the sink through their
// part's node (1 each), whose capacity is the number of sources the part
// still needs. The pattern can fire iff the maximum flow saturates every
// demand. The flow is Dinic's (breadth-first levels, then depth-first
// blocking flows), so a ring of n senders each offering on two sources
// costs O(n√n) steps, not O(n²).
func (p *Pattern) matchFlow() bool {
	if p.flow == nil {
		p.flow = new(flowNet)
	}
	f := p.flow
	f.reset()

	// The sources that can contribute, in part and source order.
	for pi, c := range p.parts {
		count, m, any := c.shape()
		c.resetPicks()
		srcs := c.sources()
		if !any {
			for li, s := range srcs {
				b := c.stored(li, count) // min(Buffered, count) unless selective
				if count > b && !p.hasLiveSender(c, li, s) {
					return false // a required source that nobody offers on
				}
				f.chans = append(f.chans, flowChan{pi, li, s, b, count - b, -1})
				f.demand += count - b
			}
			continue
		}
		g := len(f.groups)
		left := m
		for li, s := range srcs {
			switch {
			case left > 0 && c.stored(li, 1) > 0:
				f.chans = append(f.chans, flowChan{pi, li, s, 1, 0, -1})
				left--
			case p.hasLiveSender(c, li, s):
				f.chans = append(f.chans, flowChan{pi, li, s, 0, 1, g})
			}
		}
		f.groups = append(f.groups, left)
		f.demand += left
	}

	// Waiters: distinct, live, not already in the claim set (the owner).
	for _, cn := range f.chans {
		if cn.need == 0 {
			continue
		}
		c := p.parts[cn.part]
		sel := c.selective()
		for e := cn.src.Senders().Front(); e != nil; e = e.Next() {
			if e.W.Done() || p.m.has(e.W) || sel && !c.offers(cn.local, e) {
				continue
			}
			if _, ok := f.index[e.W]; !ok {
				f.index[e.W] = int32(len(f.waiters))
				f.waiters = append(f.waiters, e.W)
			}
		}
	}

	// Nodes: 0 source, 1 sink, then waiters, sources, groups.
	nw, nc := int32(len(f.waiters)), int32(len(f.chans))
	wBase, cBase := int32(2), 2+nw
	gBase := cBase + nc
	f.nodes(int(gBase) + len(f.groups))
	// Source edges in reverse, so that the depth-first search, which walks
	// a node's edges newest first, tries the oldest senders first.
	for wi := nw - 1; wi >= 0; wi-- {
		f.edge(0, wBase+wi, 1)
	}
	for i := range f.last {
		f.last[i] = -1
	}
	for ci, cn := range f.chans {
		if cn.need == 0 {
			continue
		}
		c := p.parts[cn.part]
		sel := c.selective()
		for e := cn.src.Senders().Front(); e != nil; e = e.Next() {
			wi, ok := f.index[e.W]
			// One edge per (waiter, source), even if the waiter's select
			// offers twice on this source; from a selective part's source
			// only for the messages its predicate accepts.
			if ok && f.last[wi] != int32(ci) && (!sel || c.offers(cn.local, e)) {
				f.last[wi] = int32(ci)
				f.edge(wBase+wi, cBase+int32(ci), 1)
			}
		}
		if cn.group < 0 {
			f.edge(cBase+int32(ci), 1, int32(cn.need))
		} else {
			f.edge(cBase+int32(ci), gBase+int32(cn.group), 1)
		}
	}
	for gi, left := range f.groups {
		f.edge(gBase+int32(gi), 1, int32(left))
	}

	if f.maxFlow(int32(f.demand)) < int32(f.demand) {
		return false
	}

	// Each waiter sends to the source its unit of flow went to: the one
	// whose waiter→source edge is saturated. Edges are added in pairs,
	// forward edge first, so forward edges have even indexes.
	for wi := range nw {
		f.last[wi] = -1
		for e := f.head[wBase+wi]; e >= 0; e = f.next[e] {
			if e%2 == 0 && f.capa[e] == 0 {
				f.last[wi] = f.to[e] - cBase
				break
			}
		}
	}
	for ci, cn := range f.chans {
		es := f.es[:0]
		if cn.need > 0 {
			c := p.parts[cn.part]
			sel := c.selective()
			for e := cn.src.Senders().Front(); e != nil; e = e.Next() {
				if wi, ok := f.index[e.W]; ok && f.last[wi] == int32(ci) && (!sel || c.offers(cn.local, e)) {
					f.last[wi] = -1 // once, if it offers twice here
					es = append(es, e)
					p.flowPick(e.W)
				}
			}
		}
		if cn.nbuf+len(es) > 0 {
			p.parts[cn.part].setPick(cn.local, cn.nbuf, es)
		}
		clear(es)
		f.es = es[:0]
	}
	return true
}

// hasLiveSender reports whether s, source li of part c, has a sender that
// has not completed, is not already in the claim set, and offers a message
// c accepts. Locks held.
func (p *Pattern) hasLiveSender(c Conjunct, li int, s rawSource) bool {
	for e := s.Senders().Front(); e != nil; e = e.Next() {
		if !e.W.Done() && !p.m.has(e.W) && c.offers(li, e) {
			return true
		}
	}
	return false
}

// flowPick adds w, picked by the exhaustive matcher, to the claim set.
func (p *Pattern) flowPick(w *guard.Waiter) { p.m.add(w) }

// flowChan is a source that can contribute to a match.
type flowChan struct {
	part, local int
	src         rawSource
	nbuf        int // buffered messages taken
	need        int // required: messages needed from waiters; AnyOf: 1 if usable through the group
	group       int // index into groups for AnyOf sources needing a waiter, else -1
}

// A flowNet is the exhaustive matcher's scratch: the graph as adjacency
// lists in arrays (edge e goes to[e] with residual capacity capa[e]; its
// reverse is e^1), and Dinic's levels and edge cursors.
type flowNet struct {
	chans   []flowChan
	groups  []int // remaining demand of each AnyOf part
	demand  int
	waiters []*guard.Waiter
	index   map[*guard.Waiter]int32
	last    []int32 // per waiter: last source given an edge, then the source matched

	head, level, iter, queue []int32 // per node
	to, next, capa           []int32 // per edge
	es                       []*guard.Entry
}

func (f *flowNet) reset() {
	clear(f.chans)
	f.chans = f.chans[:0]
	f.groups = f.groups[:0]
	f.demand = 0
	clear(f.waiters)
	f.waiters = f.waiters[:0]
	if f.index == nil {
		f.index = map[*guard.Waiter]int32{}
	}
	clear(f.index)
	f.to, f.next, f.capa = f.to[:0], f.next[:0], f.capa[:0]
}

// nodes sizes the per-node arrays for n nodes with no edges, and last for
// the waiters.
func (f *flowNet) nodes(n int) {
	f.head = resize(f.head, n)
	f.level = resize(f.level, n)
	f.iter = resize(f.iter, n)
	f.last = resize(f.last, len(f.waiters))
	for i := range f.head {
		f.head[i] = -1
	}
}

func resize(s []int32, n int) []int32 {
	if cap(s) < n {
		return make([]int32, n)
	}
	return s[:n]
}

// edge adds u→v with capacity c, and its reverse with capacity 0.
func (f *flowNet) edge(u, v, c int32) {
	e := int32(len(f.to))
	f.to = append(f.to, v, u)
	f.capa = append(f.capa, c, 0)
	f.next = append(f.next, f.head[u], f.head[v])
	f.head[u], f.head[v] = e, e+1
}

// maxFlow pushes up to limit units from node 0 to node 1 and returns how
// many it pushed.
func (f *flowNet) maxFlow(limit int32) int32 {
	flow := int32(0)
	for flow < limit && f.levels() {
		copy(f.iter, f.head)
		for flow < limit {
			d := f.augment(0, limit-flow)
			if d == 0 {
				break
			}
			flow += d
		}
	}
	return flow
}

// levels labels every node with its distance from node 0 in the residual
// graph and reports whether node 1 is reachable.
func (f *flowNet) levels() bool {
	for i := range f.level {
		f.level[i] = -1
	}
	f.level[0] = 0
	q := append(f.queue[:0], 0)
	for k := 0; k < len(q); k++ {
		u := q[k]
		for e := f.head[u]; e >= 0; e = f.next[e] {
			if v := f.to[e]; f.capa[e] > 0 && f.level[v] < 0 {
				f.level[v] = f.level[u] + 1
				q = append(q, v)
			}
		}
	}
	f.queue = q[:0]
	return f.level[1] >= 0
}

// augment pushes up to lim units along one path of increasing level from u
// to node 1, advancing u's edge cursor past dead ends, and returns the
// amount pushed. The recursion is as deep as the path is long.
func (f *flowNet) augment(u, lim int32) int32 {
	if u == 1 {
		return lim
	}
	for ; f.iter[u] >= 0; f.iter[u] = f.next[f.iter[u]] {
		e := f.iter[u]
		v := f.to[e]
		if f.capa[e] <= 0 || f.level[v] != f.level[u]+1 {
			continue
		}
		if d := f.augment(v, min(lim, f.capa[e])); d > 0 {
			f.capa[e] -= d
			f.capa[e^1] += d
			return d
		}
	}
	return 0
}
