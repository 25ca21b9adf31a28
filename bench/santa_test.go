package bench

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/join"
	"github.com/gochord/chord/selectx"
)

// Santa Claus (Trono): Santa serves either all 9 reindeer back from
// vacation (a delivery) or a group of 3 of the 10 elves that need help (a
// consultation); reindeer go first when both are waiting. A reindeer or
// elf arrives and waits until Santa has taken its group, then works (the
// work loop) and comes back. One op is one group served. After n groups
// Santa shuts the workshop and everybody still waiting goes home.
//
// This is the synchronization core of the problem, as in Turon and Russo's
// benchmark: one synchronization per member per group. The full problem,
// with harnessing and showing the elves out, is problems/santa.

const (
	nDeer      = 9
	nElves     = 10
	elfGroup   = 3
	nSantaRole = nDeer + nElves
)

// service is one group Santa served: reindeer or elves, by index.
type service struct {
	deer    bool
	members []int
}

// santaResult is what a run did: Santa's log (only when asked for) and, per
// reindeer and elf, how often its arrival ended in being served.
type santaResult struct {
	log    []service
	deer   [nDeer]int
	elves  [nElves]int
	joined stats
}

// runMembers starts the reindeer and elves. arrive(deer, i) blocks until
// member i's group is served (true) or the workshop is shut (false).
func runMembers(work int, res *santaResult, arrive func(deer bool, i int) bool) *sync.WaitGroup {
	var wg sync.WaitGroup
	for r := range nSantaRole {
		deer, i := r < nDeer, r
		if !deer {
			i -= nDeer
		}
		wg.Go(func() {
			var acc uint64
			served := 0
			for {
				acc += spin(work)
				if !arrive(deer, i) {
					break
				}
				served++
			}
			if deer {
				res.deer[i] = served
			} else {
				res.elves[i] = served
			}
			keep(acc)
		})
	}
	return &wg
}

// chordSanta: every reindeer and elf sends on its own synchronous channel;
// Santa selects, reindeer first, between the conjunction of all reindeer
// channels and any 3 of the elf channels. Atomic transfer releases the
// members of a group when Santa's pattern takes them.
func chordSanta(n, work int, record bool) santaResult {
	var res santaResult
	var deer, elves []*chanop.Chan[int]
	var deerSrc, elfSrc []chanop.Source[int]
	for i := range nDeer {
		deer = append(deer, chanop.New[int]())
		deerSrc = append(deerSrc, deer[i])
	}
	for i := range nElves {
		elves = append(elves, chanop.New[int]())
		elfSrc = append(elfSrc, elves[i])
	}
	three := join.AnyOf(elfGroup, elfSrc...)
	reindeer, elfTrio := join.All(join.Each(deerSrc...)), join.All(three)
	wg := runMembers(work, &res, func(isDeer bool, i int) bool {
		c := elves
		if isDeer {
			c = deer
		}
		return c[i].Send(i) == nil
	})
	for range n {
		g, err := selectx.PriSelect(reindeer, elfTrio)
		if err != nil {
			panic(err)
		}
		if !record {
			continue
		}
		if g == reindeer {
			res.log = append(res.log, service{deer: true, members: seq(nDeer)})
		} else {
			res.log = append(res.log, service{members: slices.Clone(three.Which())})
		}
	}
	for _, c := range deer {
		c.Close()
	}
	for _, c := range elves {
		c.Close()
	}
	wg.Wait()
	res.joined.add(patternStats(reindeer))
	res.joined.add(patternStats(elfTrio))
	return res
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// condSanta is the classic solution with one mutex, condition variables
// and counters. Reindeer count themselves in and wait for the next
// delivery. Elves take tickets; tickets 3k, 3k+1, 3k+2 form group k, and an
// elf waits until its group has been served, so later elves queue behind
// the current group (Downey's elfTex).
type condSanta struct {
	mu                      sync.Mutex
	santa, deerQ, elfQ      sync.Cond
	deerWaiting, deliveries int
	tickets, groupsServed   int
	ticketElf               [16]int // elf of each waiting ticket, by ticket mod 16
	closed                  bool
}

func (s *condSanta) arrive(deer bool, i int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	if deer {
		gen := s.deliveries
		s.deerWaiting++
		if s.deerWaiting == nDeer {
			s.santa.Signal()
		}
		for gen == s.deliveries && !s.closed {
			s.deerQ.Wait()
		}
		return gen != s.deliveries
	}
	t := s.tickets
	s.tickets++
	s.ticketElf[t%len(s.ticketElf)] = i
	if s.tickets-elfGroup*s.groupsServed >= elfGroup {
		s.santa.Signal()
	}
	for s.groupsServed <= t/elfGroup && !s.closed {
		s.elfQ.Wait()
	}
	return s.groupsServed > t/elfGroup
}

// serve waits for a group and serves it; it returns the group.
func (s *condSanta) serve(record bool) service {
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		if s.deerWaiting == nDeer {
			s.deerWaiting = 0
			s.deliveries++
			s.deerQ.Broadcast()
			if record {
				return service{deer: true, members: seq(nDeer)}
			}
			return service{}
		}
		if s.tickets-elfGroup*s.groupsServed >= elfGroup {
			var sv service
			if record {
				for t := elfGroup * s.groupsServed; t < elfGroup*(s.groupsServed+1); t++ {
					sv.members = append(sv.members, s.ticketElf[t%len(s.ticketElf)])
				}
			}
			s.groupsServed++
			s.elfQ.Broadcast()
			return sv
		}
		s.santa.Wait()
	}
}

func condSantaRun(n, work int, record bool) santaResult {
	var res santaResult
	s := &condSanta{}
	s.santa.L, s.deerQ.L, s.elfQ.L = &s.mu, &s.mu, &s.mu
	wg := runMembers(work, &res, s.arrive)
	for range n {
		sv := s.serve(record)
		if record {
			res.log = append(res.log, sv)
		}
	}
	s.mu.Lock()
	s.closed = true
	s.deerQ.Broadcast()
	s.elfQ.Broadcast()
	s.mu.Unlock()
	wg.Wait()
	return res
}

// chanSanta is a channel solution with counters: members send an arrival
// (with a private release channel) to Santa, who keeps the waiting
// reindeer and elves in two queues and releases a group as soon as it is
// complete, draining pending reindeer arrivals before serving elves so that
// reindeer go first.
type chanSanta struct {
	deer, elves chan *santaMember
	done        chan struct{}
	members     [nSantaRole]santaMember
}

type santaMember struct {
	i       int
	release chan struct{}
}

func (s *chanSanta) arrive(deer bool, i int) bool {
	ch, m := s.elves, &s.members[nDeer+i]
	if deer {
		ch, m = s.deer, &s.members[i]
	}
	select {
	case ch <- m:
	case <-s.done:
		return false
	}
	select {
	case <-m.release:
		return true
	case <-s.done:
		select {
		case <-m.release: // served just before the shutdown
			return true
		default:
			return false
		}
	}
}

func chanSantaRun(n, work int, record bool) santaResult {
	var res santaResult
	s := &chanSanta{
		deer:  make(chan *santaMember),
		elves: make(chan *santaMember),
		done:  make(chan struct{}),
	}
	for r := range s.members {
		s.members[r] = santaMember{i: r, release: make(chan struct{}, 1)}
		if r >= nDeer {
			s.members[r].i -= nDeer
		}
	}
	wg := runMembers(work, &res, s.arrive)
	var deerQ, elfQ []*santaMember
	for served := 0; served < n; {
		if len(deerQ) == nDeer {
			for _, m := range deerQ {
				m.release <- struct{}{}
			}
			deerQ = deerQ[:0]
			if record {
				res.log = append(res.log, service{deer: true, members: seq(nDeer)})
			}
			served++
			continue
		}
		if len(elfQ) >= elfGroup {
			select {
			case m := <-s.deer: // reindeer first
				deerQ = append(deerQ, m)
				continue
			default:
			}
			var sv service
			for _, m := range elfQ[:elfGroup] {
				m.release <- struct{}{}
				if record {
					sv.members = append(sv.members, m.i)
				}
			}
			elfQ = append(elfQ[:0], elfQ[elfGroup:]...)
			if record {
				res.log = append(res.log, sv)
			}
			served++
			continue
		}
		select {
		case m := <-s.deer:
			deerQ = append(deerQ, m)
		case m := <-s.elves:
			elfQ = append(elfQ, m)
		}
	}
	close(s.done)
	wg.Wait()
	return res
}

var santaImpls = []struct {
	name string
	run  func(n, work int, record bool) santaResult
}{
	{"chord", chordSanta},
	{"cond", condSantaRun},
	{"chan", chanSantaRun},
}

// checkSanta checks the log of n services against the members' counts:
// every delivery has the 9 reindeer, every consultation 3 distinct elves,
// every reindeer took part in every delivery and each elf was served as
// often as it appears in the log.
func checkSanta(n int, r santaResult) error {
	if len(r.log) != n {
		return fmt.Errorf("%d services, want %d", len(r.log), n)
	}
	deliveries := 0
	var elves [nElves]int
	for k, sv := range r.log {
		if sv.deer {
			deliveries++
			if !slices.Equal(sv.members, seq(nDeer)) {
				return fmt.Errorf("service %d: delivery with reindeer %v", k, sv.members)
			}
			continue
		}
		m := slices.Clone(sv.members)
		slices.Sort(m)
		if len(slices.Compact(m)) != elfGroup {
			return fmt.Errorf("service %d: consultation with elves %v", k, sv.members)
		}
		for _, e := range m {
			elves[e]++
		}
	}
	for i, d := range r.deer {
		if d != deliveries {
			return fmt.Errorf("reindeer %d served %d times, deliveries %d", i, d, deliveries)
		}
	}
	if elves != r.elves {
		return fmt.Errorf("elves served %v times, log says %v", r.elves, elves)
	}
	return nil
}

func TestSanta(t *testing.T) {
	const n = 300
	for _, im := range santaImpls {
		for _, w := range testWorks {
			var r santaResult
			within(t, testTimeout, func() { r = im.run(n, w, true) })
			if err := checkSanta(n, r); err != nil {
				t.Errorf("%s work=%d: %v", im.name, w, err)
			}
			d := r.deer[0]
			t.Logf("%s work=%d: %d deliveries, %d consultations", im.name, w, d, n-d)
		}
	}
}

func BenchmarkSanta(b *testing.B) {
	var impls []impl
	for _, im := range santaImpls {
		impls = append(impls, impl{im.name, func(n, _, work int) stats { return im.run(n, work, false).joined }})
	}
	benchImpls(b, "g", []int{nSantaRole}, impls)
}
