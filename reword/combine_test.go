package reword

import (
	"slices"
	"testing"

	"github.com/reuse-tool/reuse/align"
)

// docOf returns a Doc of n tokens, all content words, with sentences
// starting at starts.
func docOf(n int, starts ...int32) *Doc {
	d := hashDoc(termsOf(n, 1), starts)
	return &d
}

// termsOf returns n distinct terms from first on.
func termsOf(n int, first uint32) []uint32 {
	terms := make([]uint32, n)
	for i := range terms {
		terms[i] = first + uint32(i)
	}
	return terms
}

func TestCombine(t *testing.T) {
	// Both documents: 100 tokens, sentences of 10; every token of A its
	// own term, B's tokens other terms except where a case copies A.
	sents := []int32{0, 10, 20, 30, 40, 50, 60, 70, 80, 90}
	a := docOf(100, sents...)
	ex := func(a0, a1, b0, b1 int32) align.Span {
		return align.Span{AStart: a0, AEnd: a1, BStart: b0, BEnd: b1, Matched: min(a1-a0, b1-b0)}
	}
	rw := func(a0, a1, b0, b1 int32) Passage {
		return Passage{AStart: a0, AEnd: a1, BStart: b0, BEnd: b1, Similarity: 0.5, Kind: Reworded}
	}
	type box [4]int32
	for _, tc := range []struct {
		name     string
		exact    []align.Span
		reworded []Passage
		copies   []box // B[2:3] holds the terms of A[0:1]
		want     []box
	}{
		{"exact alone", []align.Span{ex(12, 28, 42, 58)}, nil, nil, []box{{12, 28, 42, 58}}},
		{"reworded alone", nil, []Passage{rw(10, 30, 40, 60)}, nil, []box{{10, 30, 40, 60}}},
		// A reworded passage around an exact one that starts and ends
		// inside its first and last sentences, whose pieces outside the
		// run share nothing: the exact bounds win.
		{"exact bounds win inside a sentence", []align.Span{ex(12, 28, 42, 58)},
			[]Passage{rw(10, 30, 40, 60)}, []box{{12, 28, 42, 58}}, []box{{12, 28, 42, 58}}},
		// The pieces share one term only: a word the writer repeats.
		{"pieces share one term", []align.Span{ex(12, 28, 42, 58)},
			[]Passage{rw(10, 30, 40, 60)}, []box{{11, 28, 41, 58}}, []box{{12, 28, 42, 58}}},
		// The pieces before and after the run share PieceTerms terms on
		// both sides: the sentences' heads and tails reworded.
		{"pieces reworded", []align.Span{ex(12, 28, 42, 58)},
			[]Passage{rw(10, 30, 40, 60)}, []box{{10, 30, 40, 60}}, []box{{10, 30, 40, 60}}},
		// Only the heads are alike: the passage starts at the sentence's
		// start and ends where the exact run does.
		{"head reworded", []align.Span{ex(12, 27, 42, 57)},
			[]Passage{rw(10, 30, 40, 60)}, []box{{10, 27, 40, 57}}, []box{{10, 27, 40, 57}}},
		// Reworded sentences before and after the exact run on both
		// sides, like each other: the copy goes on, reworded.
		{"reworded continuation", []align.Span{ex(32, 38, 52, 58)},
			[]Passage{rw(10, 60, 30, 80)}, []box{{10, 60, 30, 80}}, []box{{10, 60, 30, 80}}},
		// The same shape, but the sentences around the exact copy share
		// nothing of their own: a sentence on the same subject next to
		// a copy, not a continuation.
		{"echo beside an exact copy", []align.Span{ex(30, 40, 50, 60)},
			[]Passage{rw(20, 40, 40, 60)}, []box{{30, 40, 50, 60}}, []box{{30, 40, 50, 60}}},
		// Reworded text before the run on B only: the exact start wins.
		{"one-sided extension", []align.Span{ex(30, 48, 52, 68)},
			[]Passage{rw(30, 60, 20, 80)}, []box{{30, 60, 50, 80}}, []box{{30, 60, 52, 80}}},
		// Two exact pieces of one copy are joined by the reworded passage.
		{"pieces joined", []align.Span{ex(10, 20, 50, 60), ex(40, 50, 80, 90)},
			[]Passage{rw(10, 50, 50, 90)}, []box{{10, 50, 50, 90}}, []box{{10, 50, 50, 90}}},
		// A reworded passage that overlaps an exact one on A only
		// disagrees about the source: the exact passage is kept.
		{"conflict", []align.Span{ex(10, 30, 60, 80)},
			[]Passage{rw(20, 40, 10, 30)}, []box{{10, 30, 60, 80}, {20, 40, 10, 30}}, []box{{10, 30, 60, 80}}},
		// A reworded passage holding an exact run, over A text that B
		// also holds verbatim elsewhere: the other exact passage is not
		// lost to it; the group is reported as its exact member.
		{"exact elsewhere wins over a reworded group", []align.Span{ex(10, 20, 20, 30), ex(20, 30, 90, 100)},
			[]Passage{rw(0, 30, 70, 100)}, []box{{10, 20, 20, 30}, {0, 30, 70, 100}}, []box{{10, 20, 20, 30}, {20, 30, 90, 100}}},
		// Disjoint passages are all kept, ordered by A.
		{"disjoint", []align.Span{ex(60, 70, 0, 10)},
			[]Passage{rw(10, 30, 40, 60)}, []box{{60, 70, 0, 10}, {10, 30, 40, 60}}, []box{{10, 30, 40, 60}, {60, 70, 0, 10}}},
	} {
		terms := termsOf(100, 1001)
		for _, c := range tc.copies {
			copy(terms[c[2]:c[3]], termsOf(100, 1)[c[0]:c[1]])
		}
		bd := hashDoc(terms, sents)
		b := &bd
		al := NewAligner(Options{})
		al.SetA(*a)
		al.Align(nil, *b)
		var cb Combiner
		got := cb.Combine(nil, al, a, b, tc.exact, tc.reworded)
		var boxes []box
		for _, p := range got {
			boxes = append(boxes, box{p.AStart, p.AEnd, p.BStart, p.BEnd})
		}
		if !slices.Equal(boxes, tc.want) {
			t.Errorf("%s: Combine(%v, %v) = %v, want %v", tc.name, tc.exact, tc.reworded, boxes, tc.want)
		}
		checkPassages(t, got, 100, 100)
	}
}

func TestCombineKinds(t *testing.T) {
	a := docOf(40, 0, 10, 20, 30)
	al := NewAligner(Options{})
	al.SetA(*a)
	al.Align(nil, *a)
	var cb Combiner
	got := cb.Combine(nil, al, a, a, []align.Span{{AStart: 0, AEnd: 10, BStart: 0, BEnd: 10, Matched: 10}},
		[]Passage{{AStart: 20, AEnd: 40, BStart: 20, BEnd: 40, Similarity: 0.4, Kind: Summary}})
	if len(got) != 2 || got[0].Kind != Exact || got[0].Similarity != 1 || got[1].Kind != Summary {
		t.Errorf("Combine kinds and similarities = %+v, want an exact passage of similarity 1 and a summary", got)
	}
}
