package check_test

import (
	"testing"

	"github.com/gochord/chord/internal/testkit"
)

// TestMain fails the run if a goroutine outlives the tests (the examples
// run outside synctest bubbles, which check their own).
func TestMain(m *testing.M) { testkit.Main(m, nil) }
