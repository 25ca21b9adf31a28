package check_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/gochord/chord/internal/checktest"
	"github.com/gochord/chord/problems/rw"
	"github.com/gochord/chord/problems/rw/check"
	"github.com/gochord/chord/props"
)

// TestRWUnderPropsCheck runs the solution under props' controlled
// scheduler, which owns every interleaving of its chord operations (the
// trace's recorder included): every property holds, whatever the schedule.
func TestRWUnderPropsCheck(t *testing.T) {
	props.Check(t, func(r *props.Run) {
		ms := func(label string, hi int) time.Duration {
			return time.Duration(rapid.IntRange(0, hi).Draw(r.T, label)) * time.Millisecond
		}
		cfg := rw.Config{
			Readers: rapid.IntRange(0, 4).Draw(r.T, "Readers"),
			Writers: rapid.IntRange(0, 2).Draw(r.T, "Writers"),
			Visits:  rapid.IntRange(0, 2).Draw(r.T, "Visits"),
			Seed:    rapid.Uint64().Draw(r.T, "Seed"),
		}
		cfg.Think = rw.Span{Max: ms("Think.Max", 3)}
		cfg.Read = rw.Span{Max: ms("Read.Max", 4)}
		cfg.Write = rw.Span{Max: ms("Write.Max", 3)}
		res, err := rw.Run(context.Background(), cfg)
		require.NoError(r.T, err)
		checktest.FailOn(r, props.CheckAll(res.Events, check.Properties(cfg)...))
	})
}
