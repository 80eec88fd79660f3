package cluster

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/reuse-tool/reuse/internal/postings"
	"github.com/reuse-tool/reuse/internal/testctx"
)

// recordAll returns the joins recorded from every document of ps, with
// maxDF, its holders numbered d+1000, decoded as a check reads them.
func recordAll(t *testing.T, ps []postings.Posting, maxDF, window int, key func(uint32) uint64) *Joins {
	t.Helper()
	bps, hashes := boilerplateOf(ps, maxDF)
	_, found, err := joinFamilies(context.Background(), Postings(bps), len(hashes), window, Joining{Hashes: hashes, Record: true, Key: key})
	if err != nil {
		t.Fatal(err)
	}
	found.Joins.Renumber(func(d uint64) uint64 { return d + 1000 })
	j, err := DecodeJoins(found.Joins.Encode())
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// growRound returns the round Grow needs to add the documents of ps from
// `from` on to joins recorded from those before (j): every added
// document, and every recorded one holding a fingerprint that is
// boilerplate only with the added ones, unless without is one of them,
// left out; with the hashes and frequencies.
func growRound(ps []postings.Posting, from uint32, maxDF int, j *Joins, without int) ([]postings.Numbered, []uint64, map[uint64]int) {
	held := map[uint64]map[uint32]bool{}
	for _, p := range ps {
		if held[p.Hash] == nil {
			held[p.Hash] = map[uint32]bool{}
		}
		held[p.Hash][p.Doc] = true
	}
	df := map[uint64]int{}
	for h, ds := range held {
		df[h] = len(ds)
	}
	in := map[uint32]bool{}
	recounted := 0
	for _, p := range ps {
		if p.Doc >= from {
			in[p.Doc] = true
			continue
		}
		if _, kept := j.find(p.Hash); !kept && df[p.Hash] > maxDF && !in[p.Doc] {
			if recounted != without {
				in[p.Doc] = true
			}
			recounted++
		}
	}
	out, hashes := numberRound(ps, func(d uint32) bool { return in[d] }, func(h uint64) bool { return df[h] > maxDF })
	return out, hashes, df
}

// numberRound returns the postings of ps of the documents in reports,
// of the fingerprints boiler reports, numbered in order of hash, with
// the hashes: a round's places of boilerplate.
func numberRound(ps []postings.Posting, in func(doc uint32) bool, boiler func(hash uint64) bool) ([]postings.Numbered, []uint64) {
	var hashes []uint64
	for _, p := range ps {
		if in(p.Doc) && boiler(p.Hash) {
			hashes = append(hashes, p.Hash)
		}
	}
	slices.Sort(hashes)
	hashes = slices.Compact(hashes)
	var out []postings.Numbered
	for _, p := range ps {
		if f, ok := slices.BinarySearch(hashes, p.Hash); ok && in(p.Doc) {
			out = append(out, postings.Numbered{FP: uint32(f), Doc: p.Doc, Pos: p.Pos})
		}
	}
	return out, hashes
}

// sameJoins reports how got differs from want (recorded from every
// document): each fingerprint's majorities (by hash), its family (the
// fingerprints it is joined to) and its holder; "" if in nothing.
func sameJoins(got, want *Joins) string {
	if got.Len() != want.Len() {
		return "lengths differ"
	}
	hashOf := func(j *Joins, c int32) int64 {
		if c < 0 {
			return int64(c)
		}
		return int64(j.hash(int(c)))
	}
	for i := range want.Len() {
		g, w := got.record(i), want.record(i)
		if g.hash != w.hash {
			return "hashes differ"
		}
		gm, wm := g.majority(), w.majority()
		if gm.HasNext != wm.HasNext || gm.HasPrev != wm.HasPrev ||
			gm.HasNext && hashOf(got, int32(gm.Next)) != hashOf(want, int32(wm.Next)) ||
			gm.HasPrev && hashOf(got, int32(gm.Prev)) != hashOf(want, int32(wm.Prev)) {
			return "majorities differ"
		}
		if g.places != w.places {
			return "places differ"
		}
		if g.family != w.family {
			return "families differ"
		}
		gh, wh := got.data[i*joinRecordBytes+56:], want.data[i*joinRecordBytes+56:]
		if !slices.Equal(gh[:8], wh[:8]) {
			return "holders differ"
		}
	}
	return ""
}

// TestJoinsGrow checks Grow against recording from every document:
// joins recorded from an archive, grown by added documents (once or in
// two steps), must be those recorded from all of them, or say they
// cannot be (ErrGrow); and a round joined by the grown joins must join
// as a round over every document does (TestJoinKept's check).
func TestJoinsGrow(t *testing.T) {
	const window, maxDF = 3, 4
	grown, doubts, extraSeen, twoSteps, lacking, joined := 0, 0, 0, 0, 0, 0
	key := func(d uint32) uint64 { return uint64(d*7919) % 13 }
	for iter := range 400 {
		rng := rand.New(rand.NewPCG(uint64(iter), 11))
		archived := uint32(20 + rng.IntN(60))
		phrases := [][]uint64{{1, 2, 3}, {3, 4}, {5, 6, 7, 8}, {7, 9}, {10, 11}, {12}, {2, 13, 14}}
		noise := 2 + rng.IntN(10)
		all := joinCorpus(rng, 0, archived, phrases, noise)
		if rng.IntN(2) == 0 {
			phrases = append(phrases, []uint64{30, 31, 32}, []uint64{4, 33}, []uint64{34, 1}, []uint64{15, 16})
		}
		mid := archived + 1 + uint32(rng.IntN(8))
		all = append(all, joinCorpus(rng, archived, mid, phrases, noise)...)
		end := mid
		if rng.IntN(2) == 0 {
			end = mid + 1 + uint32(rng.IntN(8))
			all = append(all, joinCorpus(rng, mid, end, phrases, noise)...)
		}
		before := func(n uint32) []postings.Posting {
			return slices.DeleteFunc(slices.Clone(all), func(p postings.Posting) bool { return p.Doc >= n })
		}
		grow := func(j *Joins, ps []postings.Posting, from uint32, without int) (*Joins, error) {
			rps, hashes, df := growRound(ps, from, maxDF, j, without)
			return j.Grow(context.Background(), Postings(rps), len(hashes), window, Growing{
				Hashes:    hashes,
				Counted:   func(d uint32) bool { return d < from },
				DF:        func(h uint64) int { return df[h] },
				Key:       key,
				Number:    func(d uint32) uint64 { return uint64(d) + 1000 },
				HolderKey: func(h uint64) (uint64, error) { return key(uint32(h - 1000)), nil },
			})
		}
		j := recordAll(t, before(archived), maxDF, window, key)
		steps := []uint32{archived, end}
		if end != mid {
			steps = []uint32{archived, mid, end}
		}
		ok := true
		for s := 1; s < len(steps) && ok; s++ {
			ps := before(steps[s])
			whole, _, _ := growRound(ps, steps[s-1], maxDF, j, -1)
			if lack, _, _ := growRound(ps, steps[s-1], maxDF, j, 0); len(lack) != len(whole) {
				// A round that lacks a recorded document whose runs an
				// added fingerprint changed: refused.
				if _, err := grow(j, ps, steps[s-1], 0); !errors.Is(err, ErrGrow) {
					t.Fatalf("%d: grown without a document holding a fingerprint boilerplate since: %v, want ErrGrow", iter, err)
				}
				lacking++
			}
			g, err := grow(j, ps, steps[s-1], -1)
			if errors.Is(err, ErrGrow) {
				doubts++
				ok = false
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if j, err = DecodeJoins(g.Encode()); err != nil {
				t.Fatalf("%d: the grown joins do not decode: %v", iter, err)
			}
			want := recordAll(t, ps, maxDF, window, key)
			if d := sameJoins(j, want); d != "" {
				t.Fatalf("%d: step %d: grown joins differ from those recorded from every document: %s", iter, s, d)
			}
			if j.Len() > recordAll(t, before(steps[s-1]), maxDF, window, key).Len() {
				extraSeen++
			}
		}
		if !ok {
			continue
		}
		grown++
		if len(steps) == 3 {
			twoSteps++
		}
		// A check's round over part of the archive and new documents,
		// joined by the grown joins, joins as every document does.
		news := joinCorpus(rng, end, end+1+uint32(rng.IntN(4)), phrases, noise)
		every := slices.Concat(all, news)
		wps, whashes := boilerplateOf(every, maxDF)
		want, _, err := joinFamilies(context.Background(), Postings(slices.Clone(wps)), len(whashes), window, Joining{})
		if err != nil {
			t.Fatal(err)
		}
		df := map[uint64]map[uint32]bool{}
		for _, p := range every {
			if df[p.Hash] == nil {
				df[p.Hash] = map[uint32]bool{}
			}
			df[p.Hash][p.Doc] = true
		}
		rps, rhashes := numberRound(every, func(d uint32) bool { return d >= end || d%3 == 0 }, func(h uint64) bool { return len(df[h]) > maxDF })
		got, found, err := joinFamilies(context.Background(), Postings(rps), len(rhashes), window, Joining{
			Hashes: rhashes, Kept: j,
			Counted: func(d uint32) bool { return d < end },
			DF:      func(h uint64) int { return len(df[h]) },
		})
		if err != nil {
			t.Fatal(err)
		}
		if !found.Kept {
			continue
		}
		joined++
		for f := range int32(len(rhashes)) {
			wf, okf := slices.BinarySearch(whashes, rhashes[f])
			for g := range f {
				wg, okg := slices.BinarySearch(whashes, rhashes[g])
				if !okf || !okg {
					continue
				}
				if same, wantSame := got.find(f) == got.find(g), want.find(int32(wf)) == want.find(int32(wg)); same != wantSame {
					t.Fatalf("%d: a round joined by the grown joins: fingerprints %d and %d joined %v, want %v", iter, rhashes[f], rhashes[g], same, wantSame)
				}
			}
		}
	}
	t.Logf("%d archives grown (%d in two steps, %d with fingerprints boilerplate since), %d in doubt, %d rounds lacking a document refused; %d checks' rounds joined by the grown joins", grown, twoSteps, extraSeen, doubts, lacking, joined)
	if grown < 300 || twoSteps == 0 || extraSeen == 0 || lacking == 0 || joined < 100 {
		t.Errorf("%d grown, %d in two steps, %d with new boilerplate, %d refused: the test checks too little", grown, twoSteps, extraSeen, lacking)
	}
}

// TestJoinsGrowCancelled: Grow stops at a cancelled context.
func TestJoinsGrowCancelled(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 7))
	phrases := [][]uint64{{1, 2, 3}, {3, 4}, {5, 6}}
	all := joinCorpus(rng, 0, 3*4096, phrases, 4)
	j := recordAll(t, slices.DeleteFunc(slices.Clone(all), func(p postings.Posting) bool { return p.Doc >= 4096 }), 3, 3, nil)
	rps, hashes, df := growRound(all, 4096, 3, j, -1)
	g := Growing{
		Hashes: hashes, Counted: func(d uint32) bool { return d < 4096 }, DF: func(h uint64) int { return df[h] },
		Key: func(d uint32) uint64 { return uint64(d) }, Number: func(d uint32) uint64 { return uint64(d) + 1000 },
		HolderKey: func(h uint64) (uint64, error) { return h - 1000, nil },
	}
	for _, n := range []int{1, 2, 3} {
		if _, err := j.Grow(testctx.NewDoneAfter(n), Postings(slices.Clone(rps)), len(hashes), 3, g); !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled at the %d-th look: %v, want context.Canceled", n, err)
		}
	}
}

// TestJoinsGrowRemovals checks Grow through removals, with additions or
// without, against recording from the documents left: fingerprints no
// longer boilerplate leave the joins, holders removed are replaced, and
// the tallies lose the places removed.
func TestJoinsGrowRemovals(t *testing.T) {
	const window, maxDF = 3, 4
	key := func(d uint32) uint64 { return uint64(d*7919) % 13 }
	grown, doubts, dropped, holdersRemoved, recounted := 0, 0, 0, 0, 0
	for iter := range 400 {
		rng := rand.New(rand.NewPCG(uint64(iter), 13))
		archived := uint32(20 + rng.IntN(60))
		phrases := [][]uint64{{1, 2, 3}, {3, 4}, {5, 6, 7, 8}, {7, 9}, {10, 11}, {12}, {2, 13, 14}}
		noise := 2 + rng.IntN(10)
		all := joinCorpus(rng, 0, archived, phrases, noise)
		end := archived
		if rng.IntN(2) == 0 {
			end = archived + 1 + uint32(rng.IntN(6))
			all = append(all, joinCorpus(rng, archived, end, phrases, noise)...)
		}
		removed := map[uint32]bool{}
		for d := range archived {
			if rng.IntN(4) == 0 {
				removed[d] = true
			}
		}
		j := recordAll(t, slices.DeleteFunc(slices.Clone(all), func(p postings.Posting) bool { return p.Doc >= archived }), maxDF, window, key)
		now := slices.DeleteFunc(slices.Clone(all), func(p postings.Posting) bool { return removed[p.Doc] })
		want := recordAll(t, now, maxDF, window, key)
		held := func(ps []postings.Posting) map[uint64]map[uint32]bool {
			out := map[uint64]map[uint32]bool{}
			for _, p := range ps {
				if out[p.Hash] == nil {
					out[p.Hash] = map[uint32]bool{}
				}
				out[p.Hash][p.Doc] = true
			}
			return out
		}
		heldNow := held(now)
		boilerNow := func(h uint64) bool { return len(heldNow[h]) > maxDF }
		isDropped := func(h uint64) bool { _, kept := j.find(h); return kept && !boilerNow(h) }
		// The round: added and removed documents, and those holding a
		// fingerprint boilerplate since or no longer; then, where the
		// first is in doubt, those holding the fingerprints in doubt,
		// counted afresh.
		grow := func(recount map[uint64]bool) (*Joins, error) {
			in := map[uint32]bool{}
			for _, p := range all {
				_, kept := j.find(p.Hash)
				if p.Doc >= archived || removed[p.Doc] || kept != boilerNow(p.Hash) || recount[p.Hash] && !removed[p.Doc] {
					in[p.Doc] = true
				}
			}
			rps, hashes := numberRound(all, func(d uint32) bool { return in[d] }, func(h uint64) bool {
				_, kept := j.find(h)
				return kept || boilerNow(h)
			})
			if recount == nil {
				for _, h := range hashes {
					if isDropped(h) {
						dropped++
					}
				}
			}
			return j.Grow(context.Background(), Postings(rps), len(hashes), window, Growing{
				Hashes:    hashes,
				Counted:   func(d uint32) bool { return d < archived },
				Removed:   func(d uint32) bool { return removed[d] },
				Dropped:   isDropped,
				Recount:   func(h uint64) bool { return recount[h] },
				DF:        func(h uint64) int { return len(heldNow[h]) },
				Key:       key,
				Number:    func(d uint32) uint64 { return uint64(d) + 1000 },
				HolderKey: func(h uint64) (uint64, error) { return key(uint32(h - 1000)), nil },
				HolderRemoved: func(h uint64) bool {
					if removed[uint32(h-1000)] {
						holdersRemoved++
						return true
					}
					return false
				},
				LeastHolder: func(h uint64) (uint64, uint64, error) {
					least := uint32(1 << 31)
					for d := range heldNow[h] {
						if least == 1<<31 || key(d) < key(least) || key(d) == key(least) && d < least {
							least = d
						}
					}
					return uint64(least) + 1000, key(least), nil
				},
			})
		}
		g, err := grow(nil)
		var doubt *DoubtError
		if errors.As(err, &doubt) {
			recounted++
			recount := map[uint64]bool{}
			for _, h := range doubt.Hashes {
				recount[h] = true
			}
			g, err = grow(recount)
		}
		if errors.Is(err, ErrGrow) {
			doubts++
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if g, err = DecodeJoins(g.Encode()); err != nil {
			t.Fatalf("%d: the grown joins do not decode: %v", iter, err)
		}
		if d := sameJoins(g, want); d != "" {
			t.Fatalf("%d: joins grown through removals differ from those recorded from the documents left: %s", iter, d)
		}
		grown++
	}
	t.Logf("%d grown through removals (%d counting fingerprints in doubt afresh), %d in doubt; %d fingerprints boilerplate no longer, %d holders removed", grown, recounted, doubts, dropped, holdersRemoved)
	if grown < 390 || dropped == 0 || holdersRemoved == 0 || recounted == 0 {
		t.Errorf("%d grown, %d dropped, %d holders removed: the test checks too little", grown, dropped, holdersRemoved)
	}
}

// changedRef is Changed the slow way: every family of old compared,
// fingerprint by fingerprint, with the family j holds its first one in.
func changedRef(j, old *Joins) []int32 {
	type rec struct {
		places, n, n2, on, pn, pn2, pother int32
		other                              int32
		next, next2, prev, prev2, holder   uint64
	}
	cand := func(k *Joins, c int32) uint64 {
		if c < 0 {
			return uint64(c) // none, noCandidate: never a hash of these tests
		}
		return k.hash(int(c))
	}
	members := func(k *Joins, f int32) []uint64 {
		var out []uint64
		for i := range k.n {
			if k.record(i).family == f {
				out = append(out, k.hash(i))
			}
		}
		return out
	}
	of := func(k *Joins, h uint64) (rec, []uint64, bool) {
		i, ok := k.find(h)
		if !ok {
			return rec{}, nil, false
		}
		r := k.record(int(i))
		return rec{
			places: r.places, n: r.next.n, n2: r.next.n2, other: r.next.other, pn: r.prev.n, pn2: r.prev.n2, pother: r.prev.other,
			next: cand(k, r.next.cand), next2: cand(k, r.next.cand2), prev: cand(k, r.prev.cand), prev2: cand(k, r.prev.cand2),
			holder: k.holder(int(i)),
		}, members(k, r.family), true
	}
	var out []int32
	for f := range int32(old.n) {
		if old.record(int(f)).family != f {
			continue
		}
		for _, h := range members(old, f) {
			a, afam, _ := of(old, h)
			b, bfam, ok := of(j, h)
			if !ok || !slices.Equal(afam, bfam) || a != b {
				out = append(out, f)
				break
			}
		}
	}
	return out
}

// TestJoinsChanged: the families that documents added change are those
// of the fingerprints they hold, and of their neighbours'; Changed
// finds them as the slow comparison does, and no family the added
// documents hold no fingerprint of changes without a neighbour's reason.
func TestJoinsChanged(t *testing.T) {
	const window, maxDF = 3, 4
	key := func(d uint32) uint64 { return uint64(d*7919) % 13 }
	someUnchanged, someChanged := 0, 0
	for iter := range 300 {
		rng := rand.New(rand.NewPCG(uint64(iter), 17))
		archived := uint32(20 + rng.IntN(60))
		phrases := [][]uint64{{1, 2, 3}, {3, 4}, {5, 6, 7, 8}, {7, 9}, {10, 11}, {12}, {2, 13, 14}, {40, 41, 42}, {43, 44}}
		noise := 2 + rng.IntN(10)
		all := joinCorpus(rng, 0, archived, phrases, noise)
		added := phrases[:1+rng.IntN(len(phrases))]
		if rng.IntN(3) == 0 {
			added = append(slices.Clone(added), []uint64{30, 31, 32}, []uint64{4, 33})
		}
		end := archived + 1 + uint32(rng.IntN(4))
		all = append(all, joinCorpus(rng, archived, end, added, noise)...)
		old := recordAll(t, slices.DeleteFunc(slices.Clone(all), func(p postings.Posting) bool { return p.Doc >= archived }), maxDF, window, key)
		j := recordAll(t, all, maxDF, window, key)
		if c, err := j.Changed(context.Background(), j); err != nil || len(c) != 0 {
			t.Fatalf("%d: Joins.Changed(itself) = %v, %v, want none", iter, c, err)
		}
		got, err := j.Changed(context.Background(), old)
		if err != nil {
			t.Fatal(err)
		}
		want := changedRef(j, old)
		if !slices.Equal(got, want) {
			t.Fatalf("%d: Changed = %v, want %v", iter, got, want)
		}
		for f, hs := range old.Members(got) {
			if want := old.Hashes([]int32{f}); !slices.Equal(hs, want) || len(hs) == 0 {
				t.Fatalf("%d: Members of family %d = %v, want %v", iter, f, hs, want)
			}
		}
		// Every family an added document holds a fingerprint of changed
		// (its places did).
		held := map[uint64]bool{}
		for _, p := range all {
			if p.Doc >= archived {
				held[p.Hash] = true
			}
		}
		for i := range old.n {
			if h := old.hash(i); held[h] {
				if _, in := slices.BinarySearch(got, old.record(i).family); !in {
					t.Fatalf("%d: family %d holds %d, which an added document holds, and is not changed (%v)", iter, old.record(i).family, h, got)
				}
			}
		}
		families := 0
		for i := range old.n {
			if old.record(i).family == int32(i) {
				families++
			}
		}
		if len(got) < families {
			someUnchanged++
		}
		if len(got) > 0 {
			someChanged++
		}
	}
	if someUnchanged < 100 || someChanged < 100 {
		t.Errorf("%d archives with a family unchanged, %d with one changed: the test checks too little", someUnchanged, someChanged)
	}
}
