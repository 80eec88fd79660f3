package align

import (
	"cmp"
	"context"
	"math/bits"
	"runtime"
	"slices"
	"unsafe"

	"github.com/reuse-tool/reuse/internal/grow"
	"github.com/reuse-tool/reuse/internal/keysort"
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

// Options tune the aligner. Zero fields take the defaults.
type Options struct {
	// Seed is the number of tokens in a seed match (default 3). Shorter
	// seeds survive heavier editing; longer ones cost less on large pairs.
	Seed int
	// MinWords sets how much evidence a passage needs (default 9): an
	// unbroken run of MinWords matching tokens, or, for an edited passage,
	// 2·MinWords matching tokens in all. On generated news (package eval),
	// shorter anchors mostly find stock phrases ("of the Harbour Board,
	// said that the"), while 9..14-word quotes need 9 (docs/benchmarks.md,
	// "Measurements behind the code").
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
	// MaxPlaces bounds the work a repeated anchor causes (default 64): a
	// Repeated anchor whose text B holds at more places opens windows at
	// MaxPlaces of them, spread evenly over B (Spread). A document
	// holding one line of a generated table thousands of times shares it
	// with each of its partners at one place of theirs: windows at every
	// place made each pair cost what B holds, not what the pair shares
	// (docs/benchmarks.md, "A table repeated in one file").
	MaxPlaces int
	// AnchorLen is the number of tokens an anchor's shared text spans
	// from its place (default Seed; a scan's anchors are fingerprints,
	// shingle.AnalyzerOptions.Shingle tokens): a Repeated anchor is
	// looked for by these tokens.
	AnchorLen int
}

func (o Options) withDefaults() Options {
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
	if o.MaxPlaces <= 0 {
		o.MaxPlaces = 64
	}
	if o.AnchorLen <= 0 {
		o.AnchorLen = o.Seed
	}
	return o
}

// followRepeats is the number of occurrences in A above which a seed that
// continues a run is not matched anywhere else, and starts a run only
// where MinWords tokens match (see findRuns).
const followRepeats = 4

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
	opt Options

	mostMatched int32 // of a chain of the last alignment (MostMatched)

	aLen   int
	aSeeds []uint32 // A's seeds, a copy
	table  seedTable
	// ahead indexes A's positions whose seed is common (held more than
	// followRepeats times) by aheadKey, the seeds over the MinWords
	// tokens from there: such a seed starts a run only where MinWords
	// tokens match, and one lookup finds those places instead of a
	// comparison at each of the MaxRepeat places near the diagonal
	// (findRuns). Built once B's common seeds have probed A often
	// enough (commonProbes), in one pair or over several.
	ahead        seedTable
	aheadBuilt   bool
	commonProbes int
	aheadKeys    []uint32 // scratch of buildAhead
	aheadAt      []int32
	contAt       []int32 // scratch of findRuns: the runs a common seed continues, by position
	aheadMode    aheadMode
	hashes       []uint64 // scratch: seed hashes of the document being processed
	seeds        []uint32 // their low 32 bits

	// Per diagonal a-b, at index a-b+len(B seeds), stamped with the step
	// (an array cheaper than maps cleared per call; one for both steps,
	// which follow each other: 8 bytes a token of both documents): the
	// furthest end in B of a live run or anchor on it (findRuns), the
	// head of its list of open chains (chainRuns).
	diag []stamped
	// A large diag is mapped from the system (makeDiag): diagUnmap
	// unmaps it, and diagCleanup does if the aligner is dropped first.
	diagUnmap   func()
	diagCleanup runtime.Cleanup
	// bucketBits has a bit set for each bucket of diag listing a
	// chain in this pair (chainRuns), or holding a live run or anchor
	// (findRuns); bucketWords the words set: a few bits, dense in the
	// cache, are read instead of a stamp per bucket.
	bucketBits  []uint64
	bucketWords []int32
	gen         uint32
	runs        []run
	active      []int32 // scratch of findRuns: runs extended at the previous seed
	next        []int32
	cont        []int32 // the active runs a seed continues (findRuns)
	// Windows of the scan (findRuns): whether each run continues a
	// passage near an anchor, the live runs, where windows began.
	repeated      []repeatedAnchor // scratch of placeRepeated
	repeatedSlots []repeatedSlot
	found         []foundPlace
	placed        []Anchor
	runLive       []bool
	windowStarts  [][2]int32 // where a window began, and the unscanned gap before it
	chains        []chain
	open          []int32
	links         []int32      // links[r] = previous run of r's chain, or -1
	entries       []chainEntry // lists of open chains by end diagonal (chainRuns)
	flat          []run        // runs grouped by chain
	byB           []run        // scratch of covered
	runSort       keysort.Sorter[run]
	orderSort     keysort.Sorter[int32]
	spanSort      keysort.Sorter[Span]
	strong        []strongRun
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

// aheadMode says when the ahead table is built: when it pays (the
// default), at A's first common seed, or never (a common seed is then
// compared at each place near the diagonal, the table's slow reference
// in tests).
type aheadMode int8

const (
	aheadAuto aheadMode = iota
	aheadAlways
	aheadNever
)

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
func New(opt Options) *Aligner {
	return &Aligner{opt: opt.withDefaults()}
}

// Options returns the options in force, defaults filled in.
func (al *Aligner) Options() Options { return al.opt }

// SetA indexes document A for the calls to Align that follow.
func (al *Aligner) SetA(a []shingle.Token) {
	al.SetASeeds(al.seedsOf(a), len(a))
}

// seedsOf returns the seeds of toks, in scratch memory.
func (al *Aligner) seedsOf(toks []shingle.Token) []uint32 {
	al.seeds, al.hashes = shingle.Seeds(al.seeds[:0], toks, al.opt.Seed, al.hashes)
	return al.seeds
}

// SetASeeds is SetA given A's seeds, shingle.Seeds(a, Options().Seed),
// and its number of tokens: for callers that keep seeds, not tokens. The
// aligner keeps a copy of seeds.
func (al *Aligner) SetASeeds(seeds []uint32, tokens int) {
	al.aLen = tokens
	al.aSeeds = append(al.aSeeds[:0], seeds...)
	al.table.build(seeds)
	al.aheadBuilt, al.commonProbes = false, 0
}

// Release forgets A and lets go of the scratch buffers that hold more
// than maxBytes each: a pair of large documents grows them to its size,
// and a worker that kept them held that memory through every smaller
// pair after it (docs/benchmarks.md, "Scratch let go after a large
// document"). SetA or SetASeeds must be called before the next Align.
func (al *Aligner) Release(maxBytes int) {
	al.aLen, al.aheadBuilt, al.commonProbes = 0, false, 0
	al.table.release(maxBytes)
	al.ahead.release(maxBytes)
	if cap(al.diag)*int(unsafe.Sizeof(stamped{})) > maxBytes {
		// findRuns sizes the two together, and restarts the stamps.
		al.freeDiag()
		al.bucketBits, al.bucketWords, al.gen = nil, nil, 0
	}
	for _, s := range []*[]int32{&al.aheadAt, &al.contAt, &al.active, &al.next, &al.cont, &al.open, &al.links, &al.resA, &al.resB} {
		grow.Drop(s, maxBytes)
	}
	for _, s := range []*[]uint32{&al.aSeeds, &al.aheadKeys, &al.seeds} {
		grow.Drop(s, maxBytes)
	}
	for _, s := range []*[]run{&al.runs, &al.flat, &al.byB, &al.pieces, &al.group} {
		grow.Drop(s, maxBytes)
	}
	grow.Drop(&al.hashes, maxBytes)
	grow.Drop(&al.repeated, maxBytes)
	grow.Drop(&al.repeatedSlots, maxBytes)
	grow.Drop(&al.found, maxBytes)
	grow.Drop(&al.placed, maxBytes)
	grow.Drop(&al.runLive, maxBytes)
	grow.Drop(&al.windowStarts, maxBytes)
	grow.Drop(&al.chains, maxBytes)
	grow.Drop(&al.entries, maxBytes)
	grow.Drop(&al.strong, maxBytes)
	grow.Drop((*[]uint64)(&al.claimA), maxBytes)
	grow.Drop((*[]uint64)(&al.claimB), maxBytes)
	al.runSort.Release(maxBytes)
	al.orderSort.Release(maxBytes)
	al.spanSort.Release(maxBytes)
}

// Align appends to dst the passages that b shares with the document given
// to SetA and returns it, ordered by AStart. Passages never overlap on
// either side; each holds at least MinWords matching tokens.
func (al *Aligner) Align(ctx context.Context, dst []Span, b []shingle.Token) ([]Span, error) {
	return al.AlignSeeds(ctx, dst, al.seedsOf(b), nil)
}

// AlignSeeds is Align given B's seeds, shingle.Seeds(b, Options().Seed),
// and optionally places both documents are known to share (anchors,
// sorted by B), which restrict the alignment to the windows of B around
// them (see findRuns); nil anchors align all of B.
//
// A long alignment (a pair of large documents) stops early with
// ctx.Err() when ctx is cancelled; dst is then returned as it was given.
func (al *Aligner) AlignSeeds(ctx context.Context, dst []Span, seeds []uint32, anchors []Anchor) ([]Span, error) {
	k := int32(al.opt.Seed)

	// 1. Seed matches, merged into runs along diagonals.
	off := int32(len(seeds))
	anchors, err := al.placeRepeated(ctx, seeds, anchors)
	if err != nil {
		return dst, err
	}
	if err := al.findRuns(ctx, seeds, anchors); err != nil {
		return dst, err
	}
	al.mostMatched = 0
	if len(al.runs) == 0 {
		return dst, nil
	}

	// 2. Chain runs in A order across small edits.
	al.byB = al.sortRunsByA(al.runs, al.byB)
	if err := al.chainRuns(ctx, off); err != nil {
		return dst, err
	}

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
	order := al.open[:0]
	for c := range al.chains {
		al.mostMatched = max(al.mostMatched, al.chains[c].matched)
		if al.chains[c].matched >= int32(al.opt.MinWords) { // passage may still reject it
			order = append(order, int32(c))
		}
	}
	// Every strong run is in a chain of order. With one chain, no other
	// chain's runs are reserved while it is emitted: the counts would be
	// lifted to zero (emit), and are not kept at all.
	reserved := len(order) > 1
	if reserved {
		al.reserve(al.strong, 1)
	}
	// Dense evidence first: a chain's score is its matched tokens less its
	// unmatched ones, so that an exact run beats a sparse chain of chance
	// matches holding as many matched tokens.
	al.sortChains(order)
	for x, c := range order {
		if x&checkEvery == checkEvery && ctx.Err() != nil {
			break // undo the reservations and claims, then report
		}
		dst = al.emit(dst, c, reserved)
	}
	al.open = order[:0]
	if reserved {
		al.reserve(al.strong, -1)
	}
	for _, s := range dst[start:] {
		al.claimA.unset(s.AStart, s.AEnd)
		al.claimB.unset(s.BStart, s.BEnd)
	}
	if err := ctx.Err(); err != nil && len(order) > checkEvery {
		return dst[:start], err
	}
	if out := dst[start:]; !al.spanSort.Stable(out, func(x Span) uint64 { return uint64(uint32(x.AStart)) }) {
		slices.SortStableFunc(out, func(x, y Span) int { return cmp.Compare(x.AStart, y.AStart) })
	}
	return dst, nil
}

// MostMatched returns the most matched tokens of a chain of runs in the
// last alignment (AlignSeeds, Align), whether it made a passage or not:
// matches that fall short of a passage tell text shared with edits from
// a phrase two documents happen to share.
func (al *Aligner) MostMatched() int { return int(al.mostMatched) }

// sortChains sorts chains (indexes into al.chains, ascending) by score,
// then matched tokens, both descending, then index.
func (al *Aligner) sortChains(order []int32) {
	if len(order) < 2 {
		return
	}
	hiScore, loScore := al.chains[order[0]].score, al.chains[order[0]].score
	var hiMatched int32
	for _, c := range order {
		ch := &al.chains[c]
		hiScore, loScore = max(hiScore, ch.score), min(loScore, ch.score)
		hiMatched = max(hiMatched, ch.matched)
	}
	wm := keysort.Width(uint64(hiMatched))
	ok := keysort.Width(uint64(int64(hiScore)-int64(loScore)))+wm <= 64 &&
		al.orderSort.Stable(order, func(c int32) uint64 {
			ch := &al.chains[c]
			return uint64(int64(hiScore)-int64(ch.score))<<wm | uint64(hiMatched-ch.matched)
		})
	if !ok {
		slices.SortFunc(order, func(x, y int32) int {
			return cmp.Or(cmp.Compare(al.chains[y].score, al.chains[x].score),
				cmp.Compare(al.chains[y].matched, al.chains[x].matched), cmp.Compare(x, y))
		})
	}
}

// checkEvery+1 is the number of steps between two looks at the context
// in the aligner's loops: a few milliseconds of work.
const checkEvery = 1<<16 - 1

// gather lays out each chain's runs contiguously in al.flat, sorted by a,
// and counts the chain's matched tokens.
func (al *Aligner) gather() {
	al.flat = grow.Slice(al.flat[:0], len(al.runs)) // each run is in one chain
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
// continues (least cost, the earliest chain on ties), or starts a new
// chain.
//
// A run can continue a chain only when the chain's end diagonal (aEnd -
// bEnd) lies within MaxDrift of the run's diagonal (joins bounds the
// difference of the gaps). Open chains are listed by end diagonal, so a
// run looks at 2·MaxDrift+1 short lists, not at every open chain: in
// text that repeats itself (tables, code) thousands of chance runs are
// open at once, and scanning them all took most of the time of aligning
// register headers.
func (al *Aligner) chainRuns(ctx context.Context, off int32) error {
	// A run opens at most one chain and one entry: room for all at once
	// (tens of millions of chains in a pair of large documents, most of
	// them one chance run each, had been grown by append).
	al.chains = grow.Slice(al.chains[:0], len(al.runs))
	al.links = grow.Slice(al.links[:0], len(al.runs))[:len(al.runs)]
	al.entries = grow.Slice(al.entries[:0], len(al.runs))
	drift, maxGap := int32(al.opt.MaxDrift), int32(al.opt.MaxGap)
	al.clearBuckets() // findRuns's live diagonals
	al.nextGen()      // diag's stamps of findRuns are stale
	last := int32(len(al.diag)) - 1
	for ri, r := range al.runs {
		if ri&checkEvery == checkEvery {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		best, bestCost := int32(-1), int32(0)
		dr := r.a - r.b
		for x, hi := max(dr-drift+off, 0), min(dr+drift+off, last); x <= hi; x++ {
			// The next bucket with a chain, by the bits.
			w := al.bucketBits[x>>6] >> (x & 63)
			for w == 0 {
				if x = (x | 63) + 1; x > hi {
					break
				}
				w = al.bucketBits[x>>6]
			}
			if x > hi {
				break
			}
			if x += int32(bits.TrailingZeros64(w)); x > hi {
				break
			}
			prev := int32(-1)
			for e := al.diag[x].v; e >= 0; {
				c, next := al.entries[e].chain, al.entries[e].next
				ch := &al.chains[c]
				if ch.aEnd-ch.bEnd+off != x || r.a-ch.aEnd > maxGap {
					// Moved to another list, or closed: later runs
					// start further right still.
					if prev < 0 {
						al.diag[x].v = next
					} else {
						al.entries[prev].next = next
					}
					e = next
					continue
				}
				prev, e = e, next
				gapA, gapB := r.a-ch.aEnd, r.b-ch.bEnd
				// A run must bring new tokens on both sides: a phrase
				// repeated in A must not pile up on the same B tokens.
				if !al.joins(gapA, gapB) || r.a+r.n <= ch.aEnd || r.b+r.n <= ch.bEnd {
					continue
				}
				cost := max(gapA, gapB) + abs(gapA-gapB)
				if best < 0 || cost < bestCost || cost == bestCost && c < best {
					best, bestCost = c, cost
				}
			}
		}
		if best < 0 {
			al.links[ri] = -1
			al.chains = append(al.chains, chain{last: int32(ri), aEnd: r.a + r.n, bEnd: r.b + r.n})
			al.listChain(int32(len(al.chains)-1), dr+off)
			continue
		}
		ch := &al.chains[best]
		al.links[ri] = ch.last
		ch.last = int32(ri)
		before := ch.aEnd - ch.bEnd
		ch.aEnd = max(ch.aEnd, r.a+r.n)
		ch.bEnd = max(ch.bEnd, r.b+r.n)
		if d := ch.aEnd - ch.bEnd; d != before {
			al.listChain(best, d+off)
		}
	}
	return nil
}

// listChain adds chain c to the list of open chains ending on diagonal
// x-off.
func (al *Aligner) listChain(c, x int32) {
	head := int32(-1)
	if al.diag[x].gen == al.gen {
		head = al.diag[x].v
	} else {
		if al.bucketBits[x>>6] == 0 {
			al.bucketWords = append(al.bucketWords, x>>6)
		}
		al.bucketBits[x>>6] |= 1 << (x & 63)
	}
	al.diag[x] = stamped{v: int32(len(al.entries)), gen: al.gen}
	al.entries = append(al.entries, chainEntry{chain: c, next: head})
}

// chainEntry is an element of a list of open chains (Aligner.chainRuns).
type chainEntry struct{ chain, next int32 }

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
// passages (a sorted list of them made a pair of near-identical register
// headers quadratic: docs/benchmarks.md, "Measurements behind the code").
func (al *Aligner) emit(dst []Span, c int32, reserved bool) []Span {
	// The strong runs of other chains are reserved (when reserved): a
	// short run of this chain (a chance trigram, "of the city") must not
	// take their tokens, nor may this chain bridge across them. Chain c's
	// own strong runs are lifted from the counts while it is emitted,
	// unless it is one strong run: no count is then read but in the gaps
	// between the pieces claims cut it into, which a claim already
	// closes (the lifts were most of the counting on code: docs/benchmarks.md,
	// "Reservations lifted only where read").
	ch := al.chains[c]
	minWords := int32(al.opt.MinWords)
	var own []strongRun
	if reserved && (ch.to-ch.from > 1 || al.flat[ch.from].n < minWords) {
		own = al.strong[ch.strongFrom:ch.strongTo]
	}
	al.reserve(own, -1)

	pieces := al.pieces[:0]
	var scratch [4]run
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
// enough evidence (see Options.MinWords) and is dense enough.
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

// sortRunsByA sorts runs by a, keeping the order of runs with equal a,
// and returns scratch for reuse. Runs are made in order of b, so they end
// sorted by (a, b). Many runs (a pair of register headers makes millions)
// are sorted by radix, 11 bits of a a pass.
func (al *Aligner) sortRunsByA(runs, scratch []run) []run {
	if len(runs) < 512 {
		if !al.runSort.Stable(runs, func(r run) uint64 { return uint64(uint32(r.a)) }) {
			slices.SortStableFunc(runs, func(x, y run) int { return cmp.Compare(x.a, y.a) })
		}
		return scratch
	}
	var top int32
	for _, r := range runs {
		top = max(top, r.a)
	}
	scratch = grow.Slice(scratch[:0], len(runs))[:len(runs)]
	src, dst := runs, scratch
	var count [1 << 11]int
	for shift := uint(0); shift == 0 || top>>shift > 0; shift += 11 {
		clear(count[:])
		for _, r := range src {
			count[r.a>>shift&(1<<11-1)]++
		}
		sum := 0
		for i, c := range count {
			count[i] = sum
			sum += c
		}
		for _, r := range src {
			k := r.a >> shift & (1<<11 - 1)
			dst[count[k]] = r
			count[k]++
		}
		src, dst = dst, src
	}
	if &src[0] != &runs[0] {
		copy(runs, src)
	}
	return scratch
}
