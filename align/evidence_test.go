package align

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/reuse-tool/reuse/candidate"
	"github.com/reuse-tool/reuse/shingle"
)

// TestEvidenceKeep: the rules of Evidence.Keep, one case each, for
// documents 0 (A) and 1 (B) with MinWords 9 and shingles of 5 tokens.
// Document 0's tokens [100, 110) are boilerplate in every case that says
// so (widened by 2 tokens: [98, 112)).
func TestEvidenceKeep(t *testing.T) {
	span := func(start, end int32) Span {
		return Span{AStart: start, AEnd: end, BStart: start + 500, BEnd: end + 500, Matched: end - start}
	}
	tests := []struct {
		name   string
		sp     Span
		boil   bool
		rareA  []candidate.RareEntry // document 0's rare fingerprints
		shared []candidate.Anchor    // the fingerprints the pair shares
		want   bool
	}{
		{"long passage", span(0, 18), false, nil, nil, true},
		{"short passage, no rare fingerprint", span(0, 12), false, nil, nil, false},
		{"short passage, a fingerprint of 6 documents (12/2)", span(0, 12), false, []candidate.RareEntry{{Pos: 3, DF: 6}}, nil, true},
		{"short passage, a fingerprint of 7 documents", span(0, 12), false, []candidate.RareEntry{{Pos: 3, DF: 7}}, nil, false},
		{"short passage, the rare shingle reaching past it", span(0, 12), false, []candidate.RareEntry{{Pos: 8, DF: 2}}, nil, false},
		{"long passage, 9 words outside boilerplate", span(89, 112), true, nil, nil, true},
		{"long passage, 8 words outside boilerplate", span(90, 112), true, nil, nil, false},
		// Beside boilerplate with a shared fingerprint of the pair alone,
		// reaching outside it on both sides ([93, 98) and [593, 598) are
		// wholly outside; [94, 99) reaches 4 tokens past its widened
		// edge, [98, 103) none).
		{"beside boilerplate: a fingerprint of the pair alone outside it", span(90, 112), true, nil, []candidate.Anchor{{PosA: 93, PosB: 593, DF: 2}}, true},
		{"beside boilerplate: a shared fingerprint of 3 documents", span(90, 112), true, nil, []candidate.Anchor{{PosA: 93, PosB: 593, DF: 3}}, false},
		{"beside boilerplate: the pair's fingerprint reaching into it", span(90, 112), true, nil, []candidate.Anchor{{PosA: 94, PosB: 594, DF: 2}}, true},
		{"beside boilerplate: the pair's fingerprint reaching into it in B only", span(90, 112), true, nil, []candidate.Anchor{{PosA: 94, PosB: 598, DF: 2}}, false},
		{"beside boilerplate: the pair's fingerprint inside its uncertain edge", span(90, 112), true, nil, []candidate.Anchor{{PosA: 98, PosB: 598, DF: 2}}, false},
		{"beside boilerplate: the pair's fingerprint outside the passage", span(90, 112), true, nil, []candidate.Anchor{{PosA: 80, PosB: 580, DF: 2}}, false},
		{"beside boilerplate: the pair's fingerprint at a repeated place", span(90, 112), true, nil, []candidate.Anchor{{PosA: 93 | candidate.Repeated, PosB: 593, DF: 2}}, false},
		{"beside boilerplate: a rare fingerprint of A alone is not the pair's", span(93, 112), true, []candidate.RareEntry{{Pos: 93, DF: 2}}, nil, false},
	}
	for _, tt := range tests {
		e := Evidence{MinWords: 9, Shingle: 5, Rare: candidate.RareOf([][]candidate.RareEntry{tt.rareA, nil})}
		if tt.boil {
			e.AddBoilerplate(0, Range{Start: 100, End: 110}, 2)
			e.AddBoilerplate(1, Range{Start: 600, End: 610}, 2)
		}
		got := len(e.Keep(0, 1, []Span{tt.sp}, tt.shared)) == 1
		if got != tt.want {
			t.Errorf("%s: kept %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestEvidenceBoilerplate: the tokens outside boilerplate, as Keep counts
// them, against the count over each document's ranges kept in a map,
// with ranges that overlap, documents with none, and ranges added in
// order of document (as a scan adds them) or in any order.
func TestEvidenceBoilerplate(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for round := range 40 {
		const docs, tokens, widen = 12, 60, 2
		type added struct {
			doc uint32
			r   Range
		}
		var all []added
		for range rng.IntN(40) {
			start := rng.Int32N(tokens)
			all = append(all, added{uint32(rng.IntN(docs)), Range{start, start + 1 + rng.Int32N(10)}})
		}
		if round%2 == 0 {
			slices.SortStableFunc(all, func(x, y added) int { return cmp.Compare(x.doc, y.doc) })
		}
		var e Evidence
		ref := map[uint32][]Range{}
		for _, a := range all {
			e.AddBoilerplate(a.doc, a.r, widen)
			ref[a.doc] = append(ref[a.doc], Range{max(a.r.Start-widen, 0), a.r.End + widen})
		}
		for d := range uint32(docs + 2) {
			for range 20 {
				from := rng.Int32N(tokens)
				to := from + rng.Int32N(20)
				want := to - from
				for _, r := range ref[d] {
					if lo, hi := max(from, r.Start), min(to, r.End); hi > lo {
						want -= hi - lo
					}
				}
				if got := e.outside(d, from, to); got != max(want, 0) {
					t.Fatalf("round %d: document %d, [%d, %d): %d tokens outside, want %d (%v)", round, d, from, to, got, max(want, 0), ref[d])
				}
			}
		}
	}
}

// TestEvidenceMention: which passages Mention takes for a mention of a
// name, with MinWords 9 (short: under 18 matched words and tokens on each
// side). Counts are [other, function, name, content] words of a side.
func TestEvidenceMention(t *testing.T) {
	short := Span{AStart: 10, AEnd: 21, BStart: 40, BEnd: 51, Matched: 11}
	attribution := shingle.Words{Classes: [4]int32{0, 5, 4, 1}} // "Jane Doe, the spokeswoman of the Harbour Board, said that"
	quote := shingle.Words{Classes: [4]int32{0, 6, 0, 5}}       // "the harbour will stay closed until the storm has passed"
	quoted := attribution                                       // `"Jane Doe, the spokeswoman of the Harbour Board, said that`
	quoted.Quoted = true
	words := func(c [4]int32) shingle.Words { return shingle.Words{Classes: c} }
	tests := []struct {
		name string
		sp   Span
		a, b shingle.Words
		want bool
	}{
		{"an attribution on both sides", short, attribution, attribution, true},
		{"names and no content word", short, words([4]int32{1, 3, 7, 0}), words([4]int32{1, 3, 7, 0}), true},
		{"a quote", short, quote, quote, false},
		{"an attribution quoted in B", short, attribution, quoted, false},
		{"an attribution quoted in A", short, quoted, attribution, false},
		{"two content words on a side", short, attribution, words([4]int32{0, 4, 4, 2}), false},
		{"one name", short, words([4]int32{0, 8, 1, 1}), words([4]int32{0, 8, 1, 1}), false},
		{"upper case on one side only (reformatted)", short, attribution, words([4]int32{5, 5, 0, 0}), false},
		{"18 matched words", Span{AStart: 0, AEnd: 18, BStart: 0, BEnd: 18, Matched: 18}, attribution, attribution, false},
		{"few matched words over 18 tokens of A", Span{AStart: 0, AEnd: 18, BStart: 0, BEnd: 12, Matched: 10}, attribution, attribution, false},
		{"few matched words over 18 tokens of B", Span{AStart: 0, AEnd: 12, BStart: 0, BEnd: 18, Matched: 10}, attribution, attribution, false},
	}
	// Every passage holds a fingerprint of 2 documents in A: Keep keeps
	// it, and Filter drops it when it is a mention.
	e := Evidence{MinWords: 9, Shingle: 5, Rare: candidate.RareOf([][]candidate.RareEntry{{{Pos: 2, DF: 2}, {Pos: 12, DF: 2}}, nil})}
	for _, tt := range tests {
		if got := e.Mention(tt.sp, tt.a, tt.b); got != tt.want {
			t.Errorf("%s: Mention = %v, want %v", tt.name, got, tt.want)
		}
		counts := func(w shingle.Words) func(int, int) shingle.Words { return func(int, int) shingle.Words { return w } }
		kept := len(e.Filter(0, 1, []Span{tt.sp}, nil, counts(tt.a), counts(tt.b))) == 1
		if kept == tt.want {
			t.Errorf("%s: Filter kept it %v, want %v", tt.name, kept, !tt.want)
		}
	}
}

// TestEvidenceQuotation: passages Keep drops (short, with no rare
// fingerprint; or beside boilerplate) that Filter keeps because a side
// is a quotation, and those it still drops, with MinWords 9. Passages
// span tokens [0, n) of A and [500, 500+n) of B.
func TestEvidenceQuotation(t *testing.T) {
	span := func(n, matched int32) Span {
		return Span{AStart: 0, AEnd: n, BStart: 500, BEnd: 500 + n, Matched: matched}
	}
	bare := shingle.Words{Classes: [4]int32{0, 5, 0, 7}}
	quotation := func(n int32) shingle.Words { w := bare; w.Quotation = n; return w }
	tests := []struct {
		name string
		sp   Span
		boil bool
		a, b shingle.Words
		want bool
	}{
		{"bare on both sides", span(12, 12), false, bare, bare, false},
		{"B quotes all of it", span(12, 12), false, bare, quotation(12), true},
		{"A quotes all of it", span(12, 12), false, quotation(12), bare, true},
		{"B quotes all but two words of its frame", span(12, 12), false, bare, quotation(10), true},
		{"B quotes all but three words", span(12, 12), false, bare, quotation(9), false},
		{"a quotation of 8 words", span(10, 10), false, bare, quotation(8), false},
		{"quoted, but 8 words matched", span(10, 8), false, bare, quotation(10), false},
		{"beside boilerplate, bare", span(12, 12), true, bare, bare, false},
		{"beside boilerplate, quoted", span(12, 12), true, bare, quotation(12), true},
		{"long, beside boilerplate, quoted", span(24, 24), true, quotation(23), bare, true},
	}
	for _, tt := range tests {
		e := Evidence{MinWords: 9, Shingle: 5}
		if tt.boil {
			e.AddBoilerplate(0, Range{Start: 3, End: 20}, 2)
		}
		if got := len(e.Keep(0, 1, []Span{tt.sp}, nil)); got != 0 {
			t.Fatalf("%s: Keep kept it: not a case for the quotation rule", tt.name)
		}
		if got := e.Quotation(tt.sp, tt.a, tt.b); got != tt.want {
			t.Errorf("%s: Quotation = %v, want %v", tt.name, got, tt.want)
		}
		counts := func(w shingle.Words) func(int, int) shingle.Words { return func(int, int) shingle.Words { return w } }
		if kept := len(e.Filter(0, 1, []Span{tt.sp}, nil, counts(tt.a), counts(tt.b))) == 1; kept != tt.want {
			t.Errorf("%s: Filter kept it %v, want %v", tt.name, kept, tt.want)
		}
	}
}

func TestFragment(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, b shingle.Words
		want bool
	}{
		{"mid-sentence to mid-sentence", shingle.Words{}, shingle.Words{}, true},
		{"begins a sentence in A", shingle.Words{Opens: true}, shingle.Words{}, false},
		{"begins a sentence in B", shingle.Words{}, shingle.Words{Opens: true}, false},
		{"ends a sentence on both sides", shingle.Words{Closes: true}, shingle.Words{Closes: true}, false},
		{"ends a sentence in A only", shingle.Words{Closes: true}, shingle.Words{}, true},
		{"quoted in A", shingle.Words{Quoted: true}, shingle.Words{}, false},
		{"quoted in B", shingle.Words{}, shingle.Words{Quoted: true}, false},
	} {
		if got := Fragment(tc.a, tc.b); got != tc.want {
			t.Errorf("%s: Fragment(%+v, %+v) = %v, want %v", tc.name, tc.a, tc.b, got, tc.want)
		}
	}
}

// TestEvidenceSentenceEdges: with SentenceEdges, a short passage kept by
// Keep is dropped when it is a Fragment of two documents that read as
// prose, and kept when it begins a sentence or either document is not
// prose (code has no sentences); a long one is kept either way; without
// SentenceEdges, nothing changes.
func TestEvidenceSentenceEdges(t *testing.T) {
	short := Span{AStart: 10, AEnd: 20, BStart: 30, BEnd: 40, Matched: 10}
	long := Span{AStart: 10, AEnd: 40, BStart: 30, BEnd: 60, Matched: 30}
	content := shingle.Words{Classes: [4]int32{shingle.ContentWord: 10}}
	opens := content
	opens.Opens = true
	both := func(uint32) bool { return true }
	onlyA := func(d uint32) bool { return d == 0 }
	onlyB := func(d uint32) bool { return d == 1 }
	for _, tc := range []struct {
		edges bool
		prose func(uint32) bool
		span  Span
		words shingle.Words
		kept  bool
	}{
		{true, nil, short, content, false},
		{true, both, short, content, false},
		{true, onlyA, short, content, true},
		{true, onlyB, short, content, true},
		{true, nil, short, opens, true},
		{true, both, long, content, true},
		{false, both, short, content, true},
	} {
		// A fingerprint of the pair alone inside both spans: Keep keeps
		// the short one.
		rare := candidate.RareOf([][]candidate.RareEntry{{{Pos: 12, DF: 2}}, {{Pos: 32, DF: 2}}})
		e := &Evidence{MinWords: 9, Shingle: 5, Rare: rare, SentenceEdges: tc.edges, Prose: tc.prose}
		words := func(int, int) shingle.Words { return tc.words }
		got := e.Filter(0, 1, []Span{tc.span}, nil, words, words)
		if kept := len(got) == 1; kept != tc.kept {
			prose := "nil"
			if tc.prose != nil {
				prose = fmt.Sprint(tc.prose(0), tc.prose(1))
			}
			t.Errorf("SentenceEdges %v, prose %s, span %+v, words %+v: kept %v, want %v", tc.edges, prose, tc.span, tc.words, kept, tc.kept)
		}
	}
}
