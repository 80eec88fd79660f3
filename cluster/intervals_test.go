package cluster

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestStabForest checks containing against a scan of every interval, on
// several documents at once.
func TestStabForest(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	for round := range 300 {
		n := r.IntN(120)
		occ := make([]Occurrence, n)
		var ids []int32
		for i := range occ {
			s := int32(r.IntN(100))
			occ[i] = oc(uint32(r.IntN(4)), s, s+int32(r.IntN(50)))
			if r.IntN(5) > 0 {
				ids = append(ids, int32(i))
			}
		}
		x, err := newStabForest(context.Background(), occ, slices.Clone(ids))
		if err != nil {
			t.Fatal(err)
		}
		for range 50 {
			doc := uint32(r.IntN(5))
			qs, qe := int32(r.IntN(120))-10, int32(r.IntN(160))-10
			var got, want []int32
			x.containing(doc, qs, qe, func(id int32) { got = append(got, id) })
			for _, i := range ids {
				if o := occ[i]; o.Doc == doc && o.Start <= qs && o.End >= qe {
					want = append(want, i)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Fatalf("round %d: containing(%d, %d, %d) = %v, want %v (intervals %v)", round, doc, qs, qe, got, want, occ)
			}
		}
	}
}
