package philosophers_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gochord/chord/problems/philosophers"
)

func TestValidateNamesTheBadField(t *testing.T) {
	ok := philosophers.Config{N: 5, Meals: 3, Think: philosophers.Range{Max: time.Millisecond}}
	require.NoError(t, ok.Validate())
	tests := []struct {
		name string
		edit func(*philosophers.Config)
		want string
	}{
		{"one philosopher", func(c *philosophers.Config) { c.N = 1 }, "N = 1"},
		{"too many", func(c *philosophers.Config) { c.N = philosophers.MaxN + 1 }, "N = 10001"},
		{"no meals", func(c *philosophers.Config) { c.Meals = 0 }, "Meals = 0"},
		{"huge trace", func(c *philosophers.Config) { c.N, c.Meals = 10_000, 1_000 }, "N × Meals"},
		{"negative think", func(c *philosophers.Config) { c.Think.Min = -1 }, "Think.Min = -1ns"},
		{"inverted eat", func(c *philosophers.Config) { c.Eat = philosophers.Range{Min: 2, Max: 1} }, "Eat = [2ns, 1ns]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			tt.edit(&c)
			err := c.Validate()
			require.Error(t, err)
			assert.ErrorIs(t, err, philosophers.ErrConfig)
			assert.Contains(t, err.Error(), tt.want)
			_, runErr := philosophers.Run(context.Background(), c)
			assert.ErrorIs(t, runErr, philosophers.ErrConfig, "Run must refuse what Validate refuses")
		})
	}
}

// TestEveryoneEatsInABubble runs a dinner in a synctest bubble: it must
// finish (a deadlock would be reported), leave no goroutine behind (the
// bubble would report it), and its figures must agree with its trace.
func TestEveryoneEatsInABubble(t *testing.T) {
	for _, n := range []int{2, 3, 5, 8} {
		synctest.Test(t, func(t *testing.T) {
			cfg := philosophers.Config{
				N: n, Meals: 4, Seed: uint64(n),
				Think: philosophers.Range{Max: 10 * time.Millisecond},
				Eat:   philosophers.Range{Min: time.Millisecond, Max: 5 * time.Millisecond},
			}
			var observed []philosophers.Event
			cfg.Observe = func(e philosophers.Event) { observed = append(observed, e) }
			res, err := philosophers.Run(context.Background(), cfg)
			require.NoError(t, err)
			assert.Equal(t, n*cfg.Meals, res.Meals())
			for i, s := range res.Stats {
				assert.Equal(t, cfg.Meals, s.Meals, "P%d", i)
				assert.LessOrEqual(t, s.LongestWait, s.TotalWait)
			}
			assert.Equal(t, len(res.Events), len(observed), "Observe sees every event")
			eating, most, onTable := 0, 0, 0
			for i, e := range res.Events {
				assert.Equal(t, i, e.Seq)
				assert.Equal(t, e.Seq, observed[i].Seq, "Observe sees events in order")
				switch e.Kind {
				case philosophers.Eating:
					eating++
					most = max(most, eating)
					assert.Len(t, e.Chopsticks, 2)
					assert.Equal(t, []int{philosophers.Left(e.Who, n), philosophers.Right(e.Who, n)}, e.Chopsticks,
						"P%d eats with his own chopsticks", e.Who)
				case philosophers.Released:
					eating--
				case philosophers.OnTable:
					onTable++
				}
			}
			assert.Equal(t, most, res.MaxEating)
			assert.Equal(t, n, onTable, "every chopstick is back on the table")
			assert.LessOrEqual(t, res.MaxEating, n/2)
		})
	}
}

// TestRunStopsWhenCancelled: a cancelled dinner returns the context's
// error, and nobody is left holding a chopstick.
func TestRunStopsWhenCancelled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		cfg := philosophers.Config{N: 5, Meals: 1000, Eat: philosophers.Range{Min: time.Millisecond, Max: 3 * time.Millisecond}}
		res, err := philosophers.Run(ctx, cfg)
		require.True(t, errors.Is(err, context.DeadlineExceeded), "err = %v", err)
		assert.Less(t, res.Meals(), 5*1000)
		onTable := 0
		for _, e := range res.Events {
			if e.Kind == philosophers.OnTable {
				onTable++
			}
		}
		assert.Equal(t, 5, onTable, "a cancelled philosopher puts his chopsticks back")
	})
}

func TestEventString(t *testing.T) {
	e := philosophers.Event{Seq: 7, At: 1200 * time.Millisecond, Kind: philosophers.Eating, Who: 2, Meal: 1, Chopsticks: []int{2, 3}, Wait: 300 * time.Millisecond}
	assert.Equal(t, "#7 +1.2s P2 eating meal 1 [2 3] after 300ms", e.String())
	assert.True(t, strings.HasPrefix(philosophers.Kind(99).String(), "Kind("))
}
