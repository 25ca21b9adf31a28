package trace

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

type event struct {
	Seq  int
	At   time.Duration
	What string
}

func stampEvent(e *event, seq int, at time.Duration) { e.Seq, e.At = seq, at }

func Example() {
	rec := New(stampEvent, func(e event) { fmt.Printf("#%d %s\n", e.Seq, e.What) })
	rec.Add(event{What: "arrive"})
	rec.Do(event{}, func(e *event) { e.What = "sit" }) // decided under the trace's lock
	fmt.Println(len(rec.Events()), "events")
	// Output:
	// #1 arrive
	// #2 sit
	// 2 events
}

func TestRecorderOrderIsTheObservedOrder(t *testing.T) {
	var seen []event
	rec := New(stampEvent, func(e event) { seen = append(seen, e) })
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() { rec.Do(event{}, func(e *event) { e.What = fmt.Sprint(i) }) })
	}
	wg.Wait()
	got := rec.Events()
	if len(got) != 50 || len(seen) != 50 {
		t.Fatalf("%d events recorded, %d observed; want 50", len(got), len(seen))
	}
	for i, e := range got {
		if e.Seq != i+1 || e != seen[i] || (i > 0 && e.At < got[i-1].At) {
			t.Fatalf("event %d = %+v, observed %+v; want Seq %d in time order", i, e, seen[i], i+1)
		}
	}
	got[0].What = "changed"
	if rec.Events()[0].What == "changed" {
		t.Fatal("Events returned the recorder's own slice")
	}
}

type span2 struct{ Min, Max time.Duration }

func TestDrawStaysInTheSpan(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	s := span2{time.Second, 2 * time.Second}
	for range 1000 {
		if d := Draw(rng, s); d < s.Min || d > s.Max {
			t.Fatalf("Draw(%v) = %v", s, d)
		}
	}
	if d := Draw(rng, span2{3 * time.Second, time.Second}); d != 3*time.Second {
		t.Fatalf("Draw of an empty span = %v; want its Min", d)
	}
}

func TestCheckSpanNamesTheField(t *testing.T) {
	if err := CheckSpan("p", "Eat", span2{0, time.Second}); err != nil {
		t.Fatal(err)
	}
	for _, s := range []span2{{-1, time.Second}, {2 * time.Second, time.Second}} {
		err := CheckSpan("p", "Eat", s)
		if want := fmt.Sprintf("p: Eat = %v; need 0 <= Min <= Max", s); err == nil || err.Error() != want {
			t.Fatalf("CheckSpan(%v) = %v; want %q", s, err, want)
		}
	}
}

func TestSleepReportsCancellation(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		if !Sleep(ctx, time.Second) || !Sleep(ctx, 0) {
			t.Fatal("Sleep reported a cancellation that did not happen")
		}
		time.AfterFunc(time.Second, cancel)
		start := time.Now()
		if Sleep(ctx, time.Hour) || time.Since(start) != time.Second {
			t.Fatalf("Sleep after %v reported it slept its whole hour", time.Since(start))
		}
		if Sleep(ctx, 0) {
			t.Fatal("Sleep(0) on a done context reported true")
		}
	})
}

type kind uint8

func TestKindNameFallsBackToTheNumber(t *testing.T) {
	names := []string{1: "One", 3: "Three"}
	for k, want := range map[kind]string{1: "One", 3: "Three", 0: "Kind(0)", 2: "Kind(2)", 4: "Kind(4)", 255: "Kind(255)"} {
		if got := KindName(names, k); got != want {
			t.Errorf("KindName(%d) = %q; want %q", k, got, want)
		}
	}
}
