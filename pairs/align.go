package pairs

import (
	"cmp"
	"context"
	"errors"
	"slices"

	"github.com/reuse-tool/reuse/align"
	"github.com/reuse-tool/reuse/candidate"
	"github.com/reuse-tool/reuse/index"
	"github.com/reuse-tool/reuse/internal/spool"
	"github.com/reuse-tool/reuse/internal/work"
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
}

// Pair is the alignment of one candidate pair: passages as token spans,
// and as byte spans.
type Pair struct {
	A, B   uint32
	Shared int32 // distinct fingerprints in common (candidate.Candidate.Shared)
	Spans  []align.Span
	Bytes  []ByteSpan // parallel to Spans
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

// Align is stage 2's second step and stage 3, a range of first documents
// at a time: the range's candidates (sh.Pairs), then their alignments, in
// parallel, kept where ev says they are evidence. Pairs without a passage
// are dropped. It returns the pairs in (A, B) order; the caller must
// Close the Store.
func Align(ctx context.Context, x *index.Index, sh *candidate.Shuffle, ev *align.Evidence, opt Options) (*Store, error) {
	workers := max(opt.Workers, 1)
	aligners := make([]*Aligner, workers)
	for w := range aligners {
		aligners[w] = NewAligner(x, opt.MinWords)
	}
	out := newStore()
	limit := 100 * opt.Threshold
	for r := range sh.Ranges() {
		rg, err := sh.Pairs(ctx, r, workers)
		if err != nil {
			out.Close()
			return nil, err
		}
		cands := rg.Pairs
		if opt.Candidates != nil {
			opt.Candidates(len(cands))
		}
		// Work units: runs of candidates with the same A, so that a
		// worker reads and indexes A once.
		var units []int
		for i := range cands {
			if i == 0 || cands[i].A != cands[i-1].A {
				units = append(units, i)
			}
		}
		units = append(units, len(cands))
		found := make([][]Pair, len(units)-1)
		err = work.Each(ctx, len(units)-1, workers, func(w, u int) error {
			var err error
			found[u], err = aligners[w].alignUnit(ctx, ev, rg, cands[units[u]:units[u+1]])
			if err == nil && opt.Aligned != nil {
				opt.Aligned(units[u+1] - units[u])
			}
			return err
		})
		if err != nil {
			out.Close()
			return nil, err
		}
		for _, f := range found {
			for i := range f {
				if err := out.add(x, &f[i], limit); err != nil {
					out.Close()
					return nil, err
				}
			}
		}
		ev.Rare.Release()
	}
	return out, nil
}

// alignUnit aligns the candidates of one first document.
func (l *Aligner) alignUnit(ctx context.Context, ev *align.Evidence, rg candidate.Range, cands []candidate.Candidate) ([]Pair, error) {
	if err := l.SetA(cands[0].A); err != nil {
		return nil, err
	}
	var out []Pair
	for _, c := range cands {
		spans, err := l.Align(ctx, c.B, rg.Anchors[c.AnchorFrom:c.AnchorTo])
		if err != nil {
			return nil, err
		}
		spans = ev.Keep(c.A, c.B, spans)
		if len(spans) == 0 {
			continue
		}
		p := Pair{A: c.A, B: c.B, Shared: c.Shared, Spans: slices.Clone(spans), Bytes: make([]ByteSpan, len(spans))}
		for i, sp := range spans {
			if p.Bytes[i], err = toBytes(sp, l.aView, l.bView); err != nil {
				return nil, err
			}
		}
		out = append(out, p)
	}
	return out, nil
}

// Aligner aligns documents of an Index: an align.Aligner fed the seeds
// the Index spooled, with the scratch memory of one worker. It is NOT
// safe for concurrent use.
type Aligner struct {
	al           *align.Aligner
	a, b         *index.SeedReader // A's view stays valid while B's are read
	aView, bView spool.SeedView
	seeds        []uint32
	spans        []align.Span
	anchors      []align.Anchor
	places       []uint32
}

// NewAligner returns an Aligner of x's documents whose passages need
// minWords of evidence (align.Options.MinWords).
func NewAligner(x *index.Index, minWords int) *Aligner {
	return &Aligner{
		al: align.New(align.Options{Seed: x.SeedTokens(), MinWords: minWords, AnchorLen: x.ShingleTokens()}),
		a:  x.NewSeedReader(),
		b:  x.NewSeedReader(),
	}
}

// SetA indexes document a for the calls to Align that follow.
func (l *Aligner) SetA(a uint32) error {
	v, err := l.a.View(a)
	if err != nil {
		return err
	}
	l.aView = v
	l.seeds = v.Seeds(l.seeds)
	l.al.SetASeeds(l.seeds, v.Len())
	return nil
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
	l.bView = v
	l.seeds = v.Seeds(l.seeds)
	l.spans, err = l.al.AlignSeeds(ctx, l.spans[:0], l.seeds, l.alignAnchors(anchors))
	return l.spans, err
}

// alignAnchors converts a candidate's anchors for the aligner: nil (align
// all of B) when it has none. A fingerprint B holds more than once gets
// an anchor at each of its places, which B's record lists (else the
// aligner looks for them: align.Anchor.Repeated).
func (l *Aligner) alignAnchors(as []candidate.Anchor) []align.Anchor {
	if len(as) == 0 {
		return nil
	}
	l.anchors = l.anchors[:0]
	placed := false
	for _, a := range as {
		x := align.Anchor{A: int32(a.PosA), B: int32(a.PosB &^ candidate.Repeated), Repeated: a.PosB&candidate.Repeated != 0}
		if a.PosA&candidate.Repeated != 0 {
			x.A = -1
		}
		if x.Repeated {
			var ok bool
			if l.places, ok = l.bView.Places(l.places[:0], uint32(x.B)); ok {
				x.Repeated = false
				l.anchors = append(l.anchors, x)
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
		slices.SortFunc(l.anchors, func(x, y align.Anchor) int {
			if x.B != y.B {
				return cmp.Compare(x.B, y.B)
			}
			return cmp.Compare(x.A, y.A)
		})
		l.anchors = slices.Compact(l.anchors)
	}
	return l.anchors
}

// toBytes converts a token span to byte offsets.
func toBytes(s align.Span, a, b spool.SeedView) (ByteSpan, error) {
	as, _, err1 := a.Token(int(s.AStart))
	_, ae, err2 := a.Token(int(s.AEnd - 1))
	bs, _, err3 := b.Token(int(s.BStart))
	_, be, err4 := b.Token(int(s.BEnd - 1))
	return ByteSpan{int(as), int(ae), int(bs), int(be)}, errors.Join(err1, err2, err3, err4)
}
