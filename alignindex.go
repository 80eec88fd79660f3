package reuse

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/reuse-tool/reuse/archive"
	"github.com/reuse-tool/reuse/candidate"
	"github.com/reuse-tool/reuse/pairs"
	"github.com/reuse-tool/reuse/result"
	"github.com/reuse-tool/reuse/reword"
)

// AlignResult counts what AlignIndex did.
type AlignResult struct {
	Pairs int   // candidate pairs of archived documents aligned, with passages or without
	Bytes int64 // the size of the alignments kept
}

// AlignIndex aligns every candidate pair of the archive index in dir as a
// scan of its documents with opt does, and keeps the alignments beside
// the index (archive.Writer.PutAlignments; pairs.Stored encodes them). A
// check with the same MinWords, MaxDF, Exact and Reworded that reads the
// whole archive then takes an archived pair's alignment from them instead
// of aligning it again, unless the new documents change the class of the
// document frequency of a key either document holds
// (archive.Partners.Shifted): it aligns mostly its new documents' pairs.
// Documents added since are not in them: a check aligns their pairs, and
// those of the documents whose fingerprints the additions shift
// (archive.Index.ShiftedBy), and so does AlignIndex, which takes the
// others from them (and writes what a fresh AlignIndex writes). A removal
// or a compaction leaves them stale, and the next change removes them.
// It costs about a scan of the archive, less the alignments it reuses,
// and holds about 56 bytes a pair aligned (docs/benchmarks.md,
// "Alignments kept beside the index"); it takes the index's lock
// meanwhile.
func AlignIndex(ctx context.Context, dir string, opt Options) (AlignResult, error) {
	w, err := archive.OpenWriter(dir)
	if err != nil {
		return AlignResult{}, err
	}
	defer w.Close()
	opt.FollowLimit = -1
	s, ck, err := checkIndex(ctx, w.Index(), nil, opt)
	if err != nil {
		return AlignResult{}, err
	}
	// The alignments kept before, as a check takes them: those of
	// documents added since, or shifted by them, are aligned again.
	ck.memo, ck.storedTried, s.alignOnly = pairs.NewRecorder(), true, true
	if err := ck.takeAll(); !errors.Is(err, errReach) {
		return AlignResult{}, err
	}
	if err := ck.useStored(ctx, s, math.Inf(1)); err != nil {
		return AlignResult{}, err
	}
	x, err := s.runCheck(ctx, ck, discard{})
	if err != nil {
		return AlignResult{}, err
	}
	x.Close()
	data, err := pairs.EncodeMemo(ctx, ck.memo)
	if err != nil {
		return AlignResult{}, err
	}
	if err := w.PutAlignments(s.opt.alignSettings(), data); err != nil {
		return AlignResult{}, err
	}
	return AlignResult{Pairs: ck.memo.Len(), Bytes: int64(len(data))}, nil
}

// alignSettings names the settings an archived pair's alignment depends
// on, besides the index's own.
func (o Options) alignSettings() string {
	s := fmt.Sprintf("min-words %d, max-df %d", o.MinWords, o.MaxDF)
	if o.Exact {
		s += ", exact"
	}
	if o.Reworded {
		s += ", reworded"
	}
	return s
}

// ErrAlignmentsUnused reports alignments kept beside an index that a
// check could not read (damaged): it aligns the archived pairs itself. It
// is a notice: it counts no input as skipped.
var ErrAlignmentsUnused = errors.New("reuse: check: the alignments kept beside the index not used")

// useStored has the check's memo take archived pairs' alignments from
// those kept beside the index for its settings, if any, but the pairs of
// archived documents whose keys the new documents shift to another class
// of document frequency, and those of documents added since the
// alignments were made or shifted by them; unless the documents added
// hold more than maxAdded of the archive's words.
func (ck *checking) useStored(ctx context.Context, s *scan, maxAdded float64) error {
	kept, err := ck.ix.Alignments(s.opt.alignSettings())
	if errors.Is(err, archive.ErrStale) || err == nil && len(kept.Added) > 0 && s.opt.Reworded {
		// Documents added since shift keys of reworded sentences too,
		// which ShiftedBy does not count.
		return nil
	}
	if err == nil && float64(ck.wordsOf(kept.Added)) > maxAdded*float64(ck.words) {
		return nil
	}
	var st *pairs.Stored
	if err == nil {
		st, err = pairs.OpenStored(kept.Data)
	}
	if err != nil {
		s.warn(fmt.Errorf("%w: %w; run reuse index align again", ErrAlignmentsUnused, err))
		return nil
	}
	fpClass := dfClass(s.opt.rules())
	shifted, err := ck.partners.Shifted(ctx, fpClass, dfClass(reword.KeyRules(), reword.KeyOnlyRules()))
	if err != nil {
		return err
	}
	// The documents added since the alignments were made, and those
	// whose fingerprints the additions shifted.
	since, err := ck.ix.ShiftedBy(ctx, kept.Added, fpClass)
	if err != nil {
		return err
	}
	skip := make(map[archive.Ref]bool, len(shifted)+len(since)+len(kept.Added))
	for _, rs := range [][]archive.Ref{shifted, since, kept.Added} {
		for _, r := range rs {
			skip[r] = true
		}
	}
	ck.memo.UseStored(st, func(a, b uint64) bool {
		// New documents' keys lie above every Ref.
		return a&newKey != 0 || b&newKey != 0 || skip[archive.Ref(a)] || skip[archive.Ref(b)]
	})
	return nil
}

// maxAddedShare is the most words the documents added since the kept
// alignments were made may hold, as a share of the archive's, for a
// check to take them: 10 MB of news added to the generated 1 GB (1%)
// shifted half its pairs, and a check reading them took 50.0 s against
// 45.1 s without them; with 18 documents added, 29.7 s
// (docs/benchmarks.md, "Alignments kept beside the index"). Tests
// raise it.
var maxAddedShare = 0.002

// dfClass returns the classes of document frequencies under rules rs as
// an alignment sees them: each frequency up to the largest RareDF and
// SoloDF its own (the evidence filter asks for fingerprints held by at
// most n/2 documents for a passage of n words, and keeps their
// frequencies), then one class up to each MaxDF (pairing documents
// under some rules and not others), then boilerplate.
func dfClass(rs ...candidate.Rules) func(df int) int {
	exact := 0
	var bounds []int
	for _, r := range rs {
		exact = max(exact, r.RareDF, r.SoloDF)
		bounds = append(bounds, r.MaxDF)
	}
	slices.Sort(bounds)
	return func(df int) int {
		if df <= exact {
			return df
		}
		i, _ := slices.BinarySearch(bounds, df) // the first bound ≥ df
		return exact + 1 + i
	}
}

// discard is a result.Sink that keeps nothing.
type discard struct{}

func (discard) Begin(string, result.Params, result.Stats) error { return nil }
func (discard) Document(*result.Document) error                 { return nil }
func (discard) Pair(*result.Pair) error                         { return nil }
func (discard) Cluster(*result.Cluster) error                   { return nil }
func (discard) Group(*result.Group) error                       { return nil }
func (discard) End() error                                      { return nil }
