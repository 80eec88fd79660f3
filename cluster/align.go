package cluster

import (
	"slices"

	"github.com/reuse-tool/reuse/shingle"
)

// Span is one aligned passage between documents A and B: token index ranges
// [AStart, AEnd) and [BStart, BEnd), and the number of tokens on each side
// that match exactly.
type Span struct {
	AStart, AEnd, BStart, BEnd int32
	Matched                    int32
}

// Similarity is the share of the two sides' tokens that match exactly,
// 2·Matched/(len A + len B).
func (s Span) Similarity() float64 {
	n := int(s.AEnd-s.AStart) + int(s.BEnd-s.BStart)
	if n == 0 {
		return 0
	}
	return float64(2*s.Matched) / float64(n)
}

// AlignOptions tune the aligner. Zero fields take the defaults.
type AlignOptions struct {
	// Seed is the number of tokens in a seed match (default 3). Shorter
	// seeds survive heavier editing; longer ones cost less on large pairs.
	Seed int
	// MinWords sets how much evidence a passage needs (default 9): an
	// unbroken run of MinWords matching tokens, or, for an edited passage,
	// 2·MinWords matching tokens in all. Measured on generated news
	// (package eval), shorter anchors mostly find stock phrases ("of the
	// Harbour Board, said that the"): 8-token exact runs tripled the
	// false passages of 9-token ones, while 9..14-word quotes need 9.
	MinWords int
	// MaxGap is the longest run of unmatched tokens, on either side, bridged
	// inside one passage (default 12). Larger gaps start a new passage.
	MaxGap int
	// MaxDrift is the largest difference between the gaps on the two sides
	// (default MaxGap/2): words inserted on one side only. A larger jump
	// of the source position starts a new passage, so that text inserted
	// from elsewhere is not swallowed into the gap.
	MaxDrift int
	// MinDensity is the least share of a passage's tokens that must match
	// (default 0.35): sparse chains of common phrases are not passages.
	MinDensity float64
	// MaxRepeat bounds the work a repeated seed causes (default 16): a
	// seed of B is matched with at most MaxRepeat of its positions in A,
	// those nearest the position proportional to its own. Text repeated
	// within a document is aligned whichever side of the pair it is on.
	MaxRepeat int
}

func (o AlignOptions) withDefaults() AlignOptions {
	if o.Seed <= 0 {
		o.Seed = 3
	}
	if o.MinWords <= 0 {
		o.MinWords = 9
	}
	if o.MaxGap <= 0 {
		o.MaxGap = 12
	}
	if o.MaxDrift <= 0 {
		o.MaxDrift = max(o.MaxGap/2, 1)
	}
	if o.MinDensity <= 0 {
		o.MinDensity = 0.35
	}
	if o.MaxRepeat <= 0 {
		o.MaxRepeat = 16
	}
	return o
}

// run is a stretch of tokens equal in both documents: A[a:a+n] == B[b:b+n].
type run struct{ a, b, n int32 }

// Aligner finds the passages two token sequences share. It indexes one
// document (SetA) and aligns others against it (Align), so that a document
// paired with many others is indexed once.
//
// Cost: SetA is O(len A); Align is O(len B + matches + runs·open chains).
// All scratch memory is owned by the Aligner and reused. An Aligner is NOT
// safe for concurrent use.
type Aligner struct {
	opt AlignOptions

	aLen  int
	table seedTable
	seeds []uint64 // scratch: seed hashes of the document being processed

	// The run ending at the current b on each diagonal a-b, at
	// diagRun[a-b+len(B seeds)] when diagGen there is gen: an array
	// stamped per call, cheaper than a map cleared per call.
	diagRun []int32
	diagGen []uint32
	gen     uint32
	runs    []run
	chains  []chain
	open    []int32
	links   []int32 // links[r] = previous run of r's chain, or -1
	flat    []run   // runs grouped by chain
	byB     []run   // scratch of covered
	strong  []strongRun
	// resA[t] counts the strong runs covering token t of A (resB: of B);
	// claimA and claimB hold the tokens of the passages emitted so far.
	// All are empty (zero) between calls: each call undoes what it did.
	resA   []int32
	resB   []int32
	claimA tokenBits
	claimB tokenBits
	pieces []run
	group  []run
}

type chain struct {
	last       int32 // index of the last run
	aEnd, bEnd int32
	from, to   int32 // the chain's runs in flat, after gather
	strongFrom int32 // the chain's strong runs: strong[strongFrom:strongTo]
	strongTo   int32
	matched    int32
	score      int32
}

// strongRun is a run of at least MinWords tokens: exact evidence that its
// chain owns those tokens.
type strongRun struct {
	r     run
	chain int32
}

// NewAligner returns an Aligner with the given options.
func NewAligner(opt AlignOptions) *Aligner {
	return &Aligner{opt: opt.withDefaults()}
}

// Options returns the options in force, defaults filled in.
func (al *Aligner) Options() AlignOptions { return al.opt }

// SetA indexes document A for the calls to Align that follow.
func (al *Aligner) SetA(a []shingle.Token) {
	al.seeds = shingle.Shingles(al.seeds[:0], a, al.opt.Seed)
	al.SetASeeds(al.seeds, len(a))
}

// SetASeeds is SetA given A's seeds, shingle.Shingles(a, Options().Seed),
// and its number of tokens: for callers that keep seeds, not tokens. The
// aligner does not keep seeds.
func (al *Aligner) SetASeeds(seeds []uint64, tokens int) {
	al.aLen = tokens
	al.table.build(seeds)
}

// Align appends to dst the passages that b shares with the document given
// to SetA and returns it, ordered by AStart. Passages never overlap on
// either side; each holds at least MinWords matching tokens.
func (al *Aligner) Align(dst []Span, b []shingle.Token) []Span {
	al.seeds = shingle.Shingles(al.seeds[:0], b, al.opt.Seed)
	return al.AlignSeeds(dst, al.seeds)
}

// AlignSeeds is Align given B's seeds, shingle.Shingles(b, Options().Seed).
// Seeds may be the low 32 bits of those hashes, on both sides alike: a
// collision costs a chance 3-token match, which no passage rests on.
func (al *Aligner) AlignSeeds(dst []Span, seeds []uint64) []Span {
	k := int32(al.opt.Seed)

	// 1. Seed matches, merged into runs along diagonals.
	if n := al.table.len() + len(seeds) + 1; len(al.diagRun) < n {
		al.diagRun = make([]int32, n)
		al.diagGen = make([]uint32, n)
		al.gen = 0
	}
	if al.gen++; al.gen == 0 { // wrapped: stamps of 2³² calls ago look current
		clear(al.diagGen)
		al.gen = 1
	}
	off := int32(len(seeds))
	al.runs = al.runs[:0]
	// Of a seed repeated many times in A, take the occurrences near where
	// the diagonal is expected: where the previous seed matched, or at
	// first the position proportional to j. Text that repeats itself then
	// aligns along one diagonal, with a copy of itself or a single quote.
	var diag int32
	haveDiag := false
	for j, h := range seeds {
		if !al.table.mayHave(h) {
			continue
		}
		ps := al.table.positions(h)
		if len(ps) == 0 {
			continue
		}
		target := int32(j) + diag
		if !haveDiag {
			target = int32(int64(j) * int64(al.aLen) / int64(max(len(seeds), 1)))
		}
		ps = near(ps, target, al.opt.MaxRepeat)
		for x, i := range ps {
			d := i - int32(j)
			if x == 0 || abs(i-target) < abs(diag+int32(j)-target) {
				diag = d // the diagonal nearest the expected one
			}
			if r := al.diagRun[d+off]; al.diagGen[d+off] == al.gen && al.runs[r].b+al.runs[r].n-k+1 == int32(j) {
				al.runs[r].n++
				continue
			}
			al.diagRun[d+off], al.diagGen[d+off] = int32(len(al.runs)), al.gen
			al.runs = append(al.runs, run{a: i, b: int32(j), n: k})
		}
		haveDiag = haveDiag || len(ps) > 0
	}
	if len(al.runs) == 0 {
		return dst
	}

	// 2. Chain runs in A order across small edits.
	slices.SortFunc(al.runs, func(x, y run) int {
		if x.a != y.a {
			return int(x.a - y.a)
		}
		return int(x.b - y.b)
	})
	al.chainRuns()

	// 3. Resolve overlaps: the chains with most matched tokens first.
	al.gather()
	start := len(dst)
	nA := max(al.aLen, al.table.len()+int(k)-1)
	nB := len(seeds) + int(k) - 1
	if len(al.resA) < nA {
		al.resA = make([]int32, nA)
	}
	if len(al.resB) < nB {
		al.resB = make([]int32, nB)
	}
	al.claimA, al.claimB = al.claimA.ensure(nA), al.claimB.ensure(nB)
	al.reserve(al.strong, 1)
	order := al.open[:0]
	for c := range al.chains {
		if al.chains[c].matched >= int32(al.opt.MinWords) { // passage may still reject it
			order = append(order, int32(c))
		}
	}
	// Dense evidence first: a chain's score is its matched tokens less its
	// unmatched ones, so that an exact run beats a sparse chain of chance
	// matches holding as many matched tokens.
	slices.SortFunc(order, func(x, y int32) int {
		if sx, sy := al.chains[x].score, al.chains[y].score; sx != sy {
			return int(sy - sx)
		}
		if mx, my := al.chains[x].matched, al.chains[y].matched; mx != my {
			return int(my - mx)
		}
		return int(x - y)
	})
	for _, c := range order {
		dst = al.emit(dst, c)
	}
	al.open = order[:0]
	al.reserve(al.strong, -1)
	for _, s := range dst[start:] {
		al.claimA.unset(s.AStart, s.AEnd)
		al.claimB.unset(s.BStart, s.BEnd)
	}
	slices.SortFunc(dst[start:], func(x, y Span) int { return int(x.AStart - y.AStart) })
	return dst
}

// gather lays out each chain's runs contiguously in al.flat, sorted by a,
// and counts the chain's matched tokens.
func (al *Aligner) gather() {
	al.flat = al.flat[:0]
	al.strong = al.strong[:0]
	for c := range al.chains {
		ch := &al.chains[c]
		ch.from = int32(len(al.flat))
		for r := ch.last; r >= 0; r = al.links[r] {
			al.flat = append(al.flat, al.runs[r])
		}
		rs := al.flat[ch.from:]
		slices.Reverse(rs) // linked last to first
		ch.to = int32(len(al.flat))
		ch.matched = al.covered(rs)
		bStart, bEnd := rs[0].b, rs[0].b
		ch.strongFrom = int32(len(al.strong))
		for _, r := range rs {
			bStart, bEnd = min(bStart, r.b), max(bEnd, r.b+r.n)
			if r.n >= int32(al.opt.MinWords) {
				al.strong = append(al.strong, strongRun{r, int32(c)})
			}
		}
		ch.strongTo = int32(len(al.strong))
		ch.score = 2*ch.matched - max(ch.aEnd-rs[0].a, bEnd-bStart)
	}
}

// covered counts the tokens the runs (sorted by a) match: the smaller of
// the tokens they cover in A and in B.
func (al *Aligner) covered(rs []run) int32 {
	al.byB = append(al.byB[:0], rs...)
	slices.SortFunc(al.byB, func(x, y run) int { return int(x.b - y.b) })
	for i := range al.byB {
		al.byB[i].a = al.byB[i].b // coveredA of the B intervals
	}
	return min(coveredA(rs), coveredA(al.byB))
}

// coveredA counts the A tokens covered by runs sorted by a.
func coveredA(rs []run) int32 {
	var m int32
	to := int32(-1)
	for _, r := range rs {
		from := max(r.a, to)
		if end := r.a + r.n; end > from {
			m += end - from
			to = end
		}
	}
	return m
}

// chainRuns links each run (sorted by a) to the open chain it best
// continues, or starts a new chain.
func (al *Aligner) chainRuns() {
	al.chains = al.chains[:0]
	al.open = al.open[:0]
	al.links = slices.Grow(al.links[:0], len(al.runs))[:len(al.runs)]
	for ri, r := range al.runs {
		best, bestCost := int32(-1), int32(0)
		kept := al.open[:0]
		for _, c := range al.open {
			ch := &al.chains[c]
			gapA := r.a - ch.aEnd
			if gapA > int32(al.opt.MaxGap) {
				continue // closed: later runs start further right still
			}
			kept = append(kept, c)
			gapB := r.b - ch.bEnd
			// A run must bring new tokens on both sides: a phrase
			// repeated in A must not pile up on the same B tokens.
			if !al.joins(gapA, gapB) || r.a+r.n <= ch.aEnd || r.b+r.n <= ch.bEnd {
				continue
			}
			cost := max(gapA, gapB) + abs(gapA-gapB)
			if best < 0 || cost < bestCost {
				best, bestCost = c, cost
			}
		}
		al.open = kept
		if best < 0 {
			al.links[ri] = -1
			al.open = append(al.open, int32(len(al.chains)))
			al.chains = append(al.chains, chain{last: int32(ri), aEnd: r.a + r.n, bEnd: r.b + r.n})
			continue
		}
		ch := &al.chains[best]
		al.links[ri] = ch.last
		ch.last = int32(ri)
		ch.aEnd = max(ch.aEnd, r.a+r.n)
		ch.bEnd = max(ch.bEnd, r.b+r.n)
	}
}

// joins reports whether a run can follow another in one passage, given
// the unmatched tokens between them on each side (negative: the runs
// overlap there, by at most a seed).
func (al *Aligner) joins(gapA, gapB int32) bool {
	seed, gap := int32(al.opt.Seed), int32(al.opt.MaxGap)
	return gapA >= -seed && gapB >= -seed && gapA <= gap && gapB <= gap &&
		abs(gapA-gapB) <= int32(al.opt.MaxDrift)
}

func abs(x int32) int32 {
	if x < 0 {
		return -x
	}
	return x
}

// emit turns chain c into passages: its runs minus the parts already
// claimed by earlier passages, split wherever a claimed span or a long gap
// lies between two runs.
//
// Cost: O(the chain's runs and tokens): claims are bits per token and
// reservations counts per token, so no step looks at other chains'
// passages (a sorted list of them made a pair of near-identical 3 MB
// register headers quadratic: minutes instead of a second).
func (al *Aligner) emit(dst []Span, c int32) []Span {
	// The strong runs of other chains are reserved: a short run of this
	// chain (a chance trigram, "of the city") must not take their tokens,
	// nor may this chain bridge across them. Chain c's own strong runs
	// are lifted from the counts while it is emitted.
	ch := al.chains[c]
	own := al.strong[ch.strongFrom:ch.strongTo]
	al.reserve(own, -1)

	pieces := al.pieces[:0]
	var scratch [4]run
	minWords := int32(al.opt.MinWords)
	for _, r := range al.flat[ch.from:ch.to] {
		parts := append(scratch[:0], r)
		if r.n < minWords {
			parts = clipCounts(scratch[:0], r, al.resA, al.resB)
		}
		for _, x := range parts {
			pieces = clipBits(pieces, x, al.claimA, al.claimB)
		}
	}
	slices.SortStableFunc(pieces, func(x, y run) int { return int(x.a - y.a) })
	for lo := 0; lo < len(pieces); {
		hi := lo + 1
		aEnd, bEnd := pieces[lo].a+pieces[lo].n, pieces[lo].b+pieces[lo].n
		bStart := pieces[lo].b
		for hi < len(pieces) {
			p := pieces[hi]
			bLo, bHi := min(bEnd, p.b), max(bEnd, p.b)
			// joins bounds both gaps, so the tests of what lies between
			// look at MaxGap tokens at most.
			if !al.joins(p.a-aEnd, p.b-bEnd) || p.b < bStart ||
				al.claimA.any(aEnd, p.a) || al.claimB.any(bLo, bHi) ||
				anyCounted(al.resA, aEnd, p.a) || anyCounted(al.resB, bLo, bHi) {
				break
			}
			aEnd, bEnd = max(aEnd, p.a+p.n), max(bEnd, p.b+p.n)
			bStart = min(bStart, p.b)
			hi++
		}
		// Clip the group again: the passages this chain has just emitted
		// are claims too (its runs may overlap by less than a seed).
		group := al.group[:0]
		for _, r := range pieces[lo:hi] {
			group = clipBits(group, r, al.claimA, al.claimB)
		}
		slices.SortStableFunc(group, func(x, y run) int { return int(x.a - y.a) })
		if len(group) > 0 {
			if s, ok := al.passage(group); ok &&
				!al.claimA.any(s.AStart, s.AEnd) && !al.claimB.any(s.BStart, s.BEnd) {
				dst = append(dst, s)
				al.claimA.set(s.AStart, s.AEnd)
				al.claimB.set(s.BStart, s.BEnd)
			}
		}
		al.group = group[:0]
		lo = hi
	}
	al.pieces = pieces[:0]
	al.reserve(own, 1)
	return dst
}

// reserve adds delta to the reservation counts of the tokens of runs, on
// both sides.
func (al *Aligner) reserve(runs []strongRun, delta int32) {
	for _, sr := range runs {
		r := sr.r
		for i := range r.n {
			al.resA[r.a+i] += delta
			al.resB[r.b+i] += delta
		}
	}
}

// passage measures a group of runs (sorted by a) and keeps it if it holds
// enough evidence (see AlignOptions.MinWords) and is dense enough.
func (al *Aligner) passage(rs []run) (Span, bool) {
	s := Span{AStart: rs[0].a, AEnd: rs[0].a, BStart: rs[0].b, BEnd: rs[0].b, Matched: al.covered(rs)}
	var longest int32
	for _, r := range rs {
		s.AEnd = max(s.AEnd, r.a+r.n)
		s.BStart = min(s.BStart, r.b)
		s.BEnd = max(s.BEnd, r.b+r.n)
		longest = max(longest, r.n)
	}
	la, lb := s.AEnd-s.AStart, s.BEnd-s.BStart
	minWords := int32(al.opt.MinWords)
	if longest < minWords && s.Matched < 2*minWords ||
		float64(s.Matched) < al.opt.MinDensity*float64(max(la, lb)) {
		return Span{}, false
	}
	s.Matched = min(s.Matched, la, lb)
	return s, true
}

// clipBits appends to dst the parts of r outside the claimed tokens of A
// and B.
func clipBits(dst []run, r run, claimA, claimB tokenBits) []run {
	var scratch [4]run
	for _, x := range clipSideBits(scratch[:0], r, claimA, false) {
		dst = clipSideBits(dst, x, claimB, true)
	}
	return dst
}

// clipSideBits appends to dst the maximal parts of r whose tokens on one
// side (b=true: the B side) are not in claimed.
func clipSideBits(dst []run, r run, claimed tokenBits, b bool) []run {
	lo := r.a
	if b {
		lo = r.b
	}
	hi := lo + r.n
	for cur := lo; cur < hi; {
		from := claimed.next(cur, hi, false)
		if from >= hi {
			break
		}
		to := claimed.next(from, hi, true)
		dst = append(dst, shiftRun(r, from-lo, to-from))
		cur = to
	}
	return dst
}

// clipCounts appends to dst the parts of r outside the reserved tokens
// (count > 0) of A and B.
func clipCounts(dst []run, r run, resA, resB []int32) []run {
	var scratch [4]run
	for _, x := range clipSideCounts(scratch[:0], r, resA, false) {
		dst = clipSideCounts(dst, x, resB, true)
	}
	return dst
}

// clipSideCounts appends to dst the maximal parts of r whose tokens on one
// side have a zero count.
func clipSideCounts(dst []run, r run, counts []int32, b bool) []run {
	lo := r.a
	if b {
		lo = r.b
	}
	hi := lo + r.n
	from := int32(-1)
	for i := lo; i < hi; i++ {
		switch {
		case counts[i] == 0 && from < 0:
			from = i
		case counts[i] != 0 && from >= 0:
			dst = append(dst, shiftRun(r, from-lo, i-from))
			from = -1
		}
	}
	if from >= 0 {
		dst = append(dst, shiftRun(r, from-lo, hi-from))
	}
	return dst
}

func shiftRun(r run, off, n int32) run { return run{a: r.a + off, b: r.b + off, n: n} }

// anyCounted reports whether a token of [lo, hi) has a count above zero.
func anyCounted(counts []int32, lo, hi int32) bool {
	for i := max(lo, 0); i < hi; i++ {
		if counts[i] != 0 {
			return true
		}
	}
	return false
}
