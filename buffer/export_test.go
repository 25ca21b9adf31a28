package buffer

import (
	"fmt"
	"math"

	"github.com/gochord/chord/guard"
)

// CheckSettled reports a violation of the Invariants at the top of
// buffer.go in a buffer that is settled: no Settle is pending and no
// operation is in flight (in a synctest bubble, after synctest.Wait).
func (b *Buffer[T]) CheckSettled() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	r := &b.ring
	size := len(r.buf)
	switch {
	case size < r.floor || size&(size-1) != 0:
		return fmt.Errorf("storage length %d: not a power of two >= floor %d", size, r.floor)
	case r.n < 0 || r.n > b.limit || r.n > size:
		return fmt.Errorf("n = %d outside [0, min(limit %d, storage %d)]", r.n, b.limit, size)
	case r.head < 0 || r.head >= size:
		return fmt.Errorf("head %d outside storage of %d", r.head, size)
	case size > r.floor && r.n < size/4:
		return fmt.Errorf("storage %d holds only %d: should have shrunk", size, r.n)
	}
	var zero T
	for i := r.n; i < size; i++ {
		if any(r.buf[(r.head+i)&(size-1)]) != any(zero) {
			return fmt.Errorf("free slot %d not cleared", i)
		}
	}
	senders, receivers := live(b.sendq.Front()), live(b.recvq.Front())
	switch {
	case senders > 0 && r.n != b.limit:
		return fmt.Errorf("%d senders wait while %d of %d slots are used", senders, r.n, b.limit)
	case senders > 0 && b.limit == math.MaxInt:
		return fmt.Errorf("%d senders wait on an unbounded buffer", senders)
	case receivers > 0 && r.n != 0:
		return fmt.Errorf("%d receivers wait while %d messages are stored", receivers, r.n)
	case b.closing.Closed() && senders+receivers > 0:
		return fmt.Errorf("closed, yet %d senders and %d receivers wait", senders, receivers)
	}
	return nil
}

// live counts the entries from e on whose waiters have not completed.
func live(e *guard.Entry) int {
	n := 0
	for ; e != nil; e = e.Next() {
		if !e.W.Done() {
			n++
		}
	}
	return n
}
