package join_test

// Adversarial review: NotifyUntil's "consumed" test on a Buffer's blocked
// sender versus a selective part (Where).

import (
	"testing"
	"testing/synctest"

	"github.com/gochord/chord/buffer"
	"github.com/gochord/chord/guard"
	"github.com/gochord/chord/join"
)

// takeOnNotify is a listener that, on its first Notify after arming,
// receives one message from b, with no locks held, as Notify allows — what
// a Selector's owner, woken by its Notify, does on another goroutine.
type takeOnNotify struct {
	b     *buffer.Buffer[int]
	armed bool
	got   []int
}

func (l *takeOnNotify) Notify(*guard.Entry) {
	if !l.armed {
		return
	}
	l.armed = false
	v, err := l.b.Recv()
	if err == nil {
		l.got = append(l.got, v)
	}
}

// TestReviewWhereRefillSkipsTheSelectivePart: a one-place buffer holds 1;
// a selective pattern waits for 2; a sender of 2 blocks (ring full) and
// notifies the buffer's listeners with NotifyUntil(ls, s.Done). The first
// listener's Notify leads to a receive of 1 (here deterministically, inside
// Notify; in real life a Selector's owner or any receiver racing with the
// notifying sender), whose refill moves 2 into the ring and completes the
// sender. NotifyUntil takes the sender's completion for "the message was
// consumed" and stops: the selective pattern, whose avail counted only
// accepted messages (0: 1 is rejected), is never notified, though 2, the
// message it accepts, sits in the buffer. A refill is no arrival (the
// Invariants), so nothing notifies it later: the owner is parked for ever
// with its message available — a lost wake-up.
//
// guard.NotifyUntil's argument ("the listeners left could not fire before
// the message arrived, and a firing only takes messages away") assumes the
// consumed callback reports the message gone; buffer.Send's blocked path
// passes s.Done, which a refill also makes true. Before Where, any
// listener that could use 2 could use 1 as well, and a non-selective part
// was already counting 1; with Where it cannot.
func TestReviewWhereRefillSkipsTheSelectivePart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := buffer.New[int](1)
		if err := b.Send(1); err != nil {
			t.Fatal(err)
		}
		// The first listener on b.
		l := &takeOnNotify{b: b}
		var lw guard.Waiter
		le := &guard.Entry{W: &lw, L: l}
		src := b.SourceOps()
		src.SourceLock().Lock()
		src.Listen(le)
		src.SourceLock().Unlock()

		// The selective pattern, second listener: it wants 2.
		part := join.From[int](b).Where(func(v int) bool { return v == 2 })
		p := join.All(part)
		fired := make(chan error, 1)
		go func() { fired <- p.Wait() }()
		synctest.Wait()
		select {
		case err := <-fired:
			t.Fatalf("fired before 2 was sent: %v", err)
		default:
		}

		l.armed = true
		sent := make(chan error, 1)
		go func() { sent <- b.Send(2) }()
		synctest.Wait()

		if err := <-sent; err != nil { // refilled into the ring: delivered
			t.Fatal(err)
		}
		if len(l.got) != 1 || l.got[0] != 1 {
			t.Fatalf("the first listener received %v, want [1]", l.got)
		}
		select {
		case err := <-fired:
			if err != nil {
				t.Fatal(err)
			}
			if v := part.Values(); len(v) != 1 || v[0] != 2 {
				t.Fatalf("took %v", v)
			}
		default:
			n := b.Len()
			// Unstick the owner before failing: Close notifies.
			b.Close()
			synctest.Wait()
			<-fired
			src.SourceLock().Lock()
			src.Unlisten(le)
			src.SourceLock().Unlock()
			t.Fatalf("lost wake-up: the pattern waiting for 2 is parked while the buffer holds %d message(s) (2, refilled from the blocked sender), and nothing will notify it", n)
		}
		src.SourceLock().Lock()
		src.Unlisten(le)
		src.SourceLock().Unlock()
	})
}

// TestReviewWhereRefillRaceStress is the same lost wake-up without a
// custom listener: the first listener is an ordinary selective pattern
// that never fires (it wants 3), and a plain Recv of 1 races with the
// blocked Send of 2 (its refill completes the sender between the first
// Notify and NotifyUntil's consumed test). It counts the rounds where,
// once everybody else is done (synctest.Wait), the pattern waiting for 2
// is still parked with 2 in the buffer.
func TestReviewWhereRefillRaceStress(t *testing.T) {
	lost := 0
	const rounds = 5000
	for range rounds {
		synctest.Test(t, func(t *testing.T) {
			b := buffer.New[int](1)
			if err := b.Send(1); err != nil {
				t.Fatal(err)
			}
			first := join.All(join.From[int](b).Where(func(v int) bool { return v == 3 }))
			firstDone := make(chan error, 1)
			go func() { firstDone <- first.Wait() }()
			synctest.Wait()
			part := join.From[int](b).Where(func(v int) bool { return v == 2 })
			p := join.All(part)
			fired := make(chan error, 1)
			go func() { fired <- p.Wait() }()
			synctest.Wait()
			recvd := make(chan int, 1)
			go func() { v, _ := b.Recv(); recvd <- v }()
			go func() { _ = b.Send(2) }()
			synctest.Wait()
			if v := <-recvd; v != 1 {
				t.Fatalf("Recv got %d", v)
			}
			select {
			case <-fired:
			default:
				lost++
			}
			b.Close()
			synctest.Wait()
			<-firstDone
			if len(fired) > 0 {
				<-fired
			}
		})
	}
	if lost > 0 {
		t.Errorf("lost wake-up in %d of %d rounds: the pattern waiting for 2 stayed parked with 2 in the buffer", lost, rounds)
	}
}
