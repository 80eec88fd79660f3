package reword

import (
	"cmp"
	"context"
	"slices"

	"github.com/reuse-tool/reuse/align"
	"github.com/reuse-tool/reuse/internal/grow"
	"github.com/reuse-tool/reuse/shingle"
)

// PairAligner runs the exact aligner (align.Aligner) and the reworded
// Aligner on the same pairs and combines their passages (Combiner): the
// per-pair step of a scan that wants reworded reuse too. Like both
// aligners, it indexes one document (SetA, SetASeeds) and aligns others
// against it (Align, AlignPair).
//
// A PairAligner is NOT safe for concurrent use; give each worker its own.
type PairAligner struct {
	exact    *align.Aligner
	reworded *Aligner
	comb     Combiner
	a        Doc
	aTokens  int
	aLoad    func(dst Doc) (Doc, error) // SetASeedsLater: A's analysis, not read yet
	aBuf     Doc                        // A's analysis as aLoad read it
	bBuf     Doc                        // B's analysis as Pair.Load read it
	spans    []align.Span
	rejected []align.Span
	rw       []Passage
	nearBuf  []align.Span
	at       []int32      // load: B's tokens near which LoadNear reads
	byB      []align.Span // places: the exact spans sorted by BStart
	seeds    []uint32     // B's seeds (Align)
	hashes   []uint64
	edge     edger
}

// NewPairAligner returns a PairAligner with the given options of both
// aligners.
func NewPairAligner(exact align.Options, opt Options) *PairAligner {
	return &PairAligner{exact: align.New(exact), reworded: NewAligner(opt)}
}

// ExactOptions returns the exact aligner's options in force: its seeds
// are shingle.Seeds(tokens, ExactOptions().Seed).
func (pa *PairAligner) ExactOptions() align.Options { return pa.exact.Options() }

// SetA indexes document A: its tokens and their analysis (same length).
// The PairAligner keeps a reference to a's slices until the next SetA:
// read B's record into other buffers.
func (pa *PairAligner) SetA(toks []shingle.Token, a Doc) {
	pa.exact.SetA(toks)
	pa.setA(a)
}

// SetASeeds is SetA given A's seeds (shingle.Seeds of its tokens with
// ExactOptions().Seed) instead of its tokens, as a scan's seed spool
// holds them; the number of tokens is len(a.Terms).
func (pa *PairAligner) SetASeeds(seeds []uint32, a Doc) {
	pa.exact.SetASeeds(seeds, len(a.Terms))
	pa.setA(a)
}

// SetASeedsLater is SetASeeds for a scan that reads A's analysis only
// if a pair needs the reworded aligner: tokens is A's number of tokens,
// and load is called with a Doc to fill (its slices reused), at most once
// until the next SetA, the first time a pair needs it. The PairAligner
// keeps the Doc load returns until the next SetA.
func (pa *PairAligner) SetASeedsLater(seeds []uint32, tokens int, load func(dst Doc) (Doc, error)) {
	pa.exact.SetASeeds(seeds, tokens)
	pa.a, pa.aTokens, pa.aLoad = Doc{}, tokens, load
}

// Release forgets A and lets go of the exact aligner's scratch and of
// the buffers of B's and A's analyses that hold more than maxBytes each
// (align.Aligner.Release); SetA or SetASeeds must be called before the
// next AlignPair.
func (pa *PairAligner) Release(maxBytes int) {
	pa.exact.Release(maxBytes)
	pa.a, pa.aTokens, pa.aLoad = Doc{}, 0, nil
	for _, d := range []*Doc{&pa.aBuf, &pa.bBuf} {
		grow.Drop(&d.Terms, maxBytes)
		grow.Drop(&d.Vocab, maxBytes)
		grow.Drop(&d.Sentences, maxBytes)
	}
	for _, s := range []*[]align.Span{&pa.spans, &pa.rejected, &pa.nearBuf, &pa.byB} {
		grow.Drop(s, maxBytes)
	}
	grow.Drop(&pa.rw, maxBytes)
	grow.Drop(&pa.at, maxBytes)
	grow.Drop(&pa.seeds, maxBytes)
	grow.Drop(&pa.hashes, maxBytes)
}

func (pa *PairAligner) setA(a Doc) {
	pa.reworded.SetA(a)
	pa.a, pa.aTokens, pa.aLoad = a, len(a.Terms), nil
}

// loadA reads A's analysis if SetASeedsLater deferred it, and indexes it.
func (pa *PairAligner) loadA() error {
	if pa.aLoad == nil {
		return nil
	}
	a, err := pa.aLoad(pa.aBuf)
	if err != nil {
		return err
	}
	pa.aBuf = a
	pa.setA(a)
	return nil
}

// Pair is document B of an alignment, and what a scan knows of the pair.
type Pair struct {
	// Seeds are B's seeds: shingle.Seeds of its tokens with
	// ExactOptions().Seed.
	Seeds []uint32
	// Doc is B's analysis.
	Doc Doc
	// Anchors are the places of the fingerprints A and B share, sorted
	// by B (see align.Aligner.AlignSeeds): the exact aligner looks only
	// around them. Nil aligns all of B.
	Anchors []align.Anchor
	// Keys are the places of the keys A and B share (Keyer.Keys), when
	// the pair is a candidate of KeyRules; nil otherwise. The reworded
	// aligner looks only around them and the exact passages.
	Keys []align.Anchor
	// Traces are the places of the fingerprints A and B share that no
	// other document holds (candidate.Anchor.PairOnly), sorted by B, and
	// TraceLen their tokens: when the exact aligner keeps no passage but
	// chains more matched tokens than a trace holds, the reworded
	// aligner looks around them.
	Traces   []align.Anchor
	TraceLen int
	// Keep, when not nil, filters the exact spans in place before they
	// are combined, as align.Evidence.Keep does for the pair.
	Keep func([]align.Span) []align.Span
	// All runs the reworded aligner on all of the pair, whatever it
	// shares, as Align does: for a pair someone asked to compare (a
	// listed pair of PAN's text alignment task), not one a shuffle found.
	All bool
	// Load, when Doc is empty and Load is not nil, reads B's analysis
	// into the Doc it is given (its slices reused) and returns it: it is
	// called only when the reworded aligner runs on the pair, and Tokens
	// gives B's number of tokens meanwhile. An empty Doc it returns (or
	// A's, from SetASeedsLater) says the document was not analyzed (a
	// scan analyzes prose only: Prose): the pair gets exact passages.
	Load   func(dst Doc) (Doc, error)
	Tokens int
	// LoadNear, when not nil, is Load for a pair that has no exact
	// passage and is aligned near a few places only (its traces, its
	// keys): it may read the terms of B's sentences within radius
	// sentences of the tokens at only, the others reading as stop words
	// (ReadDocNear): a long document paired by a phrase is not read
	// whole.
	LoadNear func(dst Doc, at []int32, radius int) (Doc, error)
}

// Align appends to dst the passages document B (its tokens and their
// analysis) shares with A and returns it: exact and reworded passages
// combined (see Combiner), ordered by AStart, never overlapping on either
// side, as token ranges. Both aligners see all of the pair.
func (pa *PairAligner) Align(ctx context.Context, dst []Passage, toks []shingle.Token, b Doc) ([]Passage, error) {
	pa.seeds, pa.hashes = shingle.Seeds(pa.seeds[:0], toks, pa.exact.Options().Seed, pa.hashes)
	return pa.alignPair(ctx, dst, Pair{Seeds: pa.seeds, Doc: b}, true)
}

// AlignPair appends to dst the passages document B (p) shares with A and
// returns it, as Align does, for a scan's third stage:
//
//   - The exact aligner runs on B's seeds around p.Anchors, and p.Keep
//     filters its spans: a scan drops boilerplate and stock phrases
//     there. A reworded passage that spans p.Keep rejected cover for half
//     its tokens or more, on either side, is dropped too: the corpus has
//     said that text is no evidence of reuse, and the reworded aligner,
//     which knows only the pair, finds it again (identical sentences are
//     similar sentences).
//   - The reworded aligner runs only where reworded text may lie that
//     the exact passages do not explain (places), and not when the exact
//     passages cover CoveredSkip of either document. A pair with an exact
//     passage that was edited (similarity below 1) or found in pieces
//     (two within FragmentGap tokens of each other on both sides, in
//     order) shows rewording: the copy's other parts may have kept no
//     exact run, so the reworded aligner runs on all of the pair. Else
//     it runs around the shared keys that lie outside the exact passages,
//     on the sentences within Options.Near of them (Aligner.AlignNear).
//     A verbatim copy, a quote or a syndicated copy found whole has
//     nothing left to reword, and reworded text far from any place would
//     share keys of its own. Measured (docs/benchmarks.md, "Reworded
//     reuse at default settings"): aligning all of a pair that shows
//     rewording, rather than the sentences near its edited passages,
//     lifts PAN-13 scanned whole at default settings from 0.742 to 0.764
//     for 9% more time on the Linux Documentation, and changes nothing
//     on generated news (100 MB).
//   - A pair without exact passages runs the reworded aligner around
//     its traces (p.Traces: phrases no other document holds) outside
//     the spans p.Keep rejected, when the exact aligner chained more
//     matched tokens than a trace holds (align.Aligner.MostMatched):
//     a copy reworded throughout keeps a phrase of its own here and
//     there and shorter runs around it, but no run of MinWords; a
//     phrase that stands alone is a coincidence of wording. B's
//     analysis is then read near the traces only (p.LoadNear).
//     Measured (docs/benchmarks.md, "Traces of reworded copies"):
//     PAN-13 scanned whole at default settings 0.769 to 0.801,
//     generated news heavy-edit recall 0.814 to 0.844 at 100 MB, for
//     about 4% more time on the Linux Documentation.
//   - A pair whose exact passages show no rewording runs the reworded
//     aligner around those that start inside a sentence on both sides
//     or end inside one on both sides (unfinished): the run of a
//     reworded copy starts after its first edit, and the copy may go
//     on, reworded, through the sentences around it. Measured
//     (docs/benchmarks.md, "Unfinished sentences"): PAN-13 scanned
//     whole at default settings 0.801 to 0.814 (summaries 0.375 to
//     0.432), no measurable cost on the Linux Documentation.
//   - With p.All, the reworded aligner runs on all of the pair.
//   - When both documents were analyzed, passages complete the
//     sentences they start or end in where the rest of the sentence is
//     the same words reworded on both sides (edges): an exact run of a
//     reworded copy starts after its first edit. Measured
//     (docs/benchmarks.md, "Sentences completed"): generated news
//     heavy-edit recall 0.763 to 0.812 at 100 MB, PAN-13 in PAN mode
//     0.887 to 0.892; no measurable cost on the Linux Documentation.
//
// B's and A's analyses are read (Pair.Load, SetASeedsLater) only when the
// reworded aligner runs or the pair has passages, once a pair. A long
// alignment stops early with ctx.Err() when ctx is cancelled; dst is then
// returned as it was given.
func (pa *PairAligner) AlignPair(ctx context.Context, dst []Passage, p Pair) ([]Passage, error) {
	return pa.alignPair(ctx, dst, p, p.All)
}

// alignPair is AlignPair; all runs the reworded aligner on all of the
// pair.
func (pa *PairAligner) alignPair(ctx context.Context, dst []Passage, p Pair, all bool) ([]Passage, error) {
	var err error
	pa.spans, err = pa.exact.AlignSeeds(ctx, pa.spans[:0], p.Seeds, p.Anchors)
	if err != nil {
		return dst, err
	}
	pa.rejected = pa.rejected[:0]
	if p.Keep != nil && len(pa.spans) > 0 {
		pa.rejected = append(pa.rejected, pa.spans...)
		pa.spans = p.Keep(pa.spans)
		pa.rejected = rejectedSpans(pa.rejected, pa.spans)
	}
	pa.rw = pa.rw[:0]
	bTokens := len(p.Doc.Terms)
	if bTokens == 0 && p.Load != nil {
		bTokens = p.Tokens
	}
	var near []align.Span
	analyzed, loaded := false, false // both analyses at hand; read already
	wholeEnough := covered(pa.spans, pa.aTokens, bTokens)
	if !all {
		var rewording bool
		near, rewording = pa.places(p.Keys)
		// A copy that shows rewording in one place was reworded
		// throughout, as a rule: its other parts may have kept no exact
		// run at all, anywhere in the pair.
		if rewording {
			all, near = true, nil
		}
		if len(pa.spans) == 0 && len(p.Traces) > 0 && pa.exact.MostMatched() > p.TraceLen {
			near = pa.traces(near, p.Traces)
		}
		if !all && len(pa.spans) > 0 && !wholeEnough {
			// The analyses are read for the passages' edges anyway.
			loaded = true
			if analyzed, err = pa.load(&p, nil); err != nil {
				return dst, err
			}
			if analyzed {
				near = pa.unfinished(near, &p.Doc)
			}
		}
	}
	if (all || len(near) > 0) && !wholeEnough {
		if err := ctx.Err(); err != nil {
			return dst, err
		}
		// A document not analyzed (it does not read as prose: Prose) has
		// no terms, and the pair exact passages only.
		if !loaded {
			loaded = true
			if analyzed, err = pa.load(&p, near); err != nil {
				return dst, err
			}
		}
		if analyzed {
			if pa.rw, err = pa.reworded.AlignNearContext(ctx, pa.rw, p.Doc, near); err != nil {
				return dst, err
			}
			if len(pa.rejected) > 0 {
				pa.rw = dropRejected(pa.rw, pa.rejected)
			}
		}
	}
	start := len(dst)
	if len(pa.rw) == 0 {
		// The exact passages as they are (what Combine gives them alone).
		for _, s := range pa.spans {
			dst = append(dst, Passage{AStart: s.AStart, AEnd: s.AEnd, BStart: s.BStart, BEnd: s.BEnd,
				Similarity: float32(s.Similarity()), Kind: Exact})
		}
	} else {
		dst = pa.comb.Combine(dst, pa.reworded, &pa.a, &p.Doc, pa.spans, pa.rw)
	}
	if len(dst) > start && !loaded {
		if analyzed, err = pa.load(&p, nil); err != nil {
			return dst[:start], err
		}
	}
	if analyzed {
		pa.edge.edges(dst[start:], &pa.a, &p.Doc)
	}
	return dst, nil
}

// load reads A's and B's analyses if they are not at hand (SetASeedsLater,
// Pair.Load) and reports whether both documents were analyzed. A pair
// without exact passages that is aligned near places only (near) reads
// B's sentences near them only, with Pair.LoadNear.
func (pa *PairAligner) load(p *Pair, near []align.Span) (bool, error) {
	if err := pa.loadA(); err != nil {
		return false, err
	}
	if len(p.Doc.Terms) == 0 && p.Load != nil && len(pa.a.Terms) > 0 {
		var err error
		if p.LoadNear != nil && len(near) > 0 && len(pa.spans) == 0 {
			pa.at = pa.at[:0]
			for _, sp := range near {
				pa.at = append(pa.at, sp.BStart, sp.BEnd-1)
			}
			pa.bBuf, err = p.LoadNear(pa.bBuf, pa.at, pa.reworded.opt.Near)
		} else {
			pa.bBuf, err = p.Load(pa.bBuf)
		}
		if err != nil {
			return false, err
		}
		p.Doc = pa.bBuf
	}
	return len(pa.a.Terms) > 0 && len(p.Doc.Terms) > 0, nil
}

// FragmentGap is the largest gap, in tokens on each side, between two
// exact passages that PairAligner takes for pieces of one copy, the
// rest reworded: about four sentences (Options.MaxGap) of news.
const FragmentGap = 100

// places returns the places where reworded text may lie that the exact
// passages (pa.spans, sorted by AStart) do not explain: exact passages
// edited (similarity below 1) or found in pieces (FragmentGap), and
// shared keys outside the exact passages. rewording reports that there
// are exact passages of the first kinds: the pair shows rewording.
func (pa *PairAligner) places(keys []align.Anchor) (near []align.Span, rewording bool) {
	near = pa.nearBuf[:0]
	// follows reports whether exact passage t continues r within
	// FragmentGap tokens on both sides, in order: pieces of one copy.
	follows := func(r, t align.Span) bool {
		return t.AStart-r.AEnd <= FragmentGap && t.BStart >= r.BEnd && t.BStart-r.BEnd <= FragmentGap
	}
	for i, s := range pa.spans {
		edited := s.Matched < min(s.AEnd-s.AStart, s.BEnd-s.BStart)
		if edited || i > 0 && follows(pa.spans[i-1], s) || i+1 < len(pa.spans) && follows(s, pa.spans[i+1]) {
			near = append(near, s)
			rewording = true
		}
	}
	return pa.outside(near, keys, pa.spans), rewording
}

// unfinished appends to near the exact passages (pa.spans) that start
// inside a sentence on both sides, or end inside one on both sides, b
// being B's analysis: an exact run of a reworded copy starts after the
// copy's first edit and ends before its last, and the copy may go on,
// reworded, through the sentences around it. (A verbatim copy of whole
// sentences, or a quote that starts or ends a sentence on one side,
// has nothing left to reword.)
func (pa *PairAligner) unfinished(near []align.Span, b *Doc) []align.Span {
	for _, s := range pa.spans {
		starts := sentenceStart(&pa.a, s.AStart) < s.AStart && sentenceStart(b, s.BStart) < s.BStart
		ends := sentenceEnd(&pa.a, s.AEnd-1) > s.AEnd && sentenceEnd(b, s.BEnd-1) > s.BEnd
		if starts || ends {
			near = append(near, s)
		}
	}
	pa.nearBuf = near
	return near
}

// traces appends to near the traces (Pair.Traces) of a pair whose exact
// passages the evidence rejected or that has none, leaving out those
// inside a rejected span: text the corpus says is no evidence of reuse
// (boilerplate, stock phrases).
func (pa *PairAligner) traces(near []align.Span, traces []align.Anchor) []align.Span {
	return pa.outside(near, traces, pa.rejected)
}

// outside appends to near, as places of one token, the places that lie
// in none of spans on either side, and returns it (kept in pa.nearBuf).
func (pa *PairAligner) outside(near []align.Span, places []align.Anchor, spans []align.Span) []align.Span {
	if len(places) > 0 {
		// The spans are disjoint on each side: sorted by start on A (as
		// they come) and on B (byB), a place lies inside one when the
		// span starting last at or before it holds it.
		pa.byB = append(pa.byB[:0], spans...)
		slices.SortFunc(pa.byB, func(x, y align.Span) int { return cmp.Compare(x.BStart, y.BStart) })
		for _, x := range places {
			if !insideA(spans, x.A) && !insideB(pa.byB, x.B) {
				near = append(near, align.Span{AStart: x.A, AEnd: x.A + 1, BStart: x.B, BEnd: x.B + 1})
			}
		}
	}
	pa.nearBuf = near
	return near
}

// insideA reports whether token t of A lies in one of spans, disjoint on
// A and sorted by AStart. Cost O(log spans).
func insideA(spans []align.Span, t int32) bool {
	i, _ := slices.BinarySearchFunc(spans, t+1, func(s align.Span, t int32) int { return cmp.Compare(s.AStart, t) })
	return i > 0 && t < spans[i-1].AEnd
}

// insideB is insideA for token t of B and spans sorted by BStart.
func insideB(spans []align.Span, t int32) bool {
	i, _ := slices.BinarySearchFunc(spans, t+1, func(s align.Span, t int32) int { return cmp.Compare(s.BStart, t) })
	return i > 0 && t < spans[i-1].BEnd
}

// CoveredSkip is the share of a document that exact passages must cover
// for PairAligner to skip the reworded aligner.
const CoveredSkip = 0.9

// covered reports whether exact spans (disjoint on each side) cover
// CoveredSkip of A's na tokens or of B's nb.
func covered(spans []align.Span, na, nb int) bool {
	var a, b int
	for _, s := range spans {
		a += int(s.AEnd - s.AStart)
		b += int(s.BEnd - s.BStart)
	}
	return na > 0 && float64(a) >= CoveredSkip*float64(na) || nb > 0 && float64(b) >= CoveredSkip*float64(nb)
}

// rejectedSpans keeps, in place, the spans of all (sorted by AStart) that
// are not in kept (a subsequence of all, as a filter in place leaves it).
func rejectedSpans(all, kept []align.Span) []align.Span {
	out := all[:0]
	k := 0
	for _, s := range all {
		if k < len(kept) && kept[k] == s {
			k++
			continue
		}
		out = append(out, s)
	}
	return out
}

// dropRejected removes, in place, the reworded passages that rejected
// exact spans (disjoint on each side) cover for half their tokens or more
// on either side.
func dropRejected(ps []Passage, rejected []align.Span) []Passage {
	out := ps[:0]
	for _, p := range ps {
		var a, b int32
		for _, s := range rejected {
			a += max(0, min(p.AEnd, s.AEnd)-max(p.AStart, s.AStart))
			b += max(0, min(p.BEnd, s.BEnd)-max(p.BStart, s.BStart))
		}
		if 2*a >= p.AEnd-p.AStart || 2*b >= p.BEnd-p.BStart {
			continue
		}
		out = append(out, p)
	}
	return out
}
