package cluster

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestStabTree checks containing against a scan of every interval, with
// one tree reset for document after document, small and large, so that
// what a larger tree left in its scratch must not be reported.
func TestStabTree(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	var x stabTree
	for round := range 600 {
		n := r.IntN(120)
		if round%7 == 0 {
			n = r.IntN(3)
		}
		occ := make([]Occurrence, n)
		var ids []int32
		for i := range occ {
			s := int32(r.IntN(100))
			occ[i] = oc(7, s, s+int32(r.IntN(50)))
			if r.IntN(5) > 0 {
				ids = append(ids, int32(i))
			}
		}
		slices.SortFunc(ids, func(a, b int32) int { return cmp.Compare(occ[a].Start, occ[b].Start) })
		x.reset(occurrences{boiler: occ}, ids)
		for range 50 {
			qs, qe := int32(r.IntN(120))-10, int32(r.IntN(160))-10
			var got, want []int32
			x.containing(qs, qe, func(id int32) { got = append(got, id) })
			if !slices.IsSortedFunc(got, func(a, b int32) int { return cmp.Compare(occ[a].Start, occ[b].Start) }) {
				t.Fatalf("round %d: containing(%d, %d) = %v, not in order of start", round, qs, qe, got)
			}
			for _, i := range ids {
				if o := occ[i]; o.Start <= qs && o.End >= qe {
					want = append(want, i)
				}
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("round %d: containing(%d, %d) = %v, want %v (intervals %v of %v)", round, qs, qe, got, want, ids, occ)
			}
		}
	}
}
