package reword

import (
	"cmp"
	"context"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/reuse-tool/reuse/align"
	"github.com/reuse-tool/reuse/shingle"
)

// TestAlignPair checks what a scan's inputs change: the filter of exact
// spans, and when the reworded aligner runs.
func TestAlignPair(t *testing.T) {
	s := newSynthetic(11, 1000)
	src, own := s.interleaved(30)
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
// reads the analyses once, only when the pair has passages (to complete
// their sentences) or the reworded aligner runs, and finds what it finds
// with the Doc given. A verbatim copy found whole, with no key outside
// it, does not run the reworded aligner (nothing is left to reword),
// but its passage's sentences are completed; a pair with nothing in
// common reads nothing.
func TestAlignPairLoad(t *testing.T) {
	s := newSynthetic(12, 1000)
	src, own := s.interleaved(30)
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
		{"verbatim copy", wordText(copied), false, 1},
		{"reworded copy, keyed", wordText(reworded), true, 1},
		{"nothing in common", wordText(own), false, 0},
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
		if !slices.Equal(got, want) || (len(got) == 0) != (tc.loads == 0) {
			t.Errorf("%s: AlignPair with Load = %v, with Doc = %v (want equal, empty only with nothing in common)", tc.name, got, want)
		}
		if loadsA != tc.loads || loadsB != tc.loads {
			t.Errorf("%s: A loaded %d times, B %d; want %d", tc.name, loadsA, loadsB, tc.loads)
		}
	}
}

// TestAlignPairNotAnalyzed: a document that was not analyzed (Pair.Load
// or A's load gives an empty Doc: it does not read as prose) gets the
// exact passages alone, as an exact aligner finds them, and B is not read
// when A was not analyzed.
func TestAlignPairNotAnalyzed(t *testing.T) {
	ta, da, tb, db := plantedPair(13, 30, 10, 5, 11, 30)
	k := NewKeyer(KeyOptions{})
	keys := sharedPlaces(nil, k.Keys(nil, da), k.Keys(nil, db))
	ctx := context.Background()
	ex := align.New(align.Options{})
	ex.SetA(ta)
	exact, err := ex.Align(ctx, nil, tb)
	if err != nil || len(exact) == 0 {
		t.Fatalf("the exact aligner found %v, %v: the test needs exact passages", exact, err)
	}
	for _, tc := range []struct {
		name       string
		a, b       Doc
		wantLoadsB int
	}{
		{"analyzed", da, db, 1},
		{"A not analyzed", Doc{}, db, 0},
		{"B not analyzed", da, Doc{}, 1},
	} {
		pa := NewPairAligner(align.Options{}, Options{})
		aSeeds, _ := shingle.Seeds(nil, ta, pa.ExactOptions().Seed, nil)
		bSeeds, _ := shingle.Seeds(nil, tb, pa.ExactOptions().Seed, nil)
		pa.SetASeedsLater(aSeeds, len(ta), func(Doc) (Doc, error) { return tc.a, nil })
		loadsB := 0
		got, err := pa.AlignPair(ctx, nil, Pair{Seeds: bSeeds, Keys: keys, Tokens: len(tb),
			Load: func(Doc) (Doc, error) { loadsB++; return tc.b, nil }})
		if err != nil {
			t.Fatal(err)
		}
		if loadsB != tc.wantLoadsB {
			t.Errorf("%s: B loaded %d times, want %d", tc.name, loadsB, tc.wantLoadsB)
		}
		reworded := 0
		for _, p := range got {
			if p.Kind != Exact {
				reworded++
			}
		}
		if tc.name == "analyzed" {
			if reworded == 0 {
				t.Errorf("%s: no reworded passage in %v: the test checks nothing", tc.name, got)
			}
			continue
		}
		if reworded > 0 || len(got) != len(exact) {
			t.Errorf("%s: %v, want the exact passages alone %v", tc.name, got, exact)
		}
		for i := range min(len(got), len(exact)) {
			if e := exact[i]; got[i].AStart != e.AStart || got[i].AEnd != e.AEnd || got[i].BStart != e.BStart || got[i].BEnd != e.BEnd {
				t.Errorf("%s: passage %d %+v, want the exact span %+v", tc.name, i, got[i], e)
			}
		}
	}
}

// TestAlignPairShowsRewording: a pair with an edited exact passage shows
// rewording, and the reworded aligner then runs on all of it: a second
// reworded copy in the same pair, far from the first and without an exact
// run of its own, is found too. Without the edited passage (the first
// copy verbatim) the reworded aligner does not run, and it is not.
func TestAlignPairShowsRewording(t *testing.T) {
	s := newSynthetic(14, 1000)
	src, own := s.interleaved(60)
	edited := s.reword(src[2:8], 8)
	edited[1] = slices.Clone(src[3]) // an exact run inside
	// The same words in another order: no exact run, the same term sets.
	var far [][]string
	for _, st := range src[40:46] {
		st = slices.Clone(st)
		s.r.Shuffle(len(st), func(i, j int) { st[i], st[j] = st[j], st[i] })
		far = append(far, st)
	}
	ta, da := analyze(wordText(src))
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		first [][]string
		want  bool
	}{
		{"first copy edited", edited, true},
		{"first copy verbatim", src[2:8], false},
	} {
		b := slices.Concat(own[:5], tc.first, own[5:40], far, own[40:])
		tb, db := analyze(wordText(b))
		farFrom := len(tokensOf(t, wordText(slices.Concat(own[:5], tc.first, own[5:40]))))
		farTo := farFrom + len(tokensOf(t, wordText(far)))
		pa := NewPairAligner(align.Options{}, Options{})
		pa.SetA(ta, da)
		seeds, _ := shingle.Seeds(nil, tb, pa.ExactOptions().Seed, nil)
		got, err := pa.AlignPair(ctx, nil, Pair{Seeds: seeds, Doc: db})
		if err != nil {
			t.Fatal(err)
		}
		foundFar, exactFar := false, false
		for _, p := range got {
			if p.BEnd > int32(farFrom) && p.BStart < int32(farTo) {
				foundFar = true
				exactFar = exactFar || p.Kind == Exact
			}
		}
		if exactFar {
			t.Fatalf("%s: an exact passage in the far copy: the test needs one without (%v)", tc.name, got)
		}
		if foundFar != tc.want {
			t.Errorf("%s: far reworded copy (tokens %d-%d of B) found %v, want %v: %v", tc.name, farFrom, farTo, foundFar, tc.want, got)
		}
	}
}

// tokensOf tokenizes text as the analysis does.
func tokensOf(t *testing.T, text string) []shingle.Token {
	t.Helper()
	toks, _ := analyze(text)
	return toks
}

// TestInsideSpans checks insideA and insideB, which places uses to tell
// the keys outside the exact passages, against a loop over every span.
func TestInsideSpans(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 500 {
		ps := randomPassages(r, 1+r.IntN(200), 1+r.IntN(200), 1+r.IntN(12))
		var spans []align.Span
		for _, p := range ps {
			spans = append(spans, align.Span{AStart: p.AStart, AEnd: p.AEnd, BStart: p.BStart, BEnd: p.BEnd})
		}
		byB := slices.Clone(spans)
		slices.SortFunc(byB, func(x, y align.Span) int { return cmp.Compare(x.BStart, y.BStart) })
		for tok := int32(-1); tok < 210; tok++ {
			var inA, inB bool
			for _, s := range spans {
				inA = inA || tok >= s.AStart && tok < s.AEnd
				inB = inB || tok >= s.BStart && tok < s.BEnd
			}
			if got := insideA(spans, tok); got != inA {
				t.Fatalf("insideA(%v, %d) = %v, want %v", spans, tok, got, inA)
			}
			if got := insideB(byB, tok); got != inB {
				t.Fatalf("insideB(%v, %d) = %v, want %v", byB, tok, got, inB)
			}
		}
	}
}
