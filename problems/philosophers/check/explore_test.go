package check_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/internal/checktest"
	"github.com/gochord/chord/problems/philosophers"
	"github.com/gochord/chord/problems/philosophers/check"
	"github.com/gochord/chord/props"
)

// TestExplorePhilosophers runs the join solution for three philosophers,
// one meal each, under every schedule with up to two preemptions.
func TestExplorePhilosophers(t *testing.T) {
	cfg := philosophers.Config{N: 3, Meals: 1}
	res := props.Explore(t, props.Bound{Preemptions: 2}, func(r *props.Run) {
		out, err := philosophers.Run(context.Background(), cfg)
		require.NoError(r.T, err)
		checktest.FailOn(r, props.CheckAll(out.Events, check.Properties(cfg)...))
	})
	assert.True(t, res.Exhaustive)
	assert.Greater(t, res.Schedules, 10)
}
