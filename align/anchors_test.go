package align

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"
)

// bruteAnchors lists, for every position j of b where the k tokens from j
// also occur in a, an Anchor: the place in a, or -1 when they occur more
// than once (as the shuffle gives the places of shared fingerprints).
func bruteAnchors(a, b []uint64, k int) []Anchor {
	var out []Anchor
	for j := 0; j+k <= len(b); j++ {
		at := -1
		n := 0
		for i := 0; i+k <= len(a); i++ {
			if slices.Equal(a[i:i+k], b[j:j+k]) {
				at, n = i, n+1
			}
		}
		if n > 1 {
			at = -1
		}
		if n > 0 {
			out = append(out, Anchor{A: int32(at), B: int32(j)})
		}
	}
	return out
}

// alignAnchored aligns b against the indexed a with the given anchors.
func alignAnchored(al *Aligner, b []uint64, anchors []Anchor) []Span {
	seeds := seedsOf(toTokens(b), al.Options().Seed)
	spans, err := al.AlignSeeds(context.Background(), nil, seeds, anchors)
	if err != nil {
		panic(err)
	}
	return spans
}

// TestAnchorsEverywhere: anchors at every position of B scan all of it:
// the same passages as no anchors.
func TestAnchorsEverywhere(t *testing.T) {
	forRandomPairs(func(opt Options, a, b []uint64, spans []Span) bool {
		al := New(opt)
		al.SetA(toTokens(a))
		var all []Anchor
		for j := range b {
			all = append(all, Anchor{A: -1, B: int32(j)})
		}
		if got := alignAnchored(al, b, all); !slices.Equal(got, spans) {
			t.Errorf("opt %+v: Align(%v, %v) anchored everywhere = %v, unanchored %v", opt, a, b, got, spans)
			return false
		}
		return true
	})
}

// TestAnchorsCoverage: with anchors at the places of B's 5-token runs
// found in A (the shared fingerprints), every common run the aligner
// cannot miss (see TestAlignBruteCoverage) is still found, and nothing
// found breaks Align's promises.
func TestAnchorsCoverage(t *testing.T) {
	checked := 0
	forRandomPairs(func(opt Options, a, b []uint64, _ []Span) bool {
		al := New(opt)
		al.SetA(toTokens(a))
		anchors := bruteAnchors(a, b, 5)
		spans := alignAnchored(al, b, anchors)
		o := opt
		o.MinWords = 0
		if !checkSpans(t, spans, len(a), len(b), o) {
			return false
		}
		all := bruteCommon(a, b, opt.MinWords)
		for _, c := range all {
			if c.n < max(opt.MinWords+opt.Seed, 5) {
				continue
			}
			if slices.ContainsFunc(all, func(d commonRun) bool {
				return d.a-d.b != c.a-c.b &&
					(coveredBy(c.a, c.n, int32(d.a), int32(d.a+d.n)) > 0 || coveredBy(c.b, c.n, int32(d.b), int32(d.b+d.n)) > 0)
			}) || repeatsTooOften(a, c, opt) {
				continue
			}
			checked++
			if !slices.ContainsFunc(spans, func(s Span) bool {
				return 10*coveredBy(c.a, c.n, s.AStart, s.AEnd) >= 9*c.n && 10*coveredBy(c.b, c.n, s.BStart, s.BEnd) >= 9*c.n
			}) {
				t.Errorf("opt %+v: Align(%v, %v) with anchors %v = %v: common run A[%d:%d] = B[%d:%d] not covered",
					opt, a, b, anchors, spans, c.a, c.a+c.n, c.b, c.b+c.n)
				return false
			}
		}
		return true
	})
	t.Logf("%d common runs checked", checked)
}

// TestAnchorsWindow: a long B sharing one sentence with A far from its
// start is aligned through a window around the anchor, with the same
// passage as a scan of all of B.
func TestAnchorsWindow(t *testing.T) {
	r := rand.New(rand.NewPCG(41, 42))
	a := make([]uint64, 300)
	b := make([]uint64, 20000)
	for i := range a {
		a[i] = uint64(1000 + r.IntN(1_000_000))
	}
	for i := range b {
		b[i] = uint64(2_000_000 + r.IntN(1_000_000))
	}
	copy(b[15000:15040], a[100:140])
	b[15020] = 7 // an edit
	al := New(Options{})
	al.SetA(toTokens(a))
	want := alignOf(al, nil, toTokens(b))
	got := alignAnchored(al, b, bruteAnchors(a, b, 5))
	if len(want) != 1 || !slices.Equal(got, want) {
		t.Fatalf("anchored = %v, unanchored %v; want the same one passage", got, want)
	}
}
