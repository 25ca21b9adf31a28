package join

import (
	"github.com/gochord/chord/guard"

	"fmt"
	"reflect"
	"slices"

	"github.com/gochord/chord/chanop"
)

// A Conjunct is one part of a pattern: a *Part of any element type. Only
// this package's parts implement it.
type Conjunct interface {
	sources() []rawSource
	// match picks, with every source's lock held, the messages this part
	// would take, adding the waiters of picked senders to m. It reports
	// false if the part cannot be satisfied now.
	match(m *matcher) bool
	// take takes the picked messages (after m's waiters were claimed) and
	// appends to settle the sources that must refill from blocked senders.
	take(settle []rawSource) []rawSource
	// dead reports whether the part can never be satisfied again.
	dead() bool
	// shape returns messages per source, number of sources to take from,
	// and whether those are any of the sources (AnyOf).
	shape() (count, m int, any bool)
	// setPick records a pick made by the pattern's exhaustive matcher;
	// resetPicks forgets all picks.
	setPick(i, nbuf int, es []*guard.Entry)
	resetPicks()
	// buffered reports whether every source the part takes from holds
	// all the messages the part needs from it (never for AnyOf, whose
	// choice rotates); takeBuffered then takes them, like take after a
	// match, without picks, claims or waiters.
	buffered() bool
	takeBuffered(settle []rawSource) []rawSource
	// describe says what the part has and lacks now, for a person reading
	// a deadlock report; its sources' locks held.
	describe() string
	// selective reports whether the part has a Where predicate; stored
	// and offers then filter what the exhaustive matcher and the pattern's
	// availability counts see. Locks held.
	selective() bool
	stored(i, limit int) int
	offers(i int, e *guard.Entry) bool
}

// rawSource is the element-type-free half of guard.Source.
type rawSource interface {
	SourceLock() *guard.Mutex
	Listen(*guard.Entry)
	Unlisten(*guard.Entry)
	Closed() bool
	Settle()
	Buffered() int
	Senders() *guard.Queue
}

// A Part is a conjunct of a join pattern that takes messages of type T from
// one or more sources: From, FromN, Each or AnyOf. After the pattern fires,
// Values and Which say what this part took.
//
// A Part belongs to one pattern; it must not be passed to All twice.
type Part[T any] struct {
	srcs  []guard.Source[T]
	raw   []rawSource
	count int  // messages per source (FromN), 1 otherwise
	m     int  // number of sources to take from: len(srcs), or AnyOf's m
	any   bool // AnyOf: any m of the sources
	rot   int  // AnyOf: where the next match starts looking, for fairness
	next  int  // AnyOf: rot after the current match is taken
	used  bool // set by All

	// where, if not nil, is the predicate of Where: the part takes only
	// messages that satisfy it. idx are the sources' Indexed views.
	where func(T) bool
	idx   []guard.Indexed[T]

	// Result of the last firing; written by the firing party with the
	// pattern's locks held, read by the owner after its select returned.
	vals  []T
	which []int

	// Scratch of the current match: per source, buffered messages and
	// sender entries picked, and the sources that have picks, so that
	// resetting and taking touch only those.
	picks  []pick
	picked []int
}

// noWhereRecount breaks the availability count of selective parts for a
// negative control (export_test.go): a pattern then counts none of the
// accepted messages already waiting. Always false outside that test.
var noWhereRecount bool

// A pick is what the current match takes from one source.
type pick struct {
	nbuf int            // buffered messages
	at   []int          // with where: the indexes of those nbuf messages, ascending
	send []*guard.Entry // senders' entries, oldest first
}

// From is a part that takes one message from src.
func From[T any](src chanop.Source[T]) *Part[T] {
	return newPart("From", 1, false, 1, src)
}

// FromN is a part that takes n messages from src, oldest first.
func FromN[T any](src chanop.Source[T], n int) *Part[T] {
	if n < 1 {
		panic(fmt.Sprintf("join: FromN with n = %d; need n >= 1", n))
	}
	return newPart("FromN", n, false, 1, src)
}

// Each is a part that takes one message from each of srcs.
func Each[T any](srcs ...chanop.Source[T]) *Part[T] {
	if len(srcs) == 0 {
		panic("join: Each with no sources")
	}
	return newPart("Each", 1, false, len(srcs), srcs...)
}

// AnyOf is a part that takes one message from each of any m distinct
// sources of srcs ("3 of the 10 elves"). Which then gives the indexes (into
// srcs) of the sources it took from, in increasing order. Successive
// firings start looking at the source after the last one taken, so no
// source is starved while others keep sending.
func AnyOf[T any](m int, srcs ...chanop.Source[T]) *Part[T] {
	if m < 1 || m > len(srcs) {
		panic(fmt.Sprintf("join: AnyOf(%d, …) of %d sources; need 1 <= m <= n", m, len(srcs)))
	}
	return newPart("AnyOf", 1, true, m, srcs...)
}

func newPart[T any](name string, count int, any bool, m int, srcs ...chanop.Source[T]) *Part[T] {
	p := &Part[T]{srcs: make([]guard.Source[T], len(srcs)), count: count, m: m, any: any}
	seen := make(map[*guard.Mutex]bool, len(srcs))
	for i, h := range srcs {
		if h == nil || isNilSource(h) {
			panic(fmt.Sprintf("join: %s: source %d is nil", name, i))
		}
		s := h.SourceOps()
		p.srcs[i] = s
		l := s.SourceLock()
		if seen[l] {
			panic(fmt.Sprintf("join: %s: source %d appears twice", name, i))
		}
		seen[l] = true
		p.raw = append(p.raw, s)
	}
	p.picks = make([]pick, len(srcs))
	return p
}

// Values returns the messages the part took in the pattern's last firing:
// for From and FromN in arrival order, for Each and AnyOf in source order.
// The slice is reused by the next firing.
func (p *Part[T]) Values() []T { return p.vals }

// Which returns the indexes of the sources the part took from in the last
// firing, one per value (for FromN, n times 0). The slice is reused.
func (p *Part[T]) Which() []int { return p.which }

func (p *Part[T]) sources() []rawSource { return p.raw }

// Where makes p selective: it takes only messages v for which f(v) is
// true, on each of its sources the oldest such, leaving the others where
// they are, in their order, for other receivers and patterns. It returns p.
// For a part over a join.Call, T is *Request and f sees the caller's
// message through Value (Reply on that Request panics: it is not taken
// yet):
//
//	small := join.From(withdraw).Where(func(rq *join.Request[int, bool]) bool {
//		return rq.Value() <= balance
//	})
//
// f runs under the locks of the pattern's sources, in whichever goroutine
// runs the match (the owner's select, or a sender's Notify while the owner
// waits), at any time while a select over the pattern is running. So:
//
//   - f may read state that the pattern's owner changes only between its
//     selects over the pattern (a balance, a mode): the locks order those
//     writes before every evaluation, and the matcher evaluates f afresh at
//     each select, so f's answer may change from one select to the next,
//     never during one;
//   - f must not block, panic, or call into chord (no channel
//     operation, no select, no Reply): it runs holding locks;
//   - f is called any number of times per message, and must not have side
//     effects that matter.
//
// Every source must implement guard.Indexed (chanop.Chan, buffer's
// channels and Call do): a buffered source gives up a matching message
// from the middle of its buffer. Where panics if f is nil, if p is
// already in a pattern, or if a source is not Indexed.
//
// Costs: a selective part looks at every waiting message of its sources
// until it finds its own, under the locks, at each match; parts without
// Where pay nothing for this.
func (p *Part[T]) Where(f func(T) bool) *Part[T] {
	if p == nil {
		panic("join: Where on nil *Part")
	}
	if f == nil {
		panic("join: Where with a nil predicate")
	}
	if p.used {
		panic("join: Where on a part already in a pattern")
	}
	if p.where != nil {
		panic("join: Where twice on one part")
	}
	idx := make([]guard.Indexed[T], len(p.srcs))
	for i, s := range p.srcs {
		x, ok := s.(guard.Indexed[T])
		if !ok {
			panic(fmt.Sprintf("join: Where: source %d does not implement guard.Indexed", i))
		}
		idx[i] = x
	}
	p.where, p.idx = f, idx
	return p
}

func (p *Part[T]) selective() bool { return p.where != nil }

// stored returns how many buffered messages of source i the part could
// take, up to limit: those that satisfy where. Locks held.
func (p *Part[T]) stored(i, limit int) int {
	n := p.raw[i].Buffered()
	if p.where == nil {
		return min(n, limit)
	}
	k := 0
	for j := 0; j < n && k < limit; j++ {
		if p.where(p.idx[i].PeekBuffered(j)) {
			k++
		}
	}
	return k
}

// offers reports whether the part would take the message of sender entry
// e of source i. Locks held.
func (p *Part[T]) offers(i int, e *guard.Entry) bool {
	return p.where == nil || p.where(p.idx[i].PeekSender(e))
}

// available returns how many messages source i could give the part now,
// stored or of live senders, up to limit. Locks held.
func (p *Part[T]) available(i, limit int) int {
	if noWhereRecount {
		return 0 // the negative control's bug: see export_test.go
	}
	n := p.stored(i, limit)
	for e := p.raw[i].Senders().Front(); e != nil && n < limit; e = e.Next() {
		if !e.W.Done() && p.offers(i, e) {
			n++
		}
	}
	return n
}

// claim marks p as used by a pattern, reporting false if it already was.
func (p *Part[T]) claim() bool {
	if p.used {
		return false
	}
	p.used = true
	return true
}

func (p *Part[T]) dead() bool {
	live := 0
	for i, s := range p.raw {
		// A closed source can still hand out what it buffered.
		if !s.Closed() || p.stored(i, p.count) >= p.count {
			live++
		}
	}
	return live < p.m
}

func (p *Part[T]) match(m *matcher) bool {
	p.resetPicks()
	n := len(p.srcs)
	got := 0
	for k := 0; k < n && got < p.m; k++ {
		i := k
		if p.any {
			i = (k + p.rot) % n
		}
		if p.pick(i, m) {
			got++
			p.next = (i + 1) % n
		} else if !p.any {
			return false
		}
	}
	return got == p.m
}

// pick tries to pick p.count messages from source i, buffered ones first,
// then senders whose waiters are neither completed nor already part of m.
// It costs O(messages looked at): m.has is O(1).
func (p *Part[T]) pick(i int, m *matcher) bool {
	if p.where != nil {
		return p.pickWhere(i, m)
	}
	s := p.raw[i]
	b := min(s.Buffered(), p.count)
	need := p.count - b
	if need > 0 {
		pk := &p.picks[i]
		start := len(m.ws)
		for e := s.Senders().Front(); e != nil && need > 0; e = e.Next() {
			if e.W.Done() {
				continue
			}
			if m.has(e.W) {
				// Already picked for another source, unless it is the
				// owner, which gives no message to its own pattern.
				m.conflict = m.conflict || e.W != m.owner
				continue
			}
			m.add(e.W)
			pk.send = append(pk.send, e)
			need--
		}
		if need > 0 {
			m.truncate(start)
			clear(pk.send)
			pk.send = pk.send[:0]
			return false
		}
	}
	p.picks[i].nbuf = b
	p.picked = append(p.picked, i)
	return true
}

// pickWhere is pick for a selective part: the oldest count messages of
// source i that satisfy where, stored ones first (they are older than any
// sender's), skipping the others.
func (p *Part[T]) pickWhere(i int, m *matcher) bool {
	s, x := p.raw[i], p.idx[i]
	pk := &p.picks[i]
	need := p.count
	for j, n := 0, s.Buffered(); j < n && need > 0; j++ {
		if p.where(x.PeekBuffered(j)) {
			pk.at = append(pk.at, j)
			need--
		}
	}
	start := len(m.ws)
	for e := s.Senders().Front(); e != nil && need > 0; e = e.Next() {
		if e.W.Done() || !p.where(x.PeekSender(e)) {
			continue
		}
		if m.has(e.W) {
			m.conflict = true
			continue
		}
		m.add(e.W)
		pk.send = append(pk.send, e)
		need--
	}
	if need > 0 {
		m.truncate(start)
		clear(pk.send)
		pk.send = pk.send[:0]
		pk.at = pk.at[:0]
		return false
	}
	pk.nbuf = len(pk.at)
	p.picked = append(p.picked, i)
	return true
}

func (p *Part[T]) resetPicks() {
	for _, i := range p.picked {
		pk := &p.picks[i]
		pk.nbuf = 0
		pk.at = pk.at[:0]
		if len(pk.send) > 0 {
			clear(pk.send)
			pk.send = pk.send[:0]
		}
	}
	p.picked = p.picked[:0]
}

func (p *Part[T]) shape() (int, int, bool) { return p.count, p.m, p.any }

func (p *Part[T]) setPick(i, nbuf int, es []*guard.Entry) {
	if nbuf == 0 && len(es) == 0 {
		return
	}
	p.picks[i].nbuf = nbuf
	if p.where != nil {
		// The exhaustive matcher counted the stored messages that satisfy
		// where (stored); take the oldest nbuf of them.
		pk := &p.picks[i]
		pk.at = pk.at[:0]
		for j, n := 0, p.raw[i].Buffered(); j < n && len(pk.at) < nbuf; j++ {
			if p.where(p.idx[i].PeekBuffered(j)) {
				pk.at = append(pk.at, j)
			}
		}
	}
	p.picks[i].send = append(p.picks[i].send[:0], es...)
	p.picked = append(p.picked, i)
	if p.any && nbuf+len(es) > 0 {
		p.next = (i + 1) % len(p.srcs)
	}
}

func (p *Part[T]) take(settle []rawSource) []rawSource {
	p.vals, p.which = p.vals[:0], p.which[:0]
	// Values and Which are in source order; AnyOf picks from its rotating
	// start, and the flow matcher in any order.
	if len(p.picked) > 1 {
		sortInts(p.picked)
	}
	for _, i := range p.picked {
		pk := &p.picks[i]
		if pk.nbuf > 0 {
			s := p.srcs[i]
			if r := p.raw[i]; r.Senders().Len() > 0 || r.Closed() {
				// Room made with senders waiting, or a closed source
				// drained: Settle refills, or tells the source's other
				// listeners.
				settle = append(settle, r)
			}
			if p.where != nil {
				// Oldest first; each take moves the later ones up by one.
				for k, j := range pk.at {
					p.vals = append(p.vals, p.idx[i].TakeBufferedAt(j-k))
					p.which = append(p.which, i)
				}
				pk.at = pk.at[:0]
			} else {
				for range pk.nbuf {
					p.vals = append(p.vals, s.TakeBuffered())
					p.which = append(p.which, i)
				}
			}
			pk.nbuf = 0
		}
		if len(pk.send) > 0 {
			s := p.srcs[i]
			for _, e := range pk.send {
				p.vals = append(p.vals, s.TakeSender(e))
				p.which = append(p.which, i)
				e.W.Complete(e, nil)
			}
			clear(pk.send)
			pk.send = pk.send[:0]
		}
	}
	p.picked = p.picked[:0]
	if p.any {
		p.rot = p.next
	}
	return settle
}

func (p *Part[T]) buffered() bool {
	if p.any || p.where != nil {
		return false
	}
	for _, s := range p.raw {
		if s.Buffered() < p.count {
			return false
		}
	}
	return true
}

func (p *Part[T]) takeBuffered(settle []rawSource) []rawSource {
	p.vals, p.which = p.vals[:0], p.which[:0]
	for i, s := range p.srcs {
		if r := p.raw[i]; r.Senders().Len() > 0 || r.Closed() {
			settle = append(settle, r) // as in take
		}
		for range p.count {
			p.vals = append(p.vals, s.TakeBuffered())
			p.which = append(p.which, i)
		}
	}
	return settle
}

func (p *Part[T]) describe() string {
	ready, got := 0, 0
	for i, s := range p.raw {
		var n int
		if p.where != nil {
			n = p.available(i, p.count)
		} else {
			n = s.Buffered()
			n += s.Senders().CountLive(p.count - n)
		}
		if n >= p.count {
			ready++
		}
		got += min(n, p.count)
	}
	closed := ""
	if p.dead() {
		closed = ", closed: can never be satisfied"
	}
	switch {
	case p.count > 1:
		return fmt.Sprintf("FromN(%d): %d of %d messages%s", p.count, got, p.count, closed)
	case p.any:
		return fmt.Sprintf("AnyOf(%d of %d): %d ready%s", p.m, len(p.raw), ready, closed)
	case len(p.raw) == 1 && ready == 1:
		return "From: a message" + closed
	case len(p.raw) == 1:
		return "From: no message" + closed
	}
	return fmt.Sprintf("Each(%d): %d ready%s", len(p.raw), ready, closed)
}

func isNilSource(s any) bool {
	v := reflect.ValueOf(s)
	switch v.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan, reflect.Interface:
		return v.IsNil()
	}
	return false
}

// sortInts sorts the picked source indexes of a match: by insertion when
// they are few, as they usually are.
func sortInts(s []int) {
	if len(s) > 32 {
		slices.Sort(s)
		return
	}
	for i := 1; i < len(s); i++ {
		x, j := s[i], i
		for ; j > 0 && s[j-1] > x; j-- {
			s[j] = s[j-1]
		}
		s[j] = x
	}
}
