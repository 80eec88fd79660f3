// Package reuse finds reused text across a collection of documents: passages
// copied from one document into others, with byte offsets on both sides,
// overlap percentages, reuse families (clusters) and near-duplicate groups.
//
// Scan wires the stages, each in its own package:
//
//	corpus   walk the inputs, read and extract each document's text
//	shingle  tokens with offsets, k-token shingles, winnowing fingerprints,
//	         MinHash signatures
//	cluster  candidate pairs from the fingerprint index, alignment into
//	         passages, families and groups
//	report   the Result and its output formats
//
// The work runs in three stages with clear cut lines, where a distributed
// engine can take over for archives beyond one machine:
//
//  1. per document, in parallel: read, tokenize, fingerprint, sign;
//  2. a shuffle on fingerprint hash: postings, spooled to a temporary file
//     by stage 1 and loaded once, radix-sorted by hash give the pairs of
//     documents that share fingerprints (capped by document frequency, so
//     boilerplate stays linear);
//  3. per candidate pair, in parallel: read both documents' seeds back and
//     align them.
//
// Memory grows with the number of fingerprints (16 bytes each, about 0.33
// a word with the default window 5), held during stage 2 only, not with
// the text: stage 1 writes each document's seeds and token offsets to a
// temporary file (about 6 bytes a word) that later stages map and read
// back; texts are read again (or spooled, when extracted from HTML, JSONL
// or archives) only for excerpts and reports. A scan needs temporary space
// of about 11 bytes a word ($TMPDIR). Output is deterministic: the same
// inputs give the same Result whatever the number of workers.
package reuse

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"

	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/corpus"
	"github.com/reuse-tool/reuse/result"
)

// Options configure a scan. The zero value gives the defaults.
type Options struct {
	// Shingle is the number of tokens per shingle (default 5).
	Shingle int
	// Window is the winnowing window in shingles (default 5): any shared
	// run of Shingle+Window-1 tokens (9 by default, as MinWords) is
	// guaranteed to be found.
	Window int
	// MinWords is the evidence a reported passage needs (default 9): an
	// unbroken run of MinWords matching words, or 2·MinWords matching
	// words in all when the copy was edited.
	MinWords int
	// Threshold is the least overlap, as a share 0..1 of each document's
	// words, for two documents to be near-duplicates in one group
	// (default 0.8).
	Threshold float64
	// MaxDF caps the number of documents a fingerprint may pair up
	// (default 100). Text found in more documents is boilerplate: reported
	// as one cluster, never as pairs.
	MaxDF int
	// Workers is the number of goroutines per stage (default GOMAXPROCS).
	Workers int
	// Corpus configures reading the inputs.
	Corpus corpus.Options
	// Warn receives each problem with one input (an unreadable file, a
	// malformed record); the scan goes on. Nil ignores them.
	Warn func(error)
	// Progress, when non-nil, is updated as the scan runs.
	Progress *Progress
}

// Defaults of Options.
const (
	DefaultShingle   = 5
	DefaultWindow    = 5
	DefaultMinWords  = 9
	DefaultThreshold = 0.8
	DefaultMaxDF     = 100
)

// signatureSize is the number of MinHash values per document.
const signatureSize = 64

// ErrOptions reports options out of range.
var ErrOptions = errors.New("reuse: invalid options")

func (o Options) withDefaults() (Options, error) {
	if o.Shingle == 0 {
		o.Shingle = DefaultShingle
	}
	if o.Window == 0 {
		o.Window = DefaultWindow
	}
	if o.MinWords == 0 {
		o.MinWords = DefaultMinWords
	}
	if o.Threshold == 0 {
		o.Threshold = DefaultThreshold
	}
	if o.MaxDF == 0 {
		o.MaxDF = DefaultMaxDF
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	switch {
	case o.Shingle < 1 || o.Shingle > 64:
		return o, fmt.Errorf("%w: shingle %d not in 1..64", ErrOptions, o.Shingle)
	case o.Window < 1 || o.Window > 1024:
		return o, fmt.Errorf("%w: window %d not in 1..1024", ErrOptions, o.Window)
	case o.MinWords < 1:
		return o, fmt.Errorf("%w: min-words %d < 1", ErrOptions, o.MinWords)
	case o.Threshold <= 0 || o.Threshold > 1 || math.IsNaN(o.Threshold):
		return o, fmt.Errorf("%w: threshold %v not in (0, 1]", ErrOptions, o.Threshold)
	case o.MaxDF < 2:
		return o, fmt.Errorf("%w: max-df %d < 2", ErrOptions, o.MaxDF)
	}
	if o.Warn == nil {
		o.Warn = func(error) {}
	}
	return o, nil
}

// Phase names the stage a scan is in.
type Phase int32

const (
	PhaseReading Phase = iota
	PhasePairing
	PhaseAligning
	PhaseClustering
	PhaseDone
)

func (p Phase) String() string {
	switch p {
	case PhaseReading:
		return "reading"
	case PhasePairing:
		return "pairing"
	case PhaseAligning:
		return "aligning"
	case PhaseClustering:
		return "clustering"
	}
	return "done"
}

// Progress holds live counters of a running scan, safe to read from another
// goroutine while Scan updates them.
type Progress struct {
	Phase     atomic.Int32 // a Phase
	Documents atomic.Int64 // documents read
	Bytes     atomic.Int64 // bytes of text read
	Skipped   atomic.Int64 // inputs that could not be read
	Pairs     atomic.Int64 // candidate pairs to align
	Aligned   atomic.Int64 // candidate pairs aligned
}

func (p *Progress) setPhase(ph Phase) {
	if p != nil {
		p.Phase.Store(int32(ph))
	}
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
	s := &scan{opt: opt}
	s.seedK = cluster.NewAligner(s.alignOptions()).Options().Seed
	texts := &Texts{s: s}
	res, err := s.run(ctx, inputs)
	s.seeds.close()
	if err != nil {
		texts.Close()
		return nil, nil, err
	}
	return res, texts, nil
}

func (s *scan) run(ctx context.Context, inputs []string) (*result.Result, error) {
	p := s.opt.Progress
	p.setPhase(PhaseReading)
	if err := s.index(ctx, inputs); err != nil {
		return nil, err
	}
	p.setPhase(PhasePairing)
	candidates, boilerplate, err := s.pair(ctx)
	if err != nil {
		return nil, err
	}
	// The shuffle's arrays are garbage now, and alignment allocates little:
	// give the memory back (100 MB: peak RSS 548 -> 344-363 MB, same
	// time; 1 GB: the alignment phase 2.8 -> 1.5-2.1 GB).
	debug.FreeOSMemory()
	p.setPhase(PhaseAligning)
	pairs, err := s.align(ctx, candidates)
	if err != nil {
		return nil, err
	}
	p.setPhase(PhaseClustering)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res, err := s.assemble(ctx, pairs, boilerplate)
	if err != nil {
		return nil, err
	}
	// Texts keeps the scan alive while the result is written: let the
	// garbage collector have what only the stages needed.
	s.sigs, s.rare, s.boiler = nil, cluster.Rare{}, nil
	p.setPhase(PhaseDone)
	return res, nil
}

// Texts gives the text of each scanned document, as the offsets of the
// Result count it: plain files are read again from disk (and checked
// against what was scanned), extracted texts come from a temporary spool.
// It is safe for concurrent use.
type Texts struct {
	s    *scan
	once sync.Once
	byID map[string]int
}

// Text returns the text of the document with the given id.
func (t *Texts) Text(id string) ([]byte, error) {
	t.once.Do(func() {
		t.byID = make(map[string]int, len(t.s.docs))
		for i, d := range t.s.docs {
			t.byID[d.id] = i
		}
	})
	i, ok := t.byID[id]
	if !ok {
		return nil, fmt.Errorf("reuse: no document %q", id)
	}
	return t.s.store.get(&t.s.docs[i], nil)
}

// Close removes the temporary spool.
func (t *Texts) Close() error {
	t.s.store.close()
	return nil
}
