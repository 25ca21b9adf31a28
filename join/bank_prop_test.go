package join_test

// The bank account of bank_example_test.go against a sequential model.
// Clients deposit and withdraw (some with deadlines) concurrently inside a
// testing/synctest bubble; the server logs its firings in the order it
// ran them, which is the account's history. The property replays that log
// on a model balance and checks that
//
//   - the balance never goes negative: every withdrawal the server made
//     was covered when it made it;
//   - the log and the clients agree: the withdrawals logged are exactly
//     those that returned nil to their callers, and the deposits logged are
//     those made (no request lost, none counted twice);
//   - at the quiescent point the balance reported equals the model's, and
//     every withdrawal still waiting is for more than the balance (a
//     smaller one is not held behind a larger one, and no wake-up is lost);
//   - a withdrawal whose deadline passed returned at its deadline, and
//     Close releases every waiting withdrawal with chanop.ErrClosed.
//
// A negative control, an account whose predicate ignores the balance, must
// be caught.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/props"
)

type bankOp struct {
	withdraw bool
	amount   int
	deadline time.Duration // a WithdrawCtx if > 0
	pause    time.Duration // before the operation
}

func drawBank(t *rapid.T) [][]bankOp {
	var clients [][]bankOp
	for c := range rapid.IntRange(1, 4).Draw(t, "clients") {
		var ops []bankOp
		for i := range rapid.IntRange(1, 5).Draw(t, fmt.Sprint("ops", c)) {
			name := fmt.Sprint(c, ".", i)
			op := bankOp{
				withdraw: rapid.Bool().Draw(t, "withdraw"+name),
				amount:   rapid.IntRange(1, 20).Draw(t, "amount"+name),
				pause:    time.Duration(rapid.IntRange(0, 3).Draw(t, "pause"+name)) * time.Second,
			}
			if op.withdraw && rapid.Bool().Draw(t, "ctx"+name) {
				op.deadline = time.Duration(rapid.IntRange(1, 5).Draw(t, "deadline"+name)) * time.Second
			}
			ops = append(ops, op)
		}
		clients = append(clients, ops)
	}
	return clients
}

// bankProperty checks an account made with covers.
func bankProperty(t *testing.T, covers func(amount, balance int) bool) func(*rapid.T) {
	return func(rt *rapid.T) {
		clients := drawBank(rt)
		var bad []string
		synctest.Test(t, func(*testing.T) { bad = runBank(clients, covers) })
		if len(bad) > 0 {
			rt.Fatalf("%s", strings.Join(bad, "\n"))
		}
	}
}

func runBank(clients [][]bankOp, covers func(amount, balance int) bool) []string {
	var mu sync.Mutex
	var bad []string
	type entry struct {
		withdrawal bool
		n          int
	}
	var log []entry
	acct := newAccount(covers, func(w bool, n int) {
		mu.Lock()
		log = append(log, entry{w, n})
		mu.Unlock()
	})
	var deposited, withdrawn []int // what returned nil to the clients
	waiting := map[int]int{}       // client → amount of its withdrawal in progress
	var wg sync.WaitGroup
	for c, ops := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, op := range ops {
				time.Sleep(op.pause)
				if !op.withdraw {
					if err := acct.Deposit(op.amount); err != nil {
						return
					}
					mu.Lock()
					deposited = append(deposited, op.amount)
					mu.Unlock()
					continue
				}
				mu.Lock()
				waiting[c] = op.amount
				mu.Unlock()
				start := time.Now()
				var err error
				if op.deadline > 0 {
					ctx, cancel := context.WithTimeout(context.Background(), op.deadline)
					err = acct.WithdrawCtx(ctx, op.amount)
					cancel()
				} else {
					err = acct.Withdraw(op.amount)
				}
				mu.Lock()
				delete(waiting, c)
				switch {
				case err == nil:
					withdrawn = append(withdrawn, op.amount)
				case errors.Is(err, context.DeadlineExceeded):
					if d := time.Since(start); d != op.deadline {
						bad = append(bad, fmt.Sprintf("client %d gave up after %v, not at its deadline %v", c, d, op.deadline))
					}
				case errors.Is(err, chanop.ErrClosed):
				default:
					bad = append(bad, fmt.Sprintf("client %d: withdraw: %v", c, err))
				}
				mu.Unlock()
				if err != nil && !errors.Is(err, context.DeadlineExceeded) {
					return
				}
			}
		}()
	}
	time.Sleep(time.Hour) // every pause and deadline has passed
	synctest.Wait()       // quiescent: the clients left wait for cover
	balance, err := acct.Balance()
	if err != nil {
		return []string{fmt.Sprint("Balance: ", err)}
	}
	mu.Lock()
	model := 0
	var logW, logD []int
	for _, e := range log {
		if e.withdrawal {
			if e.n > model {
				bad = append(bad, fmt.Sprintf("withdrawal of %d made with a balance of %d", e.n, model))
			}
			model -= e.n
			logW = append(logW, e.n)
		} else {
			model += e.n
			logD = append(logD, e.n)
		}
	}
	if balance != model {
		bad = append(bad, fmt.Sprintf("balance %d, but the log makes it %d", balance, model))
	}
	for c, n := range waiting {
		if n <= balance {
			bad = append(bad, fmt.Sprintf("client %d waits to withdraw %d with a balance of %d", c, n, balance))
		}
	}
	slices.Sort(logW)
	slices.Sort(logD)
	slices.Sort(withdrawn)
	slices.Sort(deposited)
	if !slices.Equal(logW, withdrawn) {
		bad = append(bad, fmt.Sprintf("withdrawals made %v, returned nil %v", logW, withdrawn))
	}
	if !slices.Equal(logD, deposited) {
		bad = append(bad, fmt.Sprintf("deposits made %v, returned nil %v", logD, deposited))
	}
	mu.Unlock()

	acct.Close()
	wg.Wait() // Close released every waiting withdrawal (else synctest reports a deadlock), with ErrClosed (checked above)
	mu.Lock()
	defer mu.Unlock()
	return bad
}

// TestBankAccountAgainstItsModel runs the property.
func TestBankAccountAgainstItsModel(t *testing.T) {
	rapid.Check(t, bankProperty(t, func(amount, balance int) bool { return amount <= balance }))
}

// TestBankPropertyCatchesAnAccountThatIgnoresTheBalance is the negative
// control: a withdrawal predicate that ignores the balance lets the
// balance go negative, which the property must report.
func TestBankPropertyCatchesAnAccountThatIgnoresTheBalance(t *testing.T) {
	out := props.ExpectFailure(t, "predicate ignores the balance", func(t *testing.T) {
		rapid.Check(t, bankProperty(t, func(int, int) bool { return true }))
	})
	require.Contains(t, out, "made with a balance of")
}
