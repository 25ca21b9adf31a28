package props_test

// Real-style concurrency bugs, written with csync and chanop, each found
// by props within a stated bound, and each with its fixed version passing.
// The README's props section tabulates them (bug, found by, runs to the
// first failure, time); TestRealBugs* log the figures.

import (
	"context"
	"errors"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/csync"
	"github.com/gochord/chord/props"
	"github.com/gochord/chord/selectx"
)

// found logs how soon the control failed: rapid's count of passing runs
// before the failing one (Check), or the failing schedule's number
// (Explore), and how long the control took.
func found(t *testing.T, out string, start time.Time) {
	t.Helper()
	how := "?"
	if m := regexp.MustCompile(`schedule (\d+) of the exploration fails`).FindStringSubmatch(out); m != nil {
		how = "schedule " + m[1]
	} else if m := regexp.MustCompile(`\[rapid\] failed after (\d+) tests`).FindStringSubmatch(out); m != nil {
		how = "run " + m[1] + "+1"
	}
	t.Logf("REALBUG %s: found at %s in %v", t.Name(), how, time.Since(start).Round(time.Millisecond))
}

// --- 1. Lock-order inversion ---------------------------------------------

func transferBoth(r *props.Run, fixed bool) {
	var a, b csync.Mutex
	balA, balB := 10, 10
	wg := new(csync.WaitGroup)
	move := func(from, to *csync.Mutex, f, t *int) {
		defer wg.Done()
		first, second := from, to
		if fixed && from == &b { // a fixed order: a before b
			first, second = to, from
		}
		first.Lock()
		second.Lock()
		*f--
		*t++
		second.Unlock()
		first.Unlock()
	}
	wg.Add(2)
	r.Go("a to b", func() { move(&a, &b, &balA, &balB) })
	r.Go("b to a", func() { move(&b, &a, &balB, &balA) })
	wg.Wait()
}

func TestRealBugLockOrderInversion(t *testing.T) {
	start := time.Now()
	out := props.ExpectFailure(t, "inversion", func(t *testing.T) {
		props.Explore(t, props.Bound{Preemptions: 1}, func(r *props.Run) { transferBoth(r, false) })
	})
	assert.Contains(t, out, "deadlock: main, a to b and b to a are blocked")
	assert.Regexp(t, `a to b: blocked in Mutex.Lock at realbugs_test.go:\d+, waiting for mutex 1 \(held by b to a\), holding mutex 0`, out)
	found(t, out, start)
}

func TestRealBugLockOrderInversionFixed(t *testing.T) {
	res := props.Explore(t, props.Bound{Preemptions: 2}, func(r *props.Run) { transferBoth(r, true) })
	assert.True(t, res.Exhaustive)
}

// --- 2. Missing Unlock on an error path ------------------------------------

var errInsufficient = errors.New("insufficient funds")

type account struct {
	mu      csync.Mutex
	balance int
}

func (a *account) withdraw(n int, fixed bool) error {
	a.mu.Lock()
	if fixed {
		defer a.mu.Unlock()
	}
	if n > a.balance {
		return errInsufficient // the bug: returns holding the lock
	}
	a.balance -= n
	if !fixed {
		a.mu.Unlock()
	}
	return nil
}

func withdrawals(r *props.Run, fixed bool) {
	acct := &account{balance: 5}
	wg := new(csync.WaitGroup)
	for _, n := range []int{3, 4} {
		wg.Add(1)
		r.Go("customer", func() {
			defer wg.Done()
			_ = acct.withdraw(n, fixed)
		})
	}
	wg.Wait()
	acct.mu.Lock() // audit
	if acct.balance < 0 {
		r.T.Fatalf("overdrawn")
	}
	acct.mu.Unlock()
}

func TestRealBugMissingUnlock(t *testing.T) {
	start := time.Now()
	out := props.ExpectViolation(t, "missing unlock", func(r *props.Run) { withdrawals(r, false) })
	assert.Regexp(t, `main: blocked in Mutex.Lock at realbugs_test.go:\d+, waiting for mutex 0 \(held by customer( #2)?\)`, out)
	found(t, out, start)
}

func TestRealBugMissingUnlockFixed(t *testing.T) {
	props.Check(t, func(r *props.Run) { withdrawals(r, true) })
}

// --- 3. WaitGroup.Add after Wait -------------------------------------------

func fanOut(r *props.Run, fixed bool) {
	wg := new(csync.WaitGroup)
	results := make([]int, 3)
	for i := range results {
		if fixed {
			wg.Add(1)
		}
		r.Go("worker", func() {
			if !fixed {
				wg.Add(1) // the bug: Wait may already have returned
			}
			defer wg.Done()
			results[i] = i + 1
		})
	}
	wg.Wait()
	for i, v := range results {
		if v == 0 {
			r.T.Fatalf("result %d missing after Wait", i)
		}
	}
}

func TestRealBugWaitGroupAddAfterWait(t *testing.T) {
	start := time.Now()
	out := props.ExpectViolation(t, "add after wait", func(r *props.Run) { fanOut(r, false) })
	// Either Wait returned before a worker's Add, or a worker's Add came
	// while Wait was returning, which csync's WaitGroup panics on.
	assert.Regexp(t, `result \d missing after Wait|csync: WaitGroup is reused before previous Wait has returned`, out)
	found(t, out, start)
}

func TestRealBugWaitGroupAddAfterWaitFixed(t *testing.T) {
	props.Check(t, func(r *props.Run) { fanOut(r, true) })
}

// --- 4. Cond.Wait without a loop ---------------------------------------------

func condQueue(r *props.Run, fixed bool) {
	var mu csync.Mutex
	cond := csync.NewCond(&mu)
	var queue []int
	wg := new(csync.WaitGroup)
	for range 2 {
		wg.Add(1)
		r.Go("consumer", func() {
			defer wg.Done()
			mu.Lock()
			defer mu.Unlock()
			if fixed {
				for len(queue) == 0 {
					cond.Wait()
				}
			} else if len(queue) == 0 {
				cond.Wait() // the bug: another consumer may take the item first
			}
			if len(queue) == 0 {
				r.T.Fatalf("woken to an empty queue")
			}
			queue = queue[1:]
		})
	}
	for i := range 2 {
		mu.Lock()
		queue = append(queue, i)
		cond.Broadcast()
		mu.Unlock()
	}
	wg.Wait()
}

func TestRealBugCondWaitWithoutLoop(t *testing.T) {
	start := time.Now()
	out := props.ExpectViolation(t, "cond if", func(r *props.Run) { condQueue(r, false) })
	assert.Contains(t, out, "woken to an empty queue")
	found(t, out, start)
}

func TestRealBugCondWaitWithoutLoopFixed(t *testing.T) {
	props.Check(t, func(r *props.Run) { condQueue(r, true) })
}

// --- 5. RWMutex upgrade ------------------------------------------------------

type cache struct {
	mu csync.RWMutex
	m  map[string]int
}

func (c *cache) get(k string, fixed bool) int {
	c.mu.RLock()
	v, ok := c.m[k]
	if ok {
		c.mu.RUnlock()
		return v
	}
	if fixed {
		c.mu.RUnlock()
	}
	c.mu.Lock() // the bug: upgrading a read lock waits for itself
	defer c.mu.Unlock()
	if v, ok := c.m[k]; ok {
		return v
	}
	c.m[k] = len(k)
	return c.m[k]
}

func cacheUsers(r *props.Run, fixed bool) {
	c := &cache{m: map[string]int{}}
	wg := new(csync.WaitGroup)
	wg.Add(2)
	for range 2 {
		r.Go("reader", func() { defer wg.Done(); _ = c.get("key", fixed) })
	}
	wg.Wait()
}

func TestRealBugRWMutexUpgrade(t *testing.T) {
	start := time.Now()
	out := props.ExpectViolation(t, "upgrade", func(r *props.Run) { cacheUsers(r, false) })
	assert.Regexp(t, `reader( #2)?: blocked in RWMutex.Lock at realbugs_test.go:\d+, waiting for rwmutex 0 \(held by reader[^)]*for reading\), holding rwmutex 0 for reading`, out)
	found(t, out, start)
}

func TestRealBugRWMutexUpgradeFixed(t *testing.T) {
	props.Check(t, func(r *props.Run) { cacheUsers(r, true) })
}

// --- 6. Timer Stop and drain ---------------------------------------------

// debounce forwards the last of a burst of events once the line has been
// quiet for a while, resetting its timer on every event.
func debounce(r *props.Run, fixed bool) {
	events := chanop.New[int]()
	r.Go("source", func() {
		for i := range 3 {
			_ = events.Send(i)
		}
		events.Close()
	})
	t := chanop.NewTimer(time.Second)
	for {
		g, err := selectx.Select(events.RecvOp(), t.Op())
		if err != nil {
			return // closed
		}
		if g == t.Op() {
			continue // flushed; wait for the next event
		}
		if !t.Stop() {
			if fixed {
				_, _ = selectx.PriSelect(t.Op(), chanop.Skip())
			} else {
				_, _ = selectx.Select(t.Op()) // the bug: the tick may be gone already
			}
		}
		t.Reset(time.Second)
	}
}

func TestRealBugTimerDrain(t *testing.T) {
	start := time.Now()
	out := props.ExpectViolation(t, "drain", func(r *props.Run) { debounce(r, false) })
	assert.Regexp(t, `main: blocked in selectx.Select over \[a chanop.Timer's tick\] at realbugs_test.go:\d+`, out)
	found(t, out, start)
}

func TestRealBugTimerDrainFixed(t *testing.T) {
	res := props.Explore(t, props.Bound{Preemptions: 2}, func(r *props.Run) { debounce(r, true) })
	assert.True(t, res.Exhaustive)
}

// --- 7. A timeout that races a lock holder ---------------------------------

func lookupWithTimeout(r *props.Run, fixed bool) {
	var mu csync.Mutex
	lookups := 0
	result := chanop.New[int]()
	r.Name(result, "result")
	wg := new(csync.WaitGroup)
	wg.Add(1)
	r.Go("lookup", func() {
		defer wg.Done()
		mu.Lock()
		lookups++
		if fixed {
			mu.Unlock()
			_, _ = selectx.PriSelect(result.SendOp(42), chanop.Skip()) // nobody waits: drop it
			return
		}
		_ = result.Send(42) // the bug: sends holding the lock
		mu.Unlock()
	})
	t := chanop.NewTimer(time.Second)
	_, _ = selectx.Select(result.RecvOp(), t.Op())
	mu.Lock() // after a timeout, the lookup still holds it
	if lookups > 1 {
		r.T.Fatalf("%d lookups", lookups)
	}
	mu.Unlock()
	wg.Wait()
}

func TestRealBugTimeoutRacesLockHolder(t *testing.T) {
	start := time.Now()
	out := props.ExpectViolation(t, "timeout", func(r *props.Run) { lookupWithTimeout(r, false) })
	// main waits for the lock the lookup holds, or, if it took the lock
	// first, for the lookup to end.
	assert.Contains(t, out, "deadlock: main and lookup are blocked")
	assert.Regexp(t, `main: blocked in (Mutex.Lock at realbugs_test.go:\d+, waiting for mutex 0 \(held by lookup\)|WaitGroup.Wait at realbugs_test.go:\d+\n)`, out)
	assert.Regexp(t, `lookup: blocked in Chan.Send at realbugs_test.go:\d+, offering 42 on result, holding mutex 0`, out)
	found(t, out, start)
}

func TestRealBugTimeoutRacesLockHolderFixed(t *testing.T) {
	res := props.Explore(t, props.Bound{Preemptions: 2}, func(r *props.Run) { lookupWithTimeout(r, true) })
	assert.True(t, res.Exhaustive)
}

// --- 8. A polling loop that never ends ---------------------------------------

func pollForResult(r *props.Run, fixed bool) {
	result := chanop.New[int]()
	r.Go("worker", func() { _ = result.Send(1) })
	if fixed {
		_, _ = result.Recv()
		return
	}
	for { // the bug: spins, and the worker may never get to run
		if _, ok, _ := result.TryRecv(); ok {
			return
		}
	}
}

func TestRealBugPollingLoop(t *testing.T) {
	start := time.Now()
	out := props.ExpectFailure(t, "polling", func(t *testing.T) {
		props.Explore(t, props.Bound{Preemptions: 1, Steps: 1000}, func(r *props.Run) { pollForResult(r, false) })
	})
	assert.Contains(t, out, "possible livelock: the run took 1000 steps without ending")
	assert.Regexp(t, `main: \d+ of the last \d+ steps \(last at Chan.TryRecv at realbugs_test.go:\d+\)`, out)
	found(t, out, start)
}

func TestRealBugPollingLoopFixed(t *testing.T) {
	res := props.Explore(t, props.Bound{Preemptions: 2, Steps: 1000}, func(r *props.Run) { pollForResult(r, true) })
	assert.True(t, res.Exhaustive)
}

// --- 9. A sender leaked by a select's timeout --------------------------------

func fetchWithTimeout(r *props.Run, fixed bool) {
	result, done := chanop.New[int](), chanop.New[struct{}]()
	r.Name(result, "result")
	r.Go("fetcher", func() {
		if fixed {
			_, _ = selectx.Select(result.SendOp(7), done.RecvOp())
			return
		}
		_ = result.Send(7) // the bug: blocks for ever once the caller gave up
	})
	t := chanop.NewTimer(time.Second)
	_, _ = selectx.Select(result.RecvOp(), t.Op())
	done.Close()
}

func TestRealBugLeakedSender(t *testing.T) {
	start := time.Now()
	out := props.ExpectViolation(t, "leak", func(r *props.Run) { fetchWithTimeout(r, false) })
	assert.Contains(t, out, "goroutines outlived the property: fetcher is still blocked")
	assert.Regexp(t, `fetcher: blocked in Chan.Send at realbugs_test.go:\d+, offering 7 on result`, out)
	found(t, out, start)
}

func TestRealBugLeakedSenderFixed(t *testing.T) {
	res := props.Explore(t, props.Bound{Preemptions: 2}, func(r *props.Run) { fetchWithTimeout(r, true) })
	assert.True(t, res.Exhaustive)
}

// --- 10. A context cancel never observed -------------------------------------

func cancelWorker(r *props.Run, fixed bool) {
	ctx, cancel := context.WithCancel(context.Background())
	jobs := chanop.New[int]()
	wg := new(csync.WaitGroup)
	wg.Add(1)
	r.Go("worker", func() {
		defer wg.Done()
		for {
			if fixed {
				if _, err := selectx.Select(jobs.RecvOp(), chanop.Done(ctx)); err != nil {
					return
				}
				continue
			}
			if _, err := jobs.Recv(); err != nil { // the bug: never looks at ctx
				return
			}
		}
	})
	_ = jobs.Send(1)
	cancel()
	wg.Wait()
}

func TestRealBugCancelNotObserved(t *testing.T) {
	start := time.Now()
	out := props.ExpectViolation(t, "cancel", func(r *props.Run) { cancelWorker(r, false) })
	assert.Contains(t, out, "deadlock: main and worker are blocked")
	assert.Regexp(t, `worker: blocked in Chan.Recv at realbugs_test.go:\d+`, out)
	assert.Regexp(t, `main: blocked in WaitGroup.Wait at realbugs_test.go:\d+`, out)
	found(t, out, start)
}

func TestRealBugCancelNotObservedFixed(t *testing.T) {
	props.Check(t, func(r *props.Run) { cancelWorker(r, true) })
}
