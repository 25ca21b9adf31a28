package buffer

import (
	"testing"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// storageCap is the length of b's ring storage.
func (b *Buffer[T]) storageCap() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.ring.buf)
}

func TestDrainedBufferGivesItsStorageBack(t *testing.T) {
	const n = 100_000
	for _, c := range []struct {
		name  string
		b     *Buffer[int]
		floor int
	}{
		{"Unbounded", Unbounded[int](), unboundedFloor},
		{"New(1<<20)", New[int](1 << 20), maxFloor},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := c.b
			require.Equal(t, c.floor, b.storageCap())
			for i := range n {
				require.NoError(t, b.Send(i))
			}
			require.GreaterOrEqual(t, b.storageCap(), n)
			require.Less(t, b.storageCap(), 2*n, "storage grows by doubling")
			for i := range n {
				v, err := b.Recv()
				require.NoError(t, err)
				require.Equal(t, i, v)
				if left := n - 1 - i; left > c.floor {
					// Never more than 4× what it holds, once above the floor.
					require.LessOrEqual(t, b.storageCap(), 4*left+4)
				}
			}
			require.Equal(t, c.floor, b.storageCap(), "drained storage is back at the floor")
		})
	}
}

func TestSmallBoundedBufferAllocatesOnceUpFront(t *testing.T) {
	for _, c := range []struct{ capacity, storage int }{{1, 1}, {3, 4}, {64, 64}, {1000, 1024}, {5000, 1024}} {
		b := New[int](c.capacity)
		require.Equal(t, c.storage, b.storageCap(), "New(%d)", c.capacity)
		for round := range 3 {
			for i := range c.capacity {
				require.NoError(t, b.Send(round*c.capacity+i))
			}
			for i := range c.capacity {
				v, err := b.Recv()
				require.NoError(t, err)
				require.Equal(t, round*c.capacity+i, v)
			}
		}
		if c.capacity <= maxFloor {
			require.Equal(t, c.storage, b.storageCap(), "New(%d) never resizes", c.capacity)
		}
	}
}

// TestRingMatchesSlice checks the ring (wrap-around, growth, shrinking)
// against a slice.
func TestRingMatchesSlice(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var r ring[int]
		r.init(1 << rapid.IntRange(0, 4).Draw(t, "log2 floor"))
		var want []int
		next := 0
		t.Repeat(map[string]func(*rapid.T){
			"push": func(t *rapid.T) {
				for range rapid.IntRange(1, 40).Draw(t, "pushes") {
					r.push(next)
					want = append(want, next)
					next++
				}
			},
			"pop": func(t *rapid.T) {
				for range rapid.IntRange(1, 40).Draw(t, "pops") {
					if len(want) == 0 {
						return
					}
					if v := r.pop(); v != want[0] {
						t.Fatalf("pop = %d; want %d", v, want[0])
					}
					want = want[1:]
				}
			},
			"": func(t *rapid.T) {
				if r.n != len(want) {
					t.Fatalf("n = %d; want %d", r.n, len(want))
				}
				size := len(r.buf)
				if size < r.floor || size&(size-1) != 0 || r.n > size {
					t.Fatalf("storage %d for %d messages, floor %d", size, r.n, r.floor)
				}
				if size > r.floor && r.n < size/4 {
					t.Fatalf("storage %d not shrunk for %d messages", size, r.n)
				}
				for i, w := range want {
					if v := r.buf[(r.head+i)&(size-1)]; v != w {
						t.Fatalf("message %d = %d; want %d", i, v, w)
					}
				}
			},
		})
	})
}

// TestRingRemoveAtMatchesASlice: pushes, pops and removals from anywhere
// (what a join part with a Where predicate does) keep the ring equal to a
// slice model, in order, through wrap-around, growth and shrinking, and
// the slots outside the messages hold zero values.
func TestRingRemoveAtMatchesASlice(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var r ring[int]
		r.init(rapid.SampledFrom([]int{1, 2, 4}).Draw(t, "floor"))
		var model []int
		next := 1
		for range rapid.IntRange(0, 200).Draw(t, "ops") {
			switch op := rapid.IntRange(0, 2).Draw(t, "op"); {
			case op == 0 || len(model) == 0:
				r.push(next)
				model = append(model, next)
				next++
			case op == 1:
				require.Equal(t, model[0], r.pop())
				model = model[1:]
			default:
				i := rapid.IntRange(0, len(model)-1).Draw(t, "i")
				require.Equal(t, model[i], r.removeAt(i))
				model = append(model[:i:i], model[i+1:]...)
			}
			require.Equal(t, len(model), r.n)
			for i, v := range model {
				require.Equal(t, v, r.at(i))
			}
			live := 0
			for _, v := range r.buf {
				if v != 0 {
					live++
				}
			}
			require.Equal(t, len(model), live, "a slot outside the messages keeps a value")
		}
	})
}
