package trace

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"
)

// span is the shape of every problem's exported Span type: a range of
// durations, each draw uniform in [Min, Max].
type span = struct{ Min, Max time.Duration }

// Draw returns a duration drawn uniformly from [s.Min, s.Max] with rng, or
// s.Min if the range is empty.
func Draw[S ~struct{ Min, Max time.Duration }](rng *rand.Rand, s S) time.Duration {
	sp := span(s)
	if sp.Max <= sp.Min {
		return sp.Min
	}
	return sp.Min + time.Duration(rng.Int64N(int64(sp.Max-sp.Min)+1))
}

// CheckSpan returns the error a problem's Config.Validate reports for its
// field name when s is not a range of non-negative durations, or nil.
// pkg is the problem's package name, which prefixes the message.
func CheckSpan[S ~struct{ Min, Max time.Duration }](pkg, name string, s S) error {
	if sp := span(s); sp.Min < 0 || sp.Max < sp.Min {
		return fmt.Errorf("%s: %s = %v; need 0 <= Min <= Max", pkg, name, s)
	}
	return nil
}

// Sleep waits for d, reporting false if ctx was done first. Its timer runs
// on fake time inside a synctest bubble, like time.Sleep.
func Sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
