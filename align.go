package reuse

import (
	"context"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/corpus"
	"github.com/reuse-tool/reuse/shingle"
)

// pair is stage 2: the shuffle on fingerprint hash. It returns the
// candidate pairs, sorted by (A, B), and the boilerplate families.
func (s *scan) pair() ([]cluster.Candidate, [][]cluster.Occurrence) {
	candidates, boiler := cluster.Candidates(s.postings, s.opt.MaxDF)
	s.postings = nil
	if p := s.opt.Progress; p != nil {
		p.Pairs.Store(int64(len(candidates)))
	}
	return candidates, cluster.Boilerplate(boiler, s.opt.Shingle, s.opt.Window)
}

// pairResult is the alignment of one candidate pair.
type pairResult struct {
	a, b  uint32
	spans []cluster.Span
	bytes []byteSpan // parallel to spans
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

// docText is a document's text and tokens, loaded for alignment.
type docText struct {
	doc  uint32
	text []byte
	toks []shingle.Token
}

// loader reads texts back and tokenizes them, reusing its buffers. It is
// owned by one worker.
type loader struct {
	s   *scan
	tok *shingle.Tokenizer
}

func (s *scan) newLoader() *loader { return &loader{s: s, tok: shingle.NewTokenizer()} }

// load fills t with document d, reusing t's buffers.
func (l *loader) load(t *docText, d uint32) error {
	info := &l.s.docs[d]
	text, err := l.s.store.get(info, t.text)
	if err != nil {
		return &corpus.Error{Path: info.path, Err: err}
	}
	t.doc, t.text = d, text
	t.toks = tokenize(l.tok, t.toks[:0], text, info.header)
	return nil
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
	results := make([]pairResult, len(candidates))
	var next atomic.Int64
	g, ctx := errgroup.WithContext(ctx)
	for range s.opt.Workers {
		g.Go(func() error {
			l := s.newLoader()
			al := cluster.NewAligner(s.alignOptions())
			var a, b docText
			for {
				u := int(next.Add(1)) - 1
				if u >= len(units)-1 {
					return nil
				}
				if err := ctx.Err(); err != nil {
					return err
				}
				lo, hi := units[u], units[u+1]
				if err := l.load(&a, candidates[lo].A); err != nil {
					s.warn(err)
					continue
				}
				al.SetA(a.toks)
				for i := lo; i < hi; i++ {
					c := candidates[i]
					if err := l.load(&b, c.B); err != nil {
						s.warn(err)
						continue
					}
					spans := al.Align(nil, b.toks)
					if len(spans) > 0 {
						results[i] = pairResult{a: c.A, b: c.B, spans: spans, bytes: toBytes(spans, a.toks, b.toks)}
					}
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
	kept := results[:0]
	for _, r := range results {
		if len(r.spans) > 0 {
			kept = append(kept, r)
		}
	}
	return kept, nil
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
