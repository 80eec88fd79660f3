package reword

import (
	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/shingle"
)

// PairAligner runs the exact aligner (cluster.Aligner) and the reworded
// Aligner on the same pairs and combines their passages (Combiner): the
// per-pair step of a scan that wants reworded reuse too. Like both
// aligners, it indexes one document (SetA) and aligns others against it.
//
// A PairAligner is NOT safe for concurrent use; give each worker its own.
type PairAligner struct {
	exact    *cluster.Aligner
	reworded *Aligner
	comb     Combiner
	a        Doc
	spans    []cluster.Span
	rw       []Passage
}

// NewPairAligner returns a PairAligner with the given options of both
// aligners.
func NewPairAligner(exact cluster.AlignOptions, opt Options) *PairAligner {
	return &PairAligner{exact: cluster.NewAligner(exact), reworded: NewAligner(opt)}
}

// SetA indexes document A: its tokens and their analysis (same length).
// The PairAligner keeps a reference to a.Terms and a.Sentences until the
// next SetA.
func (pa *PairAligner) SetA(toks []shingle.Token, a Doc) {
	pa.exact.SetA(toks)
	pa.reworded.SetA(a)
	pa.a = a
}

// Align appends to dst the passages document B shares with A and returns
// it: exact and reworded passages combined (see Combiner), ordered by
// AStart, never overlapping on either side, as token ranges.
//
// The reworded aligner is skipped when the exact passages already cover
// CoveredSkip of either document: a syndicated copy, with nothing left to
// reword (a quarter of the pairs of a generated news scan, and the
// longest).
func (pa *PairAligner) Align(dst []Passage, toks []shingle.Token, b Doc) []Passage {
	pa.spans = pa.exact.Align(pa.spans[:0], toks)
	pa.rw = pa.rw[:0]
	if !covered(pa.spans, len(pa.a.Terms), len(b.Terms)) {
		pa.rw = pa.reworded.Align(pa.rw, b)
	}
	return pa.comb.Combine(dst, &pa.a, &b, pa.spans, pa.rw)
}

// CoveredSkip is the share of a document that exact passages must cover
// for PairAligner to skip the reworded aligner.
const CoveredSkip = 0.9

// covered reports whether exact spans (disjoint on each side) cover
// CoveredSkip of A's na tokens or of B's nb.
func covered(spans []cluster.Span, na, nb int) bool {
	var a, b int
	for _, s := range spans {
		a += int(s.AEnd - s.AStart)
		b += int(s.BEnd - s.BStart)
	}
	return na > 0 && float64(a) >= CoveredSkip*float64(na) || nb > 0 && float64(b) >= CoveredSkip*float64(nb)
}
