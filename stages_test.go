package reuse

import (
	"errors"
	"slices"
	"testing"

	"github.com/reuse-tool/reuse/align"
	"github.com/reuse-tool/reuse/candidate"
	"github.com/reuse-tool/reuse/corpus"
	"github.com/reuse-tool/reuse/shingle"
)

func TestStagesOrderDocuments(t *testing.T) {
	var notices []error
	st, err := NewStages(Options{Warn: func(err error) { notices = append(notices, err) }})
	if err != nil {
		t.Fatal(err)
	}
	docs := []DocKey{
		{ID: "b", Path: "in/b"},
		{ID: "w1", Path: "in/x.jsonl", Line: 3},
		{ID: "a", Path: "in/a"},
		{ID: "w1", Path: "in/x.jsonl", Line: 1},
		{ID: "w1#2", Path: "in/y.jsonl", Line: 1},
	}
	order, ids := st.OrderDocuments(docs)
	wantOrder := []int{2, 0, 3, 4, 1}
	wantIDs := []string{"a", "b", "w1", "w1#2", "w1#3"}
	if !slices.Equal(order, wantOrder) || !slices.Equal(ids, wantIDs) {
		t.Errorf("OrderDocuments = %v, %q, want %v, %q", order, ids, wantOrder, wantIDs)
	}
	if len(notices) != 1 || !errors.Is(notices[0], corpus.ErrDuplicateID) {
		t.Errorf("notices = %v, want one duplicate id", notices)
	}
}

func TestStagesResultPair(t *testing.T) {
	st, err := NewStages(Options{})
	if err != nil {
		t.Fatal(err)
	}
	toks := Tokens{{Start: 0, End: 3}, {Start: 4, End: 7}, {Start: 8, End: 11}}
	sp := align.Span{AStart: 1, AEnd: 3, BStart: 0, BEnd: 2, Matched: 2}
	bs := PassageBytes(sp, toks, toks)
	if bs != (ByteSpan{4, 11, 0, 7}) {
		t.Errorf("PassageBytes = %+v", bs)
	}
	p := ResultPair(PairDoc{"a", 3, 4}, PairDoc{"b", 4, 4}, 2, []align.Span{sp}, []ByteSpan{bs}, []int32{6})
	if p.APct != 66.7 || p.BPct != 50 || p.SharedWords != 2 || p.Jaccard != 0.333 || p.Passages[0].Cluster != 7 {
		t.Errorf("ResultPair = %+v", p)
	}
	if e, ok := st.NearDuplicate(3, 4, []align.Span{sp}); e != 50 || ok {
		t.Errorf("NearDuplicate = %v, %v, want 50, false", e, ok)
	}
	if s, e := MemberBytes(toks, 2, 9); s != 8 || e != 11 {
		t.Errorf("MemberBytes = %d, %d, want 8, 11", s, e)
	}
	dates := []string{"", "2020-02-02", "2020-01-01", "2020-01-01"}
	if m := EarliestMember(len(dates), func(m int) string { return dates[m] }); m != 2 {
		t.Errorf("EarliestMember = %d, want 2", m)
	}
	as := AlignAnchors(nil, []candidate.Anchor{{PosA: 1, PosB: 2}, {PosA: 1, PosB: 2}, {PosA: candidate.AnyPos, PosB: 5}})
	if len(as) != 2 || as[1] != (align.Anchor{A: -1, B: 5}) || AlignAnchors(nil, nil) != nil {
		t.Errorf("AlignAnchors = %v", as)
	}
	sig := shingle.NewSigner(64).Sign(nil, []uint64{1, 2, 3})
	if !st.SimilarEnough(sig, sig) {
		t.Error("SimilarEnough(same) = false")
	}
}
