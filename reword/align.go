package reword

import (
	"cmp"
	"context"
	"math"
	"slices"

	"github.com/reuse-tool/reuse/align"
	"github.com/reuse-tool/reuse/internal/keysort"
)

// Options tune the reworded aligner. Zero fields take the defaults, which
// are those of Sanchez-Perez, Sidorov and Gelbukh (PAN 2014) where the
// method is theirs.
type Options struct {
	// MinCosine and MinDice make a seed: two sentences whose tf-idf cosine
	// and Dice coefficient (over their sets of content terms) both reach
	// them (default 0.33 each).
	MinCosine, MinDice float64
	// MaxGap is the largest number of sentences without a seed, on either
	// side, that a passage bridges (default 4).
	MaxGap int
	// MinValidate is the least tf-idf cosine between the two sides of a
	// passage taken as wholes (default 0.34). A cluster of seeds below it
	// is split again with a smaller gap.
	MinValidate float64
	// MinShared is the least number of distinct content terms the two
	// sides of a passage must share (default 10): a shorter match is a
	// stock phrase or a one-sentence coincidence, left to the exact
	// aligner.
	MinShared int
	// MaxPostings caps the sentences of A through which one term proposes
	// candidate sentence pairs (default 8): a term in more sentences than
	// that is a word of A's subject, which still counts in the similarity
	// of a pair, but does not propose it. This bounds the work per
	// sentence of B: on the Linux Documentation, whose pages share their
	// subject's words all through, 100 cost a quarter more CPU time than
	// 8 for the same PAN-13 scores (docs/benchmarks.md, "Reworded reuse,
	// session 11").
	MaxPostings int
	// Relative drops a seed whose cosine is below Relative times the best
	// cosine of one of its sentences (default 0.7): see keepBest.
	Relative float64
	// SummaryGap is the largest gap, in sentences, bridged on the long side
	// of a summary: a passage whose other side is at least SummaryRatio
	// times shorter (defaults 24 and 3).
	SummaryGap   int
	SummaryRatio float64
	// SingleCos is the least cosine of a passage made of one pair of
	// sentences (default 0.6): a single weak match is as often a
	// coincidence (a title like another, a greeting) as a reuse, while a
	// reworded sentence keeps more of its words.
	SingleCos float64
	// MinSummary is the least number of sentences of a summary's short
	// side that seed (default 3).
	MinSummary int
	// MinRare is the least number of terms held by at most MaxPostings
	// sentences of A that two sentences must share to be compared at all
	// (default 2). A sentence pair sharing one such term and otherwise
	// common ones is rarely a seed (measured on PAN-13 train: no change),
	// while comparing every such pair costs most of the time on long
	// documents of one topic.
	MinRare int
	// MaxCompare is the most sentences of A a sentence of B is compared
	// with, those sharing most rarer terms with it (default 32): it bounds
	// the work per sentence on tables and lists, where many rows share
	// a few numbers and labels.
	MaxCompare int
	// Explained drops a summary when one first-pass passage holds this
	// share of its seeds' weight or more (default 0.7): it is that
	// passage, stretched by the long gap over echoes and titles.
	Explained float64
	// Near is the number of sentences around a place the pair shares
	// that AlignNear aligns, on each side (default 24, SummaryGap: the
	// long side of a summary around one of its seeds).
	Near int
}

func (o Options) withDefaults() Options {
	if o.MinCosine <= 0 {
		o.MinCosine = 0.33
	}
	if o.MinDice <= 0 {
		o.MinDice = 0.33
	}
	if o.MaxGap <= 0 {
		o.MaxGap = 4
	}
	if o.MinValidate <= 0 {
		o.MinValidate = 0.34
	}
	if o.MinShared <= 0 {
		o.MinShared = 10
	}
	if o.MaxPostings <= 0 {
		o.MaxPostings = 8
	}
	if o.Relative <= 0 {
		o.Relative = 0.7
	}
	if o.SingleCos <= 0 {
		o.SingleCos = 0.6
	}
	if o.MinSummary <= 0 {
		o.MinSummary = 3
	}
	if o.MaxCompare <= 0 {
		o.MaxCompare = 32
	}
	if o.MinRare <= 0 {
		o.MinRare = 2
	}
	if o.Explained <= 0 {
		o.Explained = 0.7
	}
	if o.SummaryGap <= 0 {
		o.SummaryGap = 24
	}
	if o.SummaryRatio <= 0 {
		o.SummaryRatio = 3
	}
	if o.Near <= 0 {
		o.Near = o.SummaryGap
	}
	return o
}

// Kind says how a passage was found.
type Kind uint8

const (
	// Exact: the exact aligner's runs of identical tokens.
	Exact Kind = iota
	// Reworded: similar sentences in the same order on both sides.
	Reworded
	// Summary: a short passage whose sentences match sentences spread over
	// a much longer one.
	Summary
)

func (k Kind) String() string {
	switch k {
	case Exact:
		return "exact"
	case Reworded:
		return "reworded"
	case Summary:
		return "summary"
	}
	return "unknown"
}

// Passage is a passage two documents share: tokens [AStart, AEnd) of A and
// [BStart, BEnd) of B, with the tf-idf cosine of its two sides (1 for an
// exact copy).
type Passage struct {
	AStart, AEnd, BStart, BEnd int32
	Similarity                 float32
	Kind                       Kind
}

// seed is a pair of similar sentences.
type seed struct {
	a, b int32
	cos  float32
	id   int32 // index in the seeds sorted by (a, b)
}

// cand is a validated cluster of seeds: sentences [a0, a1] × [b0, b1].
type cand struct {
	a0, a1, b0, b1 int32
	sim            float32
	mass           float32 // sum of its seeds' cosines
	seeds          int32
	from, to       int32 // its seeds: al.cseeds[from:to]
	kind           Kind
	long           int8 // summary: 1 if A is the long side, 2 if B
}

// Aligner aligns reworded passages between document A (SetA) and others
// (Align).
//
// Cost: SetA is O(len A); Align is O(len B + Σ over B's sentence terms
// of min(postings in A, MaxPostings) + MaxCompare · sentences of B ·
// terms of a sentence + seeds·log + the tokens of the passages examined),
// sentences weighted only when a candidate touches them: linear in the
// pair, with no loop over all sentence pairs. No allocation once its
// scratch has grown. An Aligner is NOT safe for concurrent use.
type Aligner struct {
	opt   Options
	ctx   context.Context // AlignNearContext's, while it runs
	a, b  sents
	post  []int32 // A's sentences, grouped by term (dense id)
	start []int32 // per dense id of A: its sentences are post[start[id]:][:df]
	gen   uint32
	nAll  float64 // sentences of A and B
	logN  float32 // ln(nAll)

	mark     []uint32  // per dense id of B: markGen when in the B sentence compared
	markW    []float32 // its weight there
	markGen  uint32
	acc      []tally // per A sentence: rarer terms shared with the B sentence
	touched  []int32
	seeds    []seed
	cands    []cand
	work     []span
	next     []span
	stack    []task
	fa, fb   []float32
	bag      bagIndex    // a term's number → its index in fa and fb
	claimA   tokenClaims // sentences of A in passages
	claimB   tokenClaims
	bestA    []float32
	bestB    []float32
	shortTmp []int32
	candOf   []int32     // per seed id: the first-pass candidate holding it, or -1
	cseeds   []seed      // the seeds of each candidate
	bToA     []int32     // per term number of B met: its number in A, or -1
	bPost    []postRange // per term number of B met: its postings in A
	aToB     []int32     // per term number of A: its number in B, or -1
	fill     []int32     // SetA's scratch
	boxes    []box       // windows: the places near, as sentences
	aLo, aHi []int32     // per B sentence: the A sentences it meets
	winB     []bool      // B sentences with any
	windowed bool        // aLo, aHi hold for this pair
	seedSort keysort.Sorter[seed]
}

type span struct{ lo, hi int32 }

// tally counts an A sentence's terms held by the B sentence findSeeds
// looks at: n is valid while stamp is that sentence's number plus one
// (one cache line a posting, not two).
type tally struct{ stamp, n int32 }

type task struct {
	lo, hi int32
	gap    int32
	long   int8 // summary pass: 0 none, 1 A is long, 2 B is long
}

// NewAligner returns an Aligner with the given options.
func NewAligner(opt Options) *Aligner { return &Aligner{opt: opt.withDefaults()} }

// Options returns the options in force, defaults filled in.
func (al *Aligner) Options() Options { return al.opt }

// SetA indexes document A for the calls to Align that follow. The Aligner
// keeps no reference to a.
func (al *Aligner) SetA(a Doc) {
	al.a.build(&a, nil)
	v := len(a.Vocab)
	al.a.indexVocab()
	// Postings: the A sentences of each term, by counting sort on the
	// term numbers.
	al.start = resize(al.start, v+1)
	sum := int32(0)
	for id := range int32(v) {
		al.start[id] = sum
		sum += al.a.dfOf(id)
	}
	al.start[v] = sum
	al.post = resize(al.post, int(sum))
	fill := resize(al.fill, v)
	copy(fill, al.start[:v])
	for s := range al.a.n() {
		for k := al.a.off[s]; k < al.a.off[s+1]; k++ {
			id := al.a.tid[k]
			al.post[fill[id]] = int32(s)
			fill[id]++
		}
	}
	al.fill = fill
	al.aToB = resize(al.aToB, v)
	for i := range al.aToB {
		al.aToB[i] = -1
	}
	al.b.used = al.b.used[:0] // no mapping to clear
	if n := al.a.n(); len(al.acc) < n {
		al.acc = make([]tally, n)
	}
	clear(al.acc)
}

// Align appends to dst the reworded passages b shares with the document
// given to SetA and returns it. Passages are ordered by AStart, never
// overlap on either side, and start and end on sentence boundaries.
func (al *Aligner) Align(dst []Passage, b Doc) []Passage { return al.AlignNear(dst, b, nil) }

// AlignNear is Align restricted to the sentences within Near sentences of
// the places near (token ranges both documents share: exact passages,
// anchors as spans of one token; an AStart below 0 stands for anywhere
// in A), on each side: a long pair sharing a few passages costs what
// their neighbourhoods cost. Sentences outside take no part (they seed
// nothing and count for nothing in the idf). Nil near aligns all.
func (al *Aligner) AlignNear(dst []Passage, b Doc, near []align.Span) []Passage {
	dst, _ = al.AlignNearContext(context.Background(), dst, b, near)
	return dst
}

// AlignNearContext is AlignNear, stopping early with ctx.Err() when ctx
// is cancelled (dst is then returned as it was given): a pair of long
// documents aligned whole takes about a second per million words
// (BenchmarkAdversarial, "reworded").
func (al *Aligner) AlignNearContext(ctx context.Context, dst []Passage, b Doc, near []align.Span) ([]Passage, error) {
	al.ctx = ctx
	defer func() { al.ctx = nil }()
	n := len(dst)
	dst = al.alignNear(dst, b, near)
	if err := ctx.Err(); err != nil {
		return dst[:n], err
	}
	return dst, nil
}

// cancelled reports, every 1,024th call, whether AlignNearContext's ctx
// is done (a long loop then ends early, and its result is dropped).
func (al *Aligner) cancelled(i int32) bool {
	return i&1023 == 0 && al.ctx != nil && al.ctx.Err() != nil
}

func (al *Aligner) alignNear(dst []Passage, b Doc, near []align.Span) []Passage {
	al.clearMap()
	if al.a.n() == 0 || len(b.Sentences) == 0 {
		return dst
	}
	al.windowed = false
	var win []bool
	if len(near) > 0 {
		win = al.windows(&b, near)
	}
	al.b.build(&b, win)
	al.mapTerms()
	al.gen++
	if al.gen == 0 {
		clear(al.a.stamp)
		al.gen = 1
	}
	al.weighB()
	al.findSeeds()
	al.keepBest()
	al.numberSeeds()
	al.cands = al.cands[:0]
	al.cseeds = al.cseeds[:0]
	if len(al.seeds) == 0 {
		return dst
	}
	// Pass 1: passages of similar sentences in the same order.
	al.stack = append(al.stack[:0], task{0, int32(len(al.seeds)), int32(al.opt.MaxGap), 0})
	al.run()
	// Pass 2: summaries, where one side's matching sentences are spread
	// over a passage SummaryRatio times longer than the other's.
	if len(al.seeds) >= al.opt.MinSummary {
		first := len(al.cands)
		al.stack = append(al.stack[:0], task{0, int32(len(al.seeds)), int32(al.opt.MaxGap), 1},
			task{0, int32(len(al.seeds)), int32(al.opt.MaxGap), 2})
		al.run()
		al.dropWeakSummaries(first)
	}
	return al.resolve(dst)
}

// mapTerms numbers the terms B's build met in A (bToA, by a lookup of
// each) and A's in B (aToB).
func (al *Aligner) mapTerms() {
	if len(al.bToA) < len(al.b.vocab) {
		al.bToA = make([]int32, len(al.b.vocab))
		al.bPost = make([]postRange, len(al.b.vocab))
	}
	maxPost := int32(al.opt.MaxPostings)
	for _, id := range al.b.used {
		x := al.a.id(al.b.vocab[id])
		al.bToA[id] = x
		r := postRange{}
		if x >= 0 {
			al.aToB[x] = id
			r = postRange{from: al.start[x], n: al.start[x+1] - al.start[x]}
			if r.n > maxPost {
				r.n = -1
			}
		}
		al.bPost[id] = r
	}
}

// postRange is where a term's A sentences are in post: post[from:][:n];
// n is 0 for a term A lacks, -1 for one in more than MaxPostings
// sentences of A (it proposes no pair).
type postRange struct{ from, n int32 }

// clearMap forgets aToB's entries of the last pair.
func (al *Aligner) clearMap() {
	for _, id := range al.b.used {
		if x := al.bToA[id]; x >= 0 {
			al.aToB[x] = -1
		}
	}
	al.b.used = al.b.used[:0]
}

// windows sets, for each sentence j of B, the A sentences it may be
// compared with, [aLo[j], aHi[j]] (empty when aLo > aHi): those within
// Near sentences of a place near whose B side is within Near sentences
// of j (the whole of A for a place anywhere in A). It returns the B
// sentences with any, for build. Cost O(sentences of B + distinct
// sentence pairs of near · Near).
func (al *Aligner) windows(b *Doc, near []align.Span) []bool {
	al.b.starts(b)
	w := int32(al.opt.Near)
	nA, nB := int32(al.a.n()), int32(al.b.n())
	// The places as sentence ranges, without repeats.
	al.boxes = al.boxes[:0]
	for _, sp := range near {
		x := box{b0: al.b.sentenceOf(sp.BStart), b1: al.b.sentenceOf(max(sp.BEnd-1, sp.BStart)), a0: 0, a1: nA - 1}
		if sp.AStart >= 0 {
			x.a0, x.a1 = al.a.sentenceOf(sp.AStart), al.a.sentenceOf(max(sp.AEnd-1, sp.AStart))
		}
		al.boxes = append(al.boxes, x)
	}
	slices.SortFunc(al.boxes, func(x, y box) int {
		return cmp.Or(cmp.Compare(x.b0, y.b0), cmp.Compare(x.b1, y.b1), cmp.Compare(x.a0, y.a0), cmp.Compare(x.a1, y.a1))
	})
	al.boxes = slices.Compact(al.boxes)
	al.aLo = resize(al.aLo, int(nB))
	al.aHi = resize(al.aHi, int(nB))
	for j := range al.aLo {
		al.aLo[j], al.aHi[j] = nA, -1
	}
	for _, x := range al.boxes {
		lo, hi := max(x.a0-w, 0), min(x.a1+w, nA-1)
		for j := max(x.b0-w, 0); j <= min(x.b1+w, nB-1); j++ {
			al.aLo[j], al.aHi[j] = min(al.aLo[j], lo), max(al.aHi[j], hi)
		}
	}
	al.winB = resize(al.winB, int(nB))
	for j := range al.winB {
		al.winB[j] = al.aLo[j] <= al.aHi[j]
	}
	al.windowed = true
	return al.winB
}

// box is a place a pair shares, as sentences [a0, a1] of A and [b0, b1]
// of B.
type box struct{ a0, a1, b0, b1 int32 }

// weighB prepares the weighing of the pair's sentences: B's sentences,
// like A's, are weighed when a candidate first needs them.
func (al *Aligner) weighB() {
	al.nAll = float64(al.a.n() + al.b.n())
	al.logN = float32(math.Log(al.nAll))
	if v := len(al.b.state); len(al.mark) < v {
		al.mark = make([]uint32, v)
		al.markW = make([]float32, v)
		al.markGen = 0
	}
}

// idf is the inverse sentence frequency of a term held by df sentences of
// A and B together, ln(N/df).
func (al *Aligner) idf(df int32) float32 {
	df = max(df, 1)
	if int(df) < len(logTable) {
		return al.logN - logTable[df]
	}
	return float32(math.Log(al.nAll / float64(df)))
}

// logTable holds ln(k) for the small sentence frequencies that most terms
// have: a logarithm per term occurrence was a tenth of an alignment.
var logTable = func() (t [1024]float32) {
	for k := 1; k < len(t); k++ {
		t[k] = float32(math.Log(float64(k)))
	}
	return t
}()

// weigh computes the tf-idf weights and the norm of sentence s of d, whose
// partner in the pair is o, and the dense ids of its terms in o.
func (al *Aligner) weigh(d, o *sents, toOther []int32, s int32) {
	var n2 float32
	for k := d.off[s]; k < d.off[s+1]; k++ {
		oid := toOther[d.tid[k]]
		df := d.state[d.tid[k]].df
		if oid >= 0 {
			df += o.dfOf(oid)
		}
		d.other[k] = oid
		w := float32(d.tf[k]) * al.idf(df)
		d.w[k] = w
		n2 += w * w
	}
	d.norm[s] = float32(math.Sqrt(float64(n2)))
	d.stamp[s] = al.gen
}

// weighA and weighBSent weigh a sentence of A or B if not yet done for
// this pair.
func (al *Aligner) weighA(s int32) {
	if al.a.stamp[s] != al.gen {
		al.weigh(&al.a, &al.b, al.aToB, s)
	}
}

func (al *Aligner) weighBSent(s int32) {
	if al.b.stamp[s] != al.gen {
		al.weigh(&al.b, &al.a, al.bToA, s)
	}
}

// findSeeds fills al.seeds with the pairs of similar sentences, sorted by
// (a, b).
func (al *Aligner) findSeeds() {
	a, b := &al.a, &al.b
	al.seeds = al.seeds[:0]
	for j := range int32(b.n()) {
		if al.cancelled(j) {
			return
		}
		nb := b.size(j)
		if nb == 0 {
			continue
		}
		al.touched = al.touched[:0]
		capped := int32(0)
		stamp := j + 1
		for k := b.off[j]; k < b.off[j+1]; k++ {
			r := al.bPost[b.tid[k]]
			if r.n <= 0 {
				if r.n < 0 {
					capped++
				}
				continue
			}
			post := al.post[r.from : r.from+r.n]
			if al.windowed {
				// The term's sentences in the window, by binary search
				// (postings are in sentence order).
				lo, _ := slices.BinarySearch(post, al.aLo[j])
				hi, _ := slices.BinarySearch(post, al.aHi[j]+1)
				post = post[lo:max(hi, lo)]
			}
			for _, i := range post {
				if x := &al.acc[i]; x.stamp != stamp {
					*x = tally{stamp: stamp, n: 1}
					al.touched = append(al.touched, i)
				} else {
					x.n++
				}
			}
		}
		// Candidates: enough rarer terms shared, and Dice can reach its
		// threshold even if every capped term is shared.
		cands := al.touched[:0]
		for _, i := range al.touched {
			if n := al.acc[i].n; n >= int32(al.opt.MinRare) &&
				float64(2*(n+capped)) >= al.opt.MinDice*float64(a.size(i)+nb) {
				cands = append(cands, i)
			}
		}
		if len(cands) > al.opt.MaxCompare {
			// Those sharing most rarer terms (ties: first in A).
			slices.SortFunc(cands, func(x, y int32) int {
				return cmp.Or(cmp.Compare(al.acc[y].n, al.acc[x].n), cmp.Compare(x, y))
			})
			cands = cands[:al.opt.MaxCompare]
		}
		if len(cands) > 0 {
			al.weighBSent(j)
			// Mark B sentence j's terms for overlap.
			if al.markGen++; al.markGen == 0 {
				clear(al.mark)
				al.markGen = 1
			}
			for k := b.off[j]; k < b.off[j+1]; k++ {
				al.mark[b.tid[k]] = al.markGen
				al.markW[b.tid[k]] = b.w[k]
			}
		}
		for _, i := range cands {
			na := a.size(i)
			al.weighA(i)
			shared, dot := al.overlap(i)
			dice := float64(2*shared) / float64(na+nb)
			den := float64(a.norm[i]) * float64(b.norm[j])
			if den == 0 || dice < al.opt.MinDice {
				continue
			}
			if cos := float64(dot) / den; cos >= al.opt.MinCosine {
				al.seeds = append(al.seeds, seed{a: i, b: j, cos: float32(cos)})
			}
		}
	}
	// acc[i].n counts for B sentence j while acc[i].stamp == j+1: the stamps
	// must restart from 0 for the next pair.
	clear(al.acc[:a.n()])
	// By (a, b), each pair once: integer keys (package keysort), a sort
	// through a comparison function took 2.5% of a reworded scan.
	wb := keysort.Width(uint64(max(b.n(), 1)))
	if !al.seedSort.Stable(al.seeds, func(x seed) uint64 { return uint64(x.a)<<wb | uint64(x.b) }) {
		slices.SortFunc(al.seeds, func(x, y seed) int { return cmp.Or(cmp.Compare(x.a, y.a), cmp.Compare(x.b, y.b)) })
	}
}

// numberSeeds gives each seed its index and no first-pass candidate.
func (al *Aligner) numberSeeds() {
	al.candOf = slices.Grow(al.candOf[:0], len(al.seeds))[:len(al.seeds)]
	for i := range al.seeds {
		al.seeds[i].id = int32(i)
		al.candOf[i] = -1
	}
}

// keepBest drops echoes: a seed whose cosine is below Relative times the
// best cosine of its A sentence or of its B sentence. A sentence reused
// once matches its copy best; its weaker matches elsewhere (a sentence on
// the same subject) would stretch a passage beyond the copy.
func (al *Aligner) keepBest() {
	if len(al.seeds) == 0 {
		return
	}
	bestA := al.bestA[:0]
	bestA = slices.Grow(bestA, al.a.n())[:al.a.n()]
	bestB := slices.Grow(al.bestB[:0], al.b.n())[:al.b.n()]
	clear(bestA)
	clear(bestB)
	for _, s := range al.seeds {
		bestA[s.a] = max(bestA[s.a], s.cos)
		bestB[s.b] = max(bestB[s.b], s.cos)
	}
	rel := float32(al.opt.Relative)
	kept := al.seeds[:0]
	for _, s := range al.seeds {
		if s.cos >= rel*bestA[s.a] && s.cos >= rel*bestB[s.b] {
			kept = append(kept, s)
		}
	}
	al.seeds = kept
	al.bestA, al.bestB = bestA, bestB
}

// overlap returns the number of terms sentence i of A shares with the B
// sentence marked in al.mark, and the dot product of their weights. Cost
// O(the terms of i).
func (al *Aligner) overlap(i int32) (int32, float32) {
	a := &al.a
	var shared int32
	var dot float32
	for k := a.off[i]; k < a.off[i+1]; k++ {
		if id := a.other[k]; id >= 0 && al.mark[id] == al.markGen {
			shared++
			dot += a.w[k] * al.markW[id]
		}
	}
	return shared, dot
}

// run processes the stack of clusters to split: each task's seeds are
// split into clusters whose seeds lie within gap sentences of each other
// on both sides (alternately by A and by B until nothing splits), and each
// cluster is kept as a candidate if its two sides are similar as wholes,
// or split again with a gap one smaller.
func (al *Aligner) run() {
	for i := int32(1); len(al.stack) > 0; i++ {
		if al.cancelled(i) {
			al.stack = al.stack[:0]
			return
		}
		t := al.stack[len(al.stack)-1]
		al.stack = al.stack[:len(al.stack)-1]
		gapA, gapB := t.gap, t.gap
		switch t.long {
		case 1:
			gapA = max(t.gap, int32(al.opt.SummaryGap))
		case 2:
			gapB = max(t.gap, int32(al.opt.SummaryGap))
		}
		al.partition(t.lo, t.hi, gapA, gapB)
		// al.work is overwritten by later partitions: push the clusters
		// (validated ones are kept) before going on.
		for _, r := range al.work {
			c, ok := al.validate(r, t.long)
			switch {
			case ok:
				c.from = int32(len(al.cseeds))
				al.cseeds = append(al.cseeds, al.seeds[r.lo:r.lo+c.seeds]...)
				c.to = int32(len(al.cseeds))
				if t.long == 0 {
					for _, x := range al.seeds[r.lo : r.lo+c.seeds] {
						al.candOf[x.id] = int32(len(al.cands))
					}
				}
				al.cands = append(al.cands, c)
			case t.gap > 0 && r.hi-r.lo > 1:
				al.stack = append(al.stack, task{r.lo, r.hi, t.gap - 1, t.long})
			}
		}
	}
}

// partition splits seeds[lo:hi] into al.work: clusters whose consecutive
// seeds, sorted by A and then by B, are at most gapA and gapB sentences
// apart, repeated until a split by A and one by B change nothing.
func (al *Aligner) partition(lo, hi, gapA, gapB int32) {
	al.work = append(al.work[:0], span{lo, hi})
	byA := true
	calm := 0
	for calm < 2 {
		al.next = al.next[:0]
		cut := false
		for _, r := range al.work {
			s := al.seeds[r.lo:r.hi]
			gap := gapA
			if byA {
				al.sortSeeds(s, true)
			} else {
				gap = gapB
				al.sortSeeds(s, false)
			}
			from := r.lo
			for k := r.lo + 1; k < r.hi; k++ {
				p, q := al.seeds[k-1], al.seeds[k]
				d := q.a - p.a
				if !byA {
					d = q.b - p.b
				}
				if d-1 > gap {
					al.next = append(al.next, span{from, k})
					from = k
					cut = true
				}
			}
			al.next = append(al.next, span{from, r.hi})
		}
		al.work, al.next = al.next, al.work
		byA = !byA
		if cut {
			calm = 0
		} else {
			calm++
		}
	}
}

// sortSeeds sorts s by (a, b), or by (b, a) when !byA: integer keys
// (package keysort); through a comparison function these sorts took a
// sixth of the reworded aligner's time on the Linux Documentation.
func (al *Aligner) sortSeeds(s []seed, byA bool) {
	if len(s) < 2 {
		return
	}
	var top int32 // the largest second key: its width
	for _, x := range s {
		if byA {
			top = max(top, x.b)
		} else {
			top = max(top, x.a)
		}
	}
	w := keysort.Width(uint64(max(top, 0)))
	if sortedSeeds(s, byA) {
		// partition sorts the same seeds again and again, by A then by
		// B: most clusters are in order both ways already, and a stable
		// sort of sorted seeds leaves them as they are.
		return
	}
	if byA {
		if !al.seedSort.Stable(s, func(x seed) uint64 { return uint64(x.a)<<w | uint64(x.b) }) {
			slices.SortFunc(s, func(x, y seed) int { return cmp.Or(cmp.Compare(x.a, y.a), cmp.Compare(x.b, y.b)) })
		}
		return
	}
	if !al.seedSort.Stable(s, func(x seed) uint64 { return uint64(x.b)<<w | uint64(x.a) }) {
		slices.SortFunc(s, func(x, y seed) int { return cmp.Or(cmp.Compare(x.b, y.b), cmp.Compare(x.a, y.a)) })
	}
}

// sortedSeeds reports whether s is sorted by (a, b), or by (b, a) when
// !byA.
func sortedSeeds(s []seed, byA bool) bool {
	for i := 1; i < len(s); i++ {
		p, q := s[i-1], s[i]
		if byA && (p.a > q.a || p.a == q.a && p.b > q.b) || !byA && (p.b > q.b || p.b == q.b && p.a > q.a) {
			return false
		}
	}
	return true
}

// validate measures the cluster of seeds r: its sentence ranges on both
// sides, the tf-idf cosine of the two sides as wholes, and the content
// terms they share. In the summary pass (long != 0) the cluster must be a
// summary: the long side at least SummaryRatio times the other's tokens.
func (al *Aligner) validate(r span, long int8) (cand, bool) {
	s := al.seeds[r.lo:r.hi]
	c := cand{a0: s[0].a, a1: s[0].a, b0: s[0].b, b1: s[0].b, kind: Reworded,
		seeds: int32(len(s)), long: long}
	for _, x := range s {
		c.a0, c.a1 = min(c.a0, x.a), max(c.a1, x.a)
		c.b0, c.b1 = min(c.b0, x.b), max(c.b1, x.b)
		c.mass += x.cos
	}
	if long != 0 {
		la, lb := al.a.span(c.a0, c.a1), al.b.span(c.b0, c.b1)
		short, longLen := la, lb
		if long == 1 {
			short, longLen = lb, la
		}
		if float64(longLen) < al.opt.SummaryRatio*float64(short) {
			return c, false
		}
		c.kind = Summary
	}
	if c.kind == Reworded && c.seeds == 1 && float64(c.mass) < al.opt.SingleCos {
		return c, false
	}
	sim, shared := al.fragment(c)
	c.sim = sim
	if shared < int32(al.opt.MinShared) {
		return c, false
	}
	min := al.opt.MinValidate
	if c.kind == Summary {
		// The long side holds much that the summary leaves out, so the
		// cosine of the wholes is lower than for a reworded copy.
		min /= 2
	}
	return c, float64(sim) >= min
}

// span is the number of tokens of sentences [i, j].
func (s *sents) span(i, j int32) int32 {
	from, to := s.tokenRange(i, j)
	return to - from
}

// fragment returns the tf-idf cosine of the two sides of c, each taken as
// one bag of terms, and the number of terms they share.
func (al *Aligner) fragment(c cand) (float32, int32) {
	a, b := &al.a, &al.b
	al.bag.reset(len(a.state), len(b.state))
	al.fa, al.fb = al.fa[:0], al.fb[:0]
	// A term is known by its number in A, or in B when A lacks it (weigh
	// sets other): the bags' entries come in the order a table keyed by
	// the terms' hashes gave them, so the sums are the same to the bit.
	for s := c.a0; s <= c.a1; s++ {
		al.weighA(s)
		for k := a.off[s]; k < a.off[s+1]; k++ {
			at := al.bag.a.of(a.tid[k], &al.fa, &al.fb)
			al.fa[at] += a.w[k]
		}
	}
	for s := c.b0; s <= c.b1; s++ {
		al.weighBSent(s)
		for k := b.off[s]; k < b.off[s+1]; k++ {
			var at int32
			if x := b.other[k]; x >= 0 {
				at = al.bag.a.of(x, &al.fa, &al.fb)
			} else {
				at = al.bag.b.of(b.tid[k], &al.fa, &al.fb)
			}
			al.fb[at] += b.w[k]
		}
	}
	return al.cosine()
}

// maskedSimilarity returns the tf-idf cosine of tokens [aFrom, aTo) of a
// and [bFrom, bTo) of b, each taken as one bag of terms, leaving out the
// tokens inside skipA and skipB (token ranges sorted by start, disjoint),
// and the number of terms the bags share. The idf is that of the pair
// last aligned, whose documents a and b must be. Cost O(the tokens of the
// ranges + the skipped ranges).
func (al *Aligner) maskedSimilarity(a *Doc, aFrom, aTo int32, skipA []span, b *Doc, bFrom, bTo int32, skipB []span) (float32, int32) {
	aFrom, aTo = clipRange(aFrom, aTo, len(a.Terms))
	bFrom, bTo = clipRange(bFrom, bTo, len(b.Terms))
	al.bag.reset(len(al.a.state), len(al.b.state))
	al.fa, al.fb = al.fa[:0], al.fb[:0]
	// Terms known by their numbers, as in fragment.
	add := func(doc *Doc, from, to int32, skip []span, d, o *sents, toOther []int32, isA bool) {
		for i := from; i < to; i++ {
			for len(skip) > 0 && skip[0].hi <= i {
				skip = skip[1:]
			}
			if len(skip) > 0 && skip[0].lo <= i {
				continue
			}
			n := doc.Terms[i]
			if n == NoTerm || int(n) > len(doc.Vocab) || int(n) > len(d.state) {
				continue
			}
			id := int32(n - 1)
			if !d.has(id) {
				continue // outside the sentences aligned
			}
			df := d.state[id].df
			x := toOther[id]
			if x >= 0 {
				df += o.dfOf(x)
			}
			var at int32 // of first: of may grow fa and fb
			switch {
			case isA:
				at = al.bag.a.of(id, &al.fa, &al.fb)
				al.fa[at] += al.idf(df)
			case x >= 0:
				at = al.bag.a.of(x, &al.fa, &al.fb)
				al.fb[at] += al.idf(df)
			default:
				at = al.bag.b.of(id, &al.fa, &al.fb)
				al.fb[at] += al.idf(df)
			}
		}
	}
	add(a, aFrom, aTo, skipA, &al.a, &al.b, al.aToB, true)
	add(b, bFrom, bTo, skipB, &al.b, &al.a, al.bToA, false)
	return al.cosine()
}

func clipRange(from, to int32, n int) (int32, int32) {
	from = min(max(from, 0), int32(n))
	return from, min(max(to, from), int32(n))
}

// cosine returns the cosine of the bags al.fa and al.fb and the number of
// terms both hold.
func (al *Aligner) cosine() (float32, int32) {
	var dot, na, nb float64
	var shared int32
	for i := range al.fa {
		x, y := float64(al.fa[i]), float64(al.fb[i])
		dot += x * y
		na += x * x
		nb += y * y
		if x > 0 && y > 0 {
			shared++
		}
	}
	if na == 0 || nb == 0 {
		return 0, shared
	}
	return float32(dot / math.Sqrt(na*nb)), shared
}

// widen extends the long side of summary c beyond its first and last
// seeded sentences by the mean distance between its seeded sentences
// there, over sentences no passage holds, and claims them. The seeds sample
// the summarized passage: k sentences spread over a passage of L sentences
// lie about L/(k+1) apart, and as far from its ends, so the seeds' extent
// alone falls short of the passage by about two such gaps (the
// minimum-variance unbiased estimate of a range from a uniform sample).
func (al *Aligner) widen(c cand) cand {
	lo, hi := c.a0, c.a1
	claim, n := &al.claimA, int32(al.a.n())
	if c.long == 2 {
		lo, hi = c.b0, c.b1
		claim, n = &al.claimB, int32(al.b.n())
	}
	al.shortTmp = al.shortTmp[:0]
	for _, x := range al.cseeds[c.from:c.to] {
		v := x.a
		if c.long == 2 {
			v = x.b
		}
		al.shortTmp = append(al.shortTmp, v)
	}
	slices.Sort(al.shortTmp)
	k := len(slices.Compact(al.shortTmp))
	if k < 2 {
		return c
	}
	step := (hi - lo + int32(k-1)/2) / int32(k-1)
	for i := int32(0); i < step && lo > 0 && !claim.has(lo-1); i++ {
		lo--
		claim.set(lo, lo+1)
	}
	for i := int32(0); i < step && hi+1 < n && !claim.has(hi+1); i++ {
		hi++
		claim.set(hi, hi+1)
	}
	if c.long == 2 {
		c.b0, c.b1 = lo, hi
	} else {
		c.a0, c.a1 = lo, hi
	}
	return c
}

// dropWeakSummaries keeps the summary candidates (al.cands[first:]) that
// explain more than the first pass does: at least one sentence of their
// short side that seeds outside the short side of the first-pass passage
// holding most of their seeds, and MinSummary short-side sentences in all.
// Otherwise the long gap has only added echoes (a sentence like one of the
// passage's, further away) to a passage the first pass found.
// Cost: O(the summaries' seeds · log).
func (al *Aligner) dropWeakSummaries(first int) {
	kept := al.cands[:first]
	for _, s := range al.cands[first:] {
		// The first-pass candidate holding most of s's seeds.
		ids := al.shortTmp[:0]
		for _, x := range al.cseeds[s.from:s.to] {
			if c := al.candOf[x.id]; c >= 0 {
				ids = append(ids, c)
			}
		}
		slices.Sort(ids)
		best, bestN := int32(-1), 0
		for i := 0; i < len(ids); {
			j := i
			for j < len(ids) && ids[j] == ids[i] {
				j++
			}
			if j-i > bestN {
				best, bestN = ids[i], j-i
			}
			i = j
		}
		al.shortTmp = ids
		if best >= 0 {
			var m float32
			for _, x := range al.cseeds[s.from:s.to] {
				if al.candOf[x.id] == best {
					m += x.cos
				}
			}
			if float64(m) >= al.opt.Explained*float64(s.mass) {
				continue
			}
		}
		lo, hi := int32(-1), int32(-2) // short-side range already explained
		if best >= 0 {
			c := al.cands[best]
			lo, hi = c.a0, c.a1
			if s.long == 1 {
				lo, hi = c.b0, c.b1
			}
		}
		if al.newShort(s, lo, hi) >= 1 && al.newShort(s, -1, -2) >= al.opt.MinSummary {
			kept = append(kept, s)
		}
	}
	al.cands = kept
}

// newShort counts the distinct short-side sentences of summary s's seeds
// outside [lo, hi].
func (al *Aligner) newShort(s cand, lo, hi int32) int {
	al.shortTmp = al.shortTmp[:0]
	for _, x := range al.cseeds[s.from:s.to] {
		v := x.a
		if s.long == 1 {
			v = x.b
		}
		if v < lo || v > hi {
			al.shortTmp = append(al.shortTmp, v)
		}
	}
	slices.Sort(al.shortTmp)
	return len(slices.Compact(al.shortTmp))
}

// resolve turns the candidates into passages that do not overlap: the
// candidates with most evidence (sum of seed cosines) first, a later one
// dropped where it overlaps an earlier one on either side.
func (al *Aligner) resolve(dst []Passage) []Passage {
	slices.SortFunc(al.cands, func(x, y cand) int {
		return cmp.Or(cmp.Compare(y.mass, x.mass), cmp.Compare(y.sim, x.sim),
			cmp.Compare(x.a0, y.a0), cmp.Compare(x.b0, y.b0), cmp.Compare(x.a1, y.a1), cmp.Compare(x.b1, y.b1))
	})
	al.claimA.reset(al.a.n())
	al.claimB.reset(al.b.n())
	start := len(dst)
	for _, c := range al.cands {
		if al.claimA.any(c.a0, c.a1+1) || al.claimB.any(c.b0, c.b1+1) {
			continue
		}
		al.claimA.set(c.a0, c.a1+1)
		al.claimB.set(c.b0, c.b1+1)
		if c.kind == Summary {
			c = al.widen(c)
		}
		p := Passage{Similarity: c.sim, Kind: c.kind}
		p.AStart, p.AEnd = al.a.tokenRange(c.a0, c.a1)
		p.BStart, p.BEnd = al.b.tokenRange(c.b0, c.b1)
		dst = append(dst, p)
	}
	slices.SortFunc(dst[start:], func(x, y Passage) int { return cmp.Compare(x.AStart, y.AStart) })
	return dst
}
