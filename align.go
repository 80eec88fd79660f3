package reuse

import (
	"context"
	"slices"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/shingle"
)

// soloDF is the most documents a single shared fingerprint may be held by
// for it alone to make a candidate pair (cluster.PairOptions).
const soloDF = 4

// nearTokens is the greatest distance, in tokens, between two shared
// fingerprints that make a candidate pair (cluster.PairOptions.Near): twice
// the 2·MinWords words of an edited passage. On 100 MB of generated news it
// cut the candidates from 457,096 to 306,124 and the scan from 10.6 to
// 9.0 s, with the same recall and pair precision 0.934 -> 0.942 (32 and 64
// tokens gave the same figures).
func (s *scan) nearTokens() int { return 4 * s.opt.MinWords }

// pair is stage 2: the shuffle on fingerprint hash. It returns the
// candidate pairs, sorted by (A, B), and the boilerplate families, and
// keeps the rare fingerprints for stage 3.
func (s *scan) pair(ctx context.Context) ([]cluster.Candidate, [][]cluster.Occurrence, error) {
	sh, err := cluster.Candidates(ctx, s.postings, cluster.PairOptions{MaxDF: s.opt.MaxDF, SoloDF: soloDF, RareDF: s.opt.MinWords, Near: s.nearTokens(), Workers: s.opt.Workers})
	if err != nil {
		return nil, nil, err
	}
	s.postings = nil
	s.rare = sh.Rare
	if p := s.opt.Progress; p != nil {
		p.Pairs.Store(int64(len(sh.Pairs)))
	}
	boiler := cluster.Boilerplate(sh.Boilerplate, s.opt.Shingle, s.opt.Window)
	s.boiler = newBoilerIndex(boiler, int32(s.opt.Window-1)/2)
	return sh.Pairs, boiler, nil
}

// boilerIndex lists, per document, the token ranges of its boilerplate,
// widened by half the uncertainty of their edges (window-1 tokens): on
// 100 MB of generated news, where stock phrases pass max-df, widening by
// all of it cost quote recall 0.872 -> 0.856 and plagdet 0.925 -> 0.922,
// and half still keeps documents sharing one word next to a footer apart.
type boilerIndex map[uint32][]cluster.Occurrence

func newBoilerIndex(fams [][]cluster.Occurrence, widen int32) boilerIndex {
	x := make(boilerIndex)
	for _, f := range fams {
		for _, o := range f {
			o.Start, o.End = max(o.Start-widen, 0), o.End+widen
			x[o.Doc] = append(x[o.Doc], o)
		}
	}
	return x
}

// outside counts the tokens of [from, to) in document d that lie outside
// its boilerplate.
func (x boilerIndex) outside(d uint32, from, to int32) int32 {
	n := to - from
	for _, o := range x[d] {
		if lo, hi := max(from, o.Start), min(to, o.End); hi > lo {
			n -= hi - lo
		}
	}
	return max(n, 0)
}

// evident keeps the spans that are evidence of reuse. A passage must hold
// MinWords words outside boilerplate on both sides: text printed in more
// than MaxDF documents is reported as a cluster, and never pairs two
// documents that share a word or two next to it. A passage of n
// matched words under 2·MinWords must hold, on either side, a fingerprint
// held by at most n/2 documents: a 9-word match must be all but unique,
// while a 16-word sentence may have been quoted by 8 documents. Stock
// phrases ("the spokesman of the Harbour Board said that") are short and
// everywhere. Longer passages need nothing more. Measured on 100 MB of
// generated news when the rule was added (single runs): plagdet 0.86
// without it, 0.90 with it, quote recall 0.95 either way.
func (s *scan) evident(a, b uint32, spans []cluster.Span) []cluster.Span {
	kept := spans[:0]
	for _, sp := range spans {
		if len(s.boiler) > 0 && (s.boiler.outside(a, sp.AStart, sp.AEnd) < int32(s.opt.MinWords) ||
			s.boiler.outside(b, sp.BStart, sp.BEnd) < int32(s.opt.MinWords)) {
			continue
		}
		n := int(sp.Matched)
		if n >= 2*s.opt.MinWords ||
			s.rare.Within(a, sp.AStart, sp.AEnd, s.opt.Shingle, n/2) ||
			s.rare.Within(b, sp.BStart, sp.BEnd, s.opt.Shingle, n/2) {
			kept = append(kept, sp)
		}
	}
	return kept
}

// pairResult is the alignment of one candidate pair.
type pairResult struct {
	a, b   uint32
	shared int32 // distinct fingerprints in common (cluster.Candidate.Shared)
	spans  []cluster.Span
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

// loader reads documents' seeds and token offsets back from the seed
// store, reusing its buffers. It is owned by one worker.
type loader struct {
	s   *scan
	rec []byte
}

func (s *scan) newLoader() *loader { return &loader{s: s} }

// record returns document d's record in the seed store.
func (l *loader) record(d uint32) ([]byte, *docInfo, error) {
	info := &l.s.docs[d]
	rec, err := l.s.seeds.read(info.seeds, l.rec)
	if err == nil && l.s.seeds.mapped == nil {
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
	return decodeSeeds(dst[:0], rec, seedCount(info.words, l.s.seedK))
}

// offsets sets dst[:0] to document d's tokens, byte offsets only.
func (l *loader) offsets(dst []shingle.Token, d uint32) ([]shingle.Token, error) {
	rec, info, err := l.record(d)
	if err != nil {
		return dst[:0], err
	}
	return decodeOffsets(dst[:0], rec, seedCount(info.words, l.s.seedK), info.words)
}

// align is stage 3: every candidate pair is aligned, in parallel, each
// worker taking all the pairs of one document A at a time so that A is
// read and indexed once. Results are in candidate order; pairs without a
// passage are dropped.
func (s *scan) align(ctx context.Context, candidates []cluster.Candidate) ([]pairResult, error) {
	// Work units: runs of candidates with the same A.
	var units []int
	for i := range candidates {
		if i == 0 || candidates[i].A != candidates[i-1].A {
			units = append(units, i)
		}
	}
	units = append(units, len(candidates))
	// Each worker keeps the pairs that share text, with their candidate
	// index; most candidates share none, and a result per candidate (a
	// pointer-holding array the garbage collector scans) cost more than
	// the alignments at 100 MB.
	found := make([][]indexedResult, s.opt.Workers)
	var next atomic.Int64
	g, ctx := errgroup.WithContext(ctx)
	for w := range s.opt.Workers {
		g.Go(func() error {
			l := s.newLoader()
			al := cluster.NewAligner(s.alignOptions())
			var (
				aSeeds, bSeeds []uint64
				aOffs, bOffs   []shingle.Token
				raw            []cluster.Span
				err            error
			)
			for {
				u := int(next.Add(1)) - 1
				if u >= len(units)-1 {
					return nil
				}
				if err := ctx.Err(); err != nil {
					return err
				}
				lo, hi := units[u], units[u+1]
				a := candidates[lo].A
				if aSeeds, err = l.seeds(aSeeds, a); err != nil {
					return err
				}
				al.SetASeeds(aSeeds, s.docs[a].words)
				aOffs = aOffs[:0]
				for i := lo; i < hi; i++ {
					c := candidates[i]
					if bSeeds, err = l.seeds(bSeeds, c.B); err != nil {
						return err
					}
					if raw, err = al.AlignSeeds(ctx, raw[:0], bSeeds); err != nil {
						return err
					}
					raw = s.evident(c.A, c.B, raw)
					if len(raw) == 0 {
						continue
					}
					// Byte offsets only for the pairs that share text.
					if len(aOffs) == 0 {
						if aOffs, err = l.offsets(aOffs, a); err != nil {
							return err
						}
					}
					if bOffs, err = l.offsets(bOffs, c.B); err != nil {
						return err
					}
					spans := slices.Clone(raw)
					found[w] = append(found[w], indexedResult{i, pairResult{a: c.A, b: c.B, shared: c.Shared, spans: spans, bytes: toBytes(spans, aOffs, bOffs)}})
				}
				if p := s.opt.Progress; p != nil {
					p.Aligned.Add(int64(hi - lo))
				}
			}
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var all []indexedResult
	for _, f := range found {
		all = append(all, f...)
	}
	slices.SortFunc(all, func(x, y indexedResult) int { return x.at - y.at })
	kept := make([]pairResult, len(all))
	for i, r := range all {
		kept[i] = r.pairResult
	}
	return kept, nil
}

// indexedResult is a pair result and its place among the candidates.
type indexedResult struct {
	at int
	pairResult
}

func (s *scan) alignOptions() cluster.AlignOptions {
	return cluster.AlignOptions{MinWords: s.opt.MinWords}
}

// toBytes converts token spans to byte offsets.
func toBytes(spans []cluster.Span, a, b []shingle.Token) []byteSpan {
	out := make([]byteSpan, len(spans))
	for i, s := range spans {
		out[i] = byteSpan{
			aStart: int(a[s.AStart].Start), aEnd: int(a[s.AEnd-1].End),
			bStart: int(b[s.BStart].Start), bEnd: int(b[s.BEnd-1].End),
		}
	}
	return out
}
