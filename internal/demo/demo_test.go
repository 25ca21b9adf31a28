package demo

import (
	"context"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gochord/chord/props"
)

func TestWatchdogFiresOnlyAfterQuiet(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		dog, ctx := NewWatchdog(context.Background(), time.Second)
		defer dog.Stop()
		for range 5 {
			time.Sleep(900 * time.Millisecond)
			dog.Touch()
		}
		if dog.Fired() || ctx.Err() != nil {
			t.Fatal("the watchdog fired although it was touched in time")
		}
		<-ctx.Done()
		if !dog.Fired() {
			t.Fatal("the context ended but the watchdog says it did not fire")
		}
	})
}

func TestVerdictQuotesViolations(t *testing.T) {
	var b strings.Builder
	if !Verdict(&b, "X", nil) || !strings.Contains(b.String(), "every X property holds") {
		t.Fatalf("%q", b.String())
	}
	b.Reset()
	v := props.Violate("x/p", "broken", "#1 a", "#2 b")
	if Verdict(&b, "X", []*props.Violation{v}) || !strings.Contains(b.String(), "#2 b") {
		t.Fatalf("%q", b.String())
	}
}
