package assemble

import (
	"cmp"
	"context"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/reuse-tool/reuse/align"
	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/internal/spool"
	"github.com/reuse-tool/reuse/pairs"
	"github.com/reuse-tool/reuse/result"
	"github.com/reuse-tool/reuse/shingle"
)

func occ(doc uint32, start, end int32) cluster.Occurrence {
	return cluster.Occurrence{Doc: doc, Start: start, End: end}
}

// TestReusedTokens: a document's reused words are the union of its
// passages and boilerplate, overlaps counted once.
func TestReusedTokens(t *testing.T) {
	sides := [][2]cluster.Occurrence{
		{occ(0, 10, 20), occ(1, 0, 10)},
		{occ(0, 15, 30), occ(2, 5, 20)}, // overlaps the first on document 0
		{occ(1, 40, 50), occ(2, 0, 12)}, // overlaps the second on document 2
	}
	boiler := [][]cluster.Occurrence{{occ(0, 28, 40), occ(3, 0, 7)}}
	want := []int{30, 20, 20, 7, 0} // 0: [10, 40); 1: [0, 10) and [40, 50); 2: [0, 20); 3: [0, 7)
	// All at once, and in ranges of documents: one occurrence's worth
	// (a range still holds a whole document), then two's.
	for _, maxBytes := range []int64{0, 1, 12, 24, 1 << 20} {
		got, err := reusedTokens(context.Background(), 5, sides, boiler, maxBytes)
		if err != nil {
			t.Fatal(err)
		}
		for d := range want {
			if got[d] != want[d] {
				t.Errorf("reusedTokens(maxBytes %d): document %d = %d, want %d", maxBytes, d, got[d], want[d])
			}
		}
	}
}

// TestReusedTokensRandom: reusedTokens against a count token by token,
// on random passages and boilerplate over documents some of which have
// none.
func TestReusedTokensRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	const docs, tokens = 9, 80
	random := func() cluster.Occurrence {
		start := rng.Int32N(tokens - 10)
		return occ(uint32(rng.IntN(docs-2)), start, start+1+rng.Int32N(10))
	}
	for round := range 50 {
		var sides [][2]cluster.Occurrence
		for range rng.IntN(20) {
			sides = append(sides, [2]cluster.Occurrence{random(), random()})
		}
		var boiler [][]cluster.Occurrence
		for range rng.IntN(4) {
			var g []cluster.Occurrence
			for range rng.IntN(5) {
				g = append(g, random())
			}
			boiler = append(boiler, g)
		}
		var in [docs][tokens]bool
		for _, o := range slices.Concat(slices.Concat(boiler...), func() (all []cluster.Occurrence) {
			for _, sd := range sides {
				all = append(all, sd[0], sd[1])
			}
			return all
		}()) {
			for i := o.Start; i < o.End; i++ {
				in[o.Doc][i] = true
			}
		}
		maxBytes := []int64{0, 1, 36, 100, 1 << 20}[round%5]
		got, err := reusedTokens(context.Background(), docs, sides, boiler, maxBytes)
		if err != nil {
			t.Fatal(err)
		}
		for d := range docs {
			want := 0
			for _, b := range in[d] {
				if b {
					want++
				}
			}
			if got[d] != want {
				t.Fatalf("round %d (maxBytes %d): document %d: %d reused tokens, want %d", round, maxBytes, d, got[d], want)
			}
		}
	}
}

func TestJaccard(t *testing.T) {
	tests := []struct {
		shared, a, b int
		want         float64
	}{
		{0, 0, 0, 0}, {0, 5, 5, 0}, {5, 5, 5, 1}, {2, 4, 6, 0.25}, {3, 3, 9, 1.0 / 3},
	}
	for _, tt := range tests {
		if got := jaccard(tt.shared, tt.a, tt.b); got != tt.want {
			t.Errorf("jaccard(%d, %d, %d) = %v, want %v", tt.shared, tt.a, tt.b, got, tt.want)
		}
	}
}

// TestRepresentative: a cluster shows its shortest member found by an
// alignment of its own, never a projected one; a boilerplate cluster the
// first of its members of the median length.
func TestRepresentative(t *testing.T) {
	header := func(lens ...int32) cluster.Family {
		var f cluster.Family
		for d, n := range lens {
			f.Members = append(f.Members, occ(uint32(d), 10, 10+n))
			f.Derived = append(f.Derived, false)
		}
		return f
	}
	projected := header(30, 5, 30, 5, 5)
	projected.Derived[1], projected.Derived[3] = true, true
	tests := []struct {
		name        string
		f           cluster.Family
		boilerplate bool
		want        int
	}{
		{"shortest", cluster.Family{Members: []cluster.Occurrence{occ(0, 0, 30), occ(1, 0, 12), occ(2, 5, 17)}, Derived: []bool{false, false, false}}, false, 1},
		{"projected shorter", cluster.Family{Members: []cluster.Occurrence{occ(0, 0, 30), occ(1, 0, 5)}, Derived: []bool{false, true}}, false, 0},
		{"all projected", cluster.Family{Members: []cluster.Occurrence{occ(0, 0, 30), occ(1, 0, 5)}, Derived: []bool{true, true}}, false, 0},
		{"boilerplate: a fragment in few documents", header(5, 30, 30, 30, 28), true, 1},
		{"boilerplate: the median, the first of it", header(30, 28, 5, 28, 40), true, 1},
		{"boilerplate of two: the shortest", header(30, 5), true, 1},
		{"boilerplate: projected members not counted", projected, true, 0},
		{"passages: the shortest", header(5, 30, 30, 30, 28), false, 0},
	}
	for _, tt := range tests {
		if got := Representative(tt.f, tt.boilerplate); got != tt.want {
			t.Errorf("%s: Representative = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestCoveredTokens(t *testing.T) {
	tests := []struct {
		spans []cluster.Occurrence
		want  int
	}{
		{nil, 0},
		{[]cluster.Occurrence{occ(0, 5, 9)}, 4},
		{[]cluster.Occurrence{occ(0, 20, 30), occ(0, 0, 10), occ(0, 5, 12)}, 22}, // out of order, overlapping
		{[]cluster.Occurrence{occ(0, 0, 50), occ(0, 10, 20)}, 50},                // one inside another
		{[]cluster.Occurrence{occ(0, 3, 3)}, 0},
	}
	for _, tt := range tests {
		if got := CoveredTokens(tt.spans); got != tt.want {
			t.Errorf("CoveredTokens(%v) = %d, want %d", tt.spans, got, tt.want)
		}
	}
}

// TestResultPair: percentages of each side's words, shared words, the
// Jaccard estimate rounded to three places, passages with their byte
// offsets, similarity and cluster numbered from 1.
func TestResultPair(t *testing.T) {
	p := pairs.Pair{A: 4, B: 9, Shared: 2,
		Spans: []align.Span{{AStart: 1, AEnd: 3, BStart: 0, BEnd: 2, Matched: 2}},
		Bytes: []pairs.ByteSpan{{AStart: 4, AEnd: 11, BStart: 0, BEnd: 7}},
	}
	got := ResultPair(PairDoc{"a", 3, 4}, PairDoc{"b", 4, 4}, &p, []int32{6})
	want := result.Pair{A: "a", B: "b", APct: 66.7, BPct: 50, SharedWords: 2, Jaccard: 0.333,
		Passages: []result.Passage{{AStart: 4, AEnd: 11, BStart: 0, BEnd: 7, Words: 2, Similarity: 1, Cluster: 7}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ResultPair = %+v, want %+v", got, want)
	}
}

// TestMemberBytes: a token range becomes the bytes from its first token's
// start to its last token's end, past a full stop after it, clamped to
// the tokens there are.
func TestMemberBytes(t *testing.T) {
	text := []byte("one two. six")
	toks := []shingle.Token{{Start: 0, End: 3}, {Start: 4, End: 7}, {Start: 9, End: 12}}
	v, err := spool.NewSeedView(spool.AppendSeedRecord(nil, text, toks, nil, nil), 0, len(toks))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		start, end int32
		s, e       int
	}{
		{0, 3, 0, 12}, {1, 2, 4, 8}, {0, 1, 0, 3}, {2, 9, 9, 12}, {-4, 1, 0, 3}, {3, 5, 0, 0}, {1, 1, 4, 4},
	} {
		if s, e, err := MemberBytes(v, tt.start, tt.end); s != tt.s || e != tt.e || err != nil {
			t.Errorf("MemberBytes(%d, %d) = %d, %d, %v; want %d, %d", tt.start, tt.end, s, e, err, tt.s, tt.e)
		}
	}
}

func TestEarliestMember(t *testing.T) {
	for _, tt := range []struct {
		dates []string
		want  int
	}{
		{nil, -1},
		{[]string{"", ""}, -1},
		{[]string{"", "2020-02-02", "2020-01-01", "2020-01-01"}, 2}, // the first of the earliest
		{[]string{"2019-12-31", "", "2020-01-01"}, 0},
	} {
		if got := EarliestMember(len(tt.dates), func(m int) string { return tt.dates[m] }); got != tt.want {
			t.Errorf("EarliestMember(%q) = %d, want %d", tt.dates, got, tt.want)
		}
	}
}

// TestExcerpt: the excerpt is cut at an unbalanced quotation mark and stops
// near excerptBytes, on a word boundary.
func TestExcerpt(t *testing.T) {
	if got, want := Excerpt([]byte(`the minister said." And more`)), `the minister said.`; got != want {
		t.Errorf("Excerpt = %q, want %q", got, want)
	}
	long := []byte(strings.Repeat("word ", 200))
	if got := Excerpt(long); len(got) > excerptBytes+8 || len(got) < excerptBytes/2 {
		t.Errorf("Excerpt of %d bytes = %d bytes, want about %d", len(long), len(got), excerptBytes)
	}
}

// TestSimilarEnough: signatures are checked when their estimated Jaccard
// similarity reaches half of near-duplicates' at the threshold.
func TestSimilarEnough(t *testing.T) {
	signer := shingle.NewSigner(64)
	set := make([]uint64, 1000)
	for i := range set {
		set[i] = uint64(i) * 0x9e3779b97f4a7c15
	}
	sig := func(from, to int) []uint64 { return slices.Clone(signer.Sign(nil, set[from:to])) }
	a := sig(0, 500)
	if !SimilarEnough(a, a, 0.8) {
		t.Error("SimilarEnough(same) = false")
	}
	if SimilarEnough(a, sig(500, 1000), 0.8) {
		t.Error("SimilarEnough(disjoint) = true")
	}
	// Jaccard 1/3 (250 of 750): above half of 0.8/1.2, below 0.95/1.05.
	b := sig(250, 750)
	if !SimilarEnough(a, b, 0.8) || SimilarEnough(a, b, 1) {
		t.Errorf("SimilarEnough(Jaccard 1/3) = %v at 0.8, %v at 1; want true, false", SimilarEnough(a, b, 0.8), SimilarEnough(a, b, 1))
	}
}

// TestPassageTexts: the documents whose texts the passage texts read, in
// the order pairTexts.fill reads them (A once for its run of pairs, then
// each B), of the pairs the result reports.
func TestPassageTexts(t *testing.T) {
	pairsOf := [][2]uint32{{0, 1}, {0, 2}, {1, 2}, {3, 4}, {3, 5}}
	key := func(i int) (uint32, uint32) { return pairsOf[i][0], pairsOf[i][1] }
	tests := []struct {
		focus []uint32 // nil: every pair
		want  []uint32
	}{
		{nil, []uint32{0, 1, 2, 1, 2, 3, 4, 5}},
		{[]uint32{2}, []uint32{0, 2, 1, 2}},
		{[]uint32{1, 4}, []uint32{0, 1, 1, 2, 3, 4}},
		{[]uint32{6}, nil},
	}
	for _, tt := range tests {
		var focus func(uint32) bool
		if tt.focus != nil {
			focus = func(d uint32) bool { return slices.Contains(tt.focus, d) }
		}
		if got := passageTexts(len(pairsOf), key, focus); !slices.Equal(got, tt.want) {
			t.Errorf("passageTexts(%v, focus %v) = %v, want %v", pairsOf, tt.focus, got, tt.want)
		}
	}
}

// TestByDocument: the counting sort of many keys gives what a sort of
// them gives, with the same starts; a cancelled context stops it.
func TestByDocument(t *testing.T) {
	r := rand.New(rand.NewPCG(51, 52))
	for _, n := range []int{0, 1, 1000, 1 << 16, 200_000} {
		keys := make([]uint64, n)
		for i := range keys {
			keys[i] = uint64(r.IntN(5000))<<32 | uint64(i) // low bits in order, as callers give them
		}
		want := slices.Clone(keys)
		slices.Sort(want)
		var wantStarts []int
		for i, k := range want {
			if i == 0 || k>>32 != want[i-1]>>32 {
				wantStarts = append(wantStarts, i)
			}
		}
		wantStarts = append(wantStarts, n)
		starts, err := byDocument(context.Background(), keys)
		if err != nil || !slices.Equal(keys, want) || !slices.Equal(starts, wantStarts) {
			t.Fatalf("byDocument of %d keys: %d starts, err %v; want the sorted keys and %d starts", n, len(starts), err, len(wantStarts))
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := byDocument(ctx, make([]uint64, 1<<17)); err == nil {
		t.Error("byDocument with a cancelled context: no error")
	}
}

// TestWidenedAside: changes put aside and loaded again widen every member
// as before, and none while they are aside.
func TestWidenedAside(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	wd := &widened{changed: make([][]change, 3)}
	var all []change
	for p := range 2 { // the third part stays empty
		for i := range int32(1<<20 + 7) { // more than a piece of the file; no two found alike
			start := 2*i + int32(p)
			c := change{
				was: cluster.Occurrence{Doc: r.Uint32N(1000), Start: start, End: start + 1 + r.Int32N(50)},
			}
			c.is = cluster.Occurrence{Doc: c.was.Doc, Start: c.was.Start - r.Int32N(5), End: c.was.End + r.Int32N(5)}
			wd.changed[p] = append(wd.changed[p], c)
		}
		slices.SortFunc(wd.changed[p], func(a, b change) int {
			return cmp.Or(compareOccurrences(a.was, b.was), compareOccurrences(a.is, b.is))
		})
		all = append(all, wd.changed[p]...)
	}
	if err := wd.putAside(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer wd.close()
	if c := all[0]; wd.member(c.was) != c.was {
		t.Error("a change is still held once put aside")
	}
	if err := wd.load(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, c := range all {
		if got := wd.member(c.was); got != c.is {
			t.Fatalf("member(%v) = %v after load, want %v", c.was, got, c.is)
		}
	}
	if n := len(wd.changed[0]) + len(wd.changed[1]) + len(wd.changed[2]); n != len(all) {
		t.Errorf("%d changes loaded, want %d", n, len(all))
	}
}
