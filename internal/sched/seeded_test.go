package sched_test

import (
	"runtime"
	"slices"
	"testing"

	"github.com/gochord/chord/internal/sched"
)

// draws returns 50 choices among 7 made under Seeded(seed).
func draws(seed uint64) []int {
	restore := sched.Seeded(seed)
	defer restore()
	var cs []int
	for range 50 {
		cs = append(cs, sched.Intn(7))
	}
	return cs
}

func TestSeededChoicesFollowTheSeed(t *testing.T) {
	procs := runtime.GOMAXPROCS(0)
	a, b, c := draws(3), draws(3), draws(4)
	if !slices.Equal(a, b) {
		t.Fatalf("seed 3 drew %v, then %v", a, b)
	}
	if slices.Equal(a, c) {
		t.Fatalf("seeds 3 and 4 both drew %v", a)
	}
	if sched.Current() != nil || runtime.GOMAXPROCS(0) != procs {
		t.Fatalf("Seeded's restore left scheduler %v and GOMAXPROCS %d (was %d)", sched.Current(), runtime.GOMAXPROCS(0), procs)
	}
}
