package pairs

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"sort"

	"github.com/reuse-tool/reuse/align"
	"github.com/reuse-tool/reuse/candidate"
	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/index"
	"github.com/reuse-tool/reuse/internal/grow"
	"github.com/reuse-tool/reuse/internal/keysort"
	"github.com/reuse-tool/reuse/internal/spool"
	"github.com/reuse-tool/reuse/internal/work"
	"github.com/reuse-tool/reuse/result"
	"github.com/reuse-tool/reuse/reword"
	"github.com/reuse-tool/reuse/shingle"
)

// Options configure Align.
type Options struct {
	// MinWords is the evidence a passage needs (align.Options.MinWords).
	MinWords int
	// Threshold is the least overlap, as a share 0..1 of each document's
	// words, of near-duplicates: the pairs whose passages cover that much
	// of both documents are the Store's Edges.
	Threshold float64
	// Workers is the number of goroutines aligning (at least 1).
	Workers int
	// Candidates, when not nil, is called with the number of candidates
	// of each range of first documents, before they are aligned.
	Candidates func(n int)
	// Aligned, when not nil, is called with the number of candidates of
	// each work unit (a run of candidates with the same first document)
	// once they are aligned, from several goroutines at once.
	Aligned func(n int)
	// Keys, when not nil, is the shuffle of the documents' reworded keys
	// (candidate.NewKeyShuffle with reword.KeyRules, fed by
	// index.Index.EachKeyLoad): its candidates join the fingerprints'
	// (candidate.Merge), with the places of the keys they share.
	Keys *candidate.Shuffle
	// KeyOnly are the rules a candidate of Keys alone, which the
	// fingerprints do not pair, must pass too (candidate.Merge).
	KeyOnly candidate.Rules
	// Listed, when not nil, restricts the candidates to these pairs
	// (A < B, sorted, no repeats): each is aligned whole, as a pair
	// someone asked to compare (PAN's text alignment task), whether or
	// not a shuffle paired it. Keys is then not needed.
	Listed [][2]uint32
	// Involving, when not nil, restricts the candidates to the pairs
	// with a document it reports true for: a check aligns the pairs of
	// the new documents and of the archived ones it follows, not those
	// among the other archived documents it reads (see reuse.Check).
	Involving func(d uint32) bool
	// Memo, when not nil, keeps the alignments of the candidates from
	// one call of Align to the next (see Memo), under the keys MemoKey
	// gives their documents: the same document must have the same key in
	// every call, and no two documents one. Ignored with Listed.
	Memo    *Memo
	MemoKey func(d uint32) uint64
	// Known, when not nil with Involving and Memo, gives the pairs of
	// first documents in [lo, hi) that Involving leaves out and whose
	// alignments Memo holds, sorted by (A, B), none named twice: a check
	// reading the whole archive, whose new documents leave most archived
	// pairs as reuse index align kept them (reuse's whole rounds). They
	// are taken from Memo, in the order of the candidates, as if the
	// shuffle had paired them, without its making their keys; one Memo
	// does not hold is an error (ErrStored).
	Known func(lo, hi uint32) [][2]uint32
	// TwinBytes, when above 0, bounds the memory of the alignments kept
	// for pairs with a document that has twins, given to their twins'
	// pairs without aligning them (index.Index.Twins): with copies of
	// files, alignments not repeated. Ignored with Listed.
	TwinBytes int64
	// Copied, when not nil, is called with the number of candidates of
	// each work unit that took their twins' passages instead of being
	// aligned, from several goroutines at once.
	Copied func(n int)
}

// Pair is the alignment of one candidate pair: passages as token spans,
// and as byte spans.
type Pair struct {
	A, B   uint32
	Shared int32 // distinct fingerprints in common (candidate.Candidate.Shared)
	Spans  []align.Span
	Bytes  []ByteSpan // parallel to Spans
	// Kinds and Cosines, parallel to Spans when not nil, describe the
	// passages of an Index analyzed for reworded reuse: each one's kind
	// (reword.Exact, Reworded, Summary) and, for those not exact, the
	// tf-idf cosine of its two sides (reword.Passage.Similarity), which
	// stands for its similarity. Nil when every passage is exact; an
	// exact passage's Span holds its matched tokens.
	Kinds   []reword.Kind
	Cosines []float32
	// Sketches, parallel to Spans, sketch the text of each passage's A
	// and B sides (SideSketches), for cluster.Families.
	Sketches [][2]cluster.Sketch
}

// SideSketches appends to dst the sketches of both sides of every span
// (cluster.SketchOf of the seeds inside it), of documents whose seeds
// are aSeeds and bSeeds, seeds of seedTokens tokens each, and returns
// it.
func SideSketches(dst [][2]cluster.Sketch, aSeeds, bSeeds []uint32, seedTokens int, spans []align.Span) [][2]cluster.Sketch {
	inside := func(seeds []uint32, start, end int32) []uint32 {
		lo := min(max(int(start), 0), len(seeds))
		hi := min(max(int(end)-seedTokens+1, lo), len(seeds))
		return seeds[lo:hi]
	}
	for _, sp := range spans {
		dst = append(dst, [2]cluster.Sketch{
			cluster.SketchOf(inside(aSeeds, sp.AStart, sp.AEnd)),
			cluster.SketchOf(inside(bSeeds, sp.BStart, sp.BEnd)),
		})
	}
	return dst
}

// Kind returns the kind of passage i.
func (p *Pair) Kind(i int) reword.Kind {
	if i < len(p.Kinds) {
		return p.Kinds[i]
	}
	return reword.Exact
}

// Similarity returns the similarity of passage i: the share of its
// tokens that match exactly (align.Span.Similarity), or the tf-idf cosine
// of its sides for a reworded passage.
func (p *Pair) Similarity(i int) float64 {
	if p.Kind(i) != reword.Exact && i < len(p.Cosines) {
		return float64(p.Cosines[i])
	}
	return p.Spans[i].Similarity()
}

// ByteSpan is a passage's byte offsets, end exclusive.
type ByteSpan struct{ AStart, AEnd, BStart, BEnd int }

// SideWords counts the words of each side inside the pair's passages
// (passages never overlap on a side).
func (p *Pair) SideWords() (a, b int) {
	for _, s := range p.Spans {
		a += int(s.AEnd - s.AStart)
		b += int(s.BEnd - s.BStart)
	}
	return a, b
}

// NearDuplicate returns the pair's overlap, the smaller share of either
// document's words (aWords and bWords of them) inside its passages, in
// percent as the result rounds it (result.Percent), and whether it makes
// the two documents near-duplicates: at least threshold (0..1) of both.
// Only Spans are read.
func (p *Pair) NearDuplicate(aWords, bWords int, threshold float64) (overlap float64, ok bool) {
	aw, bw := p.SideWords()
	overlap = min(result.Percent(aw, aWords), result.Percent(bw, bWords))
	return overlap, overlap >= 100*threshold
}

// Align is stage 2's second step and stage 3, a range of first documents
// at a time: the range's candidates (sh.Pairs), then their alignments, in
// parallel, kept where ev says they are evidence. Pairs without a passage
// are dropped. It returns the pairs in (A, B) order; the caller must
// Close the Store.
func Align(ctx context.Context, x *index.Index, sh *candidate.Shuffle, ev *align.Evidence, opt Options) (*Store, error) {
	workers := max(opt.Workers, 1)
	var twins *twinCache
	if opt.Listed == nil && opt.TwinBytes > 0 {
		// Listed pairs are aligned whole, a pair and its twin's maybe not.
		twin, err := x.Twins(ctx)
		if err != nil {
			return nil, err
		}
		twins = newTwinCache(twin, opt.TwinBytes)
	}
	aligners := make([]*Aligner, workers)
	memo := opt.Memo
	if opt.Listed != nil || opt.MemoKey == nil {
		memo = nil
	}
	for w := range aligners {
		aligners[w] = NewAligner(x, opt.MinWords)
		aligners[w].ev = ev
		aligners[w].twins = twins
		aligners[w].memo, aligners[w].memoKey = memo, opt.MemoKey
	}
	out := newStore()
	listed := opt.Listed
	for r := range sh.Ranges() {
		cuts, err := sh.Parts(ctx, r, workers)
		if err != nil {
			out.Close()
			return nil, err
		}
		for i := range len(cuts) - 1 {
			for _, l := range aligners {
				l.partDone()
			}
			if listed, err = alignPart(ctx, x, sh, ev, opt, aligners, out, r, cuts[i], cuts[i+1], listed); err != nil {
				out.Close()
				return nil, err
			}
		}
		ev.Rare.Release()
	}
	return out, nil
}

// alignPart aligns the candidates whose first document lies in [lo, hi),
// a part of range r (candidate.Shuffle.Parts), and adds their pairs to
// out. With opt.Listed, listed is what remains of the listed pairs (sorted
// by first document), and alignPart returns what remains after the part.
func alignPart(ctx context.Context, x *index.Index, sh *candidate.Shuffle, ev *align.Evidence, opt Options, aligners []*Aligner, out *Store, r, lo, hi int, listed [][2]uint32) ([][2]uint32, error) {
	workers := len(aligners)
	rg, err := sh.PairsIn(ctx, r, lo, hi, workers)
	if err != nil {
		return listed, err
	}
	if opt.Listed != nil {
		n := 0
		for n < len(listed) && int(listed[n][0]) < hi {
			n++
		}
		rg = onlyListed(rg, listed[:n], lo)
		listed = listed[n:]
	} else if opt.Keys != nil {
		kr, err := opt.Keys.PairsIn(ctx, r, lo, hi, workers)
		if err != nil {
			return listed, err
		}
		rg = candidate.Merge(rg, kr, opt.KeyOnly)
	}
	cands := rg.Pairs
	if opt.Involving != nil {
		cands = slices.DeleteFunc(slices.Clone(cands), func(c candidate.Candidate) bool {
			return !opt.Involving(c.A) && !opt.Involving(c.B)
		})
	}
	if opt.Candidates != nil {
		opt.Candidates(len(cands))
	}
	units := workUnits(cands, workers)
	order := largestFirst(cands, units, x.Words)
	found := make([][]Pair, len(units)-1)
	err = work.Each(ctx, len(order), workers, func(w, i int) error {
		u := order[i]
		var err error
		var copied int
		found[u], copied, err = aligners[w].alignUnit(ctx, ev, rg, cands[units[u]:units[u+1]])
		aligners[w].unitDone()
		if err == nil && opt.Copied != nil && copied > 0 {
			opt.Copied(copied)
		}
		if err == nil && opt.Aligned != nil {
			opt.Aligned(units[u+1] - units[u])
		}
		return err
	})
	if err != nil {
		return listed, err
	}
	known, err := knownPairs(ctx, opt, uint32(lo), uint32(hi), workers)
	if err != nil {
		return listed, err
	}
	// The pairs in the order of candidates, by (A, B): those aligned,
	// unit after unit, and the known ones among them.
	k := 0
	add := func(p *Pair) error { return out.add(x, p, opt.Threshold) }
	for _, f := range found {
		for i := range f {
			for ; k < len(known) && cmp.Or(cmp.Compare(known[k].A, f[i].A), cmp.Compare(known[k].B, f[i].B)) < 0; k++ {
				if err := add(&known[k]); err != nil {
					return listed, err
				}
			}
			if err := add(&f[i]); err != nil {
				return listed, err
			}
		}
	}
	for ; k < len(known); k++ {
		if err := add(&known[k]); err != nil {
			return listed, err
		}
	}
	return listed, nil
}

// knownPairs returns the pairs with passages among opt.Known's of first
// documents [lo, hi), their alignments taken from opt.Memo on workers
// goroutines, sorted by (A, B).
func knownPairs(ctx context.Context, opt Options, lo, hi uint32, workers int) ([]Pair, error) {
	if opt.Known == nil || opt.Memo == nil || opt.MemoKey == nil {
		return nil, nil
	}
	ks := opt.Known(lo, hi)
	if opt.Candidates != nil {
		opt.Candidates(len(ks))
	}
	const chunk = 4096
	found := make([][]Pair, (len(ks)+chunk-1)/chunk)
	err := work.Each(ctx, len(found), workers, func(_, i int) error {
		for _, k := range ks[i*chunk : min((i+1)*chunk, len(ks))] {
			p, ok := opt.Memo.get([2]uint64{opt.MemoKey(k[0]), opt.MemoKey(k[1])})
			if !ok {
				return fmt.Errorf("%w: no alignment of a known pair", ErrStored)
			}
			found[i] = p.appendTo(found[i], candidate.Candidate{A: k[0], B: k[1]})
		}
		if opt.Aligned != nil {
			opt.Aligned(min((i+1)*chunk, len(ks)) - i*chunk)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return slices.Concat(found...), nil
}

// workUnits cuts cands (sorted by A) into work units and returns their
// bounds: unit u is cands[units[u]:units[u+1]]. A unit is a run of
// candidates with the same A, so that a worker reads and indexes A once.
// A run holding more than a worker's share of the work of cands (its
// total divided by workers) is cut into at most as many pieces as
// workers, of about equal work, each indexing A again: a range of the
// shuffle may hold a single first document (a corpus of few documents,
// like the register headers paired with the other versions of their
// tables), which one worker would otherwise align while the others wait.
// Cutting runs that are merely large cost CPU time in indexing A again
// and gained no wall time. A candidate's work is estimated by its anchors
// (the text shared with A it is aligned around), plus one. Results do
// not depend on the cut: units are aligned independently and collected
// in order.
func workUnits(cands []candidate.Candidate, workers int) []int {
	cost := func(c candidate.Candidate) int64 { return int64(c.AnchorTo-c.AnchorFrom) + 1 }
	var total int64
	for _, c := range cands {
		total += cost(c)
	}
	share := total / int64(max(workers, 1))
	units := make([]int, 0, 64)
	for i := 0; i < len(cands); {
		end, run := i+1, cost(cands[i])
		for end < len(cands) && cands[end].A == cands[i].A {
			run += cost(cands[end])
			end++
		}
		units = append(units, i)
		if workers > 1 && run > share && end-i > 1 {
			piece, acc := (run+int64(workers)-1)/int64(workers), int64(0)
			for j := i; j < end-1; j++ {
				if acc += cost(cands[j]); acc >= piece {
					units = append(units, j+1)
					acc = 0
				}
			}
		}
		i = end
	}
	return append(units, len(cands))
}

// largestFirst returns the order in which to align the work units of
// cands (bounds units, workUnits): by the tokens of their largest pair,
// A's and B's, descending (ties in order). Aligned so, a worker's
// buffers, grown for the largest pair of a unit, only shrink through a
// part: when the heap is tight a worker lets go of the buffers the unit
// it finished did not need (Aligner.unitDone), and in the order of A the
// units of a large document's many partners came between smaller ones,
// each growing the buffers again and faulting their pages in anew: on
// Go's own source tree, whose 64 MB test table is the second document of
// 60 pairs, most of the scan's time at the default budget
// (docs/benchmarks.md, "Units aligned largest first"). Taking the largest
// units first also evens the workers' loads at the end of a part. Results
// do not depend on the order: units are collected in theirs.
func largestFirst(cands []candidate.Candidate, units []int, words func(d uint32) int) []int {
	size := make([]int, len(units)-1)
	order := make([]int, len(units)-1)
	for u := range order {
		order[u] = u
		for _, c := range cands[units[u]:units[u+1]] {
			size[u] = max(size[u], words(c.A)+words(c.B))
		}
	}
	slices.SortStableFunc(order, func(x, y int) int { return cmp.Compare(size[y], size[x]) })
	return order
}

// onlyListed keeps the candidates of rg that are listed (the listed pairs
// of its range of first documents, from document lo on) and adds the
// listed pairs it lacks; every one is marked to be aligned whole.
func onlyListed(rg candidate.Range, listed [][2]uint32, lo int) candidate.Range {
	out := candidate.Range{}
	i := 0
	for _, l := range listed {
		if int(l[0]) < lo {
			continue
		}
		for i < len(rg.Pairs) && (rg.Pairs[i].A < l[0] || rg.Pairs[i].A == l[0] && rg.Pairs[i].B < l[1]) {
			i++
		}
		c := candidate.Candidate{A: l[0], B: l[1], AnchorFrom: int32(len(out.Anchors))}
		if i < len(rg.Pairs) && rg.Pairs[i].A == l[0] && rg.Pairs[i].B == l[1] {
			x := rg.Pairs[i]
			c.Shared = x.Shared
		}
		c.AnchorTo = c.AnchorFrom // whole: no anchors
		c.KeyFrom, c.KeyTo = wholePair, wholePair
		out.Pairs = append(out.Pairs, c)
	}
	return out
}

// wholePair marks a listed candidate (Candidate.KeyFrom and KeyTo): both
// aligners see all of the pair.
const wholePair = -1

// alignUnit aligns the candidates of one first document, and returns the
// pairs with passages and the number of candidates copied from the twin
// cache. A is read and indexed once, when a candidate is not in the
// cache.
func (l *Aligner) alignUnit(ctx context.Context, ev *align.Evidence, rg candidate.Range, cands []candidate.Candidate) ([]Pair, int, error) {
	var out []Pair
	haveA := false
	copied := 0
	for _, c := range cands {
		var memoKey [2]uint64
		if l.memo != nil {
			memoKey = [2]uint64{l.memoKey(c.A), l.memoKey(c.B)}
			if p, ok := l.memo.get(memoKey); ok {
				out = p.appendTo(out, c)
				continue
			}
		}
		key, twin := l.twins.key(c.A, c.B)
		if twin {
			if p, ok := l.twins.get(key); ok {
				copied++
				out = p.appendTo(out, c)
				l.memo.put(memoKey, p)
				continue
			}
		}
		if !haveA {
			if err := l.SetA(c.A); err != nil {
				return nil, 0, err
			}
			haveA = true
		}
		var (
			spans []align.Span
			kinds []reword.Kind
			cos   []float32
			err   error
		)
		if l.pa != nil && l.ev != nil {
			spans, kinds, cos, err = l.alignReworded(ctx, rg, c)
		} else {
			anchors := rg.Anchors[c.AnchorFrom:c.AnchorTo]
			if spans, err = l.Align(ctx, c.B, anchors); err == nil {
				spans = ev.Filter(c.A, c.B, spans, anchors, l.wordsA, l.wordsB)
			}
		}
		if err != nil {
			return nil, 0, err
		}
		if len(spans) == 0 {
			if twin {
				l.twins.put(key, &cachedPair{})
			}
			l.memo.put(memoKey, &cachedPair{})
			continue
		}
		p := Pair{A: c.A, B: c.B, Shared: c.Shared, Spans: slices.Clone(spans), Bytes: make([]ByteSpan, len(spans)),
			Sketches: SideSketches(make([][2]cluster.Sketch, 0, len(spans)), l.aSeeds, l.seeds, l.al.Options().Seed, spans)}
		if kinds != nil {
			p.Kinds, p.Cosines = slices.Clone(kinds), slices.Clone(cos)
		}
		for i, sp := range spans {
			if p.Bytes[i], err = PassageBytes(sp, l.aView, l.bView); err != nil {
				return nil, 0, err
			}
		}
		if twin || l.memo != nil {
			cp := &cachedPair{spans: p.Spans, bytes: p.Bytes, kinds: p.Kinds, cosines: p.Cosines, sketches: p.Sketches}
			if twin {
				l.twins.put(key, cp)
			}
			l.memo.put(memoKey, cp)
		}
		out = append(out, p)
	}
	return out, copied, nil
}

// alignReworded aligns candidate c with reword.PairAligner: exact
// passages (kept by the Evidence) and reworded ones combined. It returns
// them as spans, with their kinds and cosines when any is not exact (nil
// otherwise), in scratch memory valid until the next call.
func (l *Aligner) alignReworded(ctx context.Context, rg candidate.Range, c candidate.Candidate) ([]align.Span, []reword.Kind, []float32, error) {
	v, err := l.b.View(c.B)
	if err != nil {
		return nil, nil, nil, err
	}
	l.bView, l.bHeld = v, false
	l.unitTokens = max(l.unitTokens, l.aView.Len()+v.Len())
	l.seeds = v.Seeds(l.seeds)
	p := reword.Pair{Seeds: l.seeds, Keep: l.keep, Load: l.loadB, LoadNear: l.loadBNear, Tokens: v.Len()}
	l.keepA, l.keepB, l.keepShared = c.A, c.B, rg.Anchors[c.AnchorFrom:c.AnchorTo]
	if c.KeyFrom == wholePair {
		p.All = true
	} else {
		if err := l.pairAnchors(ctx, &p, c.Shared, rg.Anchors[c.AnchorFrom:c.AnchorTo], rg.Keys[c.KeyFrom:c.KeyTo]); err != nil {
			return nil, nil, nil, err
		}
	}
	l.passages, err = l.pa.AlignPair(ctx, l.passages[:0], p)
	if err != nil {
		return nil, nil, nil, err
	}
	spans, kinds, cos := l.passageSpans()
	return spans, kinds, cos, nil
}

// pairAnchors sets the anchors and keys of p as a candidate gives them:
// its fingerprints' anchors (shared of them) and the places of the keys
// it shares (candidate.Merge). A candidate of the keys alone (shared 0)
// has the exact aligner look around the keys too.
func (l *Aligner) pairAnchors(ctx context.Context, p *reword.Pair, shared int32, anchors, keys []candidate.Anchor) error {
	var err error
	if shared == 0 {
		p.Keys, err = l.alignAnchors(ctx, keys)
		if len(p.Keys) > 0 {
			p.Anchors = p.Keys
		}
		return err
	}
	if p.Anchors, err = l.alignAnchors(ctx, anchors); err != nil {
		return err
	}
	if len(keys) > 0 {
		l.keyAnchors = toAnchors(l.keyAnchors[:0], keys)
		p.Keys = l.keyAnchors
	}
	l.traces = l.traces[:0]
	for _, a := range anchors {
		if a.PairOnly() {
			l.traces = append(l.traces, align.Anchor{A: int32(a.PosA), B: int32(a.PosB)})
		}
	}
	p.Traces, p.TraceLen = l.traces, l.al.Options().AnchorLen
	return nil
}

// passageSpans converts the passages of the last reworded alignment
// (l.passages) to spans, with their kinds and cosines when any is not
// exact (nil otherwise), in scratch memory valid until the next call.
func (l *Aligner) passageSpans() ([]align.Span, []reword.Kind, []float32) {
	l.spans, l.kinds, l.cos = l.spans[:0], l.kinds[:0], l.cos[:0]
	exact := true
	for _, q := range l.passages {
		sp := align.Span{AStart: q.AStart, AEnd: q.AEnd, BStart: q.BStart, BEnd: q.BEnd}
		if q.Kind == reword.Exact {
			// Combine gives an exact passage the similarity of its span:
			// its matched tokens, back.
			sp.Matched = int32(math.Round(float64(q.Similarity) * float64(sp.AEnd-sp.AStart+sp.BEnd-sp.BStart) / 2))
		} else {
			exact = false
		}
		l.spans = append(l.spans, sp)
		l.kinds = append(l.kinds, q.Kind)
		l.cos = append(l.cos, q.Similarity)
	}
	if exact {
		return l.spans, nil, nil
	}
	return l.spans, l.kinds, l.cos
}

// keepSpans is the evidence filter of the pair being aligned
// (Aligner.keepA, keepB; align.Evidence.Filter), for reword.Pair.Keep.
func (l *Aligner) keepSpans(spans []align.Span) []align.Span {
	return l.ev.Filter(l.keepA, l.keepB, spans, l.keepShared, l.wordsA, l.wordsB)
}

// Aligner aligns documents of an Index: an align.Aligner fed the seeds
// the Index spooled, with the scratch memory of one worker. An Aligner
// of seeds (NewSeedAligner) aligns documents whose seeds the caller holds
// instead. It is NOT safe for concurrent use.
type Aligner struct {
	al           *align.Aligner
	a, b         *index.SeedReader // A's view stays valid while B's are read
	aView, bView spool.SeedView
	bRepeats     []uint32 // B's repeats, when given to AlignSeeds
	bHeld        bool     // B was given to AlignSeeds, not read into bView
	seeds        []uint32
	aSeeds       []uint32 // A's, when not read in place (reworded)
	spans        []align.Span
	anchors      []align.Anchor
	anchorSort   keysort.Sorter[align.Anchor]
	places       []uint32

	// With an Index analyzed for reworded reuse (Align's pairs only).
	pa           *reword.PairAligner
	ev           *align.Evidence
	passages     []reword.Passage
	kinds        []reword.Kind
	cos          []float32
	keyAnchors   []align.Anchor
	traces       []align.Anchor // the pair's fingerprints of its own (reword.Pair.Traces)
	keep         func([]align.Span) []align.Span
	keepA, keepB uint32             // the pair being aligned
	keepShared   []candidate.Anchor // the fingerprints it shares
	loadA, loadB func(reword.Doc) (reword.Doc, error)
	loadBNear    func(reword.Doc, []int32, int) (reword.Doc, error)
	// The words of A's and B's views (align.Evidence.Filter), made
	// once: a method value of a view made per pair escaped to the heap.
	wordsA, wordsB func(from, to int) shingle.Words

	twins      *twinCache // shared by Align's aligners; nil: no twins
	memo       *Memo      // Options.Memo, shared by Align's aligners; nil: none
	memoKey    func(d uint32) uint64
	unitTokens int         // tokens of the largest pair aligned since unitDone, A's and B's
	heldTokens int         // of the largest pair aligned since the last Release
	tight      func() bool // heapTight, or a test's
}

// NewAligner returns an Aligner of x's documents whose passages need
// minWords of evidence (align.Options.MinWords).
func NewAligner(x *index.Index, minWords int) *Aligner {
	l := NewSeedAligner(align.Options{Seed: x.SeedTokens(), MinWords: minWords, AnchorLen: x.ShingleTokens()})
	l.a, l.b = x.NewSeedReader(), x.NewScatteredSeedReader()
	l.wordsA = func(from, to int) shingle.Words { return l.aView.Words(from, to) }
	l.wordsB = func(from, to int) shingle.Words { return l.bView.Words(from, to) }
	if x.Reworded() {
		l.pa = newPairAligner(l.al.Options())
		l.keep = l.keepSpans
		l.loadA = func(dst reword.Doc) (reword.Doc, error) { return l.a.Reworded(dst, l.keepA) }
		l.loadB = func(dst reword.Doc) (reword.Doc, error) { return l.b.Reworded(dst, l.keepB) }
		l.loadBNear = func(dst reword.Doc, at []int32, radius int) (reword.Doc, error) {
			return l.b.RewordedNear(dst, l.keepB, at, radius)
		}
	}
	return l
}

// NewSeedAligner returns an Aligner of documents given by their seeds
// and repeats (shingle.Analysis.Seeds and Repeats), for SetASeeds and
// AlignSeeds, aligning by opt (Seed the analyzer's seed tokens, AnchorLen
// its shingle tokens, as NewAligner takes them from the Index): for
// callers that hold documents' seeds themselves (the distributed
// pipeline). It finds exact passages only. SetA and Align must not be
// called.
func NewSeedAligner(opt align.Options) *Aligner {
	return &Aligner{al: align.New(opt), tight: heapTight}
}

// keptScratch is the most a worker keeps of each of its buffers between
// work units when the heap is tight. A pair of the Linux tree's largest
// files grows the aligners' buffers to hundreds of MB, which smaller
// pairs do not need (docs/benchmarks.md, "Scratch let go after a large
// document"); below this, keeping a buffer saves growing it again.
const keptScratch = 4 << 20

// scratchPerToken bounds the bytes a buffer of the aligners or readers
// takes per token of a pair (A's and B's together): the largest, the
// aligner's diagonals, take 8 a token of both, a seed record about 12 a
// token of its document.
const scratchPerToken = 16

// unitDone ends a work unit. When the heap is tight (heapTight), it lets
// go of the buffers that unit did not need: those above keptScratch and
// above scratchPerToken for each token of its largest pair. A run of
// units of large documents thus keeps its buffers from one unit to the
// next: letting go of all of them after every unit made each unit grow
// them and fault their pages in anew. With room in the heap nothing is
// let go: the collector fills the heap limit with garbage anyway, so
// letting go lowered no peak there and only cost time (docs/benchmarks.md,
// "Scratch let go after a large document", has the runs).
func (l *Aligner) unitDone() {
	l.heldTokens = max(l.heldTokens, l.unitTokens)
	keep := max(keptScratch, scratchPerToken*l.unitTokens)
	l.unitTokens = 0
	if scratchPerToken*l.heldTokens <= keep || !l.tight() {
		return
	}
	l.Release(keep)
	l.heldTokens = keep / scratchPerToken
}

// partDone comes between two parts of the shuffle's ranges (Align). When
// the heap is tight (heapTight), it lets go of every buffer above
// keptScratch, even those the last unit needed: the next part's keys and
// anchors are laid out (candidate.Shuffle.PairsIn) while the workers wait,
// and on the Linux tree the buffers kept for a pair of its largest files
// beside them made the scan's peak (docs/benchmarks.md, "Scratch let go
// between parts"). A unit of the next part that needs them grows them
// again, once.
func (l *Aligner) partDone() {
	if scratchPerToken*l.heldTokens <= keptScratch || !l.tight() {
		return
	}
	l.Release(keptScratch)
	l.heldTokens = 0
}

// heapTight reports whether the live heap has less than an eighth of
// itself left below the Go memory limit (runtime/debug.SetMemoryLimit):
// the budget's heap limit is held there once the live heap outgrows the
// budget (cmd/reuse's holdHeap). Without a limit it is never tight.
func heapTight() bool {
	limit := debug.SetMemoryLimit(-1)
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 {
		return false
	}
	live := sample[0].Value.Uint64()
	return live+live/8 >= uint64(limit)
}

// Release forgets A and lets go of the buffers that hold more than
// maxBytes each: the aligners', the readers' and its own. SetA (or
// SetASeeds) must be called before the next Align.
func (l *Aligner) Release(maxBytes int) {
	l.al.Release(maxBytes)
	if l.pa != nil {
		l.pa.Release(maxBytes)
	}
	for _, r := range []*index.SeedReader{l.a, l.b} {
		if r != nil {
			r.Release(maxBytes)
		}
	}
	l.aView, l.bView, l.bHeld = spool.SeedView{}, spool.SeedView{}, false
	for _, s := range []*[]uint32{&l.bRepeats, &l.seeds, &l.aSeeds, &l.places} {
		grow.Drop(s, maxBytes)
	}
	for _, s := range []*[]align.Anchor{&l.anchors, &l.keyAnchors, &l.traces} {
		grow.Drop(s, maxBytes)
	}
	grow.Drop(&l.spans, maxBytes)
	grow.Drop(&l.passages, maxBytes)
	grow.Drop(&l.kinds, maxBytes)
	grow.Drop(&l.cos, maxBytes)
	l.anchorSort.Release(maxBytes)
}

// SetA indexes document a for the calls to Align that follow.
func (l *Aligner) SetA(a uint32) error {
	v, err := l.a.View(a)
	if err != nil {
		return err
	}
	l.aView = v
	l.aSeeds = v.Seeds(l.aSeeds)
	if l.pa != nil && l.ev != nil {
		// alignUnit aligns with the PairAligner's own exact aligner:
		// indexing A for l.al too would build a seed table never read.
		l.pa.SetASeedsLater(l.aSeeds, v.Len(), l.loadA)
		return nil
	}
	l.al.SetASeeds(l.aSeeds, v.Len())
	return nil
}

// SetASeeds indexes the document of the given seeds and number of words
// for the calls to AlignSeeds that follow (the seeds are copied).
func (l *Aligner) SetASeeds(seeds []uint32, words int) { l.al.SetASeeds(seeds, words) }

// NewSeedRewordAligner is NewSeedAligner for callers that also hold the
// documents' analyses for reworded reuse (reword.AppendDoc records, empty
// for a document not analyzed): SetASeedsReworded and
// AlignSeedsReworded then align as a scan of an Index analyzed for
// reworded reuse aligns (reword.PairAligner), with the same options.
func NewSeedRewordAligner(opt align.Options) *Aligner {
	l := NewSeedAligner(opt)
	l.pa = newPairAligner(l.al.Options())
	return l
}

// newPairAligner returns the reworded aligner of a scan whose exact
// aligner has the options exact: its seeds, the evidence a passage needs,
// and the tokens an anchor spans, which a fingerprint B repeats stands for
// (align.Options.AnchorLen).
func newPairAligner(exact align.Options) *reword.PairAligner {
	return reword.NewPairAligner(align.Options{Seed: exact.Seed, MinWords: exact.MinWords, AnchorLen: exact.AnchorLen}, reword.Options{})
}

// SetASeedsReworded is SetASeeds with A's analysis for reworded reuse
// (rec: a reword.AppendDoc record, empty when A was not analyzed), read
// only if a pair needs it.
func (l *Aligner) SetASeedsReworded(seeds []uint32, words int, rec []byte) {
	l.aSeeds = append(l.aSeeds[:0], seeds...)
	l.pa.SetASeedsLater(l.aSeeds, words, func(dst reword.Doc) (reword.Doc, error) { return reword.ReadDocOrNone(dst, rec) })
}

// SeedCandidate is a candidate pair as the distributed pipeline holds
// it, for AlignSeedsReworded.
type SeedCandidate struct {
	// Shared is the number of fingerprints the pair shares, Anchors their
	// places; a candidate of the reworded keys alone shares none.
	Shared  int32
	Anchors []candidate.Anchor
	// Keys are the places of the reworded keys it shares
	// (candidate.Merge; none without --reworded).
	Keys []candidate.Anchor
	// Whole marks a listed pair (Options.Listed): both aligners see all
	// of it, whatever it shares.
	Whole bool
}

// AlignSeedsReworded is AlignSeeds with the reworded aligner, for an
// Aligner of NewSeedRewordAligner: B is given by its seeds, repeats,
// number of words and analysis (rec, as SetASeedsReworded takes it), the
// pair as c; keep filters the exact spans as the scan's evidence does
// (align.Evidence.Keep). It returns the spans, and their kinds and
// cosines when any is not exact (nil otherwise), in scratch memory valid
// until the next call, as a scan's pairs hold them (Pair.Kinds, Cosines).
func (l *Aligner) AlignSeedsReworded(ctx context.Context, seeds, repeats []uint32, words int, rec []byte, c SeedCandidate, keep func([]align.Span) []align.Span) ([]align.Span, []reword.Kind, []float32, error) {
	l.bRepeats, l.bHeld = repeats, true
	p := reword.Pair{Seeds: seeds, Keep: keep, Tokens: words,
		Load: func(dst reword.Doc) (reword.Doc, error) { return reword.ReadDocOrNone(dst, rec) },
		LoadNear: func(dst reword.Doc, at []int32, radius int) (reword.Doc, error) {
			return reword.ReadDocNear(dst, rec, at, radius)
		}}
	if c.Whole {
		p.All = true
	} else {
		if err := l.pairAnchors(ctx, &p, c.Shared, c.Anchors, c.Keys); err != nil {
			return nil, nil, nil, err
		}
	}
	var err error
	if l.passages, err = l.pa.AlignPair(ctx, l.passages[:0], p); err != nil {
		return nil, nil, nil, err
	}
	spans, kinds, cos := l.passageSpans()
	return spans, kinds, cos, nil
}

// Align aligns document b with the document given to SetA, restricted to
// the windows of b around the anchors the shuffle found (all of b when
// there are none), and returns the spans in scratch memory, valid until
// the next call.
func (l *Aligner) Align(ctx context.Context, b uint32, anchors []candidate.Anchor) ([]align.Span, error) {
	v, err := l.b.View(b)
	if err != nil {
		return nil, err
	}
	l.bView, l.bHeld = v, false
	l.unitTokens = max(l.unitTokens, l.aView.Len()+v.Len())
	l.seeds = v.Seeds(l.seeds)
	return l.alignB(ctx, l.seeds, anchors)
}

// AlignSeeds is Align of the document of the given seeds and repeats
// (shingle.Analysis.Seeds and Repeats), with the document given to
// SetASeeds (or SetA).
func (l *Aligner) AlignSeeds(ctx context.Context, seeds, repeats []uint32, anchors []candidate.Anchor) ([]align.Span, error) {
	l.bRepeats, l.bHeld = repeats, true
	return l.alignB(ctx, seeds, anchors)
}

// alignB aligns B, of the given seeds, with A.
func (l *Aligner) alignB(ctx context.Context, seeds []uint32, anchors []candidate.Anchor) ([]align.Span, error) {
	anchorsB, err := l.alignAnchors(ctx, anchors)
	if err != nil {
		return nil, err
	}
	l.spans, err = l.al.AlignSeeds(ctx, l.spans[:0], seeds, anchorsB)
	return l.spans, err
}

// spreadPlaces appends to dst the places in B of the fingerprint whose
// first place in B is first, first included, or of more than max of
// them, the max that align.Spread keeps; it reports whether B's repeats
// are known: listed by its record (spool.SeedView.Later), or given to
// AlignSeeds (pairs (first, later place), sorted). It reads only the
// places it keeps: a line of a generated table can be held at hundreds
// of thousands.
func (l *Aligner) spreadPlaces(dst []uint32, first uint32, max int) ([]uint32, bool) {
	var later func(i int) uint32
	var n int
	if !l.bHeld {
		p, ok := l.bView.Later(first)
		if !ok {
			return dst, false
		}
		n, later = p.Len(), p.At
	} else {
		r := l.bRepeats
		m := len(r) / 2
		lo := sort.Search(m, func(i int) bool { return r[2*i] >= first })
		n = sort.Search(m-lo, func(i int) bool { return r[2*(lo+i)] > first })
		later = func(i int) uint32 { return r[2*(lo+i)+1] }
	}
	for i := range align.SpreadCount(n+1, max) {
		if k := align.SpreadIndex(n+1, max, i); k == 0 {
			dst = append(dst, first)
		} else {
			dst = append(dst, later(k-1))
		}
	}
	return dst, true
}

// toAnchors appends places of a pair (keys it shares) to dst as the
// reworded aligner takes them: a key A holds more than once is at no one
// place of A (-1), and one B holds more than once at its first place.
func toAnchors(dst []align.Anchor, as []candidate.Anchor) []align.Anchor {
	for _, a := range as {
		x := align.Anchor{A: int32(a.PosA), B: int32(a.PosB &^ candidate.Repeated)}
		if a.PosA&candidate.Repeated != 0 {
			x.A = -1
		}
		dst = append(dst, x)
	}
	return dst
}

// alignAnchors converts a candidate's anchors for the aligner: nil (align
// all of B) when it has none. A fingerprint B holds more than once gets
// an anchor at each of its places, at most align.Options.MaxPlaces of
// them (align.Spread), which B's record (or the repeats given to
// AlignSeeds) lists (else the aligner looks for them:
// align.Anchor.Repeated). It looks at ctx every lookAnchors anchors: a
// pair of documents of tens of millions of tokens has as many.
func (l *Aligner) alignAnchors(ctx context.Context, as []candidate.Anchor) ([]align.Anchor, error) {
	if len(as) == 0 {
		return nil, nil
	}
	l.anchors = grow.Slice(l.anchors[:0], len(as)) // tens of millions in a pair of large documents
	placed := false
	for i, a := range as {
		if i%lookAnchors == 0 && i > 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		x := align.Anchor{A: int32(a.PosA), B: int32(a.PosB &^ candidate.Repeated), Repeated: a.PosB&candidate.Repeated != 0}
		if a.PosA&candidate.Repeated != 0 {
			x.A = -1
		}
		if x.Repeated {
			var ok bool
			if l.places, ok = l.spreadPlaces(l.places[:0], uint32(x.B), l.al.Options().MaxPlaces); ok {
				for _, p := range l.places {
					l.anchors = append(l.anchors, align.Anchor{A: x.A, B: int32(p)})
				}
				placed = true
				continue
			}
		}
		if n := len(l.anchors); n > 0 && l.anchors[n-1] == x {
			continue
		}
		l.anchors = append(l.anchors, x)
	}
	if placed {
		if err := l.sortAnchors(ctx); err != nil {
			return nil, err
		}
		l.anchors = slices.Compact(l.anchors)
	}
	return l.anchors, nil
}

// lookAnchors is the number of anchors alignAnchors converts between two
// looks at its context.
const lookAnchors = 1 << 18

// sortAnchors sorts l.anchors by (B, A, Repeated), by integer keys
// (package keysort; comparing Anchors through a function took 3% of a
// scan of the Linux tree): B, then A+1, then Repeated, which fit in 64
// bits (B < 2³¹, 0 ≤ A+1 ≤ 2³¹).
func (l *Aligner) sortAnchors(ctx context.Context) error {
	var topA uint64
	for _, x := range l.anchors {
		topA = max(topA, uint64(x.A+1)) // A is -1 or more
	}
	wa := keysort.Width(topA) + 1
	key := func(x align.Anchor) uint64 {
		k := uint64(x.B)<<wa | uint64(x.A+1)<<1
		if x.Repeated {
			k |= 1
		}
		return k
	}
	if ok, err := l.anchorSort.StableContext(ctx, l.anchors, key); ok || err != nil {
		return err
	}
	// Too many to pack an index beside the key (a pair of documents of
	// tens of millions of tokens): the key is the whole anchor.
	return l.anchorSort.WholeContext(ctx, l.anchors, key, func(k uint64) align.Anchor {
		return align.Anchor{B: int32(k >> wa), A: int32(k>>1&(1<<(wa-1)-1)) - 1, Repeated: k&1 != 0}
	})
}

// PassageBytes converts a passage's token ranges to byte offsets, by the
// records of its two documents (TokenBytes of each side, PassageEnds).
func PassageBytes(s align.Span, a, b spool.SeedView) (ByteSpan, error) {
	as, ae, astop, err1 := TokenBytes(a, s.AStart, s.AEnd)
	bs, be, bstop, err2 := TokenBytes(b, s.BStart, s.BEnd)
	ae, be = PassageEnds(ae, astop, be, bstop)
	return ByteSpan{as, ae, bs, be}, errors.Join(err1, err2)
}

// TokenBytes converts one side of a passage, tokens start to end (end
// exclusive, start < end) of the document of record v, to byte offsets:
// from the start of its first token to the end of its last; stop is that
// end with the punctuation ending a sentence right after it (SeedView.TokenStop),
// for PassageEnds. The records need no seeds for it
// (spool.AppendSeedRecord with none): the distributed pipeline converts
// each side where its document lies.
func TokenBytes(v spool.SeedView, start, end int32) (s, e, stop int, err error) {
	s0, _, err1 := v.Token(int(start))
	_, e0, stop0, err2 := v.TokenStop(int(end - 1))
	return int(s0), int(e0), int(stop0), errors.Join(err1, err2)
}

// PassageEnds returns the ends of a passage's two sides, given the end of
// each side's last word and that end with the punctuation ending a
// sentence after it (TokenBytes): when both sides' last words end a
// sentence, the passage holds the sentence's full stop (and closing
// quotation mark) on both, as a reader marks a copied sentence; when one
// side's does not (a quote ending inside the writer's sentence), neither
// holds it.
func PassageEnds(aEnd, aStop, bEnd, bStop int) (int, int) {
	if aStop > aEnd && bStop > bEnd {
		return aStop, bStop
	}
	return aEnd, bEnd
}
