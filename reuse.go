// Package reuse finds reused text across a collection of documents: passages
// copied from one document into others, with byte offsets on both sides,
// overlap percentages, reuse families (clusters) and near-duplicate groups.
//
// Scan is the front door. It wires the stages, each in a package of its
// own that can be called alone (the archive index and the distributed
// pipeline do), and passes their values from one to the next:
//
//	index      stage 1: read, analyze and spool every document (with
//	           corpus for reading, shingle for tokens, fingerprints,
//	           seeds and MinHash signatures)
//	candidate  stage 2: the pairing rules and the shuffle, postings
//	           grouped by fingerprint, pair keys grouped by pair
//	pairs      stage 3: candidate pairs aligned (align), passages that
//	           are evidence kept, with byte offsets
//	assemble   families and groups (cluster), overlap percentages, the
//	           Result (result) handed to a sink
//
// The archive mode wires the same stages differently: CreateIndex and
// AddToIndex run stage 1 and keep its outputs in an index on disk
// (package archive); Check runs stage 1 on new documents only, takes from
// the index the archived documents a scan would pair with them, and runs
// the later stages on those with document frequencies counted over the
// whole index (see Check for what it guarantees).
//
// The three stages have clear cut lines, where a distributed engine can
// take over for archives beyond one machine:
//
//  1. per document, in parallel: read, tokenize, fingerprint, sign; the
//     postings, seeds and extracted texts go to temporary files, not
//     memory;
//  2. the shuffle: postings loaded a range of hash partitions at a time,
//     as many as Options.Memory allows, sorted by hash, and turned into
//     pair keys; pair keys grouped by pair into candidates, a range of
//     first documents at a time;
//  3. per candidate pair, in parallel: both documents' seeds are read back
//     and aligned, and the passages that are evidence are kept.
//
// Memory grows with the number of documents (a record of each, package
// index) and with Options.Memory, not with the text. A scan needs
// temporary space of about 14 bytes a word at its peak ($TMPDIR; package
// internal/spool gives the formats). Output
// is deterministic: the same inputs give the same Result whatever the
// number of workers and the memory budget.
package reuse

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync/atomic"

	"github.com/reuse-tool/reuse/corpus"
	"github.com/reuse-tool/reuse/result"
	"github.com/reuse-tool/reuse/shingle"
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
	// Workers is the number of goroutines per stage (0: GOMAXPROCS).
	Workers int
	// Memory is the budget, in bytes, of the shuffle's postings and pair
	// keys held in memory at once (default DefaultMemory()); what does not
	// fit waits in temporary files. Shares of it also bound the last
	// step's batches (the reused words' ranges, the clusters converted at
	// once). The documents' own records (package index) and the families
	// come on top. The result does not depend on it.
	Memory int64
	// PassageText puts each passage's text, on both sides, into the
	// result (Passage.AText, BText): the documents are read again for it.
	PassageText bool
	// A scan finds exact passages (runs of identical words, with small
	// edits) and, by default, the reworded text around them (package
	// reword): where an exact passage was edited or found in pieces, the
	// sentences near it are compared as sets of stemmed words, which
	// finds the words replaced, added, dropped or shuffled between the
	// pieces; so are the sentences around a phrase two documents alone
	// share, amid matches too short for a passage
	// (reword.Pair.Traces). Only documents that read as prose (reword.Prose) are
	// analyzed for it: code, tables and lists get exact passages.
	// Measured cost: docs/benchmarks.md, "Reworded reuse at default
	// settings".
	//
	// Exact finds exact passages only: no analysis, no reworded
	// passages.
	Exact bool
	// Reworded also finds reworded passages that share no exact passage
	// (a translation there and back, a summary, a copy reworded
	// throughout): every document is analyzed, and keys of its sentences'
	// words are shuffled beside the fingerprints to pair documents, at
	// 1.4 times the CPU time of an exact scan on generated news and 3
	// times on technical prose (docs/benchmarks.md, "Reworded reuse").
	// A Check (and an archive index) does not hold the keys, and refuses
	// it; Exact and Reworded together are an error.
	Reworded bool
	// Weighted (an experiment, docs/benchmarks.md "Weighted minimizers
	// and sentence edges") reads the corpus once more first, to count
	// the documents holding each shingle, and keeps the least common
	// shingle of each winnowing window (shingle.Weights); and a passage
	// under 2·MinWords words must begin a sentence on one side, end one
	// on both, or be quoted. A Check does not support it yet.
	Weighted bool
	// Pairs, when not nil, lists the only pairs of documents to compare,
	// by their ids (as the Result names them), in either order: each is
	// aligned whole, whether or not the shuffle would pair it (PAN's text
	// alignment task), by the reworded aligner too unless Exact: every
	// document is analyzed for it, prose or not, so the result is the same
	// with or without Reworded. Every document is still read: the
	// boilerplate and the rare fingerprints are the corpus's. Pairs naming
	// an id the scan
	// does not hold are left out, reported to Warn (ErrPairs) and counted
	// as one skipped input.
	Pairs [][2]string
	// FollowLimit bounds a check's following of its clusters and groups
	// through the archive (see Check): the most archived documents its
	// rounds may read together, each round reading its documents anew.
	// A check follows what it can within it, the clusters reaching least
	// first; those it cannot follow are marked Incomplete, with a notice
	// (ErrFollowLimit). A negative value means no limit. Where the whole
	// archive is within the limit, a check reads it whole instead, in one
	// round, where following would cost more or where boilerplate holds
	// or touches its clusters, and its result is a scan's.
	//
	// 0, the default, marks nothing: the rounds follow within a budget of
	// words, as a round's cost grows with them (twice the words of the
	// first round, the new documents' partners, and at least as many as
	// 2,000 of the archive's documents hold on average, and 100 more for
	// each new document), serving the clusters kept beside the index
	// (AlignIndex); where a cluster or group would still be marked, the
	// check reads the whole archive instead, and its result is a scan's.
	// A scan does not use it.
	FollowLimit int
	// Corpus configures reading the inputs.
	Corpus corpus.Options
	// Warn receives each problem with one input (an unreadable file, a
	// malformed record), and each notice (corpus.IsNotice: an encoding
	// guessed, a duplicate id renamed); the scan goes on. Problems are
	// counted in Result.Stats.Skipped, notices are not. Nil ignores them.
	Warn func(error)
	// Progress, when non-nil, is updated as the scan runs.
	Progress *Progress

	// clusterPart, when set, is assemble.Options.PartMembers: tests give
	// small clusters in parts, as a large archive's boilerplate is given.
	clusterPart int
	// clusterBatch, when set, is assemble.Options.BatchBytes: tests
	// convert clusters one at a time.
	clusterBatch int64
	// boilerplateBytes, when set, is the most of the boilerplate's
	// postings held at once (else loadBytes): tests give small corpora
	// a spool of them (candidate.Shuffle.Boilerplate).
	boilerplateBytes int64
}

// Defaults of Options.
const (
	DefaultShingle   = 5
	DefaultWindow    = 5
	DefaultMinWords  = 9
	DefaultThreshold = 0.8
	DefaultMaxDF     = 100
)

// DefaultMemory is the default Options.Memory: DefaultMemoryCap, or half
// of the memory the system gives the process (its cgroup limit, or the
// machine's memory) where that is less, and at least 256 MiB.
func DefaultMemory() int64 { return defaultMemory(systemMemory()) }

// DefaultMemoryCap is the most DefaultMemory gives. A larger budget buys
// little: the generated 1 GB and 10 GB take as long at 11.5 GiB, since
// the spools' files stay in the page cache either way and the budget
// decides only what the process itself holds, and the Linux tree about
// 4% less at 1 GiB, for a quarter more memory. A smaller one costs the
// tree: a sixth more time at 512 MiB, as the collector runs more often
// while two workers align its largest files (docs/benchmarks.md, "The
// default budget" and "640 MiB by default").
const DefaultMemoryCap = 640 << 20

// defaultMemory is DefaultMemory for a system giving the process system
// bytes (0: unknown).
func defaultMemory(system int64) int64 {
	if system <= 0 {
		return DefaultMemoryCap
	}
	return max(min(system/2, DefaultMemoryCap), 256<<20)
}

// The shares of Options.Memory: postings (or band keys) loaded at once,
// pair keys kept in memory, and the mapped spools' pages kept resident.
// They leave half the budget to the documents' records, the garbage
// collector's headroom and the stages' working memory
// (docs/benchmarks.md, "Memory").
func (o Options) loadBytes() int64     { return o.Memory / 4 }
func (o Options) keyBytes() int64      { return o.Memory / 8 }
func (o Options) residentBytes() int64 { return o.Memory / 8 }

// boilerplateLoadBytes is the most of the boilerplate's postings held at
// once: a load's share, unless a test says otherwise.
func (o Options) boilerplateLoadBytes() int64 {
	if o.boilerplateBytes > 0 {
		return o.boilerplateBytes
	}
	return o.loadBytes()
}

// clusterBytes is the share of Options.Memory for a batch of clusters
// being converted (assemble.Options.BatchBytes), two of which are held
// at once; the shuffle's shares are free then.
func (o Options) clusterBytes() int64 {
	if o.clusterBatch > 0 {
		return o.clusterBatch
	}
	return o.Memory / 16
}

// analysisBytes is the share of Options.Memory that stage 1's large
// documents may take together (index.Options.AnalysisBytes): stage 1
// runs before the shuffle, whose shares are free then.
func (o Options) analysisBytes() int64 { return o.Memory / 2 }

// rewordKeyBytes is the share of Options.Memory for the pair keys of the
// reworded keys' shuffle, held beside the fingerprints' (fewer: 0.2 keys
// a word against 0.33 fingerprints, at most 50 documents a key; those
// that outgrow it are sketched as the fingerprints' are).
func (o Options) rewordKeyBytes() int64 { return o.Memory / 32 }

// twinBytes is the share of Options.Memory for the alignments kept for
// the twins of documents (pairs.Options.TwinBytes).
func (o Options) twinBytes() int64 { return o.Memory / 32 }

// memoBytes is the share of Options.Memory for the alignments a check
// keeps from one round to the next (pairs.Memo).
func (o Options) memoBytes() int64 { return o.Memory / 16 }

// sketchBytes is the share of Options.Memory for the sketch of the pairs
// the fingerprints' keys name (candidate.Shuffle.SketchPairs), held while
// the keys are made.
func (o Options) sketchBytes() int64 { return o.Memory / 16 }

// signatureSize is the number of MinHash values per document.
const signatureSize = 64

// seedTokens is the number of tokens per seed of the aligner, the seeds
// stage 1 stores.
const seedTokens = 3

// AnalyzerOptions returns the analyzer options of stage 1 that a scan
// with options o gives index.Build (shingle, window, the aligner's seed
// tokens and the signature size), for other runners of the stages (the
// Beam pipeline), whose analysis must be the scan's.
func (o Options) AnalyzerOptions() shingle.AnalyzerOptions {
	return shingle.AnalyzerOptions{Shingle: o.Shingle, Window: o.Window, Seed: seedTokens, SignatureSize: signatureSize}
}

// ErrOptions reports options out of range.
var ErrOptions = errors.New("reuse: invalid options")

// WithDefaults returns o with its zero fields set to the defaults, or an
// error wrapping ErrOptions when a field is out of range: the options a
// scan runs with (for other runners of the stages, the Beam pipeline).
func (o Options) WithDefaults() (Options, error) {
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
	if o.Workers == 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.Memory == 0 {
		o.Memory = DefaultMemory()
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
	case o.Workers < 0:
		return o, fmt.Errorf("%w: workers %d < 0", ErrOptions, o.Workers)
	case o.MaxDF < 2:
		return o, fmt.Errorf("%w: max-df %d < 2", ErrOptions, o.MaxDF)
	case o.Memory < 1<<20:
		return o, fmt.Errorf("%w: memory %d bytes < 1 MiB", ErrOptions, o.Memory)
	case o.Exact && o.Reworded:
		return o, fmt.Errorf("%w: exact and reworded: choose one", ErrOptions)
	}
	if o.Warn == nil {
		o.Warn = func(error) {}
	}
	return o, nil
}

// Params are the settings a Result records of o.
func (o Options) Params() result.Params {
	return result.Params{Shingle: o.Shingle, Window: o.Window, MinWords: o.MinWords, Threshold: o.Threshold, MaxDF: o.MaxDF}
}

// Phase names the stage a scan is in.
type Phase int32

const (
	PhaseReading Phase = iota
	PhasePairing
	PhaseAligning
	PhaseClustering
	PhaseDone
	// PhaseWriting is an index's: CreateIndex and AddToIndex writing
	// the documents read.
	PhaseWriting
	// PhaseCounting is a weighted scan's first pass (Options.Weighted):
	// counting the documents that hold each shingle, before reading.
	PhaseCounting
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
	case PhaseWriting:
		return "writing"
	case PhaseCounting:
		return "counting"
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
	// Kept counts those of a check taken from the alignments kept beside
	// the index (AlignIndex) instead of aligned.
	Kept atomic.Int64
	// JoinedKept and JoinedOwn count a check's rounds that read part of
	// the archive and joined its boilerplate by the joins kept beside
	// the index, or by their own places (none kept that hold, or a
	// majority in doubt).
	JoinedKept, JoinedOwn atomic.Int64
	// OnPhase, when set before the scan starts, is called as each phase
	// begins, on the scan's goroutine (reuse scan --timings).
	OnPhase func(Phase)
}

func (p *Progress) setPhase(ph Phase) {
	if p != nil {
		p.Phase.Store(int32(ph))
		if p.OnPhase != nil {
			p.OnPhase(ph)
		}
	}
}
