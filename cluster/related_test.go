package cluster

import (
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestRelated checks Related against a comparison of every two members
// of random families over a few documents, long members among many short
// ones included.
func TestRelated(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	related, unrelated := 0, 0
	for round := range 400 {
		fams := make([]Family, 1+r.IntN(12))
		for f := range fams {
			for range 1 + r.IntN(6) {
				s := int32(r.IntN(300))
				n := int32(1 + r.IntN(40))
				if r.IntN(8) == 0 {
					n = int32(100 + r.IntN(200)) // one long member spanning many
				}
				fams[f].Members = append(fams[f].Members, oc(uint32(r.IntN(3)), s, s+n))
			}
		}
		chosen, skip := make([]bool, len(fams)), make([]bool, len(fams))
		for f := range fams {
			chosen[f] = r.IntN(3) == 0
			skip[f] = !chosen[f] && r.IntN(5) == 0
		}
		want := make([]bool, len(fams))
		wantLinks := map[[2]int32]bool{} // (chosen, related)
		for f, fam := range fams {
			for g, host := range fams {
				if skip[f] || !chosen[g] {
					continue
				}
				for _, o := range fam.Members {
					for _, h := range host.Members {
						if o.Doc == h.Doc && (Inside(o, h) || Inside(h, o)) {
							want[f] = true
							wantLinks[[2]int32{int32(g), int32(f)}] = true
						}
					}
				}
			}
		}
		if got := Related(fams, chosen, skip); !slices.Equal(got, want) {
			t.Fatalf("round %d: Related = %v, want %v\nchosen %v, skip %v, families %v", round, got, want, chosen, skip, fams)
		}
		links := map[[2]int32]bool{}
		Relate(fams, chosen, skip, func(f, g int32) { links[[2]int32{f, g}] = true })
		if !maps.Equal(links, wantLinks) {
			t.Fatalf("round %d: Relate links %v, want %v\nchosen %v, skip %v, families %v", round, links, wantLinks, chosen, skip, fams)
		}
		for f, w := range want {
			if w {
				related++
			} else if !skip[f] {
				unrelated++
			}
		}
	}
	if related < 200 || unrelated < 200 {
		t.Errorf("%d families related, %d not: the test needs many of both", related, unrelated)
	}
}
