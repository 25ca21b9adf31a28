package join_test

import (
	"context"
	"fmt"
	"runtime"
	"time"

	"github.com/gochord/chord/buffer"
	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/join"
	"github.com/gochord/chord/selectx"
)

// An Account is a bank account served by one goroutine that owns the
// balance. Deposit never blocks; Withdraw(n) blocks until the balance
// covers n, and a small withdrawal is not held behind a larger one that
// waits; WithdrawCtx gives up when its context ends; Close releases every
// waiting caller with chanop.ErrClosed.
type Account struct {
	deposits  *buffer.Buffer[int]          // never blocks a depositor
	withdraws *join.Call[int, struct{}]    // the amount in, an acknowledgement out
	queries   *join.Call[struct{}, int]    // the balance out
	done      chan struct{}                // closed when the server returns
	record    func(withdrawal bool, n int) // a test's log of the server's firings; may be nil
}

// NewAccount returns an empty account and starts its server.
func NewAccount() *Account {
	return newAccount(func(amount, balance int) bool { return amount <= balance }, nil)
}

// newAccount is NewAccount with the rule that decides whether the balance
// covers a withdrawal, and a log of what the server did.
func newAccount(covers func(amount, balance int) bool, record func(bool, int)) *Account {
	a := &Account{
		deposits:  buffer.Unbounded[int](),
		withdraws: join.NewCall[int, struct{}](),
		queries:   join.NewCall[struct{}, int](),
		done:      make(chan struct{}),
		record:    record,
	}
	go a.serve(covers)
	return a
}

// serve owns the balance. The withdrawal part's predicate reads it: that
// is allowed, since serve changes the balance only between its selects.
func (a *Account) serve(covers func(amount, balance int) bool) {
	defer close(a.done)
	balance := 0
	dep := join.From(a.deposits)
	wd := join.From(a.withdraws).Where(func(rq *join.Request[int, struct{}]) bool {
		return covers(rq.Value(), balance) // the oldest withdrawal the balance covers
	})
	q := join.From(a.queries)
	deposit, withdraw, query := join.All(dep), join.All(wd), join.All(q)
	for {
		g, err := selectx.Select(deposit, withdraw, query)
		if err != nil {
			return // closed
		}
		switch g {
		case deposit:
			n := dep.Values()[0]
			balance += n
			if a.record != nil {
				a.record(false, n)
			}
		case withdraw:
			rq := wd.Values()[0]
			if rq.Reply(struct{}{}) { // false: the caller gave up, or Close
				balance -= rq.Value()
				if a.record != nil {
					a.record(true, rq.Value())
				}
			}
		case query:
			q.Values()[0].Reply(balance)
		}
	}
}

// Deposit adds n to the balance; it never blocks.
func (a *Account) Deposit(n int) error { return a.deposits.Send(n) }

// Withdraw takes n from the balance, waiting until the balance covers it.
func (a *Account) Withdraw(n int) error {
	_, err := a.withdraws.Call(n)
	return err
}

// WithdrawCtx is Withdraw, giving up when ctx ends: then nothing is taken.
func (a *Account) WithdrawCtx(ctx context.Context, n int) error {
	_, err := a.withdraws.CallContext(ctx, n)
	return err
}

// Balance returns the balance.
func (a *Account) Balance() (int, error) { return a.queries.Call(struct{}{}) }

// Close closes the account: every waiting withdrawal returns
// chanop.ErrClosed, and so does every later call.
func (a *Account) Close() {
	a.withdraws.Close()
	a.queries.Close()
	a.deposits.Close()
	<-a.done
}

// waitingWithdrawals waits until n withdrawals wait for their cover.
func (a *Account) waitingWithdrawals(n int) {
	for a.withdraws.Len() != n {
		runtime.Gosched()
	}
}

// Example_bankAccount: join patterns with a predicate. The withdrawal
// pattern takes the oldest withdrawal that the balance covers, so a small
// one is served while a larger one waits.
func Example_bankAccount() {
	acct := NewAccount()
	_ = acct.Deposit(30)

	big := make(chan error)
	go func() { big <- acct.Withdraw(100) }()
	acct.waitingWithdrawals(1)

	fmt.Println("withdraw 20:", acct.Withdraw(20)) // not held behind the 100
	b, _ := acct.Balance()
	fmt.Println("balance:", b)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	fmt.Println("withdraw 50 within 10ms:", acct.WithdrawCtx(ctx, 50))

	_ = acct.Deposit(95)
	fmt.Println("withdraw 100:", <-big) // covered now
	b, _ = acct.Balance()
	fmt.Println("balance:", b)

	last := make(chan error)
	go func() { last <- acct.Withdraw(50) }()
	acct.waitingWithdrawals(1)
	acct.Close()
	fmt.Println("withdraw 50 at close:", <-last == chanop.ErrClosed)
	fmt.Println("deposit after close:", acct.Deposit(1) == chanop.ErrClosed)
	// Output:
	// withdraw 20: <nil>
	// balance: 10
	// withdraw 50 within 10ms: context deadline exceeded
	// withdraw 100: <nil>
	// balance: 5
	// withdraw 50 at close: true
	// deposit after close: true
}
