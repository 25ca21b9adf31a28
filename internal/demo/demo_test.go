package demo

import (
	"context"
	"fmt"
	"slices"
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

type named string

func (n named) String() string { return string(n) }

func TestListCutsAfterMost(t *testing.T) {
	xs := []named{"a", "b", "c"}
	for _, c := range []struct {
		most int
		want string
	}{{0, "[a b c]"}, {3, "[a b c]"}, {2, "[a b +1]"}, {1, "[a +2]"}} {
		if got := List(xs, c.most); got != c.want {
			t.Errorf("List(%v, %d) = %q; want %q", xs, c.most, got, c.want)
		}
	}
	if got := List([]named(nil), 0); got != "[]" {
		t.Errorf("List(nil, 0) = %q; want []", got)
	}
}

type actor int

func (a actor) String() string { return fmt.Sprintf("a%d", int(a)) }

func TestLanesEndWithTheSharedOne(t *testing.T) {
	lanes, shared := Lanes[actor](3, "car")
	if want := []string{"a0", "a1", "a2", "car"}; !slices.Equal(lanes, want) || shared != 3 {
		t.Errorf("Lanes(3, car) = %q, %d; want %q, 3", lanes, shared, want)
	}
	if lanes, shared := Lanes[actor](0, "car"); !slices.Equal(lanes, []string{"car"}) || shared != 0 {
		t.Errorf("Lanes(0, car) = %q, %d; want [car], 0", lanes, shared)
	}
}

func TestSummaryAlignsItsRows(t *testing.T) {
	var b strings.Builder
	sum := Summarize(&b, 2500*time.Millisecond)
	sum.Rowf("rides", "%d of %d", 5, 5)
	sum.Rowf("longest wait", "%v", time.Second)
	want := "\nSummary after 2.50s\n  rides          5 of 5\n  longest wait   1s\n"
	if b.String() != want {
		t.Errorf("summary:\n%q\nwant\n%q", b.String(), want)
	}
}
