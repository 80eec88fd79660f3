package reword

import (
	"context"
	"slices"
	"testing"

	"github.com/reuse-tool/reuse/align"
	"github.com/reuse-tool/reuse/shingle"
)

// TestAlignPair checks what a scan's inputs change: the filter of exact
// spans, and when the reworded aligner runs.
func TestAlignPair(t *testing.T) {
	s := newSynthetic(11, 1000)
	var src, own [][]string
	for range 30 {
		src = append(src, s.sentence())
		own = append(own, s.sentence())
	}
	copied := slices.Concat(own[:10], src[5:11], own[10:]) // verbatim
	reworded := slices.Concat(own[:10], s.reword(src[5:11], 30), own[10:])
	ta, da := analyze(wordText(src))
	pa := NewPairAligner(align.Options{}, Options{})
	pa.SetA(ta, da)
	ctx := context.Background()
	none := func(s []align.Span) []align.Span { return s[:0] }
	k := NewKeyer(KeyOptions{})
	keysA := k.Keys(nil, da)
	run := func(text string, keyed bool, keep func([]align.Span) []align.Span) []Passage {
		tb, db := analyze(text)
		seeds, _ := shingle.Seeds(nil, tb, pa.ExactOptions().Seed, nil)
		var keys []align.Anchor
		if keyed {
			keys = sharedPlaces(nil, keysA, k.Keys(nil, db))
		}
		out, err := pa.AlignPair(ctx, nil, Pair{Seeds: seeds, Doc: db, Keys: keys, Keep: keep})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	for _, tc := range []struct {
		name   string
		text   string
		keyed  bool
		keep   func([]align.Span) []align.Span
		passes bool
	}{
		{"verbatim copy", wordText(copied), false, nil, true},
		// The corpus says the copied text is no evidence (boilerplate):
		// the reworded aligner, which finds it too, must not bring it back.
		{"verbatim copy rejected", wordText(copied), true, none, false},
		{"reworded copy, keyed", wordText(reworded), true, nil, true},
		// Neither keys nor an exact passage: the reworded aligner is not run.
		{"reworded copy, not keyed, no exact passage", wordText(reworded), false, none, false},
	} {
		if got := run(tc.text, tc.keyed, tc.keep); (len(got) > 0) != tc.passes {
			t.Errorf("%s: %d passages %v, want some: %v", tc.name, len(got), got, tc.passes)
		}
	}
}

// TestAlignPairLoad: with Pair.Load in place of Pair.Doc, AlignPair
// reads B's analysis only when the reworded aligner runs, and finds what
// it finds with the Doc given; a verbatim copy found whole, with no key
// outside it, does not run it (nothing is left to reword).
func TestAlignPairLoad(t *testing.T) {
	s := newSynthetic(12, 1000)
	var src, own [][]string
	for range 30 {
		src = append(src, s.sentence())
		own = append(own, s.sentence())
	}
	copied := slices.Concat(own[:10], src[5:11], own[10:])
	reworded := slices.Concat(own[:10], s.reword(src[5:11], 30), own[10:])
	ta, da := analyze(wordText(src))
	k := NewKeyer(KeyOptions{})
	keysA := k.Keys(nil, da)
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		text  string
		keyed bool
		loads int
	}{
		{"verbatim copy", wordText(copied), false, 0},
		{"reworded copy, keyed", wordText(reworded), true, 1},
	} {
		tb, db := analyze(tc.text)
		var keys []align.Anchor
		if tc.keyed {
			keys = sharedPlaces(nil, keysA, k.Keys(nil, db))
		}
		eager := NewPairAligner(align.Options{}, Options{})
		eager.SetA(ta, da)
		seeds, _ := shingle.Seeds(nil, tb, eager.ExactOptions().Seed, nil)
		want, err := eager.AlignPair(ctx, nil, Pair{Seeds: seeds, Doc: db, Keys: keys})
		if err != nil {
			t.Fatal(err)
		}
		lazy := NewPairAligner(align.Options{}, Options{})
		aSeeds, _ := shingle.Seeds(nil, ta, lazy.ExactOptions().Seed, nil)
		loadsA, loadsB := 0, 0
		lazy.SetASeedsLater(aSeeds, len(ta), func(Doc) (Doc, error) { loadsA++; return da, nil })
		got, err := lazy.AlignPair(ctx, nil, Pair{Seeds: seeds, Keys: keys, Tokens: len(tb),
			Load: func(Doc) (Doc, error) { loadsB++; return db, nil }})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) || len(got) == 0 {
			t.Errorf("%s: AlignPair with Load = %v, with Doc = %v (want equal, not empty)", tc.name, got, want)
		}
		if loadsA != tc.loads || loadsB != tc.loads {
			t.Errorf("%s: A loaded %d times, B %d; want %d", tc.name, loadsA, loadsB, tc.loads)
		}
	}
}
