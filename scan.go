package reuse

import (
	"bytes"
	"context"
	"fmt"
	"runtime/debug"
	"slices"
	"sync"

	"github.com/reuse-tool/reuse/align"
	"github.com/reuse-tool/reuse/corpus"
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

// warn reports a problem with one input and counts it as skipped, unless
// it is a notice (corpus.IsNotice: the input was read).
func (s *scan) warn(err error) {
	s.warnMu.Lock()
	defer s.warnMu.Unlock()
	if !corpus.IsNotice(err) {
		s.skipped++
		if p := s.opt.Progress; p != nil {
			p.Skipped.Add(1)
		}
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
	var c result.Collector
	if err := ScanTo(ctx, inputs, opt, &c); err != nil {
		return nil, err
	}
	return &c.Result, nil
}

// ScanTo is Scan, handing the result to sink piece by piece (documents,
// then pairs, clusters and groups, in order) as it is assembled, instead
// of building it: the memory of a scan then does not grow with the size
// of its result. Stats.Skipped counts the inputs skipped while reading;
// a text that cannot be read again for a cluster's excerpt later is
// warned about only. If ScanTo fails, sink may have received part of the
// result.
func ScanTo(ctx context.Context, inputs []string, opt Options, sink result.Sink) error {
	s, x, err := scanIndex(ctx, inputs, opt)
	if err != nil {
		return err
	}
	defer x.close()
	return s.run(ctx, x, sink)
}

// ScanTexts is Scan, and also returns the documents' texts (for reports
// that show them). The caller must Close the Texts.
func ScanTexts(ctx context.Context, inputs []string, opt Options) (*result.Result, *Texts, error) {
	s, x, err := scanIndex(ctx, inputs, opt)
	if err != nil {
		return nil, nil, err
	}
	var c result.Collector
	err = s.run(ctx, x, &c)
	// Only the texts are needed after the scan.
	x.postings.Close()
	x.seeds.Close()
	if err != nil {
		x.texts.Close()
		return nil, nil, err
	}
	return &c.Result, &Texts{x: x}, nil
}

// scanIndex checks the options and runs stage 1.
func scanIndex(ctx context.Context, inputs []string, opt Options) (*scan, *corpusIndex, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, nil, err
	}
	s := &scan{opt: opt, seedK: seedTokens}
	s.opt.Progress.setPhase(PhaseReading)
	x, err := s.index(ctx, inputs)
	if err != nil {
		return nil, nil, err
	}
	return s, x, nil
}

// run is stages 2 and 3, then the result, handed to sink.
func (s *scan) run(ctx context.Context, x *corpusIndex, sink result.Sink) error {
	p := s.opt.Progress
	p.setPhase(PhasePairing)
	sh, boiler, err := s.shuffle(ctx, x)
	if err != nil {
		return err
	}
	defer sh.Close()
	rare, err := sh.Rare(ctx, s.opt.Workers)
	if err != nil {
		return err
	}
	// The loads' arrays are garbage now, and alignment allocates little:
	// give the memory back.
	debug.FreeOSMemory()
	p.setPhase(PhaseAligning)
	pairs, err := s.alignRanges(ctx, x, sh, s.evidence(boiler, rare))
	if err != nil {
		return err
	}
	defer pairs.close()
	p.setPhase(PhaseClustering)
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := s.assemble(ctx, x, pairs, boiler, sink); err != nil {
		return err
	}
	p.setPhase(PhaseDone)
	return nil
}

// Texts gives the text of each scanned document, as the offsets of the
// Result count it: plain files are read again from disk (and checked
// against what was scanned), extracted texts come from a temporary spool.
// It is safe for concurrent use.
type Texts struct {
	x *corpusIndex
}

// Text returns the text of the document with the given id.
func (t *Texts) Text(id string) ([]byte, error) {
	docs := t.x.docs // sorted by id
	i, ok := slices.BinarySearchFunc(docs, id, func(d docInfo, id string) int {
		return bytes.Compare(t.x.idBytes(&d), []byte(id))
	})
	if !ok {
		return nil, fmt.Errorf("reuse: no document %q", id)
	}
	return t.x.text(&docs[i], nil)
}

// Extracted reports whether the text of the document with the given id
// is not the file it was read from as it is (extracted from HTML or JSONL,
// decompressed, decoded from another encoding, read from an archive or
// standard input): offsets count in a text the user has not seen.
func (t *Texts) Extracted(id string) bool {
	docs := t.x.docs
	i, ok := slices.BinarySearchFunc(docs, id, func(d docInfo, id string) int {
		return bytes.Compare(t.x.idBytes(&d), []byte(id))
	})
	return ok && !docs[i].plain
}

// Close removes the temporary spool.
func (t *Texts) Close() error {
	t.x.texts.Close()
	return nil
}
