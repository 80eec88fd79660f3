package assemble

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/index"
)

// TestToBytes checks toBytes, which reads each document's record once
// for the members of all families, against converting each member on its
// own: families whose members interleave over the example corpus's
// documents, boilerplate ones widened, empty ones between.
func TestToBytes(t *testing.T) {
	x, err := index.Build(context.Background(), []string{"../testdata/corpus"}, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(x.Close)
	r := rand.New(rand.NewPCG(7, 8))
	randomOcc := func(d uint32) cluster.Occurrence {
		n := int32(x.Words(d))
		start := r.Int32N(n)
		return cluster.Occurrence{Doc: d, Start: start, End: start + 1 + r.Int32N(n-start)}
	}
	var fams []cluster.Family
	var boilerplate []bool
	wide := &widened{changed: make([][]change, 2)}
	for f := range 300 {
		var fam cluster.Family
		if f%7 != 3 { // every seventh family empty
			for range 1 + r.IntN(12) {
				fam.Members = append(fam.Members, randomOcc(r.Uint32N(uint32(x.Len()))))
			}
		}
		slices.SortFunc(fam.Members, compareOccurrences)
		fam.Members = slices.Compact(fam.Members)
		b := f%3 == 0
		if b {
			for _, o := range fam.Members {
				if r.IntN(2) == 0 {
					p := &wide.changed[r.IntN(2)]
					*p = append(*p, change{was: o, is: randomOcc(o.Doc)})
				}
			}
		}
		fams = append(fams, fam)
		boilerplate = append(boilerplate, b)
	}
	for _, part := range wide.changed {
		slices.SortFunc(part, func(a, b change) int { return compareOccurrences(a.was, b.was) })
	}
	// The reference: each member's record read for it alone.
	reader := x.NewSeedReader()
	var want [][][2]int
	for f, fam := range fams {
		var got [][2]int
		for _, o := range fam.Members {
			if boilerplate[f] {
				o = wide.member(o)
			}
			v, err := reader.TokenView(o.Doc)
			if err != nil {
				t.Fatal(err)
			}
			start, end, err := MemberBytes(v, o.Start, o.End)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, [2]int{start, end})
		}
		want = append(want, got)
	}
	if err := toBytes(context.Background(), x, fams, boilerplate, wide, 2); err != nil {
		t.Fatal(err)
	}
	for f, fam := range fams {
		for m, o := range fam.Members {
			got := memberOf(x.ID(o.Doc), o)
			if got.Doc != x.ID(o.Doc) || got.Start != want[f][m][0] || got.End != want[f][m][1] {
				t.Fatalf("family %d member %d = %+v, want bytes %v", f, m, got, want[f][m])
			}
		}
	}
}
