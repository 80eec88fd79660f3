package eval

import (
	"fmt"
	"testing"

	"github.com/reuse-tool/reuse/result"
)

// scaleInput is a truth of n cases (two per document pair) and a result
// that finds each case in two pieces, shifted by a few bytes, plus a false
// pair per hundred cases.
func scaleInput(n int) (*Truth, *result.Result) {
	t := &Truth{Schema: TruthSchema}
	r := &result.Result{}
	for i := 0; i < n/2; i++ {
		a, b := fmt.Sprintf("src/%06d.txt", i), fmt.Sprintf("sus/%06d.txt", i)
		t.Cases = append(t.Cases,
			Case{Class: ClassVerbatim, Source: a, SourceStart: 100, SourceEnd: 600, Target: b, TargetStart: 1000, TargetEnd: 1500},
			Case{Class: ClassLight, Source: a, SourceStart: 2000, SourceEnd: 2300, Target: b, TargetStart: 200, TargetEnd: 520})
		r.Pairs = append(r.Pairs, result.Pair{A: a, B: b, Passages: []result.Passage{
			{AStart: 2010, AEnd: 2300, BStart: 200, BEnd: 500},
			{AStart: 90, AEnd: 350, BStart: 990, BEnd: 1250},
			{AStart: 350, AEnd: 600, BStart: 1250, BEnd: 1500},
		}})
		if i%50 == 0 {
			r.Pairs = append(r.Pairs, result.Pair{A: a, B: fmt.Sprintf("sus/%06d.txt", i+1),
				Passages: []result.Passage{{AStart: 0, AEnd: 80, BStart: 0, BEnd: 80}}})
		}
	}
	return t, r
}

func BenchmarkScore(b *testing.B) {
	for _, n := range []int{1000, 100_000} {
		t, r := scaleInput(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Score(t, r)
			}
		})
	}
}
