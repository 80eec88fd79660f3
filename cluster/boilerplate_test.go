package cluster

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/reuse-tool/reuse/internal/postings"
	"github.com/reuse-tool/reuse/shingle"
)

// boilerplatePostings returns the postings of ps held by more than maxDF
// documents, sorted by hash, document and position, as the shuffle
// returns them (package candidate).
func boilerplatePostings(ps []postings.Posting, maxDF int) []postings.Posting {
	docs := make(map[uint64]map[uint32]bool)
	for _, p := range ps {
		if docs[p.Hash] == nil {
			docs[p.Hash] = make(map[uint32]bool)
		}
		docs[p.Hash][p.Doc] = true
	}
	var out []postings.Posting
	for _, p := range ps {
		if len(docs[p.Hash]) > maxDF {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(x, y postings.Posting) int {
		return cmp.Or(cmp.Compare(x.Hash, y.Hash), postings.ByDocPos(x, y))
	})
	return out
}

// fingerprints returns the winnowing fingerprints of text as postings of
// document doc.
func fingerprints(dst []postings.Posting, tk *shingle.Tokenizer, text string, doc uint32, k, w int) ([]postings.Posting, []shingle.Token) {
	toks := tk.Tokenize(nil, []byte(text))
	fps, _ := shingle.Winnow(nil, nil, shingle.Shingles(nil, toks, k), w)
	for _, f := range fps {
		dst = append(dst, postings.Posting{Hash: f.Hash, Doc: doc, Pos: f.Pos})
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
// other one the same header: Boilerplate makes one
// family of 1000 footers and one of 500 headers, each occurrence inside
// the shared text, at most window-1 tokens short at either end.
func TestBoilerplateFooter(t *testing.T) {
	const k, w, docs, maxDF = 5, 4, 1000, 50
	header := "This bulletin is published by the Harbour District Residents Association for its members"
	footer := "To stop receiving these messages reply with the word stop or write to the association office at the old station building and include your membership number"
	r := rand.New(rand.NewPCG(5, 6))
	tk := shingle.NewTokenizer()
	nHeader, nFooter := len(tokens(header)), len(tokens(footer))
	var ps []postings.Posting
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
	boiler := boilerplatePostings(ps, maxDF)
	inBoiler := make(map[[2]uint32]bool)
	for _, p := range boiler {
		inBoiler[[2]uint32{p.Doc, p.Pos}] = true
	}
	for _, p := range ps {
		pos, reg := int32(p.Pos), where[p.Doc]
		inside := pos >= reg.fStart && pos+k <= reg.fStart+int32(nFooter) ||
			reg.hStart >= 0 && pos >= reg.hStart && pos+k <= reg.hStart+int32(nHeader)
		if inside && !inBoiler[[2]uint32{p.Doc, p.Pos}] {
			t.Fatalf("posting %+v of the shared text not in boilerplate", p)
		}
	}
	fams, _, _ := Boilerplate(context.Background(), boiler, k, w)
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
		postings []postings.Posting
		k, w     int
		want     [][]Occurrence
	}{
		{"empty", nil, 3, 4, nil},
		{
			name: "one text in three documents",
			postings: []postings.Posting{
				{Hash: 1, Doc: 0, Pos: 10}, {Hash: 1, Doc: 1, Pos: 0}, {Hash: 1, Doc: 2, Pos: 5},
				{Hash: 2, Doc: 0, Pos: 13}, {Hash: 2, Doc: 1, Pos: 3}, {Hash: 2, Doc: 2, Pos: 8},
			},
			k: 3, w: 4,
			want: [][]Occurrence{{{0, 10, 16}, {1, 0, 6}, {2, 5, 11}}},
		},
		{
			name: "fingerprints more than a window apart",
			postings: []postings.Posting{
				{Hash: 1, Doc: 0, Pos: 0}, {Hash: 1, Doc: 1, Pos: 0},
				{Hash: 2, Doc: 0, Pos: 5}, {Hash: 2, Doc: 1, Pos: 6},
			},
			k: 3, w: 4,
			want: [][]Occurrence{{{0, 0, 3}, {1, 0, 3}}, {{0, 5, 8}, {1, 6, 9}}},
		},
		{
			// Winnowing leaves at most w shingles between fingerprints.
			name: "fingerprints a window apart",
			postings: []postings.Posting{
				{Hash: 1, Doc: 0, Pos: 0}, {Hash: 1, Doc: 1, Pos: 0},
				{Hash: 2, Doc: 0, Pos: 4}, {Hash: 2, Doc: 1, Pos: 4},
			},
			k: 3, w: 4,
			want: [][]Occurrence{{{0, 0, 7}, {1, 0, 7}}},
		},
		{
			// 1 is mostly followed by 2 and has no Prev: where 2's text
			// begins. 2 meets 3 at one of their two places each.
			name: "a text's first fingerprint joins it; one met beside it once does not",
			postings: []postings.Posting{
				{Hash: 1, Doc: 0, Pos: 0}, {Hash: 2, Doc: 0, Pos: 2},
				{Hash: 2, Doc: 1, Pos: 50}, {Hash: 3, Doc: 1, Pos: 52},
				{Hash: 3, Doc: 2, Pos: 7},
			},
			k: 2, w: 2,
			want: [][]Occurrence{{{0, 0, 4}, {1, 50, 52}}, {{1, 52, 54}, {2, 7, 9}}},
		},
		{
			// 4 follows 3 where it is found, and nothing follows 4.
			name: "a text's last fingerprint joins it",
			postings: []postings.Posting{
				{Hash: 2, Doc: 0, Pos: 0}, {Hash: 3, Doc: 0, Pos: 2}, {Hash: 4, Doc: 0, Pos: 4},
				{Hash: 2, Doc: 1, Pos: 0}, {Hash: 3, Doc: 1, Pos: 2},
				{Hash: 2, Doc: 2, Pos: 0}, {Hash: 3, Doc: 2, Pos: 2}, {Hash: 4, Doc: 2, Pos: 4},
			},
			k: 2, w: 2,
			want: [][]Occurrence{{{0, 0, 6}, {1, 0, 4}, {2, 0, 6}}},
		},
		{
			// Texts 1 2 and 5 6, each in four documents alone, printed
			// together in two with 9 between them: 9 mostly follows 2
			// and precedes 5, which are mostly alone. Three families,
			// where joining every fingerprint of a run made one.
			name: "a fingerprint between two texts joins neither",
			postings: func() []postings.Posting {
				var ps []postings.Posting
				for d := range uint32(4) {
					ps = append(ps, postings.Posting{Hash: 1, Doc: d, Pos: 0}, postings.Posting{Hash: 2, Doc: d, Pos: 2},
						postings.Posting{Hash: 5, Doc: 4 + d, Pos: 0}, postings.Posting{Hash: 6, Doc: 4 + d, Pos: 2})
				}
				for d := uint32(8); d < 10; d++ {
					for i, h := range []uint64{1, 2, 9, 5, 6} {
						ps = append(ps, postings.Posting{Hash: h, Doc: d, Pos: uint32(2 * i)})
					}
				}
				return ps
			}(),
			k: 2, w: 2,
			want: [][]Occurrence{
				{{0, 0, 4}, {1, 0, 4}, {2, 0, 4}, {3, 0, 4}, {8, 0, 4}, {9, 0, 4}},
				{{4, 0, 4}, {5, 0, 4}, {6, 0, 4}, {7, 0, 4}, {8, 6, 10}, {9, 6, 10}},
				{{8, 4, 6}, {9, 4, 6}},
			},
		},
		{
			// The gap after 1 (w > k) belongs to its occurrence: the
			// family's occurrences cover the run.
			name: "occurrences cover their run",
			postings: []postings.Posting{
				{Hash: 1, Doc: 0, Pos: 0}, {Hash: 1, Doc: 1, Pos: 0},
				{Hash: 7, Doc: 0, Pos: 4}, {Hash: 7, Doc: 2, Pos: 0},
			},
			k: 2, w: 4,
			want: [][]Occurrence{{{0, 0, 4}, {1, 0, 2}}, {{0, 4, 6}, {2, 0, 2}}},
		},
		{
			name: "families in order of first occurrence",
			postings: []postings.Posting{
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
		slices.SortStableFunc(ps, func(x, y postings.Posting) int { return cmp.Compare(x.Hash, y.Hash) })
		got, _, _ := Boilerplate(context.Background(), ps, tt.k, tt.w)
		if !slices.EqualFunc(got, tt.want, slices.Equal) {
			t.Errorf("%s: Boilerplate(%s, %d, %d) = %v, want %v", tt.name, in, tt.k, tt.w, got, tt.want)
		}
	}
}

func tokens(s string) []shingle.Token {
	return shingle.NewTokenizer().Tokenize(nil, []byte(s))
}

// TestBoilerplateUnsorted: postings in any order (numbered through a map)
// give the families of the same postings sorted by hash (numbered by
// runs), on generated footers and headers.
func TestBoilerplateUnsorted(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	tk := shingle.NewTokenizer()
	footer, header := randomText(r, 40), randomText(r, 25)
	var ps []postings.Posting
	for d := range uint32(300) {
		text := randomText(r, 30) + " " + footer
		if d%3 == 0 {
			text = header + " " + text
		}
		ps, _ = fingerprints(ps, tk, text, d, 5, 5)
	}
	sorted := boilerplatePostings(ps, 50)
	want, _, _ := Boilerplate(context.Background(), slices.Clone(sorted), 5, 5)
	shuffled := slices.Clone(sorted)
	r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	if got, _, _ := Boilerplate(context.Background(), shuffled, 5, 5); len(want) < 2 || !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("Boilerplate of shuffled postings: %d families, want the sorted postings' %d (at least 2)", len(got), len(want))
	}
}

// TestBoilerplateReference checks Boilerplate against a direct reading of
// its rules (majorities counted in maps, families joined by Joined,
// occurrences spanned per run) on 3,000 random inputs over 5 hashes:
// fingerprints that often meet, sometimes in the same order.
func TestBoilerplateReference(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	for iter := range 3000 {
		k, w := 1+r.IntN(4), 1+r.IntN(5)
		var ps []postings.Posting
		for d := range uint32(1 + r.IntN(8)) {
			pos := uint32(r.IntN(3))
			for range r.IntN(9) {
				ps = append(ps, postings.Posting{Hash: uint64(1 + r.IntN(5)), Doc: d, Pos: pos})
				pos += uint32(1 + r.IntN(w+2))
			}
		}
		in := fmt.Sprint(ps)
		wantFams, wantRuns := boilerplateRef(ps, k, w)
		shuffled := slices.Clone(ps)
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		gotFams, gotRuns, _ := Boilerplate(context.Background(), shuffled, k, w)
		if !slices.EqualFunc(gotFams, wantFams, slices.Equal) || !slices.Equal(gotRuns, wantRuns) {
			t.Fatalf("%d: Boilerplate(%s, %d, %d) =\n%v\n%v\nwant\n%v\n%v", iter, in, k, w, gotFams, gotRuns, wantFams, wantRuns)
		}
		if flat := flatten(gotFams); len(flat) > 0 && &flat[0] != &gotFams[0][0] {
			t.Fatalf("%d: Boilerplate's families are not laid out for Families to read in place", iter)
		}
		numbered, ids := numberedOf(t, shuffled)
		// In memory, and by ranges of documents cut at random places,
		// each range's postings in any order.
		for _, each := range []func(func([]postings.Numbered) error) error{Postings(numbered), inRanges(r, numbered)} {
			asideFams, asideRuns := asideResult(t, each, ids, k, w)
			if !slices.EqualFunc(asideFams, wantFams, slices.Equal) || !slices.Equal(asideRuns, wantRuns) {
				t.Fatalf("%d: BoilerplateAside(%s, %d, %d) =\n%v\n%v\nwant\n%v\n%v", iter, in, k, w, asideFams, asideRuns, wantFams, wantRuns)
			}
		}
	}
}

// asideResult returns what BoilerplateAside of each gives: the families
// loaded back, and the runs.
func asideResult(t *testing.T, each func(func([]postings.Numbered) error) error, ids, k, w int) ([][]Occurrence, []Occurrence) {
	t.Helper()
	aside, runs, _, err := BoilerplateAside(context.Background(), each, ids, k, w, Joining{})
	if err != nil {
		t.Fatal(err)
	}
	defer aside.Close()
	defer runs.Close()
	fams, err := aside.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return fams, runsOf(t, runs)
}

// runsOf returns the runs of rs.
func runsOf(t *testing.T, rs *Runs) []Occurrence {
	t.Helper()
	var out []Occurrence
	if err := rs.Each(context.Background(), func(o Occurrence) { out = append(out, o) }); err != nil {
		t.Fatal(err)
	}
	if len(out) != rs.Len() {
		t.Fatalf("Runs.Each gave %d runs, Len %d", len(out), rs.Len())
	}
	return out
}

// inRanges returns the each of BoilerplateAside for ps given by ranges of
// documents, cut at random documents, every walk giving each range's
// postings shuffled anew, as a caller that reads them from files does.
func inRanges(r *rand.Rand, ps []postings.Numbered) func(func([]postings.Numbered) error) error {
	ps = slices.Clone(ps)
	slices.SortFunc(ps, byDocPos)
	var cuts []int // range i: ps[cuts[i]:cuts[i+1]]
	cuts = append(cuts, 0)
	for i := 1; i < len(ps); i++ {
		if ps[i].Doc != ps[i-1].Doc && r.IntN(2) == 0 {
			cuts = append(cuts, i)
		}
	}
	cuts = append(cuts, len(ps))
	return func(fn func([]postings.Numbered) error) error {
		for i := range len(cuts) - 1 {
			part := slices.Clone(ps[cuts[i]:cuts[i+1]])
			if len(part) == 0 {
				continue
			}
			r.Shuffle(len(part), func(a, b int) { part[a], part[b] = part[b], part[a] })
			if err := fn(part); err != nil {
				return err
			}
		}
		return nil
	}
}

// numberedOf returns ps with their hashes numbered densely, in order of
// hash, as candidate.Shuffle.Boilerplate numbers them, and how many there
// are.
func numberedOf(t *testing.T, ps []postings.Posting) ([]postings.Numbered, int) {
	t.Helper()
	if len(ps) == 0 {
		return nil, 0
	}
	ps = slices.Clone(ps)
	ids, err := denseHashes(context.Background(), ps)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]postings.Numbered, len(ps))
	for i, p := range ps {
		out[i] = postings.Numbered{FP: uint32(p.Hash), Doc: p.Doc, Pos: p.Pos}
	}
	return out, ids
}

// boilerplateRef is Boilerplate read off its documentation, with maps.
func boilerplateRef(ps []postings.Posting, k, w int) ([][]Occurrence, []Occurrence) {
	ps = slices.Clone(ps)
	slices.SortFunc(ps, postings.ByDocPos)
	// Runs: fingerprints of one document at most w apart.
	var runs [][]postings.Posting
	for i, p := range ps {
		if i == 0 || p.Doc != ps[i-1].Doc || int(p.Pos-ps[i-1].Pos) > w {
			runs = append(runs, nil)
		}
		runs[len(runs)-1] = append(runs[len(runs)-1], p)
	}
	places := map[uint64]int{}
	after := map[uint64]map[uint64]int{}
	before := map[uint64]map[uint64]int{}
	for _, run := range runs {
		for i, p := range run {
			places[p.Hash]++
			if i+1 < len(run) {
				if after[p.Hash] == nil {
					after[p.Hash] = map[uint64]int{}
				}
				after[p.Hash][run[i+1].Hash]++
			}
			if i > 0 {
				if before[p.Hash] == nil {
					before[p.Hash] = map[uint64]int{}
				}
				before[p.Hash][run[i-1].Hash]++
			}
		}
	}
	maj := func(f uint64) Majority {
		var m Majority
		for g, n := range after[f] {
			if 2*n > places[f] {
				m.Next, m.HasNext = g, true
			}
		}
		for g, n := range before[f] {
			if 2*n > places[f] {
				m.Prev, m.HasPrev = g, true
			}
		}
		return m
	}
	parent := map[uint64]uint64{}
	var find func(x uint64) uint64
	find = func(x uint64) uint64 {
		if p, ok := parent[x]; ok && p != x {
			return find(p)
		}
		return x
	}
	for f := range places {
		for g := range places {
			if Joined(f, g, maj(f), maj(g)) {
				parent[find(f)] = find(g)
			}
		}
	}
	var flat []Occurrence
	type member struct {
		root uint64
		o    Occurrence
	}
	var members []member
	for _, run := range runs {
		flat = append(flat, Occurrence{Doc: run[0].Doc, Start: int32(run[0].Pos), End: int32(run[len(run)-1].Pos) + int32(k)})
		at := map[uint64]int{}
		for i, p := range run {
			end := int32(p.Pos) + int32(k)
			if i+1 < len(run) && int32(run[i+1].Pos) > end {
				end = int32(run[i+1].Pos)
			}
			root := find(p.Hash)
			if j, ok := at[root]; ok {
				members[j].o.End = max(members[j].o.End, end)
				continue
			}
			at[root] = len(members)
			members = append(members, member{root, Occurrence{Doc: p.Doc, Start: int32(p.Pos), End: end}})
		}
	}
	slices.SortStableFunc(members, func(x, y member) int {
		return cmp.Or(cmp.Compare(x.o.Doc, y.o.Doc), cmp.Compare(x.o.Start, y.o.Start))
	})
	var fams [][]Occurrence
	famOf := map[uint64]int{}
	for _, m := range members {
		f, ok := famOf[m.root]
		if !ok {
			f = len(fams)
			famOf[m.root] = f
			fams = append(fams, nil)
		}
		fams[f] = append(fams[f], m.o)
	}
	return fams, flat
}
