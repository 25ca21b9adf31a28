package join

import (
	"testing"
	"testing/synctest"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/guard"
	"github.com/gochord/chord/selectx"
)

// W offers on a or b (one select), V offers on a only, W is first at a.
// First-fit gives W to a and finds b empty; the match a←V, b←W exists.
func TestPatternFindsMatchWhenSelectSenderOffersOnTwoChannels(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, b := chanop.New[int](), chanop.New[int]()
		wDone := make(chan chanop.Guard, 1)
		go func() {
			sa, sb := a.SendOp(1), b.SendOp(2)
			g, err := selectx.Select(sa, sb)
			if err != nil {
				t.Error(err)
			}
			wDone <- g
		}()
		synctest.Wait()
		go func() {
			if err := a.Send(3); err != nil {
				t.Error(err)
			}
		}()
		synctest.Wait()
		part := Each[int](a, b)
		p := All(part)
		if !p.Ready() {
			t.Fatal("pattern not ready, but a←V, b←W is a match")
		}
		if err := p.Wait(); err != nil {
			t.Fatal(err)
		}
		if got := part.Values(); len(got) != 2 || got[0] != 3 || got[1] != 2 {
			t.Fatalf("values %v, want [3 2]", got)
		}
		synctest.Wait()
		if g := <-wDone; g.GuardOps().(guard.OnChannel).Channel() != b {
			t.Fatal("W's select completed the wrong guard")
		}
	})
}
