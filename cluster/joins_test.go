package cluster

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/reuse-tool/reuse/internal/postings"
	"github.com/reuse-tool/reuse/internal/testctx"
)

// joinCorpus is generated boilerplate: documents printing phrases of
// fingerprints (hashes), some phrases sharing fingerprints, with noise
// between and inside them.
func joinCorpus(rng *rand.Rand, from, to uint32, phrases [][]uint64, noise int) []postings.Posting {
	var ps []postings.Posting
	for d := from; d < to; d++ {
		pos := uint32(rng.IntN(3))
		for range 1 + rng.IntN(4) {
			ph := phrases[rng.IntN(len(phrases))]
			for _, h := range ph {
				if rng.IntN(8) == 0 {
					continue // a fingerprint winnowing picks otherwise here
				}
				if rng.IntN(noise) == 0 {
					ps = append(ps, postings.Posting{Hash: 20 + uint64(rng.IntN(6)), Doc: d, Pos: pos})
					pos += 1 + uint32(rng.IntN(2))
				}
				ps = append(ps, postings.Posting{Hash: h, Doc: d, Pos: pos})
				pos += 1 + uint32(rng.IntN(2))
			}
			pos += uint32(rng.IntN(8)) // a gap, sometimes past the window
		}
	}
	return ps
}

// boilerplateOf returns the postings of ps of the fingerprints held by
// more than maxDF documents of ps, numbered in order of hash, with the
// hashes.
func boilerplateOf(ps []postings.Posting, maxDF int) ([]postings.Numbered, []uint64) {
	held := map[uint64]map[uint32]bool{}
	for _, p := range ps {
		if held[p.Hash] == nil {
			held[p.Hash] = map[uint32]bool{}
		}
		held[p.Hash][p.Doc] = true
	}
	var hashes []uint64
	for h, ds := range held {
		if len(ds) > maxDF {
			hashes = append(hashes, h)
		}
	}
	slices.Sort(hashes)
	var out []postings.Numbered
	for _, p := range ps {
		if f, ok := slices.BinarySearch(hashes, p.Hash); ok {
			out = append(out, postings.Numbered{FP: uint32(f), Doc: p.Doc, Pos: p.Pos})
		}
	}
	return out, hashes
}

// TestJoinKept checks joinKept against joinTexts over every place: an
// archive's joins recorded, then a round of part of the archive and new
// documents joined by them, which must join its fingerprints as the
// whole archive and the new documents do, or say it cannot tell.
func TestJoinKept(t *testing.T) {
	const window, maxDF = 3, 4
	kept, doubts, changed, extra, crossings := 0, 0, 0, 0, 0
	intact, disturbedRounds := 0, 0
	for iter := range 400 {
		rng := rand.New(rand.NewPCG(uint64(iter), 7))
		archived := 20 + rng.IntN(60)
		phrases := [][]uint64{{1, 2, 3}, {3, 4}, {5, 6, 7, 8}, {7, 9}, {10, 11}, {12}, {2, 13, 14}}
		noise := 2 + rng.IntN(10) // one in noise places has a noise fingerprint before it
		all := joinCorpus(rng, 0, uint32(archived), phrases, noise)
		// New documents: some print new phrases, which may join old
		// ones.
		if rng.IntN(2) == 0 {
			for range 3 {
				phrases = append(phrases, []uint64{30, 31, 32}, []uint64{4, 33}, []uint64{34, 1})
			}
		}
		all = append(all, joinCorpus(rng, uint32(archived), uint32(archived+1+rng.IntN(12)), phrases, noise)...)
		var arch []postings.Posting
		for _, p := range all {
			if p.Doc < uint32(archived) {
				arch = append(arch, p)
			}
		}
		// The archive's joins, recorded.
		aps, ahashes := boilerplateOf(arch, maxDF)
		key := func(d uint32) uint64 { return uint64(d*7919) % 13 } // ties between documents
		_, recorded, err := joinFamilies(context.Background(), Postings(slices.Clone(aps)), len(ahashes), window, Joining{Hashes: ahashes, Record: true, Key: key})
		if err != nil {
			t.Fatal(err)
		}
		recorded.Joins.Renumber(func(d uint64) uint64 { return d + 1000 })
		joins, err := DecodeJoins(recorded.Joins.Encode())
		if err != nil {
			t.Fatal(err)
		}
		// Each family's holders: those of least key of its fingerprints.
		var fams []int32
		for i := range joins.Len() {
			fams = append(fams, joins.record(i).family)
		}
		wantHolders := map[int32][]uint64{}
		for i := range joins.Len() {
			least := uint32(1 << 31)
			for _, p := range aps {
				if int(p.FP) == i && (least == 1<<31 || key(p.Doc) < key(least) || key(p.Doc) == key(least) && p.Doc < least) {
					least = p.Doc
				}
			}
			f := joins.record(i).family
			if !slices.Contains(wantHolders[f], uint64(least)+1000) {
				wantHolders[f] = append(wantHolders[f], uint64(least)+1000)
			}
		}
		gotHolders := joins.Holders(fams)
		if len(gotHolders) != len(wantHolders) {
			t.Fatalf("iter %d: holders of %d families, want %d", iter, len(gotHolders), len(wantHolders))
		}
		for f, hs := range gotHolders {
			if slices.Sort(wantHolders[f]); !slices.Equal(hs, wantHolders[f]) {
				t.Fatalf("iter %d: family %d's holders of least key %v, want %v", iter, f, hs, wantHolders[f])
			}
		}
		// Every document's: the reference.
		wps, whashes := boilerplateOf(all, maxDF)
		want, _, err := joinFamilies(context.Background(), Postings(slices.Clone(wps)), len(whashes), window, Joining{})
		if err != nil {
			t.Fatal(err)
		}
		df := map[uint64]map[uint32]bool{}
		for _, p := range all {
			if df[p.Hash] == nil {
				df[p.Hash] = map[uint32]bool{}
			}
			df[p.Hash][p.Doc] = true
		}
		// A round: some archived documents and the new ones, numbered
		// afresh (new documents first, as a check's rounds have them).
		var round []postings.Posting
		in := map[uint32]bool{}
		for d := range uint32(archived) {
			in[d] = rng.IntN(3) == 0
		}
		// Often with every archived document holding a fingerprint that
		// is boilerplate only with the new documents (crossed).
		crossed := false
		if rng.IntN(3) > 0 {
			for _, p := range arch {
				if !slices.Contains(ahashes, p.Hash) && slices.Contains(whashes, p.Hash) {
					in[p.Doc], crossed = true, true
				}
			}
		}
		for _, p := range all {
			if p.Doc >= uint32(archived) || in[p.Doc] {
				round = append(round, p)
			}
		}
		var rps []postings.Numbered
		var rhashes []uint64
		for _, h := range whashes {
			if slices.ContainsFunc(round, func(p postings.Posting) bool { return p.Hash == h }) {
				rhashes = append(rhashes, h)
			}
		}
		for _, p := range round {
			if f, ok := slices.BinarySearch(rhashes, p.Hash); ok {
				rps = append(rps, postings.Numbered{FP: uint32(f), Doc: p.Doc, Pos: p.Pos})
			}
		}
		jn := Joining{
			Hashes:  rhashes,
			Kept:    joins,
			Counted: func(d uint32) bool { return d < uint32(archived) },
			DF:      func(h uint64) int { return len(df[h]) },
		}
		got, found, err := joinFamilies(context.Background(), Postings(rps), len(rhashes), window, jn)
		if err != nil {
			t.Fatal(err)
		}
		if !found.Kept {
			doubts++
			if found.Doubt == "" {
				t.Fatalf("%d: not joined by the kept joins, and no doubt said", iter)
			}
			continue
		}
		kept++
		if crossed {
			crossings++
		}
		for f := range int32(len(rhashes)) {
			for g := range f {
				wf, _ := slices.BinarySearch(whashes, rhashes[f])
				wg, _ := slices.BinarySearch(whashes, rhashes[g])
				if same, wantSame := got.find(f) == got.find(g), want.find(int32(wf)) == want.find(int32(wg)); same != wantSame {
					t.Fatalf("%d: fingerprints %d and %d joined: %v, want %v", iter, rhashes[f], rhashes[g], same, wantSame)
				}
			}
		}
		if slices.ContainsFunc(rhashes, func(h uint64) bool { return h >= 30 }) {
			extra++
		}
		// A kept family not Disturbed is a family of the round, alone,
		// as kept: the reference's.
		if !slices.IsSorted(found.Disturbed) {
			t.Fatalf("%d: Disturbed %v not sorted", iter, found.Disturbed)
		}
		keptFamily := func(f int32) (int32, bool) {
			k, ok := joins.find(rhashes[f])
			if !ok {
				return -1, false
			}
			return joins.record(int(k)).family, true
		}
		for f := range int32(len(rhashes)) {
			fam, ok := keptFamily(f)
			if _, disturbed := slices.BinarySearch(found.Disturbed, fam); !ok || disturbed {
				continue
			}
			intact++
			for g := range int32(len(rhashes)) {
				gam, ok := keptFamily(g)
				if same := got.find(f) == got.find(g); same != (ok && gam == fam) {
					t.Fatalf("%d: kept family %d, not disturbed: fingerprints %d and %d joined %v", iter, fam, rhashes[f], rhashes[g], same)
				}
			}
		}
		if len(found.Disturbed) > 0 {
			disturbedRounds++
		}
		if found.Exact != (len(found.Disturbed) == 0 && !slices.ContainsFunc(rhashes, func(h uint64) bool { _, ok := joins.find(h); return !ok })) {
			t.Fatalf("%d: Exact %v, with %d families disturbed", iter, found.Exact, len(found.Disturbed))
		}
		// Whether the new places changed a kept family.
		for f := range int32(len(rhashes)) {
			for g := range f {
				kf, okf := joins.find(rhashes[f])
				kg, okg := joins.find(rhashes[g])
				if okf && okg && (joins.record(int(kf)).family == joins.record(int(kg)).family) != (got.find(f) == got.find(g)) {
					changed++
				}
			}
		}
	}
	t.Logf("%d rounds joined by the kept joins (%d pairs of fingerprints joined otherwise than kept, %d with fingerprints of new documents alone, %d with archived ones that crossed), %d in doubt", kept, changed, extra, crossings, doubts)
	t.Logf("%d fingerprints of families not disturbed; %d rounds disturbed some", intact, disturbedRounds)
	if kept < 200 || doubts == 0 || changed == 0 || extra == 0 || crossings == 0 || intact == 0 || disturbedRounds == 0 {
		t.Errorf("%d rounds joined by the kept joins, %d in doubt, %d changed pairs: the test checks too little", kept, doubts, changed)
	}
}

func TestDecodeJoinsDamaged(t *testing.T) {
	for _, data := range [][]byte{nil, {1, 0, 0}, {2, 0, 0, 0, 1}, append([]byte{1, 0, 0, 0}, make([]byte, joinRecordBytes+1)...)} {
		if _, err := DecodeJoins(data); !errors.Is(err, ErrJoins) {
			t.Errorf("DecodeJoins(%v) = %v, want ErrJoins", data, err)
		}
	}
}

// TestHeavyBound checks heavy against counting: its bound is at least the
// places of every value, and within a fifth of the stream of the most.
func TestHeavyBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for iter := range 2000 {
		var h heavy
		counts := map[int32]int32{}
		n := rng.IntN(60)
		values := 1 + rng.IntN(9)
		for range n {
			v := int32(rng.IntN(values)) - 1 // -1: none, a value too
			if rng.IntN(3) == 0 {
				v = 0 // a frequent one
			}
			h.add(v)
			counts[v]++
		}
		most := int32(0)
		for _, c := range counts {
			most = max(most, c)
		}
		if b := h.bound(); b < most || b > most+int32(n)/(misraGries+1) {
			t.Fatalf("%d: bound %d of a stream of %d whose most frequent value has %d places (%v)", iter, b, n, most, counts)
		}
	}
}

// FuzzDecodeJoins: damaged joins are refused or, if they decode, used
// without a panic.
func FuzzDecodeJoins(f *testing.F) {
	rng := rand.New(rand.NewPCG(1, 2))
	ps, hashes := boilerplateOf(joinCorpus(rng, 0, 30, [][]uint64{{1, 2, 3}, {3, 4}, {5}}, 4), 3)
	_, found, err := joinFamilies(context.Background(), Postings(ps), len(hashes), 3, Joining{Hashes: hashes, Record: true})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(found.Joins.Encode())
	f.Add([]byte{1, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		j, err := DecodeJoins(data)
		if err != nil {
			return
		}
		if !bytes.Equal(j.Encode(), data) {
			t.Errorf("Encode of DecodeJoins(%x) = %x", data, j.Encode())
		}
		round := slices.Clone(ps)
		jn := Joining{Hashes: hashes, Kept: j, Counted: func(d uint32) bool { return d%2 == 0 }, DF: func(uint64) int { return 1 }}
		if _, _, err := joinFamilies(context.Background(), Postings(round), len(hashes), 3, jn); err != nil {
			t.Error(err)
		}
		// Grown by the round, with some of it removed: refused or
		// grown, never a panic, and what it grows decodes.
		g, err := j.Grow(context.Background(), Postings(slices.Clone(ps)), len(hashes), 3, Growing{
			Hashes: hashes, Counted: func(d uint32) bool { return d%2 == 0 }, Removed: func(d uint32) bool { return d%4 == 0 },
			Dropped: func(h uint64) bool { return h%3 == 0 }, DF: func(uint64) int { return 1 },
			Key: func(d uint32) uint64 { return uint64(d) }, Number: func(d uint32) uint64 { return uint64(d) },
			HolderKey: func(h uint64) (uint64, error) { return h, nil }, HolderRemoved: func(h uint64) bool { return h%4 == 0 },
			LeastHolder: func(h uint64) (uint64, uint64, error) { return 1, 1, nil },
		})
		if err == nil {
			if _, err := DecodeJoins(g.Encode()); err != nil {
				t.Errorf("grown joins do not decode: %v", err)
			}
		} else if !errors.Is(err, ErrGrow) {
			t.Errorf("Grow: %v, want ErrGrow or joins", err)
		}
	})
}

// TestJoinKeptCancelled: joining by kept joins stops at a cancelled
// context, in its walk over the documents and over the fingerprints.
func TestJoinKeptCancelled(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	phrases := [][]uint64{{1, 2, 3}, {3, 4}, {5, 6}}
	all := joinCorpus(rng, 0, 3*4096, phrases, 4)
	ps, hashes := boilerplateOf(all, 3)
	_, found, err := joinFamilies(context.Background(), Postings(slices.Clone(ps)), len(hashes), 3, Joining{Hashes: hashes, Record: true})
	if err != nil {
		t.Fatal(err)
	}
	jn := Joining{Hashes: hashes, Kept: found.Joins, Counted: func(d uint32) bool { return d%2 == 0 }, DF: func(uint64) int { return 0 }}
	for _, n := range []int{1, 2} {
		if _, _, err := joinFamilies(testctx.NewDoneAfter(n), Postings(slices.Clone(ps)), len(hashes), 3, jn); !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled at the %d-th look: %v, want context.Canceled", n, err)
		}
	}
	if _, found, err := joinFamilies(context.Background(), Postings(slices.Clone(ps)), len(hashes), 3, jn); err != nil || !found.Kept {
		t.Errorf("not cancelled: %+v, %v; want joined by the kept joins", found, err)
	}
}
