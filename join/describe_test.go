package join_test

import (
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"

	"github.com/gochord/chord/buffer"
	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/join"
)

// TestDescribeSaysWhatEachPartHasAndLacks: the text a deadlock report
// shows for a pattern counts, per part, the messages and sources ready.
func TestDescribeSaysWhatEachPartHasAndLacks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		deer := []*chanop.Chan[int]{chanop.New[int](), chanop.New[int](), chanop.New[int]()}
		elves := []*buffer.Buffer[int]{buffer.New[int](1), buffer.New[int](1), buffer.New[int](1), buffer.New[int](1)}
		queue := buffer.Unbounded[int]()
		gone := chanop.New[int]()
		for _, d := range deer[:2] {
			go func() { _ = d.Send(1) }()
		}
		_ = elves[0].Send(1)
		_ = elves[3].Send(1)
		_ = queue.Send(1)
		_ = queue.Send(2)
		synctest.Wait()
		gone.Close()
		p := join.All(join.Each(chanop.Sources(deer...)...), join.AnyOf(3, chanop.Sources(elves...)...),
			join.FromN(queue, 3), join.From(gone))
		assert.Equal(t, "Each(3): 2 ready; AnyOf(3 of 4): 2 ready; FromN(3): 2 of 3 messages; From: no message, closed: can never be satisfied", p.Describe())
		for _, d := range deer {
			d.Close() // release the two senders
		}
	})
}
