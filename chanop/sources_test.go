package chanop_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/gochord/chord/buffer"
	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/join"
)

// TestSourcesInfersTForEverySourceType is mostly a compile-time check: a
// slice of any one Source type converts without naming T, and the result
// keeps the sources in order.
func TestSourcesInfersTForEverySourceType(t *testing.T) {
	cs := []*chanop.Chan[int]{chanop.New[int](), chanop.New[int]()}
	bs := []*buffer.Buffer[int]{buffer.New[int](1), buffer.Unbounded[int]()}
	is := []chanop.Source[int]{cs[0], bs[1]}

	fromChans := chanop.Sources(cs...)
	fromBufs := chanop.Sources(bs...)
	fromIfaces := chanop.Sources(is...)
	assert.Len(t, fromChans, 2)
	assert.Same(t, cs[1], fromChans[1])
	assert.Same(t, bs[0], fromBufs[0])
	assert.Same(t, bs[1], fromIfaces[1])
	assert.Empty(t, chanop.Sources[*chanop.Chan[int]]())

	_ = join.Each(chanop.Sources(cs...)...)
	_ = join.AnyOf(1, chanop.Sources(bs...)...)
	_ = join.Each(cs[0], bs[0]) // separate arguments of different types
}
