package reuse

import (
	"context"
	"errors"
	"slices"

	"github.com/reuse-tool/reuse/align"
	"github.com/reuse-tool/reuse/candidate"
	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/internal/postings"
	"github.com/reuse-tool/reuse/internal/spool"
	"github.com/reuse-tool/reuse/internal/work"
)

// shuffle is stage 2's first step: postings, loaded a range of hash
// partitions at a time (at most half the memory budget), become pair
// keys (a quarter of the budget in memory, the rest on disk); the
// boilerplate becomes families.
func (s *scan) shuffle(ctx context.Context, x *corpusIndex) (*candidate.Shuffle, [][]cluster.Occurrence, error) {
	rules := candidate.DefaultRules(s.opt.MinWords)
	rules.MaxDF = s.opt.MaxDF
	sh := candidate.NewShuffle(rules, len(x.docs), s.opt.Memory/4)
	limit := max(s.opt.Memory/2/postings.Size, 1)
	var buf []postings.Posting
	for from := 0; from < spool.PostingPartitions; {
		to := from + 1
		for to < spool.PostingPartitions && x.postings.Count(from, to+1) <= limit {
			to++
		}
		var err error
		buf, err = spool.LoadPostings(ctx, x.postings, buf[:0], from, to, x.docOf, s.opt.Workers)
		if err == nil {
			err = sh.Add(ctx, buf, s.opt.Workers)
		}
		if err != nil {
			sh.Close()
			return nil, nil, err
		}
		x.postings.Drop(from, to)
		from = to
	}
	return sh, cluster.Boilerplate(sh.Boilerplate(), s.opt.Shingle, s.opt.Window), nil
}

// evidence is the filter of passages, knowing the boilerplate: its token
// ranges are widened by half the uncertainty of their edges (window-1
// tokens), which keeps documents sharing one word next to a footer apart
// (docs/benchmarks.md measures the widening).
func (s *scan) evidence(boiler [][]cluster.Occurrence, rare candidate.Rare) *align.Evidence {
	ev := &align.Evidence{MinWords: s.opt.MinWords, Shingle: s.opt.Shingle, Rare: rare}
	widen := int32(s.opt.Window-1) / 2
	for _, f := range boiler {
		for _, o := range f {
			ev.AddBoilerplate(o.Doc, align.Range{Start: o.Start, End: o.End}, widen)
		}
	}
	return ev
}

// pairResult is the alignment of one candidate pair.
type pairResult struct {
	a, b   uint32
	shared int32 // distinct fingerprints in common (candidate.Candidate.Shared)
	spans  []align.Span
	bytes  []byteSpan // parallel to spans
}

// byteSpan is a passage's byte offsets, end exclusive.
type byteSpan struct{ aStart, aEnd, bStart, bEnd int }

// sideWords counts the words of each side inside the pair's passages
// (passages never overlap on a side).
func (p *pairResult) sideWords() (a, b int) {
	for _, s := range p.spans {
		a += int(s.AEnd - s.AStart)
		b += int(s.BEnd - s.BStart)
	}
	return a, b
}

// alignRanges is stage 2's second step and stage 3, a range of first
// documents at a time: the range's candidates, then their alignments, in
// parallel. Results are in (A, B) order; pairs without a passage are
// dropped.
func (s *scan) alignRanges(ctx context.Context, x *corpusIndex, sh *candidate.Shuffle, ev *align.Evidence) ([]pairResult, error) {
	workers := s.opt.Workers
	loaders := newLoaders(x, workers)
	aligners := make([]*align.Aligner, workers)
	for w := range workers {
		aligners[w] = align.New(s.alignOptions())
	}
	var out []pairResult
	for r := range sh.Ranges() {
		rg, err := sh.Pairs(ctx, r, workers)
		if err != nil {
			return nil, err
		}
		cands := rg.Pairs
		if p := s.opt.Progress; p != nil {
			p.Pairs.Add(int64(len(cands)))
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
		found := make([][]pairResult, len(units)-1)
		err = work.Each(ctx, len(units)-1, workers, func(w, u int) error {
			var err error
			found[u], err = s.alignUnit(ctx, loaders[w], aligners[w], ev, rg, cands[units[u]:units[u+1]])
			return err
		})
		if err != nil {
			return nil, err
		}
		for _, f := range found {
			out = append(out, f...)
		}
	}
	return out, nil
}

// alignUnit aligns the candidates of one first document.
func (s *scan) alignUnit(ctx context.Context, l *loader, al *align.Aligner, ev *align.Evidence, rg candidate.Range, cands []candidate.Candidate) ([]pairResult, error) {
	a := cands[0].A
	if err := l.setA(al, a); err != nil {
		return nil, err
	}
	aView, err := l.view(a)
	if err != nil {
		return nil, err
	}
	var out []pairResult
	for _, c := range cands {
		spans, err := l.align(ctx, al, c.B, l.anchors(rg.Anchors[c.AnchorFrom:c.AnchorTo]))
		if err != nil {
			return nil, err
		}
		spans = ev.Keep(c.A, c.B, spans)
		if len(spans) == 0 {
			continue
		}
		bView, err := l.view(c.B)
		if err != nil {
			return nil, err
		}
		p := pairResult{a: c.A, b: c.B, shared: c.Shared, spans: slices.Clone(spans), bytes: make([]byteSpan, len(spans))}
		for i, sp := range spans {
			if p.bytes[i], err = toBytes(sp, aView, bView); err != nil {
				return nil, err
			}
		}
		out = append(out, p)
	}
	if p := s.opt.Progress; p != nil {
		p.Aligned.Add(int64(len(cands)))
	}
	return out, nil
}

// loader reads documents' seeds and token offsets back from the seed
// spool, with the buffers of one worker. It is NOT safe for concurrent
// use.
type loader struct {
	x     *corpusIndex
	buf   []byte // records, when the spool is not mapped
	seeds []uint32
	raw   []align.Span
	anch  []align.Anchor
}

// anchors converts a candidate's anchors for the aligner: nil (align all
// of B) when it has none.
func (l *loader) anchors(as []candidate.Anchor) []align.Anchor {
	if len(as) == 0 {
		return nil
	}
	l.anch = l.anch[:0]
	for _, a := range as {
		x := align.Anchor{A: int32(a.PosA), B: int32(a.PosB)}
		if a.PosA == candidate.AnyPos {
			x.A = -1
		}
		if n := len(l.anch); n > 0 && l.anch[n-1] == x {
			continue
		}
		l.anch = append(l.anch, x)
	}
	return l.anch
}

func newLoaders(x *corpusIndex, n int) []*loader {
	ls := make([]*loader, n)
	for i := range ls {
		ls[i] = &loader{x: x}
	}
	return ls
}

// view returns document d's record in the seed spool; valid until the
// next call.
func (l *loader) view(d uint32) (spool.SeedView, error) {
	info := &l.x.docs[d]
	v, buf, err := l.x.seeds.Read(info.seeds, spool.SeedCount(info.words, l.x.seedK), info.words, l.buf)
	l.buf = buf
	return v, err
}

// setA indexes document a in al.
func (l *loader) setA(al *align.Aligner, a uint32) error {
	v, err := l.view(a)
	if err != nil {
		return err
	}
	l.seeds = v.Seeds(l.seeds)
	al.SetASeeds(l.seeds, l.x.docs[a].words)
	return nil
}

// align aligns document b with the document indexed in al, returning
// spans in the loader's scratch memory (valid until the next call).
func (l *loader) align(ctx context.Context, al *align.Aligner, b uint32, anchors []align.Anchor) ([]align.Span, error) {
	v, err := l.view(b)
	if err != nil {
		return nil, err
	}
	l.seeds = v.Seeds(l.seeds)
	l.raw, err = al.AlignSeeds(ctx, l.raw[:0], l.seeds, anchors)
	return l.raw, err
}

// toBytes converts a token span to byte offsets.
func toBytes(s align.Span, a, b spool.SeedView) (byteSpan, error) {
	var bs byteSpan
	as, _, err1 := a.Token(int(s.AStart))
	_, ae, err2 := a.Token(int(s.AEnd - 1))
	bst, _, err3 := b.Token(int(s.BStart))
	_, be, err4 := b.Token(int(s.BEnd - 1))
	bs.aStart, bs.aEnd, bs.bStart, bs.bEnd = int(as), int(ae), int(bst), int(be)
	return bs, errors.Join(err1, err2, err3, err4)
}
