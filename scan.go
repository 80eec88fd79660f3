package reuse

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"

	"github.com/reuse-tool/reuse/align"
	"github.com/reuse-tool/reuse/result"
	"github.com/reuse-tool/reuse/shingle"
)

// scan holds what the stages of one Scan share: the options and the count
// of inputs skipped. Stages hand their results to each other as values.
type scan struct {
	opt   Options
	seedK int // tokens per seed of the aligner

	warnMu  sync.Mutex
	skipped int
}

// warn reports a problem with one input and counts it.
func (s *scan) warn(err error) {
	s.warnMu.Lock()
	defer s.warnMu.Unlock()
	s.skipped++
	if p := s.opt.Progress; p != nil {
		p.Skipped.Add(1)
	}
	s.opt.Warn(err)
}

// alignOptions are the aligner's settings for the scan's options.
func (s *scan) alignOptions() align.Options {
	return align.Options{Seed: s.seedK, MinWords: s.opt.MinWords}
}

// seedTokens is the number of tokens per seed of the aligner, the seeds
// stage 1 stores.
const seedTokens = 3

// analyzerOptions are stage 1's settings for the scan's options.
func (s *scan) analyzerOptions() shingle.AnalyzerOptions {
	return shingle.AnalyzerOptions{Shingle: s.opt.Shingle, Window: s.opt.Window, Seed: s.seedK, SignatureSize: signatureSize}
}

// Scan finds the reused text in the documents named by inputs (folders,
// files, "-" for standard input). Problems with single inputs go to
// opt.Warn and are counted in Result.Stats.Skipped; Scan fails only for
// invalid options, a cancelled ctx, or an I/O error of its own.
func Scan(ctx context.Context, inputs []string, opt Options) (*result.Result, error) {
	res, texts, err := ScanTexts(ctx, inputs, opt)
	if texts != nil {
		texts.Close()
	}
	return res, err
}

// ScanTexts is Scan, and also returns the documents' texts (for reports
// that show them). The caller must Close the Texts.
func ScanTexts(ctx context.Context, inputs []string, opt Options) (*result.Result, *Texts, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, nil, err
	}
	s := &scan{opt: opt, seedK: seedTokens}
	p := s.opt.Progress
	p.setPhase(PhaseReading)
	x, err := s.index(ctx, inputs)
	if err != nil {
		return nil, nil, err
	}
	res, err := s.run(ctx, x)
	// Only the texts are needed after the scan.
	x.postings.Close()
	x.seeds.Close()
	if err != nil {
		x.texts.Close()
		return nil, nil, err
	}
	p.setPhase(PhaseDone)
	return res, &Texts{x: x}, nil
}

// run is stages 2 and 3, then the Result.
func (s *scan) run(ctx context.Context, x *corpusIndex) (*result.Result, error) {
	p := s.opt.Progress
	p.setPhase(PhasePairing)
	sh, boiler, err := s.shuffle(ctx, x)
	if err != nil {
		return nil, err
	}
	defer sh.Close()
	// The loads' arrays are garbage now, and alignment allocates little:
	// give the memory back.
	debug.FreeOSMemory()
	rare, err := sh.Rare(ctx, s.opt.Workers)
	if err != nil {
		return nil, err
	}
	p.setPhase(PhaseAligning)
	pairs, err := s.alignRanges(ctx, x, sh, s.evidence(boiler, rare))
	if err != nil {
		return nil, err
	}
	p.setPhase(PhaseClustering)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return s.assemble(ctx, x, pairs, boiler)
}

// Texts gives the text of each scanned document, as the offsets of the
// Result count it: plain files are read again from disk (and checked
// against what was scanned), extracted texts come from a temporary spool.
// It is safe for concurrent use.
type Texts struct {
	x    *corpusIndex
	once sync.Once
	byID map[string]int
}

// Text returns the text of the document with the given id.
func (t *Texts) Text(id string) ([]byte, error) {
	t.once.Do(func() {
		t.byID = make(map[string]int, len(t.x.docs))
		for i, d := range t.x.docs {
			t.byID[d.id] = i
		}
	})
	i, ok := t.byID[id]
	if !ok {
		return nil, fmt.Errorf("reuse: no document %q", id)
	}
	return t.x.text(&t.x.docs[i], nil)
}

// Close removes the temporary spool.
func (t *Texts) Close() error {
	t.x.texts.Close()
	return nil
}
