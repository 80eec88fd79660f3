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
func (pa *PairAligner) Align(dst []Passage, toks []shingle.Token, b Doc) []Passage {
	pa.spans = pa.exact.Align(pa.spans[:0], toks)
	pa.rw = pa.reworded.Align(pa.rw[:0], b)
	return pa.comb.Combine(dst, &pa.a, &b, pa.spans, pa.rw)
}
