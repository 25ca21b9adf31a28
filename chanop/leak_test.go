package chanop_test

import (
	"testing"

	"github.com/gochord/chord/internal/testkit"
)

// TestMain fails the run if a goroutine outlives the tests. Tests never
// hang: an operation that could block forever if the library regressed runs
// in a synctest bubble (a deadlock there is reported) or under a deadline.
func TestMain(m *testing.M) { testkit.Main(m, nil) }

// Shorthands for the shared helpers.
var (
	goErr                  = testkit.GoErr
	assertPanicsWithPrefix = testkit.AssertPanicsWithPrefix
)

func goCall[T any](f func() (T, error)) *testkit.Probe[T] { return testkit.Go(f) }
