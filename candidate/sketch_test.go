package candidate

import (
	"context"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/reuse-tool/reuse/internal/postings"
	"github.com/reuse-tool/reuse/shingle"
)

// TestPairSketch counts random pairs from several writers at once against
// a map: a pair counted twice, or once as keeping its pair alone, always
// reads as several; a pair counted once rarely does in a table of ample
// size.
func TestPairSketch(t *testing.T) {
	for _, tc := range []struct {
		bytes          int64
		pairs, writers int
		maxFalse       float64 // share of pairs counted once that may read as several
	}{
		{bytes: 1, pairs: 1000, writers: 1, maxFalse: 1}, // the smallest table, 8,192 counters: most slots shared
		{bytes: 1 << 20, pairs: 50000, writers: 3, maxFalse: 0.02},
		{bytes: 1 << 16, pairs: 50000, writers: 2, maxFalse: 0.5},
	} {
		r := rand.New(rand.NewPCG(uint64(tc.pairs), 7))
		s := newPairSketch(tc.bytes)
		if got := int64(len(s.words)) * 8; got > max(tc.bytes, 32*sketchBuckets/4) {
			t.Errorf("newPairSketch(%d) takes %d bytes", tc.bytes, got)
		}
		type pair struct{ a, b uint32 }
		count := make(map[pair]int)
		keep := make(map[pair]bool)
		adds, keeps := make([][]pair, tc.writers), make([][]bool, tc.writers)
		for w := range tc.writers {
			for range tc.pairs / tc.writers {
				p := pair{r.Uint32N(3000), r.Uint32N(3000)}
				k := r.IntN(20) == 0
				for range 1 + r.IntN(2) { // counted once or twice, by this writer or another
					ww := (w + r.IntN(2)) % tc.writers
					adds[ww], keeps[ww] = append(adds[ww], p), append(keeps[ww], k)
					count[p]++
					keep[p] = keep[p] || k
				}
			}
		}
		var wg sync.WaitGroup
		for w := range tc.writers {
			wg.Go(func() {
				sw := newSketchWriter(s)
				for i, p := range adds[w] {
					sw.add(p.a, p.b, keeps[w][i])
				}
				sw.close()
			})
		}
		wg.Wait()
		once, falsely := 0, 0
		for p, n := range count {
			switch got := s.several(p.a, p.b); {
			case n >= 2 || keep[p]:
				if !got {
					t.Fatalf("newPairSketch(%d): pair %v counted %d times (keep %v) reads as once", tc.bytes, p, n, keep[p])
				}
			default:
				once++
				if got {
					falsely++
				}
			}
		}
		if once == 0 || float64(falsely) > tc.maxFalse*float64(once) {
			t.Errorf("newPairSketch(%d): %d of %d pairs counted once read as several, want at most %.0f%%", tc.bytes, falsely, once, 100*tc.maxFalse)
		}
	}
}

// TestShuffleSketchBrute: a shuffle whose loads are sketched first gives
// the candidates of the shuffle's definition, and spools the keys of the
// pairs that share several fingerprints or one held by at most SoloDF
// documents, and few others (those sharing a slot of the sketch).
func TestShuffleSketchBrute(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var lone, kept int64
	for range 300 {
		docs := []int{2, 40, 200}[r.IntN(3)]
		ps := randomPostings(r, []int{10, 200, 2000}[r.IntN(3)], []int{5, 50, 300}[r.IntN(3)], docs)
		rules := Rules{MaxDF: []int{2, 3, 6, 1000}[r.IntN(4)], SoloDF: 1 + r.IntN(4), RareDF: r.IntN(5), Near: []int{0, 30, 200}[r.IntN(3)]}
		want, wantBoiler, wantRare := bruteShuffle(ps, rules)
		all, needed := bruteKeyCounts(ps, rules)
		loads, workers := 1+r.IntN(3), 1+r.IntN(3)
		memory := []int64{0, 100 * KeyBytes}[r.IntN(2)] // keys on disk: the sketch is kept
		s := NewShuffle(rules, docs, memory)
		s.SketchPairs(1<<20, int64(len(ps))) // 2²² counters: few pairs share a slot
		got, boiler, rare := shuffleWith(t, s, slices.Clone(ps), loads, workers, true)
		if !slices.Equal(got.Pairs, want.Pairs) || !slices.Equal(got.Anchors, want.Anchors) || !slices.Equal(rare, wantRare) || !slices.Equal(boiler, numberedOf(wantBoiler)) {
			t.Fatalf("%d postings, %d docs, rules %+v, %d loads, %d workers, memory %d:\npairs %v\nwant  %v\nrare %v\nwant %v\nboilerplate %v\nwant        %v",
				len(ps), docs, rules, loads, workers, memory, got.Pairs, want.Pairs, rare, wantRare, boiler, wantBoiler)
		}
		if k := s.Keys(); k < needed || k > all {
			t.Fatalf("%d postings, %d docs, rules %+v: %d keys spooled, want %d to %d", len(ps), docs, rules, k, needed, all)
		}
		lone += all - needed
		kept += s.Keys() - needed
		s.Close()
	}
	if lone == 0 || kept*20 > lone {
		t.Errorf("%d of %d keys of pairs sharing one common fingerprint were spooled, want under 5%%", kept, lone)
	}
}

// bruteKeyCounts returns the number of keys of ps (one for every two
// documents holding a hash held by 2..MaxDF documents) and the number of
// them whose pair has more than one, or one held by at most SoloDF
// documents.
func bruteKeyCounts(ps []postings.Posting, r Rules) (all, needed int64) {
	holders := make(map[uint64]map[uint32]bool) // true: inside a quotation at one of its places
	for _, p := range ps {
		if holders[p.Hash] == nil {
			holders[p.Hash] = make(map[uint32]bool)
		}
		holders[p.Hash][p.Doc] = holders[p.Hash][p.Doc] || p.Pos&postings.Quoted != 0
	}
	type pair struct{ a, b uint32 }
	keys := make(map[pair]int64)
	solo := make(map[pair]bool)
	for _, set := range holders {
		if len(set) < 2 || len(set) > r.MaxDF {
			continue
		}
		for a, qa := range set {
			for b, qb := range set {
				if a < b {
					keys[pair{a, b}]++
					solo[pair{a, b}] = solo[pair{a, b}] || len(set) <= r.SoloDF || qa || qb
				}
			}
		}
	}
	for p, n := range keys {
		all += n
		if n > 1 || solo[p] {
			needed += n
		}
	}
	return all, needed
}

// TestKeysAbout: n(n-1)/2 keys for each hash of 2 to MaxDF postings.
func TestKeysAbout(t *testing.T) {
	run := func(hash uint64, docs ...uint32) []postings.Posting {
		var ps []postings.Posting
		for _, d := range docs {
			ps = append(ps, postings.Posting{Hash: hash, Doc: d})
		}
		return ps
	}
	for _, tc := range []struct {
		name string
		ps   []postings.Posting
		want int64
	}{
		{"none", nil, 0},
		{"one posting", run(1, 0), 0},
		{"two", run(1, 0, 1), 1},
		{"MaxDF", run(1, 0, 1, 2, 3), 6},
		{"boilerplate", run(1, 0, 1, 2, 3, 4), 0},
		{"a document twice", run(1, 0, 0, 1), 3},
		{"runs", slices.Concat(run(1, 0), run(2, 0, 1, 2), run(3, 5, 6), run(4, 0, 1, 2, 3, 4, 5)), 4},
	} {
		if got, err := (Rules{MaxDF: 4}).KeysAbout(context.Background(), tc.ps); got != tc.want || err != nil {
			t.Errorf("%s: KeysAbout(%v) = %d, %v; want %d", tc.name, tc.ps, got, err, tc.want)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := (Rules{MaxDF: 4}).KeysAbout(ctx, run(1, 0, 1)); err != context.Canceled {
		t.Errorf("KeysAbout, cancelled: error %v, want %v", err, context.Canceled)
	}
}

// TestShuffleSketchGivesUp: a sketch whose counters the keys would
// outnumber, or whose keys would fit in memory, is given up after the
// first load, and every key spooled; one with room is kept. The
// candidates are the definition's either way.
func TestShuffleSketchGivesUp(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	// 60 hashes held by 40 of 200 documents each: 780 keys a hash,
	// 46,800 in all, a few pairs sharing two hashes.
	var ps []postings.Posting
	for h := range 60 {
		for _, d := range r.Perm(200)[:40] {
			ps = append(ps, postings.Posting{Hash: shingle.Mix64(uint64(h)), Doc: uint32(d), Pos: r.Uint32N(1000)})
		}
	}
	rules := Rules{MaxDF: 100, SoloDF: 2, RareDF: 3, Near: 0}
	want, _, _ := bruteShuffle(ps, rules)
	all, needed := bruteKeyCounts(ps, rules)
	for _, tc := range []struct {
		bytes, memory int64
		sketching     bool
	}{
		{bytes: 1, sketching: false},                        // 8,192 counters, the least
		{bytes: 1 << 20, sketching: true},                   // 2²² counters
		{bytes: 1 << 20, memory: 1 << 30, sketching: false}, // the keys fit in memory
	} {
		s := NewShuffle(rules, 200, tc.memory)
		s.SketchPairs(tc.bytes, int64(len(ps)))
		half := len(ps) / 2 // a load of the first half of the hashes, then the rest
		for _, load := range [][]postings.Posting{ps[:half], ps[half:]} {
			if err := s.Sketch(context.Background(), slices.Clone(load), 2); err != nil {
				t.Fatal(err)
			}
		}
		sketching := s.Sketching()
		got, _, _ := shuffleWith(t, s, slices.Clone(ps), 3, 2, false)
		if !slices.Equal(got.Pairs, want.Pairs) || !slices.Equal(got.Anchors, want.Anchors) {
			t.Fatalf("sketch of %d bytes: candidates differ from the definition's:\n%v\nwant %v", tc.bytes, got.Pairs, want.Pairs)
		}
		if sketching != tc.sketching {
			t.Errorf("sketch of %d bytes: Sketching() = %v, want %v", tc.bytes, sketching, tc.sketching)
		}
		switch k := s.Keys(); {
		case !tc.sketching && k != all:
			t.Errorf("sketch of %d bytes, given up: %d keys spooled, want all %d", tc.bytes, k, all)
		case tc.sketching && (k < needed || k >= all):
			t.Errorf("sketch of %d bytes: %d keys spooled, want %d to %d", tc.bytes, k, needed, all-1)
		}
		s.Close()
	}
}
