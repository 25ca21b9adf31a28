package csync_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/gochord/chord/csync"
	"github.com/gochord/chord/props"
)

// transfer is two workers, each taking two locks, a then b for worker 0,
// and b then a (inverted) or a then b (ordered) for worker 1.
func transfer(r *props.Run, inverted bool) {
	var a, b csync.Mutex
	var wg csync.WaitGroup
	balance := [2]int{100, 0}
	wg.Add(2)
	r.Go("worker 0", func() {
		defer wg.Done()
		a.Lock()
		b.Lock()
		balance[0]--
		balance[1]++
		b.Unlock()
		a.Unlock()
	})
	r.Go("worker 1", func() {
		defer wg.Done()
		first, second := &a, &b
		if inverted {
			first, second = &b, &a
		}
		first.Lock()
		second.Lock()
		balance[1]--
		balance[0]++
		second.Unlock()
		first.Unlock()
	})
	wg.Wait()
	if balance != [2]int{100, 0} {
		r.T.Fatalf("balance %v", balance)
	}
}

// TestExploreFindsLockOrderInversion is a negative control: two workers
// take two Mutexes in opposite orders; exploring every schedule with one
// preemption finds the one where each holds its first lock, and the report
// says who holds and waits for which lock.
func TestExploreFindsLockOrderInversion(t *testing.T) {
	out := props.ExpectFailure(t, "lock-order inversion", func(t *testing.T) {
		props.Explore(t, props.Bound{Preemptions: 1}, func(r *props.Run) { transfer(r, true) })
	})
	assert.Contains(t, out, "deadlock: main, worker 0 and worker 1 are blocked")
	assert.Regexp(t, `worker 0: blocked in Mutex.Lock at props_test.go:\d+, waiting for mutex 1 \(held by worker 1\), holding mutex 0`, out)
	assert.Regexp(t, `worker 1: blocked in Mutex.Lock at props_test.go:\d+, waiting for mutex 0 \(held by worker 0\), holding mutex 1`, out)
	assert.Contains(t, out, "main: blocked in WaitGroup.Wait at props_test.go:")
	assert.Contains(t, out, "worker 0 locks mutex 0")
	assert.Contains(t, out, "worker 1 waits for mutex 0")
}

// TestExploreLockOrder is the fixed version: both workers take a, then b.
// Every schedule with up to two preemptions completes.
func TestExploreLockOrder(t *testing.T) {
	res := props.Explore(t, props.Bound{Preemptions: 2}, func(r *props.Run) { transfer(r, false) })
	assert.True(t, res.Exhaustive)
	assert.Greater(t, res.Schedules, 10)
}

// TestExploreLostUpdate shows that Mutex operations are scheduling points
// where the scheduler may switch: without the lock, two read-modify-write
// sequences separated by an Unlock/Lock lose an update in some schedule.
func TestExploreFindsLostUpdate(t *testing.T) {
	out := props.ExpectFailure(t, "lost update", func(t *testing.T) {
		props.Explore(t, props.Bound{Preemptions: 1}, func(r *props.Run) {
			var mu csync.Mutex
			var wg csync.WaitGroup
			n := 0
			for range 2 {
				wg.Go(func() {
					mu.Lock()
					v := n // read under the lock...
					mu.Unlock()
					mu.Lock()
					n = v + 1 // ... written back under another: a race on the value
					mu.Unlock()
				})
			}
			wg.Wait()
			if n != 2 {
				r.T.Fatalf("n = %d, want 2", n)
			}
		})
	})
	assert.Contains(t, out, "n = 1, want 2")
}

// TestCheckWaitGroup: main waits for workers that each add their share
// under a Mutex; under every sampled schedule Wait returns after all of
// them and the total is right.
func TestCheckWaitGroup(t *testing.T) {
	props.Check(t, func(r *props.Run) {
		n := rapid.IntRange(1, 5).Draw(r.T, "workers")
		var mu csync.Mutex
		var wg csync.WaitGroup
		done, total := 0, 0
		for i := range n {
			wg.Add(1)
			r.Go("worker", func() {
				defer wg.Done()
				mu.Lock()
				total += i + 1
				done++
				mu.Unlock()
			})
		}
		wg.Wait()
		if done != n || total != n*(n+1)/2 {
			r.T.Fatalf("after Wait: %d of %d workers done, total %d", done, n, total)
		}
	})
}

// TestCheckWaitGroupGo is TestCheckWaitGroup with WaitGroup.Go, whose
// goroutines are plain ones (named by the scheduler after their body).
func TestCheckWaitGroupGo(t *testing.T) {
	props.Check(t, func(r *props.Run) {
		var wg csync.WaitGroup
		var mu csync.Mutex
		done := 0
		for range 3 {
			wg.Go(func() {
				mu.Lock()
				done++
				mu.Unlock()
			})
		}
		wg.Wait()
		require.Equal(r.T, 3, done)
	})
}

// TestCheckCondProducerConsumer: producers and consumers share a bounded
// queue guarded by a Mutex and two Conds; every item is consumed exactly
// once, and the queue never overflows.
func TestCheckCondProducerConsumer(t *testing.T) {
	props.Check(t, func(r *props.Run) {
		const capacity = 2
		producers := rapid.IntRange(1, 3).Draw(r.T, "producers")
		items := rapid.IntRange(1, 4).Draw(r.T, "items")
		var mu csync.Mutex
		notFull, notEmpty := csync.NewCond(&mu), csync.NewCond(&mu)
		var queue []int
		seen := map[int]int{}
		var wg csync.WaitGroup
		for p := range producers {
			wg.Add(1)
			r.Go("producer", func() {
				defer wg.Done()
				for i := range items {
					mu.Lock()
					for len(queue) == capacity {
						notFull.Wait()
					}
					queue = append(queue, p*100+i)
					notEmpty.Signal()
					mu.Unlock()
				}
			})
		}
		// Two consumers share the total; each takes its half.
		total := producers * items
		for c := range 2 {
			share := total / 2
			if c == 0 {
				share = total - total/2
			}
			wg.Add(1)
			r.Go("consumer", func() {
				defer wg.Done()
				for range share {
					mu.Lock()
					for len(queue) == 0 {
						notEmpty.Wait()
					}
					if len(queue) > capacity {
						r.T.Fatalf("queue of %d > %d", len(queue), capacity)
					}
					seen[queue[0]]++
					queue = queue[1:]
					notFull.Signal()
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if len(seen) != total {
			r.T.Fatalf("%d distinct items consumed, want %d", len(seen), total)
		}
		for v, k := range seen {
			if k != 1 {
				r.T.Fatalf("item %d consumed %d times", v, k)
			}
		}
	})
}

// TestExploreFindsRecursiveReadLock is a negative control: a reader that
// read-locks an RWMutex it already holds for reading deadlocks if a writer
// comes in between (the writer waits for the reader, and the second RLock
// waits behind the writer, as sync.RWMutex's does). The report says who
// holds the lock, and how.
func TestExploreFindsRecursiveReadLock(t *testing.T) {
	out := props.ExpectFailure(t, "recursive read lock", func(t *testing.T) {
		props.Explore(t, props.Bound{Preemptions: 1}, func(r *props.Run) {
			var rw csync.RWMutex
			var wg csync.WaitGroup
			shared := 0
			wg.Add(2)
			r.Go("reader", func() {
				defer wg.Done()
				rw.RLock()
				rw.RLock() // the mistake
				_ = shared
				rw.RUnlock()
				rw.RUnlock()
			})
			r.Go("writer", func() {
				defer wg.Done()
				rw.Lock()
				shared++
				rw.Unlock()
			})
			wg.Wait()
		})
	})
	assert.Contains(t, out, "deadlock: main, reader and writer are blocked")
	assert.Regexp(t, `reader: blocked in RWMutex.RLock at props_test.go:\d+, waiting for rwmutex 0 \(held by reader for reading\), holding rwmutex 0 for reading`, out)
	assert.Regexp(t, `writer: blocked in RWMutex.Lock at props_test.go:\d+, waiting for rwmutex 0 \(held by reader for reading\)`, out)
}

// TestExploreOnce: however two goroutines' Do calls interleave, f runs
// once and both see its effect.
func TestExploreOnce(t *testing.T) {
	res := props.Explore(t, props.Bound{Preemptions: 2}, func(r *props.Run) {
		var once csync.Once
		var wg csync.WaitGroup
		calls := 0
		seen := [2]int{}
		for i := range 2 {
			wg.Add(1)
			r.Go("caller", func() {
				defer wg.Done()
				once.Do(func() { calls++ })
				seen[i] = calls
			})
		}
		wg.Wait()
		if calls != 1 || seen != [2]int{1, 1} {
			r.T.Fatalf("f ran %d times; callers saw %v", calls, seen)
		}
	})
	assert.True(t, res.Exhaustive)
}

// TestEveryOperationIsASchedulingPoint: each method of each primitive is
// a step of the schedule, named after it, at its call site.
func TestEveryOperationIsASchedulingPoint(t *testing.T) {
	props.Explore(t, props.Bound{Preemptions: 0}, func(r *props.Run) {
		var mu csync.Mutex
		var rw csync.RWMutex
		var wg csync.WaitGroup
		var once csync.Once
		cv := csync.NewCond(&mu)
		n := 0
		mu.Lock()
		n++
		mu.Unlock()
		if mu.TryLock() {
			n++
			mu.Unlock()
		}
		rw.RLock()
		_ = n
		rw.RUnlock()
		rw.Lock()
		n++
		rw.Unlock()
		if rw.TryRLock() {
			_ = n
			rw.RUnlock()
		}
		if rw.TryLock() {
			n++
			rw.Unlock()
		}
		rl := rw.RLocker()
		rl.Lock()
		_ = n
		rl.Unlock()
		once.Do(func() {})
		once.Do(func() {}) // done: the fast path, still a scheduling point
		ready := false
		wg.Add(1)
		r.Go("signaller", func() {
			defer wg.Done()
			mu.Lock()
			ready = true
			cv.Signal()
			cv.Broadcast()
			mu.Unlock()
		})
		mu.Lock()
		for !ready {
			cv.Wait()
		}
		mu.Unlock()
		wg.Go(func() {})
		wg.Wait()
		tr := r.Trace()
		for _, op := range []string{
			"Mutex.Lock", "Mutex.Unlock", "Mutex.TryLock",
			"RWMutex.RLock", "RWMutex.RUnlock", "RWMutex.Lock", "RWMutex.Unlock",
			"RWMutex.TryRLock", "RWMutex.TryLock", "rlocker.Lock", "rlocker.Unlock",
			"Once.Do", "WaitGroup.Add", "WaitGroup.Done", "WaitGroup.Go", "WaitGroup.Wait",
			"Cond.Wait", "Cond.Signal", "Cond.Broadcast",
		} {
			if !regexp.MustCompile(" " + regexp.QuoteMeta(op) + `( on (mutex|rwmutex) \d+)? at props_test.go:`).MatchString(tr) {
				r.T.Fatalf("%s is not a step of the schedule:\n%s", op, tr)
			}
		}
		if n := strings.Count(tr, "Once.Do at props_test.go:"); n < 2 {
			r.T.Fatalf("Once.Do is %d steps, want 2:\n%s", n, tr)
		}
	})
}

// TestExploreReplaysExactly: the schedules of a program made of csync's
// primitives, and their traces (the locks' events and their channels'
// names included), are the same from one exploration to the next.
func TestExploreReplaysExactly(t *testing.T) {
	explore := func() []string {
		var traces []string
		props.Explore(t, props.Bound{Preemptions: 1}, func(r *props.Run) {
			var mu csync.Mutex
			cv := csync.NewCond(&mu)
			var wg csync.WaitGroup
			queue := 0
			wg.Go(func() {
				for range 2 {
					mu.Lock()
					for queue == 0 {
						cv.Wait()
					}
					queue--
					cv.Broadcast()
					mu.Unlock()
				}
			})
			for range 2 {
				mu.Lock()
				for queue == 1 {
					cv.Wait()
				}
				queue++
				cv.Signal()
				mu.Unlock()
			}
			wg.Wait()
			traces = append(traces, r.Trace())
		})
		return traces
	}
	first, second := explore(), explore()
	require.Greater(t, len(first), 10)
	assert.Equal(t, first, second)
	assert.Contains(t, strings.Join(first, ""), "locks mutex 0")
}
