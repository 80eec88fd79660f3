package candidate

import (
	"cmp"
	"context"
	"encoding/binary"
	"math/rand/v2"
	"slices"
	"testing"
	"unsafe"

	"github.com/reuse-tool/reuse/internal/postings"
	"github.com/reuse-tool/reuse/shingle"
)

// bruteShuffle is the shuffle by its definition: for every hash, the set
// of documents holding it (and each one's first position, flagged
// Repeated when it holds it twice); sets of more than MaxDF documents give their postings
// to boilerplate, sets of 2..MaxDF a key to each of their pairs; a pair
// is a candidate when the rules keep its keys, with the places of its
// shared fingerprints as anchors. Rare
// postings are those of hashes held by 2..RareDF documents, as (document,
// position, df) sorted.
func bruteShuffle(ps []postings.Posting, r Rules) (Range, []postings.Posting, [][3]uint32) {
	pos := make(map[uint64]map[uint32]uint32)
	quoted := make(map[[2]uint64]bool)   // (hash, document): inside a quotation at one of its places
	around := make(map[[2]uint64]uint32) // (hash, document): the digest at its place, held once
	for _, p := range ps {
		around[[2]uint64{p.Hash, uint64(p.Doc)}] = p.Around
		if pos[p.Hash] == nil {
			pos[p.Hash] = make(map[uint32]uint32)
		}
		switch {
		case p.Pos >= Repeated: // a place beyond what a Key holds
			p.Pos = Repeated - 1
		case p.Pos&postings.Quoted != 0:
			quoted[[2]uint64{p.Hash, uint64(p.Doc)}] = true
			p.Pos &^= postings.Quoted
		}
		if old, ok := pos[p.Hash][p.Doc]; ok {
			pos[p.Hash][p.Doc] = min(old&^Repeated, p.Pos) | Repeated
		} else {
			pos[p.Hash][p.Doc] = p.Pos
		}
	}
	for _, set := range pos {
		for d, p := range set {
			if p&^Repeated == Repeated-1 {
				set[d] = Repeated | (Repeated - 1) // repeated, at no place
			}
		}
	}
	var boiler []postings.Posting
	var rare [][3]uint32
	for _, p := range ps {
		p.Pos &^= postings.Quoted
		if df := len(pos[p.Hash]); df > r.MaxDF {
			boiler = append(boiler, p)
		} else if df >= 2 && df <= r.RareDF {
			rare = append(rare, [3]uint32{p.Doc, p.Pos, uint32(df)})
		}
	}
	slices.SortFunc(rare, func(x, y [3]uint32) int { return slices.Compare(x[:], y[:]) })
	slices.SortFunc(boiler, func(x, y postings.Posting) int {
		return cmp.Or(cmp.Compare(x.Hash, y.Hash), postings.ByDocPos(x, y))
	})
	keys := make(map[[2]uint32][]Key)
	for h, set := range pos {
		if len(set) < 2 || len(set) > r.MaxDF {
			continue
		}
		for a, pa := range set {
			for b, pb := range set {
				if a < b {
					q := quoted[[2]uint64{h, uint64(a)}] || quoted[[2]uint64{h, uint64(b)}]
					run := uint8(UnknownRun)
					if (pa|pb)&Repeated == 0 {
						run = uint8(postings.Shared(around[[2]uint64{h, uint64(a)}], around[[2]uint64{h, uint64(b)}]))
					}
					keys[[2]uint32{a, b}] = append(keys[[2]uint32{a, b}], Key{A: a, B: b, PosA: pa, PosB: pb, DF: uint32(len(set)), Quoted: q, Run: run})
				}
			}
		}
	}
	// The rules by their words: solo or inside a quotation with the run,
	// three near one, or two near with a rare one.
	near := func(x, y Key) bool {
		if r.Near == 0 || (x.PosA|x.PosB|y.PosA|y.PosB)&Repeated != 0 {
			return true
		}
		da, db := int(x.PosA)-int(y.PosA), int(x.PosB)-int(y.PosB)
		return max(da, -da) <= r.Near && max(db, -db) <= r.Near
	}
	var out []Candidate
	var anchors []Anchor
	var pairs [][2]uint32
	for k := range keys {
		pairs = append(pairs, k)
	}
	slices.SortFunc(pairs, func(x, y [2]uint32) int { return cmp.Or(cmp.Compare(x[0], y[0]), cmp.Compare(x[1], y[1])) })
	for _, p := range pairs {
		ks := keys[p]
		solo, rare, most := false, false, 0
		for i, x := range ks {
			solo = solo || int(x.DF) <= r.SoloDF || x.Quoted && int(x.Run) >= r.QuoteRun
			rare = rare || int(x.DF) <= r.RareDF
			c := 0
			for j, y := range ks {
				if i == j || near(x, y) {
					c++
				}
			}
			most = max(most, c)
		}
		if solo || most >= 3 || most >= 2 && rare {
			c := Candidate{A: p[0], B: p[1], Shared: int32(len(ks)), AnchorFrom: int32(len(anchors))}
			var as []Anchor
			for _, k := range ks {
				as = append(as, Anchor{PosA: k.PosA, PosB: k.PosB, DF: k.DF})
			}
			if slices.ContainsFunc(ks, func(k Key) bool { return k.PosB&^Repeated == Repeated-1 }) {
				as = nil // B's place unknown: B is aligned whole
			}
			slices.SortFunc(as, func(x, y Anchor) int {
				return cmp.Or(cmp.Compare(x.PosB&^Repeated, y.PosB&^Repeated), cmp.Compare(x.PosA, y.PosA), cmp.Compare(x.DF, y.DF), cmp.Compare(x.PosB, y.PosB))
			})
			anchors = append(anchors, as...)
			c.AnchorTo = int32(len(anchors))
			out = append(out, c)
		}
	}
	return Range{Pairs: out, Anchors: anchors}, boiler, rare
}

// rareList lists r as (document, position, df).
func rareList(r Rare) [][3]uint32 {
	var out [][3]uint32
	for d := 0; d+1 < len(r.start); d++ {
		n := int(r.start[d+1] - r.start[d])
		b, err := r.file.GetRange(int(r.start[d]), n, nil)
		if err != nil {
			panic(err)
		}
		for i := range n {
			x := binary.LittleEndian.Uint64(b[i*entryBytes:])
			out = append(out, [3]uint32{uint32(d), uint32(x >> 32), uint32(x)})
		}
	}
	return out
}

// shuffleAll runs a Shuffle over ps in the given number of loads (cut at
// hash boundaries by partition, as the scan loads them) and returns every
// range's candidates joined, the boilerplate, and the rare postings.
func shuffleAll(t *testing.T, ps []postings.Posting, r Rules, docs, loads, workers int, memory int64) (Range, []postings.Numbered, [][3]uint32) {
	t.Helper()
	s := NewShuffle(r, docs, memory)
	defer s.Close()
	return shuffleWith(t, s, ps, loads, workers, false)
}

// shuffleWith is shuffleAll with a shuffle of the caller's, whose loads
// all go through Sketch first when sketch is set.
func shuffleWith(t *testing.T, s *Shuffle, ps []postings.Posting, loads, workers int, sketch bool) (Range, []postings.Numbered, [][3]uint32) {
	t.Helper()
	ctx := context.Background()
	load := func(l int) []postings.Posting {
		var load []postings.Posting
		for _, p := range ps {
			if int(p.Hash>>56)*loads/256 == l {
				load = append(load, p)
			}
		}
		return load
	}
	if sketch {
		for l := range loads {
			if err := s.Sketch(ctx, load(l), workers); err != nil {
				t.Fatal(err)
			}
		}
	}
	for l := range loads {
		if err := s.Add(ctx, load(l), workers); err != nil {
			t.Fatal(err)
		}
	}
	rare, err := s.Rare(ctx, workers)
	if err != nil {
		t.Fatal(err)
	}
	var out Range
	add := func(set Range) { out = joinRanges(out, set) }
	for rg := range s.Ranges() {
		// As a scan does: the range cut into parts whose keys fit the
		// shuffle's memory; every other range of one part whole (Pairs).
		cuts, err := s.Parts(ctx, rg, workers)
		if err != nil {
			t.Fatal(err)
		}
		if len(cuts) == 2 && rg%2 == 0 {
			set, err := s.Pairs(ctx, rg, workers)
			if err != nil {
				t.Fatal(err)
			}
			add(set)
			continue
		}
		if len(cuts) > 2 {
			multiPartRanges++
		}
		for i := range len(cuts) - 1 {
			set, err := s.PairsIn(ctx, rg, cuts[i], cuts[i+1], workers)
			if err != nil {
				t.Fatal(err)
			}
			add(set)
		}
	}
	return out, boilerplateOf(t, s, workers, []int64{1 << 40, numberedBytes}[workers%2]), rareList(rare)
}

// boilerplateOf returns s.Boilerplate, given maxBytes, sorted by
// fingerprint, document and place (as numberedOf numbers bruteShuffle's),
// after checking that its fingerprints are numbered from 0 without a
// gap: in order of fingerprint when held in memory; spooled, given a
// range of documents at a time, every posting of a document in one,
// ranges in order of their documents, the same at a second walk.
func boilerplateOf(t *testing.T, s *Shuffle, workers int, maxBytes int64) []postings.Numbered {
	t.Helper()
	b, fps, err := s.Boilerplate(context.Background(), workers, maxBytes)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	walk := func() (bp []postings.Numbered, calls int) {
		err := b.Each(context.Background(), func(ps []postings.Numbered) error {
			calls++
			if len(ps) == 0 {
				t.Fatalf("Boilerplate: a range of no postings")
			}
			low := slices.MinFunc(ps, func(x, y postings.Numbered) int { return cmp.Compare(x.Doc, y.Doc) }).Doc
			if len(bp) > 0 && low <= bp[len(bp)-1].Doc {
				t.Fatalf("Boilerplate: a range from document %d after one up to %d", low, bp[len(bp)-1].Doc)
			}
			sorted := slices.Clone(ps)
			slices.SortFunc(sorted, func(x, y postings.Numbered) int {
				return cmp.Or(cmp.Compare(x.Doc, y.Doc), cmp.Compare(x.Pos, y.Pos), cmp.Compare(x.FP, y.FP))
			})
			bp = append(bp, sorted...)
			slices.Reverse(ps) // Each's callers may reorder
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return bp, calls
	}
	bp, calls := walk()
	if again, _ := walk(); !slices.Equal(again, bp) {
		t.Fatalf("Boilerplate: a second walk differs")
	}
	if b.Len() != len(bp) {
		t.Fatalf("Boilerplate: Len %d, %d postings", b.Len(), len(bp))
	}
	if maxBytes >= int64(len(bp))*numberedBytes && calls > 1 {
		t.Fatalf("Boilerplate: %d postings within %d bytes given in %d ranges", len(bp), maxBytes, calls)
	}
	if b.spool == nil {
		// In memory: in order of fingerprint.
		b.Each(context.Background(), func(ps []postings.Numbered) error { bp = slices.Clone(ps); return nil })
		for i, p := range bp {
			if i == 0 && p.FP != 0 || i > 0 && p.FP != bp[i-1].FP && p.FP != bp[i-1].FP+1 {
				t.Fatalf("Boilerplate: fingerprint %d at %d of %d postings (%d fingerprints): not numbered in order", p.FP, i, len(bp), fps)
			}
		}
	}
	slices.SortStableFunc(bp, func(x, y postings.Numbered) int {
		return cmp.Or(cmp.Compare(x.FP, y.FP), cmp.Compare(x.Doc, y.Doc), cmp.Compare(x.Pos, y.Pos))
	})
	for i, p := range bp {
		if i == 0 && p.FP != 0 || i > 0 && p.FP != bp[i-1].FP && p.FP != bp[i-1].FP+1 || int(p.FP) >= fps {
			t.Fatalf("Boilerplate: fingerprint %d of %d postings (%d fingerprints): not numbered from 0 without a gap", p.FP, len(bp), fps)
		}
	}
	if len(bp) > 0 && int(bp[len(bp)-1].FP) != fps-1 {
		t.Fatalf("Boilerplate: %d fingerprints, the last numbered %d", fps, bp[len(bp)-1].FP)
	}
	return bp
}

// numberedOf numbers the fingerprints of ps, sorted by hash, from 0 in
// that order, as Shuffle.Boilerplate does.
func numberedOf(ps []postings.Posting) []postings.Numbered {
	out := make([]postings.Numbered, 0, len(ps))
	fp := uint32(0)
	for i, p := range ps {
		if i > 0 && p.Hash != ps[i-1].Hash {
			fp++
		}
		out = append(out, postings.Numbered{FP: fp, Doc: p.Doc, Pos: p.Pos})
	}
	return out
}

// joinRanges returns out with the candidates of set appended, their
// anchors after out's.
func joinRanges(out, set Range) Range {
	for _, c := range set.Pairs {
		c.AnchorFrom += int32(len(out.Anchors))
		c.AnchorTo += int32(len(out.Anchors))
		out.Pairs = append(out.Pairs, c)
	}
	out.Anchors = append(out.Anchors, set.Anchors...)
	return out
}

// multiPartRanges counts the ranges shuffleWith paired in several parts.
var multiPartRanges int

// randomPostings returns n postings over the given numbers of hashes and
// documents: small numbers make shared hashes, and documents holding a
// hash more than once, common; one in eight is inside a quotation. Their
// digests of the words around (postings.Around) are of their places
// (aroundOf).
func randomPostings(r *rand.Rand, n, hashes, docs int) []postings.Posting {
	ps := make([]postings.Posting, n)
	for i := range ps {
		ps[i] = postings.Posting{Hash: shingle.Mix64(uint64(r.IntN(hashes))), Doc: uint32(r.IntN(docs)), Pos: r.Uint32N(1000)}
		ps[i].Around = aroundOf(ps[i].Doc, ps[i].Pos)
		if r.IntN(8) == 0 { // inside a quotation of its document
			ps[i].Pos |= postings.Quoted
		}
	}
	return ps
}

// aroundOf returns a digest of the words around a shingle at place pos of
// document doc whose tokens have bits 1 or 2, or, one time in sixteen, 0
// (no token), so that two places share runs of every length.
func aroundOf(doc, pos uint32) uint32 {
	h := shingle.Mix64(uint64(doc)<<32 | uint64(pos))
	var d uint32
	for j := range 2 * postings.AroundTokens {
		if h>>(8*j)&15 != 0 {
			d |= uint32(1+h>>(8*j+4)&1) << (4 * j)
		}
	}
	return d
}

// TestShuffleBrute compares the shuffle with its definition on random
// postings: every rule, document frequency and position, in one load or
// several, with keys in memory or on disk, ranges paired whole or in
// parts (Parts), on 1 to 4 workers.
func TestShuffleBrute(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	multiPartRanges = 0
	defer func() {
		if !t.Failed() && multiPartRanges == 0 {
			t.Error("no range was paired in parts")
		}
	}()
	for _, n := range []int{0, 1, 2, 3, 10, 100, 257, 2000} {
		for _, hashes := range []int{1, 5, 300} {
			for _, docs := range []int{1, 4, 40, 200} {
				for _, maxDF := range []int{1, 2, 3, 1000} {
					rules := Rules{
						MaxDF: maxDF, SoloDF: []int{2, 4, 1000}[r.IntN(3)],
						RareDF: r.IntN(5), Near: []int{0, 0, 1, 30, 200}[r.IntN(5)],
						QuoteRun: r.IntN(UnknownRun + 2),
					}
					ps := randomPostings(r, n, hashes, docs)
					want, wantBoiler, wantRare := bruteShuffle(ps, rules)
					loads, workers := 1+r.IntN(3), 1+r.IntN(4)
					memory := []int64{0, 1 << 30, 100 * KeyBytes}[r.IntN(3)]
					got, boiler, rare := shuffleAll(t, slices.Clone(ps), rules, docs, loads, workers, memory)
					if !slices.Equal(got.Pairs, want.Pairs) || !slices.Equal(got.Anchors, want.Anchors) || !slices.Equal(rare, wantRare) || !slices.Equal(boiler, numberedOf(wantBoiler)) {
						t.Fatalf("n %d, %d hashes, %d docs, rules %+v, %d loads, %d workers, memory %d:\npairs %v\nwant  %v\nrare %v\nwant %v\nboilerplate %v\nwant        %v",
							n, hashes, docs, rules, loads, workers, memory, got.Pairs, want.Pairs, rare, wantRare, boiler, wantBoiler)
					}
				}
			}
		}
	}
}

// TestPartsReadKeysOnce: a range whose keys outgrow the memory for keys
// is paired in parts of whole slices, each key read back twice (counted,
// then placed), not once for every part of its range; and the parts give
// the candidates of the range paired whole.
func TestPartsReadKeysOnce(t *testing.T) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(3, 4))
	const docs = 4096
	ps := randomPostings(r, 40000, 2000, docs)
	rules := Rules{MaxDF: 1000, SoloDF: 4, RareDF: 5, Near: 30, QuoteRun: 4}
	pairs := func(memory int64) (Range, int64, int64, int) {
		s := NewShuffle(rules, docs, memory)
		defer s.Close()
		if err := s.Add(ctx, slices.Clone(ps), 2); err != nil {
			t.Fatal(err)
		}
		var out Range
		parts := 0
		for rg := range s.Ranges() {
			cuts, err := s.Parts(ctx, rg, 2)
			if err != nil {
				t.Fatal(err)
			}
			parts += len(cuts) - 1
			for i := range len(cuts) - 1 {
				set, err := s.PairsIn(ctx, rg, cuts[i], cuts[i+1], 2)
				if err != nil {
					t.Fatal(err)
				}
				out = joinRanges(out, set)
			}
		}
		return out, s.Keys(), s.keysRead.Load(), parts
	}
	want, keys, _, wholeParts := pairs(1 << 30)
	// A range's keys are about keys/64: a third of them fit.
	got, _, read, parts := pairs(keys / 64 / 3 * int64(unsafe.Sizeof(Key{})))
	if wholeParts != 64 || parts < 3*64 {
		t.Fatalf("%d keys in %d parts with the memory for them all, %d without", keys, wholeParts, parts)
	}
	if read > 2*keys {
		t.Errorf("%d keys in %d parts read back %d times: more than twice each", keys, parts, read)
	}
	if !slices.Equal(got.Pairs, want.Pairs) || !slices.Equal(got.Anchors, want.Anchors) {
		t.Errorf("%d candidates in parts, %d whole", len(got.Pairs), len(want.Pairs))
	}
}

// TestRules: one pair of documents per rule, with the fingerprint
// frequencies and positions that make or break it.
func TestRules(t *testing.T) {
	var ps []postings.Posting
	filler := uint32(20)
	// shared adds fingerprint h at positions pa in a and pb in b, and in
	// df-2 filler documents.
	shared := func(h uint64, a, b, pa, pb uint32, df int) {
		ps = append(ps, postings.Posting{Hash: h, Doc: a, Pos: pa}, postings.Posting{Hash: h, Doc: b, Pos: pb})
		for range df - 2 {
			ps = append(ps, postings.Posting{Hash: h, Doc: filler, Pos: 0})
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
	shared(11, 10, 11, 5, 5, 101) // 10~11: boilerplate only (df > MaxDF): no pair
	// quoted shares fingerprint h, quoted in a, with its 4 tokens before
	// and after as the digests tell them: the first before tokens before,
	// and after tokens after, alike.
	quoted := func(h uint64, a, b uint32, before, after int) {
		shared(h, a, b, 10, 10, 50)
		n := len(ps) - 48
		ps[n-2].Pos |= postings.Quoted
		ps[n-2].Around, ps[n-1].Around = 0x11111111, 0x22222222
		for j := range before {
			ps[n-1].Around ^= 3 << (4 * j)
		}
		for j := range after {
			ps[n-1].Around ^= 3 << (16 + 4*j)
		}
	}
	quoted(12, 12, 13, 1, 3) // 12~13: quoted, a run of 4 tokens more
	quoted(13, 14, 15, 0, 3) // 14~15: quoted, a run of 3 tokens more: no pair
	quoted(14, 16, 17, 4, 0) // 16~17: quoted, a run of 4 tokens more
	cands, boiler, _ := shuffleAll(t, ps, Rules{MaxDF: 100, SoloDF: 4, RareDF: 8, Near: 36, QuoteRun: 4}, int(filler), 1, 2, 1<<20)
	var got []Candidate
	for _, c := range cands.Pairs {
		if c.B < 20 {
			got = append(got, Candidate{A: c.A, B: c.B, Shared: c.Shared})
		}
	}
	want := []Candidate{{A: 0, B: 1, Shared: 1}, {A: 2, B: 3, Shared: 2}, {A: 6, B: 7, Shared: 3}, {A: 12, B: 13, Shared: 1}, {A: 16, B: 17, Shared: 1}}
	if !slices.Equal(got, want) {
		t.Errorf("candidates = %v, want %v", got, want)
	}
	if len(boiler) != 101 || boiler[100].FP != 0 {
		t.Errorf("boilerplate = %v, want 101 postings of one fingerprint (hash 11)", boiler)
	}
}

func TestRulesFor(t *testing.T) {
	for _, tt := range []struct {
		minWords, shingle, maxDF int
		want                     Rules
	}{
		{12, 5, 40, Rules{MaxDF: 40, SoloDF: 4, RareDF: 12, Near: 48, QuoteRun: 7}},
		{9, 5, 100, Rules{MaxDF: 100, SoloDF: 4, RareDF: 9, Near: 36, QuoteRun: 4}},
		{30, 5, 100, Rules{MaxDF: 100, SoloDF: 4, RareDF: 30, Near: 120, QuoteRun: UnknownRun}}, // as much as a Key tells
		{4, 5, 100, Rules{MaxDF: 100, SoloDF: 4, RareDF: 4, Near: 16, QuoteRun: 0}},             // the shingle is run enough
	} {
		if got := RulesFor(tt.minWords, tt.shingle, tt.maxDF); got != tt.want {
			t.Errorf("RulesFor(%d, %d, %d) = %+v, want %+v", tt.minWords, tt.shingle, tt.maxDF, got, tt.want)
		}
	}
}

func TestShuffleCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ps := randomPostings(rand.New(rand.NewPCG(5, 6)), 1000, 50, 10)
	s := NewShuffle(DefaultRules(9, 5), 10, 1<<20)
	defer s.Close()
	if err := s.Add(ctx, ps, 2); err != context.Canceled {
		t.Errorf("Add(cancelled) = %v, want context.Canceled", err)
	}
	if _, err := s.Pairs(ctx, 0, 2); err != context.Canceled {
		t.Errorf("Pairs(cancelled) = %v, want context.Canceled", err)
	}
}

// TestRareWithin checks Rare.Within against a scan of every rare posting.
func TestRareWithin(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	ps := randomPostings(r, 3000, 400, 20)
	_, _, rare := bruteShuffle(ps, Rules{MaxDF: 100, SoloDF: 2, RareDF: 6})
	s := NewShuffle(Rules{MaxDF: 100, SoloDF: 2, RareDF: 6}, 20, 1<<20)
	defer s.Close()
	if err := s.Add(context.Background(), ps, 2); err != nil {
		t.Fatal(err)
	}
	idx, err := s.Rare(context.Background(), 2)
	if err != nil {
		t.Fatal(err)
	}
	// RareOf of the same entries, in memory, and shuffled, answers alike.
	entries := make([][]RareEntry, 20)
	for _, p := range rare {
		entries[p[0]] = append(entries[p[0]], RareEntry{Pos: p[1], DF: p[2]})
	}
	for _, es := range entries {
		r.Shuffle(len(es), func(i, j int) { es[i], es[j] = es[j], es[i] })
	}
	mem := RareOf(entries)
	for range 2000 {
		d := uint32(r.IntN(22)) // beyond the documents too
		from := int32(r.IntN(1100)) - 50
		to := from + int32(r.IntN(200))
		k, maxDF := 1+r.IntN(5), 1+r.IntN(7)
		want := false
		for _, p := range rare {
			if p[0] == d && int32(p[1]) >= from && int32(p[1])+int32(k) <= to && int(p[2]) <= maxDF {
				want = true
			}
		}
		if got := idx.Within(d, from, to, k, maxDF); got != want {
			t.Fatalf("Within(%d, %d, %d, %d, %d) = %v, want %v", d, from, to, k, maxDF, got, want)
		}
		if got := mem.Within(d, from, to, k, maxDF); got != want {
			t.Fatalf("RareOf: Within(%d, %d, %d, %d, %d) = %v, want %v", d, from, to, k, maxDF, got, want)
		}
	}
}

// TestSplitAppendPairsBrute: another runner of the stage (the Beam
// pipeline) that cuts postings into partitions by hash, applies Split to
// each, groups the keys by first document in any order and asks
// AppendPairs, gets the candidates, rare postings and boilerplate of the
// shuffle's definition.
func TestSplitAppendPairsBrute(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	ctx := context.Background()
	for range 300 {
		rules := Rules{MaxDF: []int{2, 3, 1000}[r.IntN(3)], SoloDF: []int{2, 4}[r.IntN(2)], RareDF: r.IntN(5), Near: []int{0, 1, 30}[r.IntN(3)]}
		docs := 1 + r.IntN(60)
		ps := randomPostings(r, r.IntN(600), 1+r.IntN(100), docs)
		want, wantBoiler, wantRare := bruteShuffle(ps, rules)
		parts := 1 + r.IntN(5)
		byA := make(map[uint32][]Key)
		var boiler []postings.Posting
		var rare [][3]uint32
		for p := range parts {
			var load []postings.Posting
			for _, x := range ps {
				if int(x.Hash%uint64(parts)) == p {
					load = append(load, x)
				}
			}
			slices.SortFunc(load, func(x, y postings.Posting) int { return cmp.Compare(x.Hash, y.Hash) })
			err := rules.Split(ctx, load, nil, Outputs{
				Boilerplate: func(run []postings.Posting) error { boiler = append(boiler, run...); return nil },
				Rare: func(x postings.Posting, df uint32) error {
					rare = append(rare, [3]uint32{x.Doc, x.Pos, df})
					return nil
				},
				Keys: func(ks []Key) error {
					for _, k := range ks {
						byA[k.A] = append(byA[k.A], k)
					}
					return nil
				},
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		var (
			got     Range
			scratch []Key
		)
		for a := range uint32(docs) {
			ks := byA[a]
			r.Shuffle(len(ks), func(i, j int) { ks[i], ks[j] = ks[j], ks[i] })
			got, scratch = rules.AppendPairs(got, ks, scratch)
		}
		slices.SortFunc(rare, func(x, y [3]uint32) int { return slices.Compare(x[:], y[:]) })
		slices.SortFunc(boiler, func(x, y postings.Posting) int {
			return cmp.Or(cmp.Compare(x.Hash, y.Hash), postings.ByDocPos(x, y))
		})
		if !slices.Equal(got.Pairs, want.Pairs) || !slices.Equal(got.Anchors, want.Anchors) || !slices.Equal(rare, wantRare) || !slices.Equal(boiler, wantBoiler) {
			t.Fatalf("rules %+v, %d parts:\npairs %v\nwant  %v\nrare %v\nwant %v\nboilerplate %v\nwant        %v",
				rules, parts, got.Pairs, want.Pairs, rare, wantRare, boiler, wantBoiler)
		}
	}
}

// TestMerge: Merge joins the fingerprints' and the keys' candidates by
// pair; a pair the keys alone make must pass keyOnly on its keys held by
// at most keyOnly.MaxDF documents, and a pair the fingerprints make keeps
// all its keys' places, however common.
func TestMerge(t *testing.T) {
	fp := Range{
		Pairs: []Candidate{
			{A: 0, B: 1, Shared: 2, AnchorFrom: 0, AnchorTo: 2},
			{A: 0, B: 4, Shared: 1, AnchorFrom: 2, AnchorTo: 3},
		},
		Anchors: []Anchor{{PosA: 5, PosB: 7, DF: 2}, {PosA: 9, PosB: 11, DF: 2}, {PosA: 1, PosB: 1, DF: 9}},
	}
	keys := Range{
		Pairs: []Candidate{
			{A: 0, B: 1, AnchorFrom: 0, AnchorTo: 1},
			{A: 0, B: 2, AnchorFrom: 1, AnchorTo: 3}, // two rare keys near each other
			{A: 0, B: 3, AnchorFrom: 3, AnchorTo: 5}, // two common keys
			{A: 0, B: 4, AnchorFrom: 5, AnchorTo: 7}, // common, but the fingerprints pair it
			{A: 0, B: 5, AnchorFrom: 7, AnchorTo: 9}, // rare keys, far apart
		},
		Anchors: []Anchor{
			{PosA: 50, PosB: 60, DF: 40},
			{PosA: 10, PosB: 20, DF: 2}, {PosA: 30, PosB: 40, DF: 3},
			{PosA: 10, PosB: 20, DF: 10}, {PosA: 30, PosB: 40, DF: 10},
			{PosA: 10, PosB: 20, DF: 10}, {PosA: 30, PosB: 40, DF: 10},
			{PosA: 10, PosB: 20, DF: 2}, {PosA: 900, PosB: 1000, DF: 2},
		},
	}
	got := Merge(fp, keys, Rules{MaxDF: 3, RareDF: 3, Near: 200})
	type pair struct {
		a, b           uint32
		anchors, keyed int
	}
	var have []pair
	for _, c := range got.Pairs {
		have = append(have, pair{c.A, c.B, int(c.AnchorTo - c.AnchorFrom), int(c.KeyTo - c.KeyFrom)})
	}
	want := []pair{{0, 1, 2, 1}, {0, 2, 0, 2}, {0, 4, 1, 2}}
	if !slices.Equal(have, want) {
		t.Errorf("Merge = %v, want %v (a, b, anchors, keys)", have, want)
	}
	if k := got.Keys[got.Pairs[0].KeyFrom]; k != keys.Anchors[0] {
		t.Errorf("Merge: pair (0,1) key %v, want %v", k, keys.Anchors[0])
	}
}

// randomShuffle returns postings of a random number of documents, and
// random rules to shuffle them by.
func randomShuffle(r *rand.Rand) (docs int, ps []postings.Posting, rules Rules) {
	docs = []int{2, 5, 40}[r.IntN(3)]
	ps = randomPostings(r, []int{10, 200, 2000}[r.IntN(3)], []int{5, 50, 300}[r.IntN(3)], docs)
	rules = Rules{MaxDF: []int{2, 3, 6, 1000}[r.IntN(4)], SoloDF: 1 + r.IntN(4), RareDF: r.IntN(5), Near: []int{0, 30, 200}[r.IntN(3)]}
	return docs, ps, rules
}

// TestShuffleFrequencies: a shuffle of some documents' postings, counting
// the document frequencies of all of them (SetFrequencies), finds what
// the shuffle of all the postings finds among those documents: their
// candidate pairs with the same keys and anchors, their rare postings,
// their boilerplate.
func TestShuffleFrequencies(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	for range 300 {
		docs, ps, rules := randomShuffle(r)
		in := make([]bool, docs)
		for d := range in {
			in[d] = r.IntN(3) > 0
		}
		holders := make(map[uint64]map[uint32]bool)
		var some []postings.Posting
		for _, p := range ps {
			if holders[p.Hash] == nil {
				holders[p.Hash] = make(map[uint32]bool)
			}
			holders[p.Hash][p.Doc] = true
			if in[p.Doc] {
				some = append(some, p)
			}
		}
		all, allBoiler, allRare := bruteShuffle(ps, rules)
		want := pairsWhere(all, func(c Candidate) bool { return in[c.A] && in[c.B] })
		wantBoiler := slices.DeleteFunc(allBoiler, func(p postings.Posting) bool { return !in[p.Doc] })
		wantRare := slices.DeleteFunc(allRare, func(x [3]uint32) bool { return !in[x[0]] })

		s := NewShuffle(rules, docs, []int64{0, 1 << 20}[r.IntN(2)])
		s.SetFrequencies(func(hs []uint64, dst []int) {
			if !slices.IsSorted(hs) {
				t.Fatalf("frequencies asked of hashes out of order: %x", hs)
			}
			for i, h := range hs {
				dst[i] = len(holders[h])
			}
		})
		ctx := context.Background()
		workers := 1 + r.IntN(3)
		if err := s.Add(ctx, slices.Clone(some), workers); err != nil {
			t.Fatal(err)
		}
		rare, err := s.Rare(ctx, workers)
		if err != nil {
			t.Fatal(err)
		}
		var got Range
		for rg := range s.Ranges() {
			set, err := s.Pairs(ctx, rg, workers)
			if err != nil {
				t.Fatal(err)
			}
			got = joinRanges(got, set)
		}
		if boiler := boilerplateOf(t, s, 2, []int64{1 << 40, numberedBytes * int64(1+r.IntN(8))}[r.IntN(2)]); !slices.Equal(got.Pairs, want.Pairs) || !slices.Equal(got.Anchors, want.Anchors) ||
			!slices.Equal(rareList(rare), wantRare) || !slices.Equal(boiler, numberedOf(wantBoiler)) {
			t.Fatalf("%d docs, rules %+v, documents added %v:\npairs %v\nwant  %v\nrare %v\nwant %v\nboilerplate %v\nwant        %v",
				docs, rules, in, got.Pairs, want.Pairs, rareList(rare), wantRare, boiler, wantBoiler)
		}
		if bp, _, err := s.Boilerplate(context.Background(), 2, 1<<40); err != nil || bp.Len() != 0 {
			t.Fatalf("Boilerplate() a second time = %d postings, %v; want none", bp.Len(), err)
		}
		s.Close()
	}
}

// pairsWhere returns the candidates of all that keep reports true for,
// with their anchors.
func pairsWhere(all Range, keep func(c Candidate) bool) Range {
	var out Range
	for _, c := range all.Pairs {
		if keep(c) {
			as := all.Anchors[c.AnchorFrom:c.AnchorTo]
			c.AnchorFrom = int32(len(out.Anchors))
			out.Anchors = append(out.Anchors, as...)
			c.AnchorTo = int32(len(out.Anchors))
			out.Pairs = append(out.Pairs, c)
		}
	}
	return out
}

// TestRulesSymmetric: the rules do not depend on which document of a
// pair is A (an archive check applies them before it knows the pair's
// order).
func TestRulesSymmetric(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	for range 20000 {
		rules := Rules{MaxDF: 100, SoloDF: 1 + r.IntN(5), RareDF: r.IntN(12), Near: []int{0, 5, 36, 200}[r.IntN(4)]}
		keys := make([]Key, 1+r.IntN(6))
		for i := range keys {
			keys[i] = Key{A: 1, B: 2, PosA: r.Uint32N(300), PosB: r.Uint32N(300), DF: 2 + r.Uint32N(20)}
			if r.IntN(20) == 0 {
				keys[i].PosA |= Repeated
			}
		}
		swapped := make([]Key, len(keys))
		for i, k := range keys {
			swapped[i] = Key{A: k.B, B: k.A, PosA: k.PosB, PosB: k.PosA, DF: k.DF}
		}
		r.Shuffle(len(swapped), func(i, j int) { swapped[i], swapped[j] = swapped[j], swapped[i] })
		if a, b := rules.Pair(slices.Clone(keys)), rules.Pair(swapped); a != b {
			t.Fatalf("rules %+v: Pair(%v) = %v, swapped %v", rules, keys, a, b)
		}
	}
}

// TestSortByB: the packed sort (below 256 keys) and the radix sort by B
// against a stable comparison sort, for B of one, two and three radix
// digits.
func TestSortByB(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var scratch []Key
	for _, n := range []int{0, 1, 2, 7, 100, 255, 256, 1000, 5000} {
		for _, bMax := range []int{10, 3000, 1 << 24} {
			keys := make([]Key, n)
			for i := range keys {
				keys[i] = Key{A: 1, B: uint32(r.IntN(bMax)), PosA: uint32(i), PosB: r.Uint32(), DF: 2}
			}
			want := slices.Clone(keys)
			slices.SortStableFunc(want, func(x, y Key) int { return cmp.Compare(x.B, y.B) })
			scratch = sortByB(keys, scratch)
			if !slices.Equal(keys, want) {
				t.Fatalf("n %d, B below %d: sortByB did not sort by B stably", n, bMax)
			}
		}
	}
}

// TestAnchorsOrder: Anchors lists a pair's keys in one total order,
// whichever sort it takes (insertion, packed, comparison: short lists,
// longer ones whose places fit in an integer with their index, and
// others), with ties on every field but the repeated flag of B.
func TestAnchorsOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	sizes := []int{1100, 2000}
	for n := range 80 {
		sizes = append(sizes, n)
	}
	for _, n := range sizes {
		for trial := range 20 {
			places := uint32(4) // ties
			if trial%4 == 3 {
				places = Repeated - 1 // places too large to pack
			}
			keys := make([]Key, n)
			for i := range keys {
				keys[i] = Key{A: 1, B: 2, PosA: r.Uint32N(places), PosB: r.Uint32N(places), DF: uint32(2 + r.IntN(2))}
				if trial%4 >= 2 { // repeated places in A, packed or not
					keys[i].PosA |= r.Uint32() & Repeated
				}
				if r.IntN(3) == 0 {
					keys[i].PosB |= Repeated
				}
			}
			want := make([]Anchor, 0, n)
			for _, k := range keys {
				want = append(want, Anchor{PosA: k.PosA, PosB: k.PosB, DF: k.DF})
			}
			slices.SortStableFunc(want, func(x, y Anchor) int {
				return cmp.Or(cmp.Compare(x.PosB&^Repeated, y.PosB&^Repeated), cmp.Compare(x.PosA, y.PosA), cmp.Compare(x.DF, y.DF), cmp.Compare(x.PosB, y.PosB))
			})
			if got := Anchors(nil, keys); !slices.Equal(got, want) {
				t.Fatalf("%d keys: Anchors = %v, want %v", n, got, want)
			}
		}
	}
}

// TestRunPlaces: the documents of a fingerprint's postings and each one's
// first place, flagged when repeated, for runs sorted by insertion (up to
// 32 postings) and as packed integers; the run itself ends sorted by
// document and place, its Quoted flags cleared. Some places are unknown
// (bit 31 set, as in documents over a gigabyte).
func TestRunPlaces(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	var scratch []uint64
	for n := range 300 {
		run := make([]postings.Posting, n)
		for i := range run {
			run[i] = postings.Posting{Hash: 7, Doc: r.Uint32N(uint32(n/2 + 1)), Pos: r.Uint32N(1000)}
			switch r.IntN(10) {
			case 0:
				run[i].Pos = Repeated | r.Uint32N(postings.Quoted)
			case 1:
				run[i].Pos = postings.Quoted - 1 - r.Uint32N(1000) // a high place
			}
			// The digest of a place: postings of one place agree on it.
			run[i].Around = uint32(shingle.Mix64(uint64(run[i].Doc)<<32 | uint64(run[i].Pos)))
		}
		first := map[uint32]uint32{}
		firstAround := map[uint32]uint32{}
		count := map[uint32]int{}
		quotedIn := map[uint32]bool{}
		for i, p := range run {
			if q, ok := first[p.Doc]; !ok || p.Pos < q {
				first[p.Doc] = p.Pos
				firstAround[p.Doc] = p.Around
			}
			count[p.Doc]++
			if r.IntN(4) == 0 && p.Pos < Repeated { // inside a quotation of its document
				run[i].Pos |= postings.Quoted
				quotedIn[p.Doc] = true
			}
		}
		wantRun := slices.Clone(run)
		for i := range wantRun {
			wantRun[i].Pos &^= postings.Quoted
		}
		slices.SortFunc(wantRun, postings.ByDocPos)
		var wantDocs, wantPos, wantAround []uint32
		var wantQuoted []bool
		for d := range first {
			wantDocs = append(wantDocs, d)
		}
		slices.Sort(wantDocs)
		for _, d := range wantDocs {
			p := first[d]
			switch {
			case p >= Repeated: // a place not known
				p = Repeated | (Repeated - 1)
			case count[d] > 1:
				p |= Repeated
			}
			wantPos = append(wantPos, p)
			wantQuoted = append(wantQuoted, quotedIn[d])
			wantAround = append(wantAround, firstAround[d])
		}
		var got Places
		if n%2 == 0 {
			got = RunPlaces(Places{}, run)
		} else {
			got = runPlaces(Places{}, run, &scratch)
		}
		if !slices.Equal(got.Docs, wantDocs) || !slices.Equal(got.Pos, wantPos) || !slices.Equal(got.Quoted, wantQuoted) || !slices.Equal(got.Around, wantAround) {
			t.Fatalf("%d postings: RunPlaces = %+v, want %v %v %v %x", n, got, wantDocs, wantPos, wantQuoted, wantAround)
		}
		if !slices.Equal(run, wantRun) {
			t.Fatalf("%d postings: RunPlaces left the run %v, want %v", n, run, wantRun)
		}
	}
}

// TestShufflePlaceKeys: ranges of many first documents, whose keys
// placeKeys lays out in buckets of several documents before placing them
// at their own, and whose anchors are written in blocks of 256 first
// documents, give the brute force's candidates: 20,000 fingerprints held
// by 2 to 4 of 70,000 documents (1,094 a range, buckets of 5), one
// posting in 50 at a place beyond what a Key holds (a pair with such a
// place in B has no anchors).
func TestShufflePlaceKeys(t *testing.T) {
	r := rand.New(rand.NewPCG(19, 20))
	const docs = 70000
	var ps []postings.Posting
	for h := range uint64(20000) {
		for range 2 + r.IntN(3) {
			p := postings.Posting{Hash: shingle.Mix64(h), Doc: r.Uint32N(docs), Pos: r.Uint32N(500)}
			if r.IntN(50) == 0 {
				p.Pos += Repeated
			}
			ps = append(ps, p)
		}
	}
	rules := Rules{MaxDF: 100, SoloDF: 4, RareDF: 4, Near: 0}
	want, _, _ := bruteShuffle(ps, rules)
	unanchored := 0
	for _, c := range want.Pairs {
		if c.AnchorFrom == c.AnchorTo {
			unanchored++
		}
	}
	for _, workers := range []int{1, 3} {
		got, _, _ := shuffleAll(t, slices.Clone(ps), rules, docs, 2, workers, 1<<30)
		if len(want.Pairs) < 10000 || unanchored < 100 || !slices.Equal(got.Pairs, want.Pairs) || !slices.Equal(got.Anchors, want.Anchors) {
			t.Fatalf("%d workers: %d candidates, want the brute force's %d (at least 10,000, %d without anchors, at least 100)", workers, len(got.Pairs), len(want.Pairs), unanchored)
		}
	}
}

// TestAnchorPairOnly: a fingerprint held by the two documents of its pair
// only, once in each, is the pair's own.
func TestAnchorPairOnly(t *testing.T) {
	for _, tc := range []struct {
		a    Anchor
		want bool
	}{
		{Anchor{PosA: 3, PosB: 9, DF: 2}, true},
		{Anchor{PosA: 3, PosB: 9, DF: 3}, false},
		{Anchor{PosA: 3 | Repeated, PosB: 9, DF: 2}, false},
		{Anchor{PosA: 3, PosB: 9 | Repeated, DF: 2}, false},
	} {
		if got := tc.a.PairOnly(); got != tc.want {
			t.Errorf("%+v.PairOnly() = %v, want %v", tc.a, got, tc.want)
		}
	}
}

// TestSpooledKey: keys read back as the shuffle spooled them, at the
// edges of every field, each taking at most maxSpooledKeyBytes and small
// ones few.
func TestSpooledKey(t *testing.T) {
	const top = 1<<32 - 1
	tests := []struct {
		key      Key
		base     uint32
		maxBytes int
	}{
		{Key{A: 0, B: 1, PosA: 0, PosB: 0, DF: 2}, 0, 5},
		{Key{A: 70, B: 71, PosA: 63, PosB: 63, DF: 3, Run: 3}, 70, 5},
		{Key{A: 100, B: 5000, PosA: 600, PosB: 700, DF: 40, Quoted: true, Run: 8}, 90, 9},
		{Key{A: 7, B: top, PosA: Repeated | 12, PosB: Repeated | (Repeated - 1), DF: maxKeyDF, Quoted: true, Run: UnknownRun}, 0, maxSpooledKeyBytes},
		{Key{A: top - 1, B: top, PosA: Repeated - 1, PosB: Repeated, DF: 100}, 1 << 31, maxSpooledKeyBytes},
	}
	for _, tt := range tests {
		b := appendSpooledKey([]byte{0xff}, tt.key, tt.base)[1:]
		got, n := readSpooledKey(append(b, 0x80, 0x80), tt.base)
		if got != tt.key || n != len(b) || n > tt.maxBytes {
			t.Errorf("%+v from %d: read %+v in %d of %d bytes (at most %d)", tt.key, tt.base, got, n, len(b), tt.maxBytes)
		}
	}
	r := rand.New(rand.NewPCG(7, 8))
	var b []byte
	for range 10000 {
		base := r.Uint32N(1 << 22)
		k := Key{A: base + r.Uint32N(1<<12), PosA: r.Uint32(), PosB: r.Uint32N(1 << 14), DF: r.Uint32N(maxKeyDF + 1), Quoted: r.IntN(2) == 0, Run: uint8(r.IntN(UnknownRun + 1))}
		k.B = k.A + 1 + r.Uint32N(top-k.A)
		b = appendSpooledKey(b[:0], k, base)
		if got, n := readSpooledKey(b, base); got != k || n != len(b) {
			t.Fatalf("%+v from %d: read %+v in %d of %d bytes", k, base, got, n, len(b))
		}
	}
	if _, n := readSpooledKey(b[:len(b)-1], 0); n != 0 {
		t.Errorf("a key cut short read in %d bytes", n)
	}
}

// FuzzSpooledKey: any bytes read as a spooled key give a key that spools
// back to the same bytes, or none; nothing panics.
func FuzzSpooledKey(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0, 64}, uint32(0))
	f.Add(appendSpooledKey(nil, Key{A: 9, B: 400, PosA: Repeated | 3, PosB: 77, DF: 12, Quoted: true, Run: 5}, 8), uint32(8))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, uint32(1))
	f.Fuzz(func(t *testing.T, b []byte, base uint32) {
		k, n := readSpooledKey(b, base)
		if n <= 0 {
			return
		}
		if n > len(b) || n > maxSpooledKeyBytes {
			t.Fatalf("read %d bytes of %d", n, len(b))
		}
		if k.A < base || k.B <= k.A {
			return // wrapped around: no key of the shuffle's
		}
		if again, m := readSpooledKey(appendSpooledKey(nil, k, base), base); again != k || m <= 0 {
			t.Fatalf("%+v spooled and read back as %+v", k, again)
		}
	})
}

// TestShuffleInvolving: with SetInvolving, the shuffle gives the
// candidates of the pairs with an involved document, with the anchors,
// rare postings and boilerplate of a shuffle without it, sketched or
// not; and KeysAbout counts the keys of those pairs only.
func TestShuffleInvolving(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	dropped := 0
	for range 300 {
		docs, ps, rules := randomShuffle(r)
		in := make([]bool, docs)
		for d := range in {
			in[d] = r.IntN(3) == 0
		}
		involving := func(d uint32) bool { return in[d] }
		all, wantBoiler, wantRare := bruteShuffle(ps, rules)
		want := pairsWhere(all, func(c Candidate) bool { return in[c.A] || in[c.B] })
		dropped += len(all.Pairs) - len(want.Pairs)

		s := NewShuffle(rules, docs, []int64{0, 1 << 20}[r.IntN(2)])
		s.SetInvolving(involving)
		sketch := r.IntN(2) == 0
		if sketch {
			s.SketchPairs(1<<20, int64(len(ps)))
		}
		got, boiler, rare := shuffleWith(t, s, slices.Clone(ps), 1+r.IntN(3), 1+r.IntN(3), sketch)
		if !slices.Equal(got.Pairs, want.Pairs) || !slices.Equal(got.Anchors, want.Anchors) ||
			!slices.Equal(rare, wantRare) || !slices.Equal(boiler, numberedOf(wantBoiler)) {
			t.Fatalf("%d docs, rules %+v, involved %v, sketch %v:\npairs %v\nwant  %v\nrare %v\nwant %v\nboilerplate %v\nwant        %v",
				docs, rules, in, sketch, got.Pairs, want.Pairs, rare, wantRare, boiler, wantBoiler)
		}
		s.Close()

		sorted := slices.Clone(ps)
		slices.SortFunc(sorted, func(a, b postings.Posting) int { return cmp.Compare(a.Hash, b.Hash) })
		s = NewShuffle(rules, docs, 0)
		s.SetInvolving(involving)
		wantKeys := int64(0)
		for lo := 0; lo < len(sorted); {
			hi := lo + 1
			for hi < len(sorted) && sorted[hi].Hash == sorted[lo].Hash {
				hi++
			}
			if n := hi - lo; n >= 2 && n <= rules.MaxDF {
				for i := lo; i < hi; i++ {
					for j := i + 1; j < hi; j++ {
						if in[sorted[i].Doc] || in[sorted[j].Doc] {
							wantKeys++
						}
					}
				}
			}
			lo = hi
		}
		if keys, err := s.KeysAbout(context.Background(), sorted); keys != wantKeys || err != nil {
			t.Fatalf("KeysAbout = %d, %v; want %d", keys, err, wantKeys)
		}
		s.Close()
	}
	if dropped == 0 {
		t.Error("no pair was left out: the test checks nothing")
	}
}
