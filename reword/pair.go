package reword

import (
	"context"

	"github.com/reuse-tool/reuse/align"
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
	spans    []align.Span
	rejected []align.Span
	rw       []Passage
	nearBuf  []align.Span
	seeds    []uint32 // B's seeds (Align)
	hashes   []uint64
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

func (pa *PairAligner) setA(a Doc) {
	pa.reworded.SetA(a)
	pa.a = a
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
	// Keep, when not nil, filters the exact spans in place before they
	// are combined, as align.Evidence.Keep does for the pair.
	Keep func([]align.Span) []align.Span
	// All runs the reworded aligner on all of the pair, whatever it
	// shares, as Align does: for a pair someone asked to compare (a
	// listed pair of PAN's text alignment task), not one a shuffle found.
	All bool
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
//   - The reworded aligner runs when the pair shares keys or the exact
//     aligner found a passage, on the sentences within Options.Near of
//     them (Aligner.AlignNear), unless the exact passages cover
//     CoveredSkip of either document. A pair sharing fingerprints but
//     neither a passage nor keys has no reworded passage worth the time
//     (a reworded passage of a few sentences shares keys); reworded text
//     far from both is another passage, which would share keys of its
//     own; a syndicated copy has nothing left to reword (a quarter of the
//     pairs of a generated news scan, and the longest).
//
// A long alignment stops early with ctx.Err() when ctx is cancelled; dst
// is then returned as it was given.
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
	if (all || len(p.Keys) > 0 || len(pa.spans) > 0) && !covered(pa.spans, len(pa.a.Terms), len(p.Doc.Terms)) {
		if err := ctx.Err(); err != nil {
			return dst, err
		}
		var near []align.Span
		if !all {
			near = pa.near(p.Keys)
		}
		pa.rw = pa.reworded.AlignNear(pa.rw, p.Doc, near)
		if len(pa.rejected) > 0 {
			pa.rw = dropRejected(pa.rw, pa.rejected)
		}
	}
	return pa.comb.Combine(dst, pa.reworded, &pa.a, &p.Doc, pa.spans, pa.rw), nil
}

// near returns the places the reworded aligner looks around: the exact
// passages and the shared keys.
func (pa *PairAligner) near(keys []align.Anchor) []align.Span {
	near := append(pa.nearBuf[:0], pa.spans...)
	for _, x := range keys {
		near = append(near, align.Span{AStart: x.A, AEnd: x.A + 1, BStart: x.B, BEnd: x.B + 1})
	}
	pa.nearBuf = near
	return near
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
