package props_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/buffer"
	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/join"
	"github.com/gochord/chord/props"
)

// TestChordRecordsItsOwnEvents runs a pipeline (a synchronous channel, then
// a buffer) that records nothing itself:
// chord reports every offer, delivery, receive and close, and the
// recorded trace keeps ChannelConservation.
func TestChordRecordsItsOwnEvents(t *testing.T) {
	props.Check(t, func(r *props.Run) {
		in, out := chanop.New[int](), buffer.New[int](1)
		r.Go("producer", func() {
			for i := range 3 {
				_ = in.Send(i)
			}
			in.Close()
		})
		r.Go("doubler", func() {
			for {
				v, err := in.Recv()
				if err != nil {
					out.Close()
					return
				}
				_ = out.Send(2 * v)
			}
		})
		var got []int
		for {
			v, err := out.Recv()
			if err != nil {
				break
			}
			got = append(got, v)
		}
		require.Equal(r.T, []int{0, 2, 4}, got)
		evs := r.Events()
		count := map[string]int{}
		for _, e := range evs {
			if e.Kind != "idle" {
				count[e.Kind]++
			}
		}
		// 6 sends, 6 receives and the two that find a channel closed, 2 closes.
		require.Equal(r.T, map[string]int{"offer": 6, "deliver": 6, "receive": 8, "close": 2}, count, "events: %v", evs)
		require.Equal(r.T, "producer offers 0 on chan 0", evs[0].String())
		if v := props.ChannelConservation().Check(evs); v != nil {
			r.T.Fatal(v)
		}
	})
}

// TestChannelConservationRejectsBadTraces: the property must catch a
// message received twice and a message received but never offered.
func TestChannelConservationRejectsBadTraces(t *testing.T) {
	p := props.ChannelConservation()
	ok := []props.Event{
		{Who: "a", Kind: "offer", Chan: "chan 0", Msg: 1},
		{Who: "b", Kind: "receive", Chan: "chan 0", Msg: 1},
		{Who: "a", Kind: "deliver", Chan: "chan 0", Msg: 1},
	}
	assert.Nil(t, p.Check(ok))
	twice := append(append([]props.Event(nil), ok...), props.Event{Who: "c", Kind: "receive", Chan: "chan 0", Msg: 1})
	v := p.Check(twice)
	require.NotNil(t, v, "a message received twice passed")
	assert.Contains(t, v.Error(), "1 received from chan 0 2 times, offered 1 times")
	madeUp := []props.Event{{Who: "b", Kind: "receive", Chan: "chan 0", Msg: 7}}
	require.NotNil(t, p.Check(madeUp), "a message never offered passed")
	undelivered := []props.Event{
		{Who: "a", Kind: "offer", Chan: "chan 0", Msg: 1},
		{Who: "b", Kind: "receive", Chan: "chan 0", Msg: 1},
		{Who: "a", Kind: "deliver", Chan: "chan 0", Msg: 1, Err: chanop.ErrClosed},
	}
	v = p.Check(undelivered)
	require.NotNil(t, v, "a message received though its send failed passed")
	assert.Contains(t, v.Error(), "delivered 0 times")
}

// TestChordRecordsFirings: a join pattern's firing is recorded with the
// senders it released, by the goroutine that fired it.
func TestChordRecordsFirings(t *testing.T) {
	props.Check(t, func(r *props.Run) {
		a, b := chanop.New[int](), chanop.New[int]()
		r.Go("a", func() { _ = a.Send(1) })
		r.Go("b", func() { _ = b.Send(2) })
		both := join.All(join.From[int](a), join.From[int](b))
		require.NoError(r.T, both.Wait())
		var fires []props.Event
		for _, e := range r.Events() {
			if e.Kind == "fire" {
				fires = append(fires, e)
			}
		}
		require.Len(r.T, fires, 1, "events: %v", r.Events())
		// Who fires depends on the schedule: the owner, if both messages
		// wait when it selects, or the sender whose message completes the
		// pattern (lazy matching); either way both senders are released.
		require.Regexp(r.T, `^(main|a|b) fires pattern 0, releasing 2 senders$`, fires[0].String())
	})
}
