package reuse

import (
	"context"
	"slices"

	"github.com/reuse-tool/reuse/align"
	"github.com/reuse-tool/reuse/candidate"
	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/internal/postings"
	"github.com/reuse-tool/reuse/internal/spool"
	"github.com/reuse-tool/reuse/internal/work"
	"github.com/reuse-tool/reuse/shingle"
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
	loaders := make([]*loader, workers)
	aligners := make([]*align.Aligner, workers)
	for w := range workers {
		loaders[w] = newLoader(x)
		aligners[w] = align.New(s.alignOptions())
	}
	var out []pairResult
	for r := range sh.Ranges() {
		cands, err := sh.Pairs(ctx, r, workers)
		if err != nil {
			return nil, err
		}
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
			found[u], err = s.alignUnit(ctx, x, loaders[w], aligners[w], ev, cands[units[u]:units[u+1]])
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
func (s *scan) alignUnit(ctx context.Context, x *corpusIndex, l *loader, al *align.Aligner, ev *align.Evidence, cands []candidate.Candidate) ([]pairResult, error) {
	a := cands[0].A
	var err error
	if l.aSeeds, err = l.seeds(l.aSeeds, a); err != nil {
		return nil, err
	}
	al.SetASeeds(l.aSeeds, x.docs[a].words)
	l.aOffs = l.aOffs[:0]
	var out []pairResult
	for _, c := range cands {
		if l.bSeeds, err = l.seeds(l.bSeeds, c.B); err != nil {
			return nil, err
		}
		if l.raw, err = al.AlignSeeds(ctx, l.raw[:0], l.bSeeds); err != nil {
			return nil, err
		}
		l.raw = ev.Keep(c.A, c.B, l.raw)
		if len(l.raw) == 0 {
			continue
		}
		// Byte offsets only for the pairs that share text.
		if len(l.aOffs) == 0 {
			if l.aOffs, err = l.offsets(l.aOffs, a); err != nil {
				return nil, err
			}
		}
		if l.bOffs, err = l.offsets(l.bOffs, c.B); err != nil {
			return nil, err
		}
		spans := slices.Clone(l.raw)
		out = append(out, pairResult{a: c.A, b: c.B, shared: c.Shared, spans: spans, bytes: toBytes(spans, l.aOffs, l.bOffs)})
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
	x              *corpusIndex
	rec            []byte
	aSeeds, bSeeds []uint64
	aOffs, bOffs   []shingle.Token
	raw            []align.Span
}

func newLoader(x *corpusIndex) *loader { return &loader{x: x} }

// record returns document d's record in the seed spool.
func (l *loader) record(d uint32) ([]byte, *docInfo, error) {
	info := &l.x.docs[d]
	rec, err := l.x.seeds.Read(info.seeds, l.rec)
	if err == nil && !l.x.seeds.Mapped() {
		l.rec = rec[:0]
	}
	return rec, info, err
}

// seeds appends document d's seeds to dst[:0].
func (l *loader) seeds(dst []uint64, d uint32) ([]uint64, error) {
	rec, info, err := l.record(d)
	if err != nil {
		return dst[:0], err
	}
	return spool.DecodeSeeds(dst[:0], rec, spool.SeedCount(info.words, l.x.seedK))
}

// offsets sets dst[:0] to document d's tokens, byte offsets only.
func (l *loader) offsets(dst []shingle.Token, d uint32) ([]shingle.Token, error) {
	rec, info, err := l.record(d)
	if err != nil {
		return dst[:0], err
	}
	return spool.DecodeOffsets(dst[:0], rec, spool.SeedCount(info.words, l.x.seedK), info.words)
}

// toBytes converts token spans to byte offsets.
func toBytes(spans []align.Span, a, b []shingle.Token) []byteSpan {
	out := make([]byteSpan, len(spans))
	for i, s := range spans {
		out[i] = byteSpan{
			aStart: int(a[s.AStart].Start), aEnd: int(a[s.AEnd-1].End),
			bStart: int(b[s.BStart].Start), bEnd: int(b[s.BEnd-1].End),
		}
	}
	return out
}
