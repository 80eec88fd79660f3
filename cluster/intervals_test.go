package cluster

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestStabIndex checks containing against a scan of every interval.
func TestStabIndex(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	for round := range 300 {
		n := r.IntN(70)
		occ := make([]Occurrence, n)
		ids := make([]int32, n)
		for i := range occ {
			s := int32(r.IntN(100))
			occ[i] = oc(0, s, s+int32(r.IntN(50)))
			ids[i] = int32(i)
		}
		x := newStabIndex(occ, ids)
		for range 50 {
			qs, qe := int32(r.IntN(120))-10, int32(r.IntN(160))-10
			var got, want []int32
			x.containing(qs, qe, func(id int32) { got = append(got, id) })
			for i, o := range occ {
				if o.Start <= qs && o.End >= qe {
					want = append(want, int32(i))
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Fatalf("round %d: containing(%d, %d) = %v, want %v (intervals %v)", round, qs, qe, got, want, occ)
			}
		}
	}
}
