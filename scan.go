package reuse

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"slices"
	"sync"

	"github.com/reuse-tool/reuse/archive"
	"github.com/reuse-tool/reuse/assemble"
	"github.com/reuse-tool/reuse/candidate"
	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/corpus"
	"github.com/reuse-tool/reuse/index"
	"github.com/reuse-tool/reuse/internal/postings"
	"github.com/reuse-tool/reuse/pairs"
	"github.com/reuse-tool/reuse/result"
	"github.com/reuse-tool/reuse/reword"
	"github.com/reuse-tool/reuse/shingle"
)

// scan holds what the stages of one Scan share: the options and the count
// of inputs skipped. Stages hand their results to each other as values.
type scan struct {
	opt Options

	warnMu  sync.Mutex
	skipped int

	// A check (Check) sets these: the document frequency of a
	// fingerprint and of a reworded key, counted over the archive and
	// the new documents (candidate.Shuffle.SetFrequencies), and the
	// documents the result is about (assemble.Options.Focus).
	df, keyDF  candidate.Frequencies
	focus      func(d uint32) bool
	reach      func(assemble.Reached) (assemble.Verdict, error) // assemble.Options.Reach
	incomplete func() error                                     // assemble.Options.Incomplete
	involving  func(d uint32) bool                              // pairs.Options.Involving
	memo       *pairs.Memo                                      // pairs.Options.Memo
	memoKey    func(d uint32) uint64                            // pairs.Options.MemoKey
	known      func(lo, hi uint32) [][2]uint32                  // pairs.Options.Known
	// alignOnly stops after the alignment, with no result (AlignIndex
	// keeps the alignments the memo records).
	alignOnly bool
	// joining is how the boilerplate's fingerprints are joined into
	// families (AlignIndex records the joins, a check's round that reads
	// part of the archive takes those kept beside it), and joined how
	// they were.
	joining cluster.Joining
	joined  cluster.JoinsFound
	// keep, when set (AlignIndex), is given the clusters of boilerplate a
	// check may serve, with the round's Index (assemble.Keep), instead of
	// a result. kept serves those kept beside the index in a check's
	// round (assemble.Options.Kept).
	keep func(x *index.Index, bs []int, c assemble.KeptCluster) error
	kept *assemble.Serving
}

// warn reports a problem with one input and counts it as skipped, unless
// it is a notice (corpus.IsNotice: the input was read).
func (s *scan) warn(err error) {
	s.warnMu.Lock()
	defer s.warnMu.Unlock()
	if !corpus.IsNotice(err) && !errors.Is(err, ErrFollowLimit) && !errors.Is(err, ErrAlignmentsUnused) {
		s.skipped++
		if p := s.opt.Progress; p != nil {
			p.Skipped.Add(1)
		}
	}
	s.opt.Warn(err)
}

// skippedSoFar returns the number of inputs skipped so far.
func (s *scan) skippedSoFar() int {
	s.warnMu.Lock()
	defer s.warnMu.Unlock()
	return s.skipped
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
	defer x.Close()
	return s.run(ctx, x, sink)
}

// ScanTexts is Scan, and also returns the documents' texts (for reports
// that show them). The caller must Close the Texts.
func ScanTexts(ctx context.Context, inputs []string, opt Options) (*result.Result, *Texts, error) {
	s, x, err := scanIndex(ctx, inputs, opt)
	if err != nil {
		return nil, nil, err
	}
	return s.runTexts(ctx, x)
}

// runTexts runs stages 2 and 3 on x, collecting the result, and keeps
// x's texts (only they are needed after the scan) for the caller to Close.
func (s *scan) runTexts(ctx context.Context, x *index.Index) (*result.Result, *Texts, error) {
	var c result.Collector
	if err := s.run(ctx, x, &c); err != nil {
		x.Close()
		return nil, nil, err
	}
	x.KeepTexts()
	return &c.Result, &Texts{x: x}, nil
}

// scanIndex checks the options and runs stage 1.
func scanIndex(ctx context.Context, inputs []string, opt Options) (*scan, *index.Index, error) {
	opt, err := opt.WithDefaults()
	if err != nil {
		return nil, nil, err
	}
	s := &scan{opt: opt}
	if opt.Weighted {
		s.opt.Progress.setPhase(PhaseCounting) // buildIndex's first pass
	} else {
		s.opt.Progress.setPhase(PhaseReading)
	}
	x, err := s.buildIndex(ctx, inputs)
	if err != nil {
		return nil, nil, err
	}
	return s, x, nil
}

// run is stages 2 and 3, then the result, handed to sink.
func (s *scan) run(ctx context.Context, x *index.Index, sink result.Sink) error {
	p := s.opt.Progress
	p.setPhase(PhasePairing)
	sh, boiler, runs, err := s.shuffle(ctx, x)
	if err != nil {
		return err
	}
	defer sh.Close()
	defer boiler.Close()
	defer runs.Close()
	rare, err := sh.Rare(ctx, s.opt.Workers)
	if err != nil {
		return err
	}
	var keys *candidate.Shuffle
	if s.opt.Reworded && s.opt.Pairs == nil {
		if keys, err = s.shuffleKeys(ctx, x); err != nil {
			return err
		}
		defer keys.Close()
	}
	// The loads' arrays are garbage now, and alignment allocates little:
	// give the memory back.
	debug.FreeOSMemory()
	p.setPhase(PhaseAligning)
	ps, err := s.alignPairs(ctx, x, sh, keys, runs, rare)
	if err != nil {
		return err
	}
	defer ps.Close()
	if s.alignOnly && s.keep == nil {
		p.setPhase(PhaseDone)
		return nil
	}
	p.setPhase(PhaseClustering)
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := s.assemble(ctx, x, ps, boiler, sink); err != nil {
		return err
	}
	p.setPhase(PhaseDone)
	return nil
}

// buildIndex is stage 1 (package index): read, fingerprint, sign and
// spool every document.
func (s *scan) buildIndex(ctx context.Context, inputs []string) (*index.Index, error) {
	opt := s.indexOptions(false)
	if s.opt.Weighted {
		if slices.Contains(inputs, "-") {
			return nil, fmt.Errorf("%w: weighted: the inputs are read twice, and standard input (-) cannot be", ErrOptions)
		}
		p := s.opt.Progress
		table, err := index.Frequencies(ctx, inputs, opt)
		if err != nil {
			return nil, err
		}
		if p != nil {
			p.Documents.Store(0)
			p.Bytes.Store(0)
		}
		p.setPhase(PhaseReading)
		// A window keeps, by preference, a shingle that pairs documents
		// alone, then one that pairs them with another near it, then
		// any but boilerplate (candidate.Rules).
		r := s.opt.rules()
		opt.Analyzer.Weights = &shingle.Weights{Table: table, Limits: []int{r.SoloDF, r.RareDF, r.MaxDF}}
	}
	return index.Build(ctx, inputs, opt)
}

// indexOptions are the options of stage 1 (index.Build, index.FromDocs);
// keep keeps the documents' fingerprints (an archive needs them).
func (s *scan) indexOptions(keep bool) index.Options {
	o := index.Options{
		Analyzer:         s.opt.AnalyzerOptions(),
		Threshold:        s.opt.Threshold,
		Corpus:           s.opt.Corpus,
		Workers:          s.opt.Workers,
		ResidentBytes:    s.opt.residentBytes(),
		AnalysisBytes:    s.opt.analysisBytes(),
		Warn:             s.warn,
		KeepFingerprints: keep,
		Reword:           !s.opt.Exact,
		// Listed pairs are compared whole, reworded or not: every
		// document is analyzed then, as with the reworded keys.
		ProseOnly:  !s.opt.Reworded && s.opt.Pairs == nil,
		RewordKeys: s.opt.Reworded && s.opt.Pairs == nil,
	}
	if p := s.opt.Progress; p != nil {
		o.Indexed = func(n int) {
			p.Documents.Add(1)
			p.Bytes.Add(int64(n))
		}
	}
	return o
}

// shuffle is stage 2's first step (package candidate): postings, loaded a
// range of hash partitions at a time (Options.loadBytes at most), become
// pair keys (Options.keyBytes of them in memory, the rest on disk); the
// boilerplate becomes families (put aside on disk until the last step)
// and runs (for the evidence filter).
func (s *scan) shuffle(ctx context.Context, x *index.Index) (*candidate.Shuffle, *cluster.Aside, *cluster.Runs, error) {
	rules := s.opt.rules()
	sh := candidate.NewShuffle(rules, x.Len(), s.opt.keyBytes())
	if s.df != nil {
		sh.SetFrequencies(s.df)
	}
	if s.involving != nil {
		sh.SetInvolving(s.involving)
	}
	if s.joining.Record || s.joining.Kept != nil {
		sh.KeepBoilerplateHashes()
	}
	src := loadSource{loads: x.PostingLoads, peek: x.PeekPostingLoads, each: x.EachPostingLoad}
	if err := s.fill(ctx, sh, s.opt.keyBytes(), src); err != nil {
		sh.Close()
		return nil, nil, nil, err
	}
	bp, fps, err := sh.Boilerplate(ctx, s.opt.Workers, s.opt.boilerplateLoadBytes())
	if err != nil {
		sh.Close()
		return nil, nil, nil, err
	}
	if boilerplateHook != nil {
		boilerplateHook(bp.Spooled())
	}
	jn := s.joining
	jn.Hashes = bp.Hashes()
	if jn.Record {
		jn.Key = func(d uint32) uint64 { return cluster.DocKey(x.ID(d)) }
	}
	boiler, runs, joined, err := cluster.BoilerplateAside(ctx, func(fn func([]postings.Numbered) error) error { return bp.Each(ctx, fn) }, fps, s.opt.Shingle, s.opt.Window, jn)
	s.joined = joined
	bp.Close()
	if err != nil {
		sh.Close()
		return nil, nil, nil, err
	}
	return sh, boiler, runs, nil
}

// boilerplateHook, when set (by tests), is told whether the boilerplate's
// postings went to a spool (candidate.BoilerplatePostings).
var boilerplateHook func(spooled bool)

// loadSource is where a shuffle's postings come from: an index's
// fingerprints or its reworded keys, counted (loads), read without being
// consumed (peek), and consumed (each), a load at a time.
type loadSource struct {
	loads      func(maxBytes int64) (int, int64)
	peek, each func(ctx context.Context, maxBytes int64, workers int, fn func(ps []postings.Posting) error) error
}

// fill adds the postings of src to sh, whose pair keys held in memory
// take keyBytes. Keys that outgrow it go to disk: a sketch of the pairs
// then keeps most of those the rules would drop from being written
// (candidate.Shuffle.SketchPairs). Several loads are sketched in a pass
// of their own; one load is sorted, its keys counted, and sketched first
// if they would spill. The sketch is released once every load is added.
func (s *scan) fill(ctx context.Context, sh *candidate.Shuffle, keyBytes int64, src loadSource) error {
	workers := s.opt.Workers
	defer sh.EndSketch()
	add := func(ps []postings.Posting) error { return sh.Add(ctx, ps, workers) }
	loads, n := src.loads(s.opt.loadBytes())
	if loads == 1 {
		add = func(ps []postings.Posting) error {
			postings.Sort(ps, workers)
			keys, err := sh.KeysAbout(ctx, ps)
			if err != nil {
				return err
			}
			if keys*candidate.KeyBytes > keyBytes {
				sh.SketchPairs(s.opt.sketchBytes(), n)
				if err := sh.Sketch(ctx, ps, workers); err != nil {
					return err
				}
				if sketchHook != nil {
					sketchHook(true, sh.Sketching())
				}
			}
			return sh.Add(ctx, ps, workers)
		}
	} else {
		sh.SketchPairs(s.opt.sketchBytes(), n)
		err := src.peek(ctx, s.opt.loadBytes(), workers, func(ps []postings.Posting) error {
			if err := sh.Sketch(ctx, ps, workers); err != nil {
				return err
			}
			if !sh.Sketching() {
				return errSketchGivenUp
			}
			return nil
		})
		if err != nil && !errors.Is(err, errSketchGivenUp) {
			return err
		}
		if sketchHook != nil {
			sketchHook(false, sh.Sketching())
		}
	}
	return src.each(ctx, s.opt.loadBytes(), workers, add)
}

// errSketchGivenUp stops the pass that sketches the loads of postings
// when the shuffle has given its sketch up (candidate.Shuffle.Sketching).
var errSketchGivenUp = errors.New("reuse: sketch given up")

// sketchHook, when set (by tests), is called when the pair keys have been
// sketched: oneLoad when the postings came in one load, kept when the
// sketch was not given up.
var sketchHook func(oneLoad, kept bool)

// shuffleKeys is the shuffle of the documents' reworded keys
// (reword.KeyRules), whose candidates join the fingerprints' in
// alignPairs. Its pair keys are sketched as the fingerprints' are: a pair
// sharing one key is never a candidate of the keys.
func (s *scan) shuffleKeys(ctx context.Context, x *index.Index) (*candidate.Shuffle, error) {
	rules := reword.KeyRules()
	sh := candidate.NewKeyShuffle(rules, x.Len(), s.opt.rewordKeyBytes())
	if s.keyDF != nil {
		sh.SetFrequencies(s.keyDF)
	}
	if s.involving != nil {
		sh.SetInvolving(s.involving)
	}
	src := loadSource{loads: x.KeyLoads, peek: x.PeekKeyLoads, each: x.EachKeyLoad}
	if err := s.fill(ctx, sh, s.opt.rewordKeyBytes(), src); err != nil {
		sh.Close()
		return nil, err
	}
	return sh, nil
}

// alignPairs is stage 2's second step and stage 3 (package pairs): the
// candidates of a range of first documents at a time (of the
// fingerprints and of the reworded keys, or the listed pairs), aligned,
// and the passages that are evidence kept.
func (s *scan) alignPairs(ctx context.Context, x *index.Index, sh, keys *candidate.Shuffle, boilerRuns *cluster.Runs, rare candidate.Rare) (*pairs.Store, error) {
	o := pairs.Options{MinWords: s.opt.MinWords, Threshold: s.opt.Threshold, Workers: s.opt.Workers,
		Keys: keys, KeyOnly: reword.KeyOnlyRules(), TwinBytes: s.opt.twinBytes(), Involving: s.involving,
		Memo: s.memo, MemoKey: s.memoKey, Known: s.known}
	if s.opt.Pairs != nil {
		o.Listed = s.listedPairs(x)
	}
	if p := s.opt.Progress; p != nil {
		o.Candidates = func(n int) { p.Pairs.Add(int64(n)) }
		o.Aligned = func(n int) { p.Aligned.Add(int64(n)) }
	}
	ev, err := pairs.EvidenceOf(ctx, boilerRuns, rare, s.opt.MinWords, s.opt.Shingle, s.opt.Window)
	if err != nil {
		return nil, err
	}
	ev.SentenceEdges, ev.Prose = s.opt.Weighted, x.Prose
	return pairs.Align(ctx, x, sh, ev, o)
}

// assemble is the last step (package assemble): families, groups and
// overlap percentages, handed to sink in the order of the contract.
func (s *scan) assemble(ctx context.Context, x *index.Index, ps *pairs.Store, aside *cluster.Aside, sink result.Sink) error {
	boiler, err := aside.Load(ctx)
	if err != nil {
		return err
	}
	aside.Close()
	if s.keep != nil {
		o := assemble.Options{Params: s.opt.Params(), Workers: s.opt.Workers}
		return assemble.Keep(ctx, x, ps, boiler, o, func(bs []int, c assemble.KeptCluster) error { return s.keep(x, bs, c) })
	}
	return assemble.Result(ctx, x, ps, boiler, assemble.Options{
		Params:      s.opt.Params(),
		Skipped:     s.skippedSoFar(),
		PassageText: s.opt.PassageText,
		Workers:     s.opt.Workers,
		LoadBytes:   s.opt.loadBytes(),
		Warn:        s.warn,
		Focus:       s.focus,
		Reach:       s.reach,
		Incomplete:  s.incomplete,
		Kept:        s.kept,
		PartMembers: s.opt.clusterPart,
		BatchBytes:  s.opt.clusterBytes(),
	}, sink)
}

// Texts gives the text of each scanned document, as the offsets of the
// Result count it: plain files are read again from disk (and checked
// against what was scanned), extracted texts come from a temporary spool.
// It is safe for concurrent use.
type Texts struct {
	x *index.Index
	// ix, for a check's result, gives the texts of the archived
	// documents it lists that its last round did not read (the members
	// of the clusters it serves whole).
	ix *archive.Index
}

// Text returns the text of the document with the given id.
func (t *Texts) Text(id string) ([]byte, error) {
	if d, ok := t.x.Find(id); ok {
		return t.x.Text(d, nil)
	}
	if t.ix != nil {
		if r, ok := t.ix.Find(id); ok {
			return t.ix.Text(r)
		}
	}
	return nil, fmt.Errorf("reuse: no document %q", id)
}

// Extracted reports whether the text of the document with the given id
// is not the file it was read from as it is (extracted from HTML or JSONL,
// decompressed, decoded from another encoding, read from an archive or
// standard input): offsets count in a text the user has not seen.
func (t *Texts) Extracted(id string) bool {
	if d, ok := t.x.Find(id); ok {
		return t.x.Extracted(d)
	}
	if t.ix != nil {
		var d index.Doc
		if r, ok := t.ix.Find(id); ok && t.ix.Meta(r, &d) == nil {
			return !d.Plain
		}
	}
	return false
}

// Close removes the temporary spool.
func (t *Texts) Close() error {
	t.x.Close()
	return nil
}

// ErrPairs reports listed pairs (Options.Pairs) that could not be
// compared.
var ErrPairs = errors.New("reuse: listed pairs")

// listedPairs returns Options.Pairs as document numbers, A < B, sorted,
// each once; pairs naming an id x does not hold are reported once, and
// count as one skipped input.
func (s *scan) listedPairs(x *index.Index) [][2]uint32 {
	out, err := NumberPairs(s.opt.Pairs, x.Find)
	if err != nil {
		s.warn(err)
	}
	return out
}

// NumberPairs returns listed pairs of ids (Options.Pairs) as pairs of
// document numbers, smaller first, sorted and without repeats, given
// find, which numbers an id. Pairs naming an id find does not know, or
// one document twice, are left out, and the error (ErrPairs) says how
// many and names the first: the scan reports it as one skipped input.
func NumberPairs(pairs [][2]string, find func(id string) (uint32, bool)) ([][2]uint32, error) {
	out := make([][2]uint32, 0, len(pairs))
	missing := 0
	var first string
	for _, p := range pairs {
		a, okA := find(p[0])
		b, okB := find(p[1])
		if !okA || !okB || a == b {
			if missing == 0 {
				first = p[0] + " " + p[1]
			}
			missing++
			continue
		}
		out = append(out, [2]uint32{min(a, b), max(a, b)})
	}
	slices.SortFunc(out, func(x, y [2]uint32) int { return cmp.Or(cmp.Compare(x[0], y[0]), cmp.Compare(x[1], y[1])) })
	out = slices.Compact(out)
	if missing > 0 {
		return out, fmt.Errorf("%w: %d listed pairs name a document the scan does not hold, or one document twice (the first: %q); they are left out", ErrPairs, missing, first)
	}
	return out, nil
}

// rules are the rules that pair documents on the fingerprints they share.
func (o Options) rules() candidate.Rules {
	return candidate.RulesFor(o.MinWords, o.Shingle, o.MaxDF)
}
