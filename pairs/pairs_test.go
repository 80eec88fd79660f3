package pairs

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/reuse-tool/reuse/align"
	"github.com/reuse-tool/reuse/candidate"
	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/eval/gen"
	"github.com/reuse-tool/reuse/index"
	"github.com/reuse-tool/reuse/internal/postings"
	"github.com/reuse-tool/reuse/internal/spool"
	"github.com/reuse-tool/reuse/internal/testctx"
	"github.com/reuse-tool/reuse/reword"
	"github.com/reuse-tool/reuse/shingle"
)

const minWords = 9

// stages runs stages 1 and 2 on inputs with the default settings, as a
// scan does, and returns what stage 3 takes.
func stages(t *testing.T, inputs ...string) (*index.Index, *candidate.Shuffle, *align.Evidence) {
	t.Helper()
	return stagesOf(t, index.Options{}, inputs...)
}

// stagesOf is stages with the given options of stage 1.
func stagesOf(t *testing.T, opt index.Options, inputs ...string) (*index.Index, *candidate.Shuffle, *align.Evidence) {
	t.Helper()
	ctx := context.Background()
	x, err := index.Build(ctx, inputs, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(x.Close)
	sh := candidate.NewShuffle(candidate.DefaultRules(minWords, 5), x.Len(), 64<<20)
	t.Cleanup(sh.Close)
	err = x.EachPostingLoad(ctx, 64<<20, 2, func(ps []postings.Posting) error { return sh.Add(ctx, ps, 2) })
	if err != nil {
		t.Fatal(err)
	}
	rare, err := sh.Rare(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	bp, fps, err := sh.Boilerplate(ctx, 2, 1<<40)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(bp.Close)
	aside, runs, _, err := cluster.BoilerplateAside(ctx, func(fn func([]postings.Numbered) error) error { return bp.Each(ctx, fn) }, fps, 5, 5, cluster.Joining{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(aside.Close)
	t.Cleanup(runs.Close)
	ev, err := EvidenceOf(ctx, runs, rare, minWords, 5, 5)
	if err != nil {
		t.Fatal(err)
	}
	return x, sh, ev
}

// TestAlignCancelled: cancelling the context while pairs are aligned
// stops Align with context.Canceled before the next work unit: at most
// the units other workers had begun are finished.
func TestAlignCancelled(t *testing.T) {
	dir := t.TempDir()
	if _, err := gen.Generate(context.Background(), dir, gen.Config{Seed: 3, Docs: 300}); err != nil {
		t.Fatal(err)
	}
	dir = filepath.Join(dir, "corpus")
	const workers = 2

	var units atomic.Int64
	x, sh, ev := stages(t, dir)
	st, err := Align(context.Background(), x, sh, ev, Options{
		MinWords: minWords, Threshold: 0.8, Workers: workers,
		Aligned: func(int) { units.Add(1) },
	})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	t.Logf("%d work units", units.Load())
	if units.Load() < 20 {
		t.Fatalf("%d work units in all; the test needs more", units.Load())
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var done, afterCancel atomic.Int64
	var cancelled atomic.Bool
	x, sh, ev = stages(t, dir)
	st, err = Align(ctx, x, sh, ev, Options{
		MinWords: minWords, Threshold: 0.8, Workers: workers,
		Aligned: func(int) {
			if cancelled.Load() {
				afterCancel.Add(1)
			}
			if done.Add(1) == 3 {
				cancelled.Store(true)
				cancel()
			}
		},
	})
	if err == nil {
		st.Close()
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Align cancelled after 3 of %d units = %v, want context.Canceled", units.Load(), err)
	}
	if n := afterCancel.Load(); n > workers-1 {
		t.Errorf("%d units aligned after the cancel, want at most %d (those begun)", n, workers-1)
	}
}

// TestStore: pairs come back from a Store as they were added, in order;
// Paired finds them and Edges holds those covering the threshold of both
// documents.
func TestStore(t *testing.T) {
	x, _, _ := stages(t, "../testdata/corpus")
	words := func(d uint32) int32 { return int32(x.Words(d)) }
	in := []Pair{
		{A: 0, B: 3, Shared: 7, Spans: []align.Span{{AStart: 1, AEnd: 12, BStart: 40, BEnd: 51, Matched: 11}},
			Bytes: []ByteSpan{{5, 70, 300, 365}}},
		// All of both documents: a near-duplicate edge.
		{A: 2, B: 5, Shared: 1 << 20, Spans: []align.Span{
			{AStart: 0, AEnd: 10, BStart: 0, BEnd: 10, Matched: 10},
			{AStart: 10, AEnd: words(2), BStart: 10, BEnd: words(5), Matched: 9},
		}, Bytes: []ByteSpan{{0, 50, 0, 50}, {51, 1 << 30, 51, 90}}},
	}
	st := newStore()
	defer st.Close()
	for i := range in {
		if err := st.add(x, &in[i], 0.8); err != nil {
			t.Fatal(err)
		}
	}
	var out []Pair
	err := st.Each(func(p *Pair) error {
		out = append(out, Pair{A: p.A, B: p.B, Shared: p.Shared, Spans: slices.Clone(p.Spans), Bytes: slices.Clone(p.Bytes)})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != len(in) || st.Len() != len(in) {
		t.Fatalf("Each gave %d pairs, Len %d; want %d", len(out), st.Len(), len(in))
	}
	for i := range in {
		p, q := in[i], out[i]
		if p.A != q.A || p.B != q.B || p.Shared != q.Shared || !slices.Equal(p.Spans, q.Spans) || !slices.Equal(p.Bytes, q.Bytes) {
			t.Errorf("pair %d = %+v, want %+v", i, q, p)
		}
	}
	for _, tt := range []struct {
		a, b uint32
		want bool
	}{{0, 3, true}, {2, 5, true}, {0, 2, false}, {3, 0, false}} {
		if got := st.Paired(tt.a, tt.b); got != tt.want {
			t.Errorf("Paired(%d, %d) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
	if e := st.Edges(); len(e) != 1 || e[0].A != 2 || e[0].B != 5 || e[0].Pct != 100 {
		t.Errorf("Edges() = %+v, want 2~5 at 100%%", e)
	}
	if n := len(st.Sides()); n != 3 {
		t.Errorf("%d sides, want one per passage, 3", n)
	}
}

func TestNearDuplicate(t *testing.T) {
	p := Pair{Spans: []align.Span{{AStart: 0, AEnd: 80, BStart: 5, BEnd: 85}, {AStart: 90, AEnd: 95, BStart: 100, BEnd: 105}}}
	for _, tt := range []struct {
		a, b      int
		threshold float64
		overlap   float64
		ok        bool
	}{
		{100, 100, 0.8, 85, true},
		{100, 120, 0.8, 70.8, false}, // 85 of 120 words of B
		{100, 120, 0.7, 70.8, true},
		{85, 85, 1, 100, true},
		{0, 0, 0.8, 0, false},
	} {
		if overlap, ok := p.NearDuplicate(tt.a, tt.b, tt.threshold); overlap != tt.overlap || ok != tt.ok {
			t.Errorf("NearDuplicate(%d, %d, %v) = %v, %v, want %v, %v", tt.a, tt.b, tt.threshold, overlap, ok, tt.overlap, tt.ok)
		}
	}
}

// TestSeedAligner: an Aligner of seeds, given the seeds and repeats of
// the Index's records, aligns every candidate of the example corpus as
// the Index's Aligner does, anchors and all (those of fingerprints B
// holds more than once among them); PassageBytes of records re-encoded by
// the caller (spool.AppendSeedRecord of the text, without seeds, at an
// unaligned offset) gives the byte offsets of the Index's records.
func TestSeedAligner(t *testing.T) {
	dir := t.TempDir()
	if _, err := gen.Generate(context.Background(), dir, gen.Config{Seed: 1, Docs: 300}); err != nil {
		t.Fatal(err)
	}
	t.Run("example", func(t *testing.T) { testSeedAligner(t, "../testdata/corpus", false) })
	t.Run("generated", func(t *testing.T) { testSeedAligner(t, filepath.Join(dir, "corpus"), false) })
	t.Run("repeated", func(t *testing.T) {
		if n := testSeedAligner(t, repeatedCorpus(t), true); n != 2 {
			t.Errorf("%d passages, want the two copies of the passage", n)
		}
	})
}

// repeatedCorpus writes two documents each holding a passage twice, far
// apart and at other distances: the passage's fingerprints are repeated
// in both, and given only their anchors (a fingerprint's first place in
// B), the aligner finds the second copy in B only where B's record lists
// its places.
func repeatedCorpus(t *testing.T) string {
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(1, 2))
	words := func(n int) string {
		var b strings.Builder
		for range n {
			fmt.Fprintf(&b, "w%d ", r.IntN(1<<30))
		}
		return b.String()
	}
	passage := words(60)
	for name, text := range map[string]string{
		"a.txt": words(100) + passage + words(300) + passage + words(100),
		"b.txt": passage + words(600) + passage,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// testSeedAligner checks the candidates of the corpus in (with only their
// anchors of fingerprints B holds more than once, if onlyRepeated) and
// returns the number of passages aligned.
func testSeedAligner(t *testing.T, in string, onlyRepeated bool) int {
	ctx := context.Background()
	x, sh, _ := stages(t, in)
	byIndex := NewAligner(x, minWords)
	bySeeds := NewSeedAligner(align.Options{Seed: x.SeedTokens(), MinWords: minWords, AnchorLen: x.ShingleTokens()})
	r := x.NewSeedReader()
	seedsOf := func(d uint32) ([]uint32, []uint32) {
		v, err := r.View(d)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := v.Places(nil, 0); !ok {
			t.Fatalf("document %d: the Index's record lists no repeats", d)
		}
		return slices.Clone(v.Seeds(nil)), v.Repeats(nil)
	}
	offsetsOf := func(d uint32) spool.SeedView {
		v, err := r.View(d)
		if err != nil {
			t.Fatal(err)
		}
		toks, err := v.Tokens(nil)
		if err != nil {
			t.Fatal(err)
		}
		text, err := x.Text(d, nil)
		if err != nil {
			t.Fatal(err)
		}
		rec := spool.AppendSeedRecord([]byte{0}, text, toks, nil, nil)[1:]
		w, err := spool.NewSeedView(rec, 0, len(toks))
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	n, repeated := 0, 0
	for rng := range sh.Ranges() {
		rg, err := sh.Pairs(ctx, rng, 2)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range rg.Pairs {
			anchors := rg.Anchors[c.AnchorFrom:c.AnchorTo]
			if onlyRepeated {
				anchors = slices.DeleteFunc(slices.Clone(anchors), func(a candidate.Anchor) bool { return a.PosB&candidate.Repeated == 0 })
			}
			if err := byIndex.SetA(c.A); err != nil {
				t.Fatal(err)
			}
			want, err := byIndex.Align(ctx, c.B, anchors)
			if err != nil {
				t.Fatal(err)
			}
			want = slices.Clone(want)
			aSeeds, _ := seedsOf(c.A)
			bSeeds, bRepeats := seedsOf(c.B)
			bySeeds.SetASeeds(aSeeds, x.Words(c.A))
			got, err := bySeeds.AlignSeeds(ctx, bSeeds, bRepeats, anchors)
			if err != nil || !slices.Equal(got, want) {
				t.Fatalf("pair %d-%d: AlignSeeds = %v, %v; Align = %v", c.A, c.B, got, err, want)
			}
			aView, bView := offsetsOf(c.A), offsetsOf(c.B)
			for _, sp := range got {
				wb, err1 := PassageBytes(sp, byIndex.aView, byIndex.bView)
				gb, err2 := PassageBytes(sp, aView, bView)
				if err1 != nil || err2 != nil || gb != wb || gb.AEnd <= gb.AStart || gb.BEnd <= gb.BStart {
					t.Errorf("pair %d-%d: PassageBytes = %+v (%v), by the Index %+v (%v)", c.A, c.B, gb, err2, wb, err1)
				}
			}
			n += len(got)
			for _, a := range anchors {
				if a.PosB&candidate.Repeated != 0 {
					repeated++
				}
			}
		}
	}
	if n == 0 || repeated == 0 {
		t.Fatalf("%d passages aligned, %d anchors of repeated fingerprints: the test checked too little", n, repeated)
	}
	return n
}

// TestSeedRewordAligner: an Aligner of NewSeedRewordAligner, given the
// documents' seeds, repeats and analysis records (as the distributed
// pipeline holds them), aligns each candidate as a scan's Aligner does
// with an Index analyzed for reworded reuse: the same spans, kinds and
// cosines, on the example corpus (one reworded passage) and on 300
// generated documents (the heavy edits reworded).
func TestSeedRewordAligner(t *testing.T) {
	dir := t.TempDir()
	if _, err := gen.Generate(context.Background(), dir, gen.Config{Seed: 1, Docs: 300}); err != nil {
		t.Fatal(err)
	}
	for _, in := range []string{"../testdata/corpus", filepath.Join(dir, "corpus")} {
		ctx := context.Background()
		x, sh, ev := stagesOf(t, index.Options{Reword: true, ProseOnly: true}, in)
		byIndex := NewAligner(x, minWords)
		byIndex.ev = ev
		bySeeds := NewSeedRewordAligner(align.Options{Seed: x.SeedTokens(), MinWords: minWords, AnchorLen: x.ShingleTokens()})
		var da, db index.Doc
		pairs, reworded := 0, 0
		for rng := range sh.Ranges() {
			rg, err := sh.Pairs(ctx, rng, 2)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range rg.Pairs {
				if err := byIndex.SetA(c.A); err != nil {
					t.Fatal(err)
				}
				spans, kinds, cos, err := byIndex.alignReworded(ctx, rg, c)
				if err != nil {
					t.Fatal(err)
				}
				spans, kinds, cos = slices.Clone(spans), slices.Clone(kinds), slices.Clone(cos)
				if err := x.Doc(c.A, &da); err != nil {
					t.Fatal(err)
				}
				if err := x.Doc(c.B, &db); err != nil {
					t.Fatal(err)
				}
				va, _ := spool.NewSeedView(da.Seeds, spool.SeedCount(da.Words, x.SeedTokens()), da.Words)
				vb, _ := spool.NewSeedView(db.Seeds, spool.SeedCount(db.Words, x.SeedTokens()), db.Words)
				anchors := rg.Anchors[c.AnchorFrom:c.AnchorTo]
				bySeeds.SetASeeds(va.Seeds(nil), da.Words)
				bySeeds.SetASeedsReworded(va.Seeds(nil), da.Words, da.Reworded)
				keep := func(s []align.Span) []align.Span {
					return ev.Filter(c.A, c.B, s, anchors, va.Words, vb.Words)
				}
				got, gotKinds, gotCos, err := bySeeds.AlignSeedsReworded(ctx, vb.Seeds(nil), db.Repeats, db.Words, db.Reworded, SeedCandidate{Shared: c.Shared, Anchors: anchors, Keys: rg.Keys[c.KeyFrom:c.KeyTo]}, keep)
				if err != nil || !slices.Equal(got, spans) || !slices.Equal(gotKinds, kinds) || !slices.Equal(gotCos, cos) {
					t.Fatalf("%s, pair %d-%d: AlignSeedsReworded = %v %v %v, %v; the Index's %v %v %v", in, c.A, c.B, got, gotKinds, gotCos, err, spans, kinds, cos)
				}
				if len(spans) > 0 {
					pairs++
				}
				for _, k := range kinds {
					if k != reword.Exact {
						reworded++
					}
				}
			}
		}
		if pairs == 0 || reworded == 0 {
			t.Fatalf("%s: %d pairs with passages, %d reworded passages: the test checked too little", in, pairs, reworded)
		}
		t.Logf("%s: %d pairs with passages, %d reworded", in, pairs, reworded)
	}
}

// TestTwinCache: with copies of files in the corpus, on both sides of
// the other documents in id order and one copied many times, Align gives
// the same pairs, passages and byte offsets whether the twins' pairs are
// copied from the cache or aligned, with room for every entry or for
// almost none.
func TestTwinCache(t *testing.T) {
	dir := t.TempDir()
	if _, err := gen.Generate(context.Background(), dir, gen.Config{Seed: 3, Docs: 300}); err != nil {
		t.Fatal(err)
	}
	dir = filepath.Join(dir, "corpus")
	var files []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	copyTo := func(src, dst string) {
		text, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, text, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i, f := range files {
		if i%7 == 0 {
			copyTo(f, filepath.Join(dir, "0-copies", fmt.Sprint(i)))
			copyTo(f, filepath.Join(dir, "zz-copies", fmt.Sprint(i)))
		}
	}
	for i := range 6 {
		copyTo(files[1], filepath.Join(dir, "many", fmt.Sprint(i)))
	}

	pairsOf := func(limit int64) ([]Pair, int64) {
		x, sh, ev := stages(t, dir)
		var copied atomic.Int64
		st, err := Align(context.Background(), x, sh, ev, Options{
			MinWords: minWords, Threshold: 0.8, Workers: 2, TwinBytes: limit,
			Copied: func(n int) { copied.Add(int64(n)) },
		})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		var out []Pair
		err = st.Each(func(p *Pair) error {
			out = append(out, Pair{A: p.A, B: p.B, Shared: p.Shared, Spans: slices.Clone(p.Spans), Bytes: slices.Clone(p.Bytes)})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return out, copied.Load()
	}
	want, copied := pairsOf(0)
	if copied != 0 {
		t.Fatalf("%d candidates copied without a cache", copied)
	}
	for _, limit := range []int64{64 << 20, 2 << 10} {
		got, copied := pairsOf(limit)
		t.Logf("limit %d: %d pairs, %d candidates copied", limit, len(got), copied)
		if copied < 100 && limit > 1<<20 {
			t.Errorf("limit %d: %d candidates copied, want at least 100 (the copies of the same file alone give 21)", limit, copied)
		}
		if len(got) != len(want) {
			t.Fatalf("limit %d: %d pairs, want %d", limit, len(got), len(want))
		}
		for i := range want {
			p, q := want[i], got[i]
			if p.A != q.A || p.B != q.B || p.Shared != q.Shared || !slices.Equal(p.Spans, q.Spans) || !slices.Equal(p.Bytes, q.Bytes) {
				t.Fatalf("limit %d: pair %d = %+v, want %+v", limit, i, q, p)
			}
		}
	}
}

// TestSortAnchors: the anchors' integer-key sort against a comparison
// sort by (B, A, Repeated), with A at -1 (a repeated place in A), ties,
// and places too large to pack an index beside (sorted Whole).
func TestSortAnchors(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	var l Aligner
	for _, n := range []int{0, 1, 2, 20, 500} {
		for _, span := range []int32{4, 1 << 30, math.MaxInt32} {
			l.anchors = l.anchors[:0]
			for range n {
				l.anchors = append(l.anchors, align.Anchor{A: r.Int32N(span) - 1, B: r.Int32N(span), Repeated: r.IntN(2) == 0})
			}
			want := slices.Clone(l.anchors)
			slices.SortStableFunc(want, func(x, y align.Anchor) int {
				return cmp.Or(cmp.Compare(x.B, y.B), cmp.Compare(x.A, y.A), cmp.Compare(b2i(x.Repeated), b2i(y.Repeated)))
			})
			if err := l.sortAnchors(context.Background()); err != nil || !slices.Equal(l.anchors, want) {
				t.Fatalf("%d anchors below %d: sortAnchors = %v, want %v", n, span, l.anchors, want)
			}
		}
	}
}

// TestAnchorsContext: converting and sorting a huge pair's anchors looks
// at the context (every lookAnchors anchors, and in each pass of the
// sort) and gives up at the look that finds it done.
func TestAnchorsContext(t *testing.T) {
	var l Aligner
	as := make([]candidate.Anchor, 2*lookAnchors+1)
	for i := range as {
		as[i] = candidate.Anchor{PosA: uint32(i), PosB: uint32(i)}
	}
	for _, n := range []int{0, 1, 2} {
		ctx := testctx.NewDoneAfter(n)
		got, err := l.alignAnchors(ctx, as)
		switch {
		case n == 0 && (err != nil || len(got) != len(as) || ctx.Calls != 2):
			t.Errorf("alignAnchors: %d anchors, err %v, %d looks; want %d, nil, 2", len(got), err, ctx.Calls, len(as))
		case n > 0 && (err != context.Canceled || ctx.Calls != n):
			t.Errorf("alignAnchors, done at look %d: err %v after %d looks", n, err, ctx.Calls)
		}
	}
	l.anchors = append(l.anchors[:0], align.Anchor{A: 3, B: 2}, align.Anchor{A: 1, B: 1})
	if err := l.sortAnchors(testctx.NewDoneAfter(1)); err != context.Canceled {
		t.Errorf("sortAnchors with its context done: err %v", err)
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestAlignAnchorsCapped: a fingerprint B holds at more places than
// align.Options.MaxPlaces (a line of a generated table) anchors at that
// many of them, spread over B (align.Spread); at all of them below it.
func TestAlignAnchorsCapped(t *testing.T) {
	for _, places := range []int{1, 2, 64, 65, 1000} {
		l := NewSeedAligner(align.Options{Seed: 3, MinWords: minWords, AnchorLen: 5})
		l.SetASeeds(make([]uint32, 100), 102)
		var repeats []uint32
		want := []int32{10}
		for i := 1; i < places; i++ {
			repeats = append(repeats, 10, uint32(10+3*i))
			want = append(want, int32(10+3*i))
		}
		seeds := make([]uint32, 10+3*places+10)
		anchors := []candidate.Anchor{{PosA: 5, PosB: 4}, {PosA: 40, PosB: 10 | candidate.Repeated}}
		if _, err := l.AlignSeeds(context.Background(), seeds, repeats, anchors); err != nil {
			t.Fatal(err)
		}
		want = align.Spread(want, l.al.Options().MaxPlaces)
		var got []int32
		for _, x := range l.anchors {
			switch {
			case x == (align.Anchor{A: 5, B: 4}):
			case x.A == 40 && !x.Repeated:
				got = append(got, x.B)
			default:
				t.Fatalf("%d places: anchor %+v", places, x)
			}
		}
		if !slices.Equal(got, want) || len(got) != min(places, 64) {
			t.Errorf("%d places: anchors at %v, want %v", places, got, want)
		}
	}
}

// TestRewordAlignerOptions: the exact aligner inside the reworded one
// takes the scan's seeds, evidence and anchor length, so that an anchor B
// repeats stands for the same text on both paths (align.Options.AnchorLen).
func TestRewordAlignerOptions(t *testing.T) {
	opt := align.Options{Seed: 3, MinWords: 12, AnchorLen: 7}
	got := NewSeedRewordAligner(opt).pa.ExactOptions()
	if got.Seed != opt.Seed || got.MinWords != opt.MinWords || got.AnchorLen != opt.AnchorLen {
		t.Errorf("the reworded aligner's exact options: seed %d, min words %d, anchor %d; want %d, %d, %d",
			got.Seed, got.MinWords, got.AnchorLen, opt.Seed, opt.MinWords, opt.AnchorLen)
	}
}

// TestSpreadPlaces: the places an anchor of a fingerprint B repeats
// opens windows at are those align.Spread keeps of all its places, read
// from B's record or from the repeats given to AlignSeeds alike, for
// fingerprints held once, a few times, around MaxPlaces and far beyond
// it, between others.
func TestSpreadPlaces(t *testing.T) {
	const tokens = 5000
	toks := make([]shingle.Token, tokens)
	for i := range toks {
		toks[i] = shingle.Token{Start: uint32(2 * i), End: uint32(2*i + 1)}
	}
	counts := []int{1, 2, 63, 64, 65, 66, 1000}
	var repeats []uint32
	firsts := make([]uint32, len(counts))
	for c, n := range counts {
		firsts[c] = uint32(c + 1)
		for i := 1; i < n; i++ {
			repeats = append(repeats, firsts[c], uint32(len(counts)+1+c*1000+i))
		}
	}
	st := spool.NewSeeds()
	defer st.Close()
	r, _, err := st.Put(nil, toks, make([]uint32, tokens), repeats, nil)
	if err != nil {
		t.Fatal(err)
	}
	v, _, err := st.Read(r, tokens, tokens, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, max := range []int{0, 1, 2, 64} {
		for c, first := range firsts {
			all := []uint32{first}
			for i := 0; i < len(repeats); i += 2 {
				if repeats[i] == first {
					all = append(all, repeats[i+1])
				}
			}
			want := align.Spread(all, max)
			for _, held := range []bool{false, true} {
				l := &Aligner{bView: v, bHeld: held, bRepeats: repeats}
				got, ok := l.spreadPlaces(nil, first, max)
				if !ok || !slices.Equal(got, want) {
					t.Errorf("%d places, max %d, repeats given %v: spreadPlaces = %v, %v; want %v", counts[c], max, held, got, ok, want)
				}
			}
		}
	}
	l := &Aligner{bView: spool.SeedView{}}
	if _, ok := l.spreadPlaces(nil, 1, 64); ok {
		t.Error("spreadPlaces of a record that lists no repeats reports them known")
	}
}

// TestAlignInvolving: with Options.Involving, Align aligns the pairs with
// a document it names, and finds in them what it finds without it.
func TestAlignInvolving(t *testing.T) {
	all := func(involving func(uint32) bool) []Pair {
		x, sh, ev := stages(t, "../testdata/corpus")
		st, err := Align(context.Background(), x, sh, ev, Options{MinWords: minWords, Threshold: 0.8, Workers: 2, Involving: involving})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		return storedPairs(t, st)
	}
	full := all(nil)
	for _, d := range []uint32{0, 3, 7} {
		in := func(e uint32) bool { return e == d || e == d+1 }
		var want []Pair
		for _, p := range full {
			if in(p.A) || in(p.B) {
				want = append(want, p)
			}
		}
		if len(want) == 0 || len(want) == len(full) {
			t.Fatalf("documents %d and %d: %d of %d pairs; the test needs some, not all", d, d+1, len(want), len(full))
		}
		if got := all(in); !reflect.DeepEqual(got, want) {
			t.Errorf("documents %d and %d: Align with Involving = %d pairs %v\nwant %d %v", d, d+1, len(got), got, len(want), want)
		}
	}
}

// TestMemo: alignments kept in a Memo from one Index are given to the
// same pairs of another, numbered differently (a check's next round),
// as aligning them gives them; a Memo whose keys name other documents
// gives other passages (so the result comes from it).
func TestMemo(t *testing.T) {
	type named struct {
		a, b   string
		shared int32
		spans  []align.Span
		bytes  []ByteSpan
	}
	key := func(x *index.Index) func(d uint32) uint64 {
		return func(d uint32) uint64 { return hashString(x.ID(d)) }
	}
	run := func(memo *Memo, keyOf func(*index.Index) func(uint32) uint64, inputs ...string) []named {
		x, sh, ev := stages(t, inputs...)
		opt := Options{MinWords: minWords, Threshold: 0.8, Workers: 2, Memo: memo}
		if keyOf != nil {
			opt.MemoKey = keyOf(x)
		}
		st, err := Align(context.Background(), x, sh, ev, opt)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		var out []named
		err = st.Each(func(p *Pair) error {
			out = append(out, named{x.ID(p.A), x.ID(p.B), p.Shared, slices.Clone(p.Spans), slices.Clone(p.Bytes)})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	const c = "../testdata/corpus/"
	all := []string{c + "chronicle", c + "courier", c + "gazette", c + "releases", c + "wire"}
	some := []string{c + "courier", c + "gazette", c + "wire"} // numbered otherwise
	memo := NewMemo(64 << 20)
	if got, want := run(memo, key, all...), run(nil, nil, all...); !reflect.DeepEqual(got, want) {
		t.Fatalf("with an empty Memo: %d pairs %v\nwant %d %v", len(got), got, len(want), want)
	}
	if memo.Len() == 0 || memo.Hits() != 0 {
		t.Fatalf("after one Align: Memo holds %d pairs, %d hits; want some, none", memo.Len(), memo.Hits())
	}
	want := run(nil, nil, some...)
	if got := run(memo, key, some...); !reflect.DeepEqual(got, want) {
		t.Errorf("from the Memo: %d pairs %v\nwant %d %v", len(got), got, len(want), want)
	}
	if memo.Hits() == 0 {
		t.Error("the second Align took nothing from the Memo")
	}
	wrong := func(x *index.Index) func(d uint32) uint64 {
		return func(d uint32) uint64 { return hashString(x.ID((d + 1) % uint32(x.Len()))) }
	}
	if got := run(memo, wrong, some...); reflect.DeepEqual(got, want) {
		t.Error("a Memo keyed by other documents gave the same pairs: they were not taken from it")
	}
	// Full, it keeps nothing more, and the pairs are still aligned.
	full := NewMemo(0)
	if got := run(full, key, some...); !reflect.DeepEqual(got, want) || full.Len() != 0 {
		t.Errorf("with a full Memo: %d pairs, Memo holds %d; want %d, 0", len(got), full.Len(), len(want))
	}
	// Told to stop keeping, it keeps nothing more; a recorder still
	// records.
	stopped := NewMemo(64 << 20)
	stopped.StopKeeping()
	if got := run(stopped, key, some...); !reflect.DeepEqual(got, want) || stopped.Len() != 0 {
		t.Errorf("after StopKeeping: %d pairs, Memo holds %d; want %d, 0", len(got), stopped.Len(), len(want))
	}
	rec := NewRecorder()
	rec.StopKeeping()
	if run(rec, key, some...); rec.Len() == 0 {
		t.Error("a recorder told to stop keeping recorded nothing")
	}
}

func hashString(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// TestAlignKnown: pairs Involving leaves out but Known names are taken
// from the Memo in the order of candidates, as if the shuffle had paired
// them: Align gives the pairs (passages, order) of an Align that pairs
// everything, with Shared unknown (0) for the known ones; a known pair
// the Memo lacks is an error.
func TestAlignKnown(t *testing.T) {
	key := func(d uint32) uint64 { return uint64(d) }
	collect := func(st *Store) []Pair { return storedPairs(t, st) }
	memo := NewMemo(64 << 20)
	x, sh, ev := stages(t, "../testdata/corpus")
	st, err := Align(context.Background(), x, sh, ev, Options{MinWords: minWords, Threshold: 0.8, Workers: 2, Memo: memo, MemoKey: key})
	if err != nil {
		t.Fatal(err)
	}
	full := collect(st)
	st.Close()
	var candidates [][2]uint32 // every pair aligned, with passages or without
	for k := range memo.c.pairs {
		candidates = append(candidates, [2]uint32{uint32(k[0]), uint32(k[1])})
	}
	slices.SortFunc(candidates, func(p, q [2]uint32) int { return cmp.Or(cmp.Compare(p[0], q[0]), cmp.Compare(p[1], q[1])) })
	if len(candidates) < len(full) || len(full) == 0 {
		t.Fatalf("%d candidates, %d pairs", len(candidates), len(full))
	}
	for _, d := range []uint32{0, 3, 7} {
		in := func(e uint32) bool { return e == d || e == d+1 }
		known := func(lo, hi uint32) [][2]uint32 {
			var out [][2]uint32
			for _, c := range candidates {
				if c[0] >= lo && c[0] < hi && !in(c[0]) && !in(c[1]) {
					out = append(out, c)
				}
			}
			return out
		}
		want := slices.Clone(full)
		for i := range want {
			if !in(want[i].A) && !in(want[i].B) {
				want[i].Shared = 0
			}
		}
		x, sh, ev := stages(t, "../testdata/corpus")
		st, err := Align(context.Background(), x, sh, ev, Options{MinWords: minWords, Threshold: 0.8, Workers: 2, Memo: memo, MemoKey: key, Involving: in, Known: known})
		if err != nil {
			t.Fatal(err)
		}
		if got := collect(st); !reflect.DeepEqual(got, want) {
			t.Errorf("documents %d and %d: Align with Known = %d pairs %v\nwant %d %v", d, d+1, len(got), got, len(want), want)
		}
		st.Close()
	}
	// A known pair the Memo lacks.
	x, sh, ev = stages(t, "../testdata/corpus")
	_, err = Align(context.Background(), x, sh, ev, Options{MinWords: minWords, Threshold: 0.8, Workers: 2, Memo: NewMemo(1 << 20), MemoKey: key,
		Involving: func(d uint32) bool { return d == 0 }, Known: func(lo, hi uint32) [][2]uint32 {
			if lo <= 1 && 1 < hi {
				return [][2]uint32{{1, 2}}
			}
			return nil
		}})
	if !errors.Is(err, ErrStored) {
		t.Errorf("a known pair the Memo lacks: %v, want ErrStored", err)
	}
}

// storedPairs returns the pairs st holds, in its order: documents,
// Shared, and passages in tokens and bytes.
func storedPairs(t *testing.T, st *Store) []Pair {
	t.Helper()
	var out []Pair
	if err := st.Each(func(p *Pair) error {
		out = append(out, Pair{A: p.A, B: p.B, Shared: p.Shared, Spans: slices.Clone(p.Spans), Bytes: slices.Clone(p.Bytes)})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}
