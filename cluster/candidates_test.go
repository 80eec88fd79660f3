package cluster

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/reuse-tool/reuse/shingle"
)

// bruteCandidates is Candidates by its definition: for every hash, the set
// of documents holding it; sets of 2..maxDF documents count once for each
// of their pairs, larger sets give their postings to boilerplate; a pair
// is kept when it shares one hash held by at most soloDF documents, or
// three of which one lies within near of the two others on both sides,
// or two within near of each other when one of its hashes is held by at
// most rareDF documents (a hash held twice by a document is near every
// other).
func bruteCandidates(ps []Posting, maxDF, soloDF, rareDF, near int) ([]Candidate, []Posting, []Posting) {
	docs := make(map[uint64]map[uint32]bool)
	pos := make(map[uint64]map[uint32]uint32) // the position, or anyPos
	for _, p := range ps {
		if docs[p.Hash] == nil {
			docs[p.Hash] = make(map[uint32]bool)
			pos[p.Hash] = make(map[uint32]uint32)
		}
		if docs[p.Hash][p.Doc] {
			pos[p.Hash][p.Doc] = anyPos
		} else {
			pos[p.Hash][p.Doc] = p.Pos
		}
		docs[p.Hash][p.Doc] = true
	}
	type hit struct{ a, b uint32 }
	hits := make(map[[2]uint32][]hit)
	solo := make(map[[2]uint32]bool)
	var boiler, rare []Posting
	for _, p := range ps {
		if df := len(docs[p.Hash]); df > maxDF {
			boiler = append(boiler, p)
		} else if df >= 2 && df <= rareDF {
			rare = append(rare, Posting{Hash: uint64(df), Doc: p.Doc, Pos: p.Pos})
		}
	}
	for h, set := range docs {
		if len(set) < 2 || len(set) > maxDF {
			continue
		}
		for a := range set {
			for b := range set {
				if a < b {
					k := [2]uint32{a, b}
					hits[k] = append(hits[k], hit{pos[h][a], pos[h][b]})
					solo[k] = solo[k] || len(set) <= soloDF
				}
			}
		}
	}
	rareShared := make(map[[2]uint32]bool)
	for _, set := range docs {
		if len(set) < 2 || len(set) > min(rareDF, maxDF) {
			continue
		}
		for a := range set {
			for b := range set {
				rareShared[[2]uint32{a, b}] = true
			}
		}
	}
	near2 := func(x, y hit) bool {
		if near == 0 || x.a == anyPos || x.b == anyPos || y.a == anyPos || y.b == anyPos {
			return true
		}
		da, db := int(x.a)-int(y.a), int(x.b)-int(y.b)
		return max(da, -da) <= near && max(db, -db) <= near
	}
	// most is the largest number of hits near one of them, itself included.
	most := func(hs []hit) int {
		best := 0
		for i, x := range hs {
			c := 1
			for j, y := range hs {
				if i != j && near2(x, y) {
					c++
				}
			}
			best = max(best, c)
		}
		return best
	}
	shared := make(map[[2]uint32]int32)
	for k, hs := range hits {
		if m := most(hs); solo[k] || m >= 3 || m >= 2 && rareShared[k] {
			shared[k] = int32(len(hs))
		}
	}
	var pairs []Candidate
	for k, n := range shared {
		pairs = append(pairs, Candidate{A: k[0], B: k[1], Shared: n})
	}
	slices.SortFunc(pairs, func(x, y Candidate) int {
		return cmp.Or(cmp.Compare(x.A, y.A), cmp.Compare(x.B, y.B))
	})
	slices.SortFunc(boiler, comparePostings)
	// Real documents hold one fingerprint per position; random postings
	// may hold two, which come out in order of document frequency.
	slices.SortFunc(rare, func(x, y Posting) int {
		return cmp.Or(cmp.Compare(x.Doc, y.Doc), cmp.Compare(x.Pos, y.Pos), cmp.Compare(x.Hash, y.Hash))
	})
	return pairs, boiler, rare
}

// rarePostings lists r as postings sorted by document and position, with
// the document frequency in Hash.
func rarePostings(r Rare) []Posting {
	var out []Posting
	for d := 0; d+1 < len(r.start); d++ {
		for _, x := range r.at[r.start[d]:r.start[d+1]] {
			out = append(out, Posting{Hash: uint64(uint32(x)), Doc: uint32(d), Pos: uint32(x >> 32)})
		}
	}
	return out
}

// candidates calls Candidates without rare postings.
func candidates(ps []Posting, maxDF, soloDF int) ([]Candidate, []Posting) {
	sh, _ := Candidates(context.Background(), ps, PairOptions{MaxDF: maxDF, SoloDF: soloDF})
	return sh.Pairs, sh.Boilerplate
}

// comparePostings orders postings by hash, document and position.
func comparePostings(x, y Posting) int {
	return cmp.Or(cmp.Compare(x.Hash, y.Hash), cmp.Compare(x.Doc, y.Doc), cmp.Compare(x.Pos, y.Pos))
}

// randomPostings returns n postings over the given numbers of hashes and
// documents: small numbers make shared hashes, and documents holding a
// hash more than once, common.
func randomPostings(r *rand.Rand, n, hashes, docs int) []Posting {
	ps := make([]Posting, n)
	for i := range ps {
		ps[i] = Posting{Hash: mix(uint64(r.IntN(hashes))), Doc: uint32(r.IntN(docs)), Pos: r.Uint32N(1000)}
	}
	return ps
}

func TestCandidatesBrute(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, 3, 10, 100, 255, 256, 257, 2000} {
		for _, hashes := range []int{1, 5, 300} {
			for _, docs := range []int{1, 4, 40} {
				for _, maxDF := range []int{1, 2, 3, 1000} {
					soloDF := []int{2, 4, 1000}[r.IntN(3)]
					ps := randomPostings(r, n, hashes, docs)
					in := slices.Clone(ps)
					rareDF := r.IntN(5)
					near := []int{0, 0, 1, 30, 200}[r.IntN(5)]
					wantPairs, wantBoiler, wantRare := bruteCandidates(ps, maxDF, soloDF, rareDF, near)
					workers := 1 + r.IntN(4)
					sh, err := Candidates(context.Background(), ps, PairOptions{MaxDF: maxDF, SoloDF: soloDF, RareDF: rareDF, Near: near, Workers: workers})
					if err != nil {
						t.Fatal(err)
					}
					if !slices.Equal(sh.Pairs, wantPairs) || !slices.Equal(sh.Boilerplate, wantBoiler) || !slices.Equal(rarePostings(sh.Rare), wantRare) {
						t.Fatalf("Candidates(%v, %d, %d, %d, near %d, %d workers) = %+v, want %v, %v, %v", in, maxDF, soloDF, rareDF, near, workers, sh, wantPairs, wantBoiler, wantRare)
					}
				}
			}
		}
	}
}

func TestCandidates(t *testing.T) {
	ps := []Posting{
		{Hash: 7, Doc: 2, Pos: 5}, {Hash: 7, Doc: 1, Pos: 9}, // shared by 1, 2
		{Hash: 8, Doc: 1, Pos: 3}, {Hash: 8, Doc: 2, Pos: 1}, {Hash: 8, Doc: 2, Pos: 0}, // 1, 2 again (twice in 2)
		{Hash: 9, Doc: 3, Pos: 1}, {Hash: 9, Doc: 3, Pos: 4}, // only in 3
		{Hash: 5, Doc: 4, Pos: 2}, {Hash: 5, Doc: 1, Pos: 2}, {Hash: 5, Doc: 3, Pos: 8}, {Hash: 5, Doc: 1, Pos: 1}, // df 3: boilerplate
		{Hash: 6, Doc: 3, Pos: 0}, {Hash: 6, Doc: 1, Pos: 0}, // 1, 3
	}
	pairs, boiler := candidates(slices.Clone(ps), 2, 2)
	wantPairs := []Candidate{{A: 1, B: 2, Shared: 2}, {A: 1, B: 3, Shared: 1}}
	wantBoiler := []Posting{{Hash: 5, Doc: 1, Pos: 1}, {Hash: 5, Doc: 1, Pos: 2}, {Hash: 5, Doc: 3, Pos: 8}, {Hash: 5, Doc: 4, Pos: 2}}
	if !slices.Equal(pairs, wantPairs) || !slices.Equal(boiler, wantBoiler) {
		t.Errorf("Candidates(%v, 2) = %v, %v, want %v, %v", ps, pairs, boiler, wantPairs, wantBoiler)
	}
	pairs, boiler = candidates(slices.Clone(ps), 3, 3)
	wantPairs = []Candidate{{A: 1, B: 2, Shared: 2}, {A: 1, B: 3, Shared: 2}, {A: 1, B: 4, Shared: 1}, {A: 3, B: 4, Shared: 1}}
	if !slices.Equal(pairs, wantPairs) || len(boiler) != 0 {
		t.Errorf("Candidates(%v, 3) = %v, %v, want %v, none", ps, pairs, boiler, wantPairs)
	}
}

// TestCandidatesRules: one pair of documents per rule of Candidates, with
// the fingerprint frequencies and positions that make or break it.
func TestCandidatesRules(t *testing.T) {
	// shared adds fingerprint h at positions pa in a and pb in b, and in
	// df-2 filler documents.
	var ps []Posting
	filler := uint32(1000)
	shared := func(h uint64, a, b, pa, pb uint32, df int) {
		ps = append(ps, Posting{Hash: h, Doc: a, Pos: pa}, Posting{Hash: h, Doc: b, Pos: pb})
		for range df - 2 {
			ps = append(ps, Posting{Hash: h, Doc: filler, Pos: 0})
			filler++
		}
	}
	shared(1, 0, 1, 10, 500, 3)   // 0~1: solo (df 3 <= SoloDF 4)
	shared(2, 2, 3, 10, 10, 6)    // 2~3: two near, one rare (df 6 <= RareDF 8)
	shared(3, 2, 3, 20, 20, 50)   //
	shared(4, 4, 5, 10, 10, 50)   // 4~5: two near, none rare: no pair
	shared(5, 4, 5, 20, 20, 50)   //
	shared(6, 6, 7, 10, 10, 50)   // 6~7: three near, none rare
	shared(7, 6, 7, 20, 20, 50)   //
	shared(8, 6, 7, 30, 30, 50)   //
	shared(9, 8, 9, 10, 10, 6)    // 8~9: two far apart, one rare: no pair
	shared(10, 8, 9, 200, 20, 50) //
	sh, err := Candidates(context.Background(), ps, PairOptions{MaxDF: 100, SoloDF: 4, RareDF: 8, Near: 36})
	if err != nil {
		t.Fatal(err)
	}
	var got []Candidate
	for _, c := range sh.Pairs {
		if c.B < 1000 {
			got = append(got, c)
		}
	}
	want := []Candidate{{A: 0, B: 1, Shared: 1}, {A: 2, B: 3, Shared: 2}, {A: 6, B: 7, Shared: 3}}
	if !slices.Equal(got, want) {
		t.Errorf("Candidates = %v, want %v", got, want)
	}
}

// TestSortPostings compares SortPostings, a radix sort from 256 postings
// up, with a stable comparison sort by hash, around the cutoff and on
// large input, for hashes that differ in every 16-bit digit and for hashes
// with many ties (stability).
func TestSortPostings(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	gens := map[string]func(i int) uint64{
		"uniform":    func(int) uint64 { return r.Uint64() },
		"ties":       func(int) uint64 { return uint64(r.IntN(7)) << (16 * r.IntN(4)) },
		"high digit": func(int) uint64 { return uint64(r.IntN(1<<16)) << 48 },
		"descending": func(i int) uint64 { return ^uint64(i) },
		"equal":      func(int) uint64 { return 42 },
	}
	for name, gen := range gens {
		for _, n := range []int{0, 1, 2, 100, 254, 255, 256, 257, 300, 1000, 100_000} {
			if n == 100_000 && (name == "descending" || name == "equal") {
				continue
			}
			ps := make([]Posting, n)
			for i := range ps {
				ps[i] = Posting{Hash: gen(i), Doc: uint32(i), Pos: uint32(n - i)}
			}
			want := slices.Clone(ps)
			slices.SortStableFunc(want, func(x, y Posting) int { return cmp.Compare(x.Hash, y.Hash) })
			for workers := 1; workers <= 3; workers++ {
				old := sortPerWorker
				sortPerWorker = 1
				got := slices.Clone(ps)
				sortPostings(got, workers)
				if !slices.Equal(got, want) {
					t.Errorf("%s, n=%d: sortPostings with %d workers differs from a stable sort by hash", name, n, workers)
				}
				// sortInPlace is not stable: the same postings, sorted.
				got = slices.Clone(ps)
				sortInPlace(got, workers)
				sortPerWorker = old
				if !slices.IsSortedFunc(got, func(x, y Posting) int { return cmp.Compare(x.Hash, y.Hash) }) {
					t.Errorf("%s, n=%d: sortInPlace with %d workers left postings unsorted", name, n, workers)
				}
				slices.SortFunc(got, comparePostings)
				all := slices.Clone(ps)
				slices.SortFunc(all, comparePostings)
				if !slices.Equal(got, all) {
					t.Errorf("%s, n=%d: sortInPlace with %d workers changed the postings", name, n, workers)
				}
			}
			SortPostings(ps)
			if !slices.Equal(ps, want) {
				i := slices.IndexFunc(ps, func(p Posting) bool { return p != want[slices.Index(ps, p)] })
				t.Errorf("%s, n=%d: SortPostings differs from a stable sort by hash (first at %d)", name, n, i)
			}
			// The same as an unstable sort, by hash.
			unstable := slices.Clone(want)
			slices.SortFunc(unstable, func(x, y Posting) int { return cmp.Compare(x.Hash, y.Hash) })
			for i := range unstable {
				if unstable[i].Hash != ps[i].Hash {
					t.Errorf("%s, n=%d: SortPostings hash %d = %x, slices.SortFunc %x", name, n, i, ps[i].Hash, unstable[i].Hash)
					break
				}
			}
		}
	}
}

// fingerprints returns the winnowing fingerprints of text as postings of
// document doc.
func fingerprints(dst []Posting, tk *shingle.Tokenizer, text string, doc uint32, k, w int) ([]Posting, []shingle.Token) {
	toks := tk.Tokenize(nil, []byte(text))
	fps, _ := shingle.Winnow(nil, nil, shingle.Shingles(nil, toks, k), w)
	for _, f := range fps {
		dst = append(dst, Posting{Hash: f.Hash, Doc: doc, Pos: f.Pos})
	}
	return dst, toks
}

// words is a vocabulary for generated text, written for these tests.
var words = strings.Fields(`
	the a of to and in on for with by at from after before over under
	council mayor bridge harbour river school market station hospital museum
	report survey budget plan vote meeting strike storm flood road railway
	said announced confirmed denied warned expected agreed rejected opened closed
	new old local regional national small large early late first last
	engineers residents officials teachers workers drivers visitors traders
	Monday Tuesday Friday March June October morning evening week month year
	repairs delays prices costs results talks rules funds plans works`)

// randomText returns n words drawn from words.
func randomText(r *rand.Rand, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(words[r.IntN(len(words))])
	}
	return b.String()
}

// TestBoilerplateFooter gives 1000 documents the same footer, and every
// other one the same header: Candidates returns their fingerprints as
// boilerplate instead of half a million pairs, and Boilerplate makes one
// family of 1000 footers and one of 500 headers, each occurrence inside
// the shared text, at most window-1 tokens short at either end.
func TestBoilerplateFooter(t *testing.T) {
	const k, w, docs, maxDF = 5, 4, 1000, 50
	header := "This bulletin is published by the Harbour District Residents Association for its members"
	footer := "To stop receiving these messages reply with the word stop or write to the association office at the old station building and include your membership number"
	r := rand.New(rand.NewPCG(5, 6))
	tk := shingle.NewTokenizer()
	nHeader, nFooter := len(tokens(header)), len(tokens(footer))
	var ps []Posting
	type region struct{ hStart, fStart int32 }
	where := make([]region, docs)
	for d := range docs {
		text := randomText(r, 40+r.IntN(60)) + ". " + footer
		where[d] = region{-1, int32(len(tokens(text)) - nFooter)}
		if d%2 == 0 {
			text = header + ". " + text
			where[d] = region{0, where[d].fStart + int32(nHeader)}
		}
		ps, _ = fingerprints(ps, tk, text, uint32(d), k, w)
	}
	pairs, boiler := candidates(slices.Clone(ps), maxDF, maxDF) // ps is scratch to Candidates
	// Shingles across the edges of the shared text ("... members X",
	// "X To stop ...") pair documents by chance; the shared text does not.
	if len(pairs) > docs*(docs-1)/2/100 {
		t.Errorf("Candidates: %d pairs, want far fewer than the %d of the footer", len(pairs), docs*(docs-1)/2)
	}
	inBoiler := make(map[[2]uint32]bool)
	for _, p := range boiler {
		inBoiler[[2]uint32{p.Doc, p.Pos}] = true
	}
	for _, p := range ps {
		pos, reg := int32(p.Pos), where[p.Doc]
		inside := pos >= reg.fStart && pos+k <= reg.fStart+int32(nFooter) ||
			reg.hStart >= 0 && pos >= reg.hStart && pos+k <= reg.hStart+int32(nHeader)
		if inside && !inBoiler[[2]uint32{p.Doc, p.Pos}] {
			t.Fatalf("Candidates: posting %+v of the shared text not in boilerplate", p)
		}
	}
	fams := Boilerplate(boiler, k, w)
	if len(fams) != 2 {
		t.Fatalf("Boilerplate: %d families, want 2 (header, footer)", len(fams))
	}
	check := func(name string, fam []Occurrence, want int, start func(d uint32) int32, n int) {
		t.Helper()
		if len(fam) != want {
			t.Errorf("%s family: %d occurrences, want %d", name, len(fam), want)
		}
		for i, o := range fam {
			if i > 0 && fam[i-1].Doc >= o.Doc {
				t.Errorf("%s family: occurrences %v, %v not one per document in order", name, fam[i-1], o)
			}
			s := start(o.Doc)
			if o.Start < s || o.Start > s+w-1 || o.End > s+int32(n) || o.End < s+int32(n)-(w-1) {
				t.Errorf("%s family: occurrence %+v, want inside [%d, %d) and at most %d short", name, o, s, s+int32(n), w-1)
			}
		}
	}
	check("header", fams[0], docs/2, func(d uint32) int32 { return where[d].hStart }, nHeader)
	check("footer", fams[1], docs, func(d uint32) int32 { return where[d].fStart }, nFooter)
}

func TestBoilerplate(t *testing.T) {
	tests := []struct {
		name     string
		postings []Posting
		k, w     int
		want     [][]Occurrence
	}{
		{"empty", nil, 3, 4, nil},
		{
			name: "one text in three documents",
			postings: []Posting{
				{Hash: 1, Doc: 0, Pos: 10}, {Hash: 1, Doc: 1, Pos: 0}, {Hash: 1, Doc: 2, Pos: 5},
				{Hash: 2, Doc: 0, Pos: 13}, {Hash: 2, Doc: 1, Pos: 3}, {Hash: 2, Doc: 2, Pos: 8},
			},
			k: 3, w: 4,
			want: [][]Occurrence{{{0, 10, 16}, {1, 0, 6}, {2, 5, 11}}},
		},
		{
			name: "fingerprints more than a window apart",
			postings: []Posting{
				{Hash: 1, Doc: 0, Pos: 0}, {Hash: 1, Doc: 1, Pos: 0},
				{Hash: 2, Doc: 0, Pos: 5}, {Hash: 2, Doc: 1, Pos: 6},
			},
			k: 3, w: 4,
			want: [][]Occurrence{{{0, 0, 3}, {1, 0, 3}}, {{0, 5, 8}, {1, 6, 9}}},
		},
		{
			// Winnowing leaves at most w shingles between fingerprints.
			name: "fingerprints a window apart",
			postings: []Posting{
				{Hash: 1, Doc: 0, Pos: 0}, {Hash: 1, Doc: 1, Pos: 0},
				{Hash: 2, Doc: 0, Pos: 4}, {Hash: 2, Doc: 1, Pos: 4},
			},
			k: 3, w: 4,
			want: [][]Occurrence{{{0, 0, 7}, {1, 0, 7}}},
		},
		{
			// Hashes 1 and 3 never meet, but both meet 2.
			name: "joined through a common fingerprint",
			postings: []Posting{
				{Hash: 1, Doc: 0, Pos: 0}, {Hash: 2, Doc: 0, Pos: 2},
				{Hash: 2, Doc: 1, Pos: 50}, {Hash: 3, Doc: 1, Pos: 52},
				{Hash: 3, Doc: 2, Pos: 7},
			},
			k: 2, w: 2,
			want: [][]Occurrence{{{0, 0, 4}, {1, 50, 54}, {2, 7, 9}}},
		},
		{
			name: "families in order of first occurrence",
			postings: []Posting{
				{Hash: 9, Doc: 3, Pos: 0}, {Hash: 9, Doc: 4, Pos: 0},
				{Hash: 1, Doc: 3, Pos: 100}, {Hash: 1, Doc: 0, Pos: 100},
			},
			k: 2, w: 2,
			want: [][]Occurrence{{{0, 100, 102}, {3, 100, 102}}, {{3, 0, 2}, {4, 0, 2}}},
		},
	}
	for _, tt := range tests {
		in := fmt.Sprint(tt.postings)
		ps := slices.Clone(tt.postings)
		slices.SortStableFunc(ps, func(x, y Posting) int { return cmp.Compare(x.Hash, y.Hash) })
		got := Boilerplate(ps, tt.k, tt.w)
		if !slices.EqualFunc(got, tt.want, slices.Equal) {
			t.Errorf("%s: Boilerplate(%s, %d, %d) = %v, want %v", tt.name, in, tt.k, tt.w, got, tt.want)
		}
	}
}

func TestCandidatesCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ps := randomPostings(rand.New(rand.NewPCG(5, 6)), 1000, 50, 10)
	if _, err := Candidates(ctx, ps, PairOptions{MaxDF: 100, SoloDF: 4}); err != context.Canceled {
		t.Errorf("Candidates(cancelled) = %v, want context.Canceled", err)
	}
}

// TestCandidatesInPasses: pairs built in many small ranges of A (as on
// corpora with more than keysPerPass pair keys) are the pairs built at once.
func TestCandidatesInPasses(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, perPass := range []int{1, 7, 100} {
		for range 20 {
			ps := randomPostings(r, 600, 40, 30)
			wantPairs, wantBoiler, wantRare := bruteCandidates(ps, 10, 3, 4, 50)
			old := keysPerPass
			keysPerPass = perPass
			sh, err := Candidates(context.Background(), ps, PairOptions{MaxDF: 10, SoloDF: 3, RareDF: 4, Near: 50, Workers: 1 + perPass%3})
			keysPerPass = old
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(sh.Pairs, wantPairs) || !slices.Equal(sh.Boilerplate, wantBoiler) || !slices.Equal(rarePostings(sh.Rare), wantRare) {
				t.Fatalf("keysPerPass %d: Candidates = %+v, want %v, %v, %v", perPass, sh, wantPairs, wantBoiler, wantRare)
			}
		}
	}
}

// TestRareWithin checks Rare.Within against a scan of every rare posting.
func TestRareWithin(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	ps := randomPostings(r, 3000, 400, 20)
	sh, err := Candidates(context.Background(), ps, PairOptions{MaxDF: 100, SoloDF: 2, RareDF: 6})
	if err != nil {
		t.Fatal(err)
	}
	rare := rarePostings(sh.Rare)
	for range 2000 {
		d := uint32(r.IntN(22)) // beyond the documents too
		from := int32(r.IntN(1100)) - 50
		to := from + int32(r.IntN(200))
		k, maxDF := 1+r.IntN(5), 1+r.IntN(7)
		want := false
		for _, p := range rare {
			if p.Doc == d && int32(p.Pos) >= from && int32(p.Pos)+int32(k) <= to && int(p.Hash) <= maxDF {
				want = true
			}
		}
		if got := sh.Rare.Within(d, from, to, k, maxDF); got != want {
			t.Fatalf("Within(%d, %d, %d, %d, %d) = %v, want %v", d, from, to, k, maxDF, got, want)
		}
	}
}
