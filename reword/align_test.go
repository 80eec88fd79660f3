package reword

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/reuse-tool/reuse/align"
	"github.com/reuse-tool/reuse/internal/testctx"
	"github.com/reuse-tool/reuse/shingle"
)

// randomDoc returns a Doc of n sentences of 3 to 12 tokens over terms
// 1..vocab, a quarter of the tokens stop words.
func randomDoc(r *rand.Rand, n, vocab int) Doc {
	var terms []uint32
	var sentences []int32
	for range n {
		sentences = append(sentences, int32(len(terms)))
		for range 3 + r.IntN(10) {
			t := uint32(1 + r.IntN(vocab))
			if r.IntN(4) == 0 {
				t = NoTerm
			}
			terms = append(terms, t)
		}
	}
	return hashDoc(terms, sentences)
}

// rawSeeds runs the seeding steps of Align on b and returns the seeds,
// before echoes are dropped when best is false.
func (al *Aligner) rawSeeds(b Doc, best bool) []seed {
	al.clearMap()
	al.b.build(&b, nil)
	al.mapTerms()
	al.gen++
	al.weighB()
	al.findSeeds()
	if best {
		al.keepBest()
	}
	return slices.Clone(al.seeds)
}

// bruteSeeds is the reference: every pair of sentences, tf-idf cosine
// and Dice computed from scratch in float64.
func bruteSeeds(a, b Doc, opt Options, best bool) (sure, near []seed) {
	type vec map[uint32]float64
	bag := func(d Doc, i int) vec {
		from, to := d.Sentence(i)
		v := vec{}
		for j := from; j < to; j++ {
			if t := d.Term(int(j)); t != NoTerm {
				v[t]++
			}
		}
		return v
	}
	var va, vb []vec
	df := map[uint32]int{}
	for i := range a.Sentences {
		va = append(va, bag(a, i))
		for t := range va[i] {
			df[t]++
		}
	}
	for j := range b.Sentences {
		vb = append(vb, bag(b, j))
		for t := range vb[j] {
			df[t]++
		}
	}
	n := float64(len(va) + len(vb))
	idf := func(t uint32) float64 { return math.Log(n / float64(df[t])) }
	norm := func(v vec) float64 {
		s := 0.0
		for t, tf := range v {
			s += tf * idf(t) * tf * idf(t)
		}
		return math.Sqrt(s)
	}
	type scored struct {
		s         seed
		cos, dice float64
	}
	var all []scored
	for i := range va {
		for j := range vb {
			shared, dot := 0, 0.0
			for t, tf := range va[i] {
				if u, ok := vb[j][t]; ok {
					shared++
					dot += tf * u * idf(t) * idf(t)
				}
			}
			if shared == 0 || len(va[i]) == 0 || len(vb[j]) == 0 {
				continue
			}
			den := norm(va[i]) * norm(vb[j])
			if den == 0 {
				continue
			}
			all = append(all, scored{seed{a: int32(i), b: int32(j), cos: float32(dot / den)},
				dot / den, float64(2*shared) / float64(len(va[i])+len(vb[j]))})
		}
	}
	const eps = 1e-4
	pass := func(x scored, slack float64) bool {
		return x.cos >= opt.MinCosine+slack && x.dice >= opt.MinDice+slack
	}
	var kept []scored
	for _, x := range all {
		if pass(x, -eps) {
			kept = append(kept, x)
		}
	}
	bestA, bestB := map[int32]float64{}, map[int32]float64{}
	for _, x := range kept {
		if pass(x, eps) {
			bestA[x.s.a] = max(bestA[x.s.a], x.cos)
			bestB[x.s.b] = max(bestB[x.s.b], x.cos)
		}
	}
	for _, x := range kept {
		ok, borderline := pass(x, eps), !pass(x, eps)
		if best {
			lo := opt.Relative * max(bestA[x.s.a], bestB[x.s.b])
			ok = ok && x.cos >= lo+eps
			borderline = borderline || math.Abs(x.cos-lo) <= eps
		}
		switch {
		case borderline:
			near = append(near, x.s)
		case ok:
			sure = append(sure, x.s)
		}
	}
	return sure, near
}

// sameSeeds compares seeds by their sentences, allowing the near ones
// (within rounding of a threshold) either way.
func sameSeeds(got, sure, near []seed) error {
	key := func(s seed) [2]int32 { return [2]int32{s.a, s.b} }
	in := func(list []seed, s seed) bool {
		return slices.ContainsFunc(list, func(x seed) bool { return key(x) == key(s) })
	}
	for _, s := range sure {
		if !in(got, s) {
			return fmt.Errorf("missing seed %v", key(s))
		}
	}
	for _, s := range got {
		if !in(sure, s) && !in(near, s) {
			return fmt.Errorf("extra seed %v (cos %.3f)", key(s), s.cos)
		}
	}
	return nil
}

func TestSeedsBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for iter := range 300 {
		a := randomDoc(r, 1+r.IntN(12), 5+r.IntN(30))
		b := randomDoc(r, 1+r.IntN(12), 5+r.IntN(30))
		opt := Options{MaxPostings: 1 << 20, MinRare: 1, MaxCompare: 1 << 20}.withDefaults()
		al := NewAligner(opt)
		al.SetA(a)
		for _, best := range []bool{false, true} {
			got := al.rawSeeds(b, best)
			sure, near := bruteSeeds(a, b, opt, best)
			if err := sameSeeds(got, sure, near); err != nil {
				t.Fatalf("iteration %d, echoes dropped %v: %v\nA %v\nB %v", iter, best, err, a, b)
			}
		}
		// With caps on postings and comparisons and two rarer terms needed,
		// seeds are a subset of the uncapped ones.
		capped := NewAligner(Options{MaxPostings: 2, MaxCompare: 2})
		capped.SetA(a)
		all := al.rawSeeds(b, false)
		for _, s := range capped.rawSeeds(b, false) {
			if !slices.ContainsFunc(all, func(x seed) bool { return x.a == s.a && x.b == s.b }) {
				t.Fatalf("iteration %d: capped seed %v not among the uncapped ones", iter, s)
			}
		}
	}
}

// refPartition is the reference of partition: split any cluster with a
// gap wider than the limit on either side, in random order, until none
// has one. The result does not depend on the order.
func refPartition(r *rand.Rand, seeds []seed, gapA, gapB int32) [][]seed {
	work := [][]seed{slices.Clone(seeds)}
	var done [][]seed
	for len(work) > 0 {
		k := r.IntN(len(work))
		c := work[k]
		work = slices.Delete(work, k, k+1)
		split := false
		for _, byA := range []bool{r.IntN(2) == 0, true, false} {
			pos := func(s seed) int32 {
				if byA {
					return s.a
				}
				return s.b
			}
			gap := gapB
			if byA {
				gap = gapA
			}
			slices.SortFunc(c, func(x, y seed) int { return int(pos(x) - pos(y)) })
			for i := 1; i < len(c); i++ {
				if pos(c[i])-pos(c[i-1])-1 > gap {
					work = append(work, slices.Clone(c[:i]), slices.Clone(c[i:]))
					split = true
					break
				}
			}
			if split {
				break
			}
		}
		if !split {
			done = append(done, c)
		}
	}
	return done
}

// canon sorts clusters and their seeds for comparison.
func canon(cs [][]seed) []string {
	var out []string
	for _, c := range cs {
		c = slices.Clone(c)
		slices.SortFunc(c, func(x, y seed) int {
			if x.a != y.a {
				return int(x.a - y.a)
			}
			return int(x.b - y.b)
		})
		var sb strings.Builder
		for _, s := range c {
			fmt.Fprintf(&sb, "(%d,%d)", s.a, s.b)
		}
		out = append(out, sb.String())
	}
	slices.Sort(out)
	return out
}

func TestPartitionReference(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for iter := range 2000 {
		n := 1 + r.IntN(14)
		span := int32(2 + r.IntN(40))
		var seeds []seed
		for range n {
			seeds = append(seeds, seed{a: r.Int32N(span), b: r.Int32N(span)})
		}
		gapA, gapB := r.Int32N(5), r.Int32N(5)
		al := &Aligner{seeds: slices.Clone(seeds)}
		al.partition(0, int32(n), gapA, gapB)
		var got [][]seed
		for _, w := range al.work {
			got = append(got, al.seeds[w.lo:w.hi])
		}
		want := refPartition(r, seeds, gapA, gapB)
		if g, w := canon(got), canon(want); !slices.Equal(g, w) {
			t.Fatalf("iteration %d, gaps %d/%d, seeds %v:\n got %v\nwant %v", iter, gapA, gapB, seeds, g, w)
		}
	}
}

// wordText writes sentences of words as text, one paragraph.
func wordText(sents [][]string) string {
	var sb strings.Builder
	for _, s := range sents {
		w := slices.Clone(s)
		w[0] = strings.ToUpper(w[0][:1]) + w[0][1:]
		sb.WriteString(strings.Join(w, " "))
		sb.WriteString(". ")
	}
	return sb.String()
}

// synthetic returns nonce words and sentences drawn from them with a Zipf
// law, as news of one topic share words.
type synthetic struct {
	r     *rand.Rand
	words []string
	zipf  *rand.Zipf
}

func newSynthetic(seed uint64, vocab int) *synthetic {
	r := rand.New(rand.NewPCG(seed, 7))
	s := &synthetic{r: r, zipf: rand.NewZipf(r, 1.1, 10, uint64(vocab-1))}
	syll := []string{"ba", "ko", "ri", "tan", "mel", "so", "vu", "dra", "pe", "lin", "gor", "ast"}
	seen := map[string]bool{}
	for len(s.words) < vocab {
		w := ""
		for range 2 + r.IntN(3) {
			w += syll[r.IntN(len(syll))]
		}
		if !seen[w] {
			seen[w] = true
			s.words = append(s.words, w)
		}
	}
	return s
}

// interleaved returns n sentences of a source and n of another text,
// drawn in turns.
func (s *synthetic) interleaved(n int) (src, own [][]string) {
	for range n {
		src = append(src, s.sentence())
		own = append(own, s.sentence())
	}
	return src, own
}

func (s *synthetic) sentence() []string {
	var out []string
	for range 8 + s.r.IntN(15) {
		out = append(out, s.words[s.zipf.Uint64()])
		if s.r.IntN(3) == 0 {
			out = append(out, []string{"the", "of", "and", "to", "in"}[s.r.IntN(5)])
		}
	}
	return out
}

// reword replaces pct percent of the words of sents with others and swaps
// neighbours, as a heavy edit does.
func (s *synthetic) reword(sents [][]string, pct int) [][]string {
	var out [][]string
	for _, st := range sents {
		st = slices.Clone(st)
		for i := range st {
			if s.r.IntN(100) < pct {
				st[i] = s.words[s.r.IntN(len(s.words))]
			}
		}
		if len(st) > 3 {
			i := s.r.IntN(len(st) - 1)
			st[i], st[i+1] = st[i+1], st[i]
		}
		out = append(out, st)
	}
	return out
}

// alignTexts runs the exact and reworded aligners on two texts.
func alignTexts(a, b string) ([]Passage, []shingle.Token, []shingle.Token) {
	ta, da := analyze(a)
	tb, db := analyze(b)
	pa := NewPairAligner(align.Options{}, Options{})
	pa.SetA(ta, da)
	return alignPair(pa, nil, tb, db), ta, tb
}

// TestAlignFindsReworded plants reworded copies (30% of the words
// replaced, a swap per sentence) of 4 to 6 sentences in 100 synthetic
// documents and checks floors measured when it was written: every copy
// found, no passage outside a copy, and boundaries within 200 bytes (a
// sentence) of the copy's in at least 90 of 100 (measured 96; a sentence
// reworded past the seed thresholds is lost at an end).
func TestAlignFindsReworded(t *testing.T) {
	found, exact := 0, 0
	const n = 100
	for seed := range uint64(n) {
		s := newSynthetic(seed, 1000)
		src, own := s.interleaved(30)
		from, k := 5+int(seed%10), 4+int(seed%3)
		copied := s.reword(src[from:from+k], 30)
		tgt := slices.Concat(own[:12], copied, own[12:])
		a, b := wordText(src), wordText(tgt)
		ps, ta, tb := alignTexts(a, b)
		// The copy's byte ranges.
		aStart := len(wordText(src[:from]))
		aEnd := len(wordText(src[:from+k])) - 2
		bStart := len(wordText(own[:12]))
		bEnd := len(wordText(slices.Concat(own[:12], copied))) - 2
		hit := false
		for _, p := range ps {
			pa0, pa1 := int(ta[p.AStart].Start), int(ta[p.AEnd-1].End)
			pb0, pb1 := int(tb[p.BStart].Start), int(tb[p.BEnd-1].End)
			if !(pa0 < aEnd && aStart < pa1 && pb0 < bEnd && bStart < pb1) {
				t.Errorf("seed %d: passage A[%d,%d) B[%d,%d) outside the copy A[%d,%d) B[%d,%d)",
					seed, pa0, pa1, pb0, pb1, aStart, aEnd, bStart, bEnd)
				continue
			}
			hit = true
			if abs(pa0-aStart) <= 200 && abs(pa1-aEnd) <= 200 && abs(pb0-bStart) <= 200 && abs(pb1-bEnd) <= 200 {
				exact++
			}
		}
		if hit {
			found++
		}
	}
	if found < n || exact < 90 {
		t.Errorf("%d of %d reworded copies found, %d within a sentence of their bounds; want %d and 90", found, n, exact, n)
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func TestAlignUnrelated(t *testing.T) {
	// Documents drawn from the same vocabulary share words, not passages.
	for seed := range uint64(100) {
		s := newSynthetic(seed, 1000)
		var a, b [][]string
		for range 40 {
			a = append(a, s.sentence())
			b = append(b, s.sentence())
		}
		if ps, _, _ := alignTexts(wordText(a), wordText(b)); len(ps) > 0 {
			t.Errorf("seed %d: %d passages between unrelated texts: %v", seed, len(ps), ps)
		}
	}
}

// checkPassages checks the contract of aligned passages: token ranges
// inside both documents, non-empty, ordered by AStart, never overlapping
// on either side.
func checkPassages(t *testing.T, ps []Passage, na, nb int) {
	t.Helper()
	for i, p := range ps {
		if p.AStart < 0 || p.AStart >= p.AEnd || int(p.AEnd) > na || p.BStart < 0 || p.BStart >= p.BEnd || int(p.BEnd) > nb {
			t.Fatalf("passage %d %+v outside %d×%d tokens or empty", i, p, na, nb)
		}
		if i > 0 && ps[i-1].AStart > p.AStart {
			t.Fatalf("passages not ordered by AStart: %+v then %+v", ps[i-1], p)
		}
		for _, q := range ps[:i] {
			if q.AStart < p.AEnd && p.AStart < q.AEnd || q.BStart < p.BEnd && p.BStart < q.BEnd {
				t.Fatalf("passages overlap: %+v and %+v", q, p)
			}
		}
	}
}

func FuzzAlign(f *testing.F) {
	s := newSynthetic(1, 60)
	var src [][]string
	for range 12 {
		src = append(src, s.sentence())
	}
	a := wordText(src)
	f.Add(a, wordText(s.reword(src[3:9], 25)), uint8(0))
	f.Add(a, a, uint8(1))
	f.Add("Mr. Smith went home. He slept.", "Smith went home, Mr. Smith slept!", uint8(2))
	f.Add(strings.Repeat("The same sentence again and again. ", 30), strings.Repeat("The same sentence again and again. ", 7), uint8(3))
	f.Fuzz(func(t *testing.T, a, b string, k uint8) {
		// k picks options that make short inputs produce passages.
		opt := Options{}
		if k%2 == 1 {
			opt = Options{MinShared: 1, SingleCos: 0.01, MinSummary: 1, MinValidate: 0.01}
		}
		ta, da := analyze(a)
		tb, db := analyze(b)
		pa := NewPairAligner(align.Options{MinWords: 1 + int(k%9)}, opt)
		pa.SetA(ta, da)
		ps := alignPair(pa, nil, tb, db)
		checkPassages(t, ps, len(ta), len(tb))
		for _, p := range ps {
			if ta[p.AEnd-1].End > uint32(len(a)) || tb[p.BEnd-1].End > uint32(len(b)) {
				t.Fatalf("passage %+v beyond the texts", p)
			}
		}
		// As a scan aligns a pair: the reworded aligner only where the
		// exact passages call for it (rewording, unfinished sentences).
		seeds, _ := shingle.Seeds(nil, tb, pa.ExactOptions().Seed, nil)
		scanned, err := pa.AlignPair(context.Background(), nil, Pair{Seeds: seeds, Doc: db})
		if err != nil {
			t.Fatal(err)
		}
		checkPassages(t, scanned, len(ta), len(tb))
		rw := NewAligner(opt)
		rw.SetA(da)
		checkPassages(t, rw.Align(nil, db), len(ta), len(tb))
		// Deterministic, and independent of the pairs aligned before.
		if again := alignPair(pa, nil, tb, db); !slices.Equal(ps, again) {
			t.Fatalf("second alignment differs:\n%v\n%v", ps, again)
		}
	})
}

// plantedPair returns, analyzed, a source of n synthetic sentences and
// another text of n sentences of its own holding, after its first at,
// the source's sentences [from, to) with pct percent of their words
// replaced.
func plantedPair(seed uint64, n, at, from, to, pct int) (ta []shingle.Token, da Doc, tb []shingle.Token, db Doc) {
	s := newSynthetic(seed, 1000)
	src, own := s.interleaved(n)
	b := slices.Concat(own[:at], s.reword(src[from:to], pct), own[at:])
	ta, da = analyze(wordText(src))
	tb, db = analyze(wordText(b))
	return ta, da, tb, db
}

func TestAlignNoAlloc(t *testing.T) {
	ta, da, tb, db := plantedPair(3, 40, 20, 10, 16, 25)
	al := NewAligner(Options{})
	al.SetA(da)
	out := al.Align(nil, db)
	if len(out) == 0 {
		t.Fatal("no passage found")
	}
	if n := testing.AllocsPerRun(20, func() { out = al.Align(out[:0], db) }); n != 0 {
		t.Errorf("Aligner.Align allocates %v times per pair once warm, want 0", n)
	}
	pa := NewPairAligner(align.Options{}, Options{})
	pa.SetA(ta, da)
	out = alignPair(pa, out[:0], tb, db)
	if n := testing.AllocsPerRun(20, func() { out = alignPair(pa, out[:0], tb, db) }); n != 0 {
		t.Errorf("PairAligner.Align allocates %v times per pair once warm, want 0", n)
	}
	k := NewKeyer(KeyOptions{})
	keys := k.Keys(nil, da)
	if n := testing.AllocsPerRun(20, func() { keys = k.Keys(keys[:0], da) }); n != 0 {
		t.Errorf("Keyer.Keys allocates %v times per document once warm, want 0", n)
	}
}

// FuzzAlignDocs feeds the aligner and the keys Docs that break the
// invariants of Sentences (as a corrupted spool could): no panic, and
// passages within the tokens.
func FuzzAlignDocs(f *testing.F) {
	f.Add([]byte{1, 2, 3, 0, 4, 5, 1, 2, 3}, []byte{0, 3, 6}, []byte{1, 2, 3, 4, 5, 1, 2, 3}, []byte{0, 4})
	f.Add([]byte{9, 9, 9}, []byte{5, 0, 200}, []byte{9, 9}, []byte{1, 1, 0})
	f.Fuzz(func(t *testing.T, ta, sa, tb, sb []byte) {
		doc := func(terms, starts []byte) Doc {
			// Numbers 9..15 lie beyond the vocabulary, which holds a 0 and
			// a term twice: a corrupted record.
			d := Doc{Vocab: []uint32{101, 102, 103, 104, 0, 101, 105, 106}}
			for _, x := range terms {
				d.Terms = append(d.Terms, uint32(x%16))
			}
			for _, x := range starts {
				d.Sentences = append(d.Sentences, int32(x)-2)
			}
			return d
		}
		a, b := doc(ta, sa), doc(tb, sb)
		al := NewAligner(Options{MinShared: 1, SingleCos: 0.01, MinSummary: 1, MinValidate: 0.01})
		al.SetA(a)
		checkPassages(t, al.Align(nil, b), len(a.Terms), len(b.Terms))
		NewKeyer(KeyOptions{MinTerms: 1}).Keys(nil, a)
	})
}

// alignPair is pa.Align with a background context, which cannot fail.
func alignPair(pa *PairAligner, dst []Passage, toks []shingle.Token, b Doc) []Passage {
	out, err := pa.Align(context.Background(), dst, toks, b)
	if err != nil {
		panic(err)
	}
	return out
}

// TestAlignNearContext: a cancelled context stops the alignment of a
// long pair with its error, and dst comes back as it was given; without
// cancellation it finds what AlignNear finds.
func TestAlignNearContext(t *testing.T) {
	_, da, _, db := plantedPair(15, 3000, 100, 100, 2900, 20)
	al := NewAligner(Options{})
	al.SetA(da)
	want := al.AlignNear(nil, db, nil)
	if len(want) == 0 {
		t.Fatal("no passage: the test needs some")
	}
	got, err := al.AlignNearContext(context.Background(), nil, db, nil)
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("AlignNearContext = %d passages, %v; AlignNear %d", len(got), err, len(want))
	}
	// The long loops look at the context as they go, not only at the end.
	counting := testctx.NewDoneAfter(0)
	if _, err := al.AlignNearContext(counting, nil, db, nil); err != nil || counting.Calls < 3 {
		t.Errorf("the context was asked %d times (%v) for a pair of %d sentences, want at least 3", counting.Calls, err, len(db.Sentences))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dst := []Passage{{AStart: 1, AEnd: 2}}
	got, err = al.AlignNearContext(ctx, dst, db, nil)
	if !errors.Is(err, context.Canceled) || !slices.Equal(got, dst) {
		t.Errorf("cancelled: %v, %v; want context.Canceled and dst as given", got, err)
	}
}
