package join_test

import (
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/join"
	"github.com/gochord/chord/selectx"
)

// TestMatcherAgreesWithBruteForce: random patterns over up to 10 channels,
// fed by up to 14 select senders offering on 1 to 3 channels each (so
// first-fit often fails and the flow matcher decides): the pattern is
// ready exactly when the brute-force model (canFire) finds a match, and
// when it fires, every sender gives at most once, on a channel it offered
// on, and the part shapes are met.
func TestMatcherAgreesWithBruteForce(t *testing.T) {
	ready := 0
	for seed := range 300 {
		r := rand.New(rand.NewPCG(uint64(seed), 11))
		nch := 4 + r.IntN(7)
		var g guardSpec
		free := r.Perm(nch)
		for len(free) > 0 && (len(g.parts) == 0 || r.IntN(2) == 0) {
			p := partSpec{kind: partKind(r.IntN(4))}
			switch p.kind {
			case kindFrom:
				p.chans = free[:1]
			case kindFromN:
				p.chans, p.n = free[:1], 1+r.IntN(3)
			case kindEach:
				p.chans = free[:1+r.IntN(min(4, len(free)))]
			case kindAnyOf:
				p.chans = free[:1+r.IntN(min(5, len(free)))]
				p.m = 1 + r.IntN(len(p.chans))
			}
			free = free[len(p.chans):]
			g.parts = append(g.parts, p)
		}
		offers := make([][]int, 2+r.IntN(13))
		for s := range offers {
			offers[s] = r.Perm(nch)[:1+r.IntN(3)]
		}
		_, want := canFire(g, offers)
		synctest.Test(t, func(t *testing.T) {
			cs := chans(nch)
			var parts []*join.Part[int]
			var conj []join.Conjunct
			for _, ps := range g.parts {
				p := buildPart(cs, ps)
				parts = append(parts, p)
				conj = append(conj, p)
			}
			pat := join.All(conj...)
			var wg sync.WaitGroup
			for s, os := range offers {
				gs := make([]chanop.Guard, len(os))
				for i, c := range os {
					gs[i] = cs[c].SendOp(s)
				}
				wg.Go(func() { _, _ = selectx.Select(gs...) })
				synctest.Wait()
			}
			if got := pat.Ready(); got != want {
				t.Fatalf("seed %d: %v with offers %v: Ready = %v, brute force says %v", seed, g, offers, got, want)
			}
			if want {
				ready++
				if err := pat.Wait(); err != nil {
					t.Fatal(err)
				}
				gave := map[int]bool{}
				for pi, p := range parts {
					ps := g.parts[pi]
					want := len(ps.chans)
					switch ps.kind {
					case kindFromN:
						want = ps.n
					case kindAnyOf:
						want = ps.m
					}
					if len(p.Values()) != want {
						t.Fatalf("seed %d: part %v took %d messages", seed, ps, len(p.Values()))
					}
					for k, s := range p.Values() {
						c := ps.chans[p.Which()[k]]
						if gave[s] || !slices.Contains(offers[s], c) {
							t.Fatalf("seed %d: sender %d gave twice or on c%d, which it did not offer on %v", seed, s, c, offers[s])
						}
						gave[s] = true
					}
				}
			}
			closeAll(cs)
			wg.Wait()
		})
	}
	t.Logf("%d of 300 patterns could fire", ready)
}
