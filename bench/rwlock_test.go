package bench

import (
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gochord/chord/buffer"
	"github.com/gochord/chord/join"
	"github.com/gochord/chord/selectx"
)

// Reader-writer lock: g goroutines each do their share of n critical
// sections, a fixed fraction of them reads (50% or 75%, interleaved
// evenly), the rest writes; the work is done outside the lock. A reader
// checks the two halves of a shared pair are equal; a writer increments
// both. One op is one critical section.

// rwChecker detects a writer concurrent with anybody: state counts readers
// and adds rwWriter per writer, so whoever enters second sees the overlap.
type rwChecker struct {
	state atomic.Int64
	bad   atomic.Int64
}

const rwWriter = 1 << 32

func (c *rwChecker) enter(write bool) {
	if c == nil {
		return
	}
	if write {
		if c.state.Add(rwWriter) != rwWriter {
			c.bad.Add(1)
		}
	} else if c.state.Add(1) >= rwWriter {
		c.bad.Add(1)
	}
}

func (c *rwChecker) exit(write bool) {
	if c == nil {
		return
	}
	if write {
		c.state.Add(-rwWriter)
	} else {
		c.state.Add(-1)
	}
}

// rwLocker is one goroutine's handle on a reader-writer lock.
type rwLocker interface {
	RLock()
	RUnlock()
	Lock()
	Unlock()
}

// runRWLock runs the workload; readPct is 50 or 75. newLocker gives each
// goroutine its handle. It returns the number of writes seen by the pair.
func runRWLock(n, g, work, readPct int, c *rwChecker, newLocker func() rwLocker) int64 {
	var a, b int64 // written under the write lock
	var wg sync.WaitGroup
	every := 100 / (100 - readPct) // one write in every `every` ops
	for i := range g {
		wg.Go(func() {
			l := newLocker()
			var acc uint64
			for k := range share(n, g, i) {
				if (k+i)%every == 0 {
					l.Lock()
					c.enter(true)
					a++
					b++
					c.exit(true)
					l.Unlock()
				} else {
					l.RLock()
					c.enter(false)
					if a != b && c != nil {
						c.bad.Add(1)
					}
					c.exit(false)
					l.RUnlock()
				}
				acc += spin(work)
			}
			keep(acc)
		})
	}
	wg.Wait()
	return a
}

// chordRW is Turon and Russo's reader-writer lock. The lock's state is a
// message: idle (no holder) or shared(k) (k readers), in one-place
// buffers. Their patterns are
//
//	AcqR & Idle      ⇒ Shared(1)
//	AcqR & Shared(k) ⇒ Shared(k+1)
//	RelR & Shared(k) ⇒ k = 1 ? Idle : Shared(k-1)
//	AcqW & Idle      ⇒ (writer holds the lock)
//	RelW             ⇒ Idle
//
// In chord the goroutine that acquires is the one that waits for the
// pattern and runs its body, so the synchronous AcqR, RelR and AcqW
// messages are the calls themselves: AcqR is a select between the patterns
// Idle and Shared(k) (a priority select: exactly one of the two state
// messages exists, so the order chooses nothing), and the body sends the
// new state. Like Turon and
// Russo's lock it prefers nobody: a stream of readers can delay a writer.
type chordRW struct {
	idle   *buffer.Buffer[struct{}]
	shared *buffer.Buffer[int]
}

func newChordRW() *chordRW {
	rw := &chordRW{idle: buffer.New[struct{}](1), shared: buffer.New[int](1)}
	if err := rw.idle.Send(struct{}{}); err != nil {
		panic(err)
	}
	return rw
}

// chordRWHandle is one goroutine's patterns (a pattern takes part in one
// select at a time).
type chordRWHandle struct {
	rw           *chordRW
	idle, shared *join.Pattern
	sharedN      *join.Part[int]
}

// handle makes a goroutine's handle and adds its patterns to all.
func (rw *chordRW) handle(mu *sync.Mutex, all *[]*join.Pattern) *chordRWHandle {
	h := &chordRWHandle{rw: rw, sharedN: join.From[int](rw.shared)}
	h.idle = join.All(join.From[struct{}](rw.idle))
	h.shared = join.All(h.sharedN)
	mu.Lock()
	*all = append(*all, h.idle, h.shared)
	mu.Unlock()
	return h
}

func (h *chordRWHandle) RLock() {
	// The state is one message, idle or shared, never both: a priority
	// select takes whichever is there, as a random one would, and
	// commits the first ready pattern without polling the other.
	g, err := selectx.PriSelect(h.idle, h.shared)
	if err != nil {
		panic(err)
	}
	k := 0
	if g == h.shared {
		k = h.sharedN.Values()[0]
	}
	if err := h.rw.shared.Send(k + 1); err != nil {
		panic(err)
	}
}

func (h *chordRWHandle) RUnlock() {
	k, err := h.rw.shared.Recv()
	if err != nil {
		panic(err)
	}
	if k == 1 {
		err = h.rw.idle.Send(struct{}{})
	} else {
		err = h.rw.shared.Send(k - 1)
	}
	if err != nil {
		panic(err)
	}
}

func (h *chordRWHandle) Lock() {
	if err := h.idle.Wait(); err != nil {
		panic(err)
	}
}

func (h *chordRWHandle) Unlock() {
	if err := h.rw.idle.Send(struct{}{}); err != nil {
		panic(err)
	}
}

func chordRWLock(n, g, work, readPct int, c *rwChecker) (int64, stats) {
	rw := newChordRW()
	var mu sync.Mutex
	var all []*join.Pattern
	writes := runRWLock(n, g, work, readPct, c, func() rwLocker { return rw.handle(&mu, &all) })
	var st stats
	for _, p := range all {
		st.add(patternStats(p))
	}
	return writes, st
}

// mutexRW is sync.RWMutex; every goroutine shares it.
type mutexRW struct{ *sync.RWMutex }

func rwMutexLock(n, g, work, readPct int, c *rwChecker) (int64, stats) {
	l := mutexRW{new(sync.RWMutex)}
	return runRWLock(n, g, work, readPct, c, func() rwLocker { return l }), stats{}
}

var rwImpls = []struct {
	name string
	run  func(n, g, work, readPct int, c *rwChecker) (int64, stats)
}{
	{"chord", chordRWLock},
	{"rwmutex", rwMutexLock},
}

// rwWrites is how many of n ops split among g goroutines are writes.
func rwWrites(n, g, readPct int) int64 {
	every := 100 / (100 - readPct)
	var w int64
	for i := range g {
		for k := range share(n, g, i) {
			if (k+i)%every == 0 {
				w++
			}
		}
	}
	return w
}

func TestRWLock(t *testing.T) {
	const n = 4000
	for _, im := range rwImpls {
		for _, pct := range []int{50, 75} {
			for _, g := range []int{1, 3, 8} {
				for _, w := range testWorks {
					c := &rwChecker{}
					var got int64
					within(t, testTimeout, func() { got, _ = im.run(n, g, w, pct, c) })
					if want := rwWrites(n, g, pct); got != want {
						t.Errorf("%s read=%d%% g=%d work=%d: %d writes, want %d", im.name, pct, g, w, got, want)
					}
					if bad := c.bad.Load(); bad != 0 {
						t.Errorf("%s read=%d%% g=%d work=%d: %d overlaps of a writer with another holder", im.name, pct, g, w, bad)
					}
				}
			}
		}
	}
}

func benchRWLock(b *testing.B, readPct int) {
	var impls []impl
	for _, im := range rwImpls {
		impls = append(impls, impl{im.name, func(n, g, work int) stats {
			_, st := im.run(n, g, work, readPct, nil)
			return st
		}})
	}
	benchImpls(b, "g", goroutineCounts, impls)
}

// BenchmarkRWLock50: half reads, half writes.
func BenchmarkRWLock50(b *testing.B) { benchRWLock(b, 50) }

// BenchmarkRWLock75: three reads for every write.
func BenchmarkRWLock75(b *testing.B) { benchRWLock(b, 75) }
