package reword

import (
	"cmp"
	"context"
	"fmt"
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
		got := scanPair(t, ta, da, tb, db)
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

// TestAlignPairUnfinished checks that a pair whose one exact passage is
// found whole, without edits, but starts inside a sentence on both sides
// runs the reworded aligner around it: the copy goes on before it,
// reworded. A run that starts a sentence on one side does not: a quote
// taken from inside a sentence, or a copy of whole sentences.
func TestAlignPairUnfinished(t *testing.T) {
	s := newSynthetic(31, 1000)
	src, own := s.interleaved(60)
	ta, da := analyze(wordText(src))
	ctx := context.Background()
	for _, tc := range []struct {
		name      string
		inside    bool // the run starts inside a sentence on both sides
		wantFound bool
	}{
		{"run starts inside a sentence", true, true},
		{"run starts a sentence of B", false, false},
	} {
		// The exact aligner alone must find one run, not edited, after
		// the reworded sentences: seeds are tried until it does.
		var tb []shingle.Token
		var db Doc
		var rwFrom, rwTo int
		for seed := uint64(0); ; seed++ {
			if seed == 50 {
				t.Fatalf("%s: no copy with one verbatim run after reworded sentences: the test's texts need another seed", tc.name)
			}
			s.r = rand.New(rand.NewPCG(seed, 9))
			reworded := s.reword(src[20:26], 40)
			first := slices.Clone(src[26])
			if tc.inside {
				// The sentence's first words reworded, its last ones copied.
				first = slices.Concat(s.reword([][]string{first[:3]}, 100)[0], first[3:])
			} else {
				// Its last words copied as a sentence of their own: the run
				// starts inside a sentence of A only.
				first = first[3:]
			}
			tb, db = analyze(wordText(slices.Concat(own[:10], reworded, [][]string{first}, src[27:31], own[10:])))
			rwFrom = len(tokensOf(t, wordText(own[:10])))
			rwTo = rwFrom + len(tokensOf(t, wordText(reworded)))
			ex := align.New(align.Options{})
			ex.SetA(ta)
			spans, err := ex.Align(ctx, nil, tb)
			if err != nil {
				t.Fatal(err)
			}
			if len(spans) == 1 && spans[0].Matched == spans[0].AEnd-spans[0].AStart && spans[0].BStart >= int32(rwTo) {
				break
			}
		}
		got := scanPair(t, ta, da, tb, db)
		found := false
		for _, p := range got {
			found = found || p.BStart < int32(rwTo) && p.BEnd > int32(rwFrom)
		}
		if found != tc.wantFound {
			t.Errorf("%s: reworded sentences (tokens %d-%d of B) found %v, want %v: %v", tc.name, rwFrom, rwTo, found, tc.wantFound, got)
		}
	}
}

// scanPair aligns B with A as a scan's third stage does: AlignPair on
// B's seeds, the whole of B, default options.
func scanPair(t *testing.T, ta []shingle.Token, da Doc, tb []shingle.Token, db Doc) []Passage {
	t.Helper()
	pa := NewPairAligner(align.Options{}, Options{})
	pa.SetA(ta, da)
	seeds, _ := shingle.Seeds(nil, tb, pa.ExactOptions().Seed, nil)
	got, err := pa.AlignPair(context.Background(), nil, Pair{Seeds: seeds, Doc: db})
	if err != nil {
		t.Fatal(err)
	}
	return got
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

// sharedPhrases returns the places of the k-token phrases B shares with
// A, sorted by B: a pair's fingerprints at every place, as traces.
func sharedPhrases(ta, tb []shingle.Token, k int) []align.Anchor {
	key := func(ts []shingle.Token) [8]uint64 {
		var x [8]uint64
		for i, t := range ts {
			x[i] = t.Hash
		}
		return x
	}
	at := map[[8]uint64]int32{}
	for i := 0; i+k <= len(ta); i++ {
		if _, ok := at[key(ta[i:i+k])]; !ok {
			at[key(ta[i:i+k])] = int32(i)
		}
	}
	var out []align.Anchor
	for j := 0; j+k <= len(tb); j++ {
		if i, ok := at[key(tb[j:j+k])]; ok {
			out = append(out, align.Anchor{A: i, B: int32(j)})
		}
	}
	return out
}

// TestAlignPairTraces: a copy reworded throughout, which keeps no exact
// passage but a phrase of the pair's own (a trace) and shorter matches
// around it, is found through its traces, whether B's analysis is read
// whole (Pair.Load) or near the traces only (Pair.LoadNear); a pair that
// shares the phrase alone, or a trace inside text the evidence rejected,
// does not run the reworded aligner.
func TestAlignPairTraces(t *testing.T) {
	s := newSynthetic(21, 1000)
	src, own := s.interleaved(60)
	const k = 5
	ta, da := analyze(wordText(src))
	ctx := context.Background()
	exactAlone := func(tb []shingle.Token) (spans []align.Span, most int) {
		al := align.New(align.Options{})
		al.SetA(ta)
		spans, err := al.Align(ctx, nil, tb)
		if err != nil {
			t.Fatal(err)
		}
		return spans, al.MostMatched()
	}
	// The reworded copy: 40% of its words replaced, so that no run of
	// MinWords is left, and one phrase of the source kept whole.
	var reworded string
	var tb []shingle.Token
	var db Doc
	var traces []align.Anchor
	for seed := uint64(0); ; seed++ {
		if seed == 50 {
			t.Fatal("no reworded copy without an exact passage and with a trace: the test's texts need another seed")
		}
		s.r = rand.New(rand.NewPCG(seed, 3))
		part := s.reword(src[20:30], 40)
		part[4] = slices.Concat(part[4][:2], src[24][2:2+k], part[4][2+k:])
		reworded = wordText(slices.Concat(own[:20], part, own[30:]))
		tb, db = analyze(reworded)
		traces = sharedPhrases(ta, tb, k)
		if spans, most := exactAlone(tb); len(spans) == 0 && most > k && len(traces) > 0 {
			break
		}
	}
	// The phrase alone, in a text of words of its own.
	alone := make([][]string, 60)
	for i := range alone {
		for j := range 12 {
			alone[i] = append(alone[i], fmt.Sprintf("own%dx%d", i, j))
		}
	}
	alone[25] = slices.Concat(alone[25][:3], src[24][2:2+k], alone[25][3:])
	tAlone, dAlone := analyze(wordText(alone))
	if spans, most := exactAlone(tAlone); len(spans) != 0 || most > k {
		t.Fatalf("the phrase alone: exact spans %v, most matched %d; want none and at most %d", spans, most, k)
	}
	for _, tc := range []struct {
		name   string
		toks   []shingle.Token
		doc    Doc
		traces bool
		keep   func([]align.Span) []align.Span
		want   bool
	}{
		{"reworded copy, traces", tb, db, true, nil, true},
		{"reworded copy, no traces", tb, db, false, nil, false},
		{"the phrase alone, traces", tAlone, dAlone, true, nil, false},
	} {
		var tr []align.Anchor
		if tc.traces {
			tr = sharedPhrases(ta, tc.toks, k)
		}
		var got [2][]Passage
		for i, near := range []bool{false, true} {
			pa := NewPairAligner(align.Options{}, Options{})
			aSeeds, _ := shingle.Seeds(nil, ta, pa.ExactOptions().Seed, nil)
			pa.SetASeedsLater(aSeeds, len(ta), func(Doc) (Doc, error) { return da, nil })
			seeds, _ := shingle.Seeds(nil, tc.toks, pa.ExactOptions().Seed, nil)
			loads, nears := 0, 0
			p := Pair{Seeds: seeds, Traces: tr, TraceLen: k, Keep: tc.keep, Tokens: len(tc.toks),
				Load: func(Doc) (Doc, error) { loads++; return tc.doc, nil }}
			if near {
				rec := AppendDoc(nil, tc.doc)
				p.LoadNear = func(dst Doc, at []int32, radius int) (Doc, error) {
					nears++
					return ReadDocNear(dst, rec, at, radius)
				}
			}
			var err error
			if got[i], err = pa.AlignPair(ctx, nil, p); err != nil {
				t.Fatal(err)
			}
			if (len(got[i]) > 0) != tc.want {
				t.Errorf("%s (LoadNear %v): %d passages %v, want some: %v", tc.name, near, len(got[i]), got[i], tc.want)
			}
			// B is read once when the reworded aligner runs, never
			// otherwise (no passage would complete its sentences).
			if wantNear := near && tc.want; (nears > 0) != wantNear || (nears+loads == 1) != tc.want {
				t.Errorf("%s (LoadNear %v): B read %d times whole, %d near traces", tc.name, near, loads, nears)
			}
		}
		if !slices.Equal(got[0], got[1]) {
			t.Errorf("%s: with LoadNear %v, with Load %v", tc.name, got[1], got[0])
		}
	}
}

// TestTracesRejected: a trace inside an exact span the evidence rejected
// (boilerplate, a stock phrase) is no place to look for reworded text.
func TestTracesRejected(t *testing.T) {
	pa := NewPairAligner(align.Options{}, Options{})
	pa.rejected = []align.Span{{AStart: 10, AEnd: 30, BStart: 100, BEnd: 120}, {AStart: 50, AEnd: 60, BStart: 40, BEnd: 50}}
	got := pa.traces(nil, []align.Anchor{{A: 12, B: 5}, {A: 5, B: 110}, {A: 59, B: 70}, {A: 35, B: 60}, {A: 30, B: 120}})
	want := []align.Span{{AStart: 35, AEnd: 36, BStart: 60, BEnd: 61}, {AStart: 30, AEnd: 31, BStart: 120, BEnd: 121}}
	if !slices.Equal(got, want) {
		t.Errorf("traces = %v, want %v", got, want)
	}
}
