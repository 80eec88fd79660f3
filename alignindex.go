package reuse

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/reuse-tool/reuse/align"
	"github.com/reuse-tool/reuse/archive"
	"github.com/reuse-tool/reuse/assemble"
	"github.com/reuse-tool/reuse/candidate"
	"github.com/reuse-tool/reuse/index"
	"github.com/reuse-tool/reuse/pairs"
	"github.com/reuse-tool/reuse/result"
	"github.com/reuse-tool/reuse/reword"
)

// AlignResult counts what AlignIndex did.
type AlignResult struct {
	Pairs    int   // candidate pairs of archived documents aligned, with passages or without
	Joins    int   // fingerprints of boilerplate whose joins are kept
	Clusters int   // clusters of boilerplate a check may serve, kept
	Bytes    int64 // the size of the alignments kept
}

// AlignIndex aligns every candidate pair of the archive index in dir as a
// scan of its documents with opt does, and keeps the alignments beside
// the index (archive.Writer.PutAlignments; pairs.Stored encodes them). A
// check with the same MinWords, MaxDF, Exact and Reworded that reads the
// whole archive then takes an archived pair's alignment from them instead
// of aligning it again, unless the new documents' shifts of the classes
// of document frequency reach the pair (archive.Partners.Shifted,
// shifts): it aligns mostly its new documents' pairs. Documents added
// since are not in them: a check aligns their pairs, and those the
// additions' shifts reach (archive.Index.ShiftedBy), and so does
// AlignIndex, which takes the others from them (and writes what a fresh
// AlignIndex writes). Documents removed since count the same way
// (ShiftedBy). A merge of the segments they were made for (a
// compaction) leaves them stale, and the next change removes them.
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
	s.joining.Record = true
	// The clusters of boilerplate a check may serve, by the archive's
	// documents.
	var kept []assemble.KeptCluster
	s.keep = func(x *index.Index, bs []int, c assemble.KeptCluster) error {
		// Its families as the joins number them: a check finds it by
		// any (assemble.KeptClusters.Find).
		fams := s.joined.Families
		var families []int32
		for _, b := range bs {
			if b >= len(fams) || fams[b] < 0 {
				return nil
			}
			families = append(families, fams[b])
		}
		slices.Sort(families)
		c.Family = families[0]
		if len(families) > 1 {
			c.Families = families
		}
		refOf := func(d uint64) (uint64, error) {
			r, ok := w.Index().Find(x.ID(uint32(d)))
			if !ok {
				return 0, fmt.Errorf("reuse: index align: document %q of the round is not in the index", x.ID(uint32(d)))
			}
			return uint64(r), nil
		}
		var err error
		for i := range c.Members {
			if c.Members[i].Doc, err = refOf(c.Members[i].Doc); err != nil {
				return err
			}
		}
		for i := range c.Touching {
			for j := range c.Touching[i] {
				if c.Touching[i][j], err = refOf(c.Touching[i][j]); err != nil {
					return err
				}
			}
		}
		slices.SortFunc(c.Members, func(a, b assemble.KeptMember) int {
			return cmp.Or(cmp.Compare(a.Doc, b.Doc), cmp.Compare(a.Start, b.Start))
		})
		slices.SortFunc(c.Touching, func(a, b [2]uint64) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
		kept = append(kept, c)
		return nil
	}
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
	if s.joined.Joins == nil {
		x.Close()
		return AlignResult{}, errors.New("reuse: index align: the boilerplate's joins were not recorded") // a whole round records them
	}
	// The holders of least key, as the round numbered them: as the
	// archive does.
	var lost error
	s.joined.Joins.Renumber(func(d uint64) uint64 {
		r, ok := w.Index().Find(x.ID(uint32(d)))
		if !ok && lost == nil {
			lost = fmt.Errorf("reuse: index align: document %q of the round is not in the index", x.ID(uint32(d)))
		}
		return uint64(r)
	})
	x.Close()
	if lost != nil {
		return AlignResult{}, lost
	}
	data, err := pairs.EncodeMemo(ctx, ck.memo)
	if err != nil {
		return AlignResult{}, err
	}
	joins := s.joined.Joins.Encode()
	clusters := assemble.EncodeKept(kept)
	if err := w.PutAlignments(s.opt.alignSettings(), s.opt.joinsSettings(), data, joins, clusters); err != nil {
		return AlignResult{}, err
	}
	return AlignResult{Pairs: ck.memo.Len(), Joins: s.joined.Joins.Len(), Clusters: len(kept), Bytes: int64(len(data) + len(joins) + len(clusters))}, nil
}

// joinsSettings names the settings the joins of the boilerplate depend
// on, besides the index's own: which fingerprints are boilerplate.
func (o Options) joinsSettings() string { return fmt.Sprintf("max-df %d", o.MaxDF) }

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
// check could not read (damaged), or made before changes too large for
// them to pay (maxAddedShare): it aligns the archived pairs itself. It
// is a notice: it counts no input as skipped.
var ErrAlignmentsUnused = errors.New("reuse: check: the alignments kept beside the index not used")

// useStored has the check's memo take archived pairs' alignments from
// those kept beside the index for its settings, if any, but those of the
// pairs the new documents' shifts of classes of document frequency
// reach, and of the documents added since the alignments were made or
// the pairs their shifts reach (shifts); unless the documents added hold
// more than maxAdded of the archive's words.
func (ck *checking) useStored(ctx context.Context, s *scan, maxAdded float64) error {
	kept, err := ck.ix.Alignments(s.opt.alignSettings())
	ck.earlier(s, err)
	if errors.Is(err, archive.ErrStale) || err == nil && len(kept.Added)+len(kept.Removed) > 0 && s.opt.Reworded {
		// Documents added or removed since shift keys of reworded
		// sentences too, which ShiftedBy does not count.
		return nil
	}
	if changed := float64(ck.wordsOf(kept.Added) + ck.wordsOf(kept.Removed)); err == nil && changed > maxAdded*float64(ck.words) {
		s.warn(fmt.Errorf("%w: the documents added or removed since they were made hold %.1f%% of the archive's words, more than %g%%; reuse index align brings them up to date",
			ErrAlignmentsUnused, 100*changed/float64(max(ck.words, 1)), 100*maxAdded))
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
	whole, fps, err := ck.partners.Shifted(ctx, fpClass, dfClass(reword.KeyRules(), reword.KeyOnlyRules()))
	if err != nil {
		return err
	}
	// The documents added since the alignments were made, and the places
	// of the fingerprints whose class the additions and removals shifted.
	var since []archive.Shift
	if ck.since != nil && len(kept.Removed) == 0 && slices.Equal(kept.Added, ck.since.Added) {
		since, err = ck.sinceShifted(ctx, s) // the same, found once
	} else {
		since, err = ck.ix.ShiftedBy(ctx, kept.Added, kept.Removed, fpClass)
	}
	if err != nil {
		return err
	}
	sh := newShifts(s.opt.Shingle, s.opt.Window)
	sh.addWhole(whole)
	sh.addWhole(kept.Added)
	sh.add(fps)
	sh.add(since)
	ck.memo.UseStored(st, func(a, b uint64, spans []align.Span) bool {
		// New documents' keys lie above every Ref.
		return a&newKey != 0 || b&newKey != 0 || sh.reach(archive.Ref(a), archive.Ref(b), spans)
	})
	ck.stored, ck.storedShifts = st, sh
	return nil
}

// known returns what a round reading the whole archive takes from the
// alignments kept (pairs.Options.Known) instead of pairing it: the pairs
// of the round's documents (keys gives their memo keys) whose first
// document is in [lo, hi), neither of them active, that the kept
// alignments hold, sorted. Cost: a binary search a first document and
// a step a pair kept. They are the archived pairs no shift reaches (shifts.touches):
// the new documents change neither their candidacy (which reads the
// classes of the frequencies of the fingerprints they share, each held
// by both) nor their alignment (reach).
func (ck *checking) known(keys []uint64, active []bool) func(lo, hi uint32) [][2]uint32 {
	docOf := make(map[uint64]uint32, len(keys))
	for d, k := range keys {
		if k&newKey == 0 {
			docOf[k] = uint32(d)
		}
	}
	st := ck.stored
	return func(lo, hi uint32) [][2]uint32 {
		var out [][2]uint32
		for a := lo; a < hi; a++ {
			if active[a] || keys[a]&newKey != 0 {
				continue
			}
			for i := st.From(keys[a]); i < st.Len(); i++ {
				ka, kb := st.Pair(i)
				if ka != keys[a] {
					break
				}
				// A pair of documents removed since is gone; a pair
				// kept is first document first, by id, as here.
				if b, ok := docOf[kb]; ok && !active[b] && b > a {
					out = append(out, [2]uint32{a, b})
				}
			}
		}
		slices.SortFunc(out, func(p, q [2]uint32) int { return cmp.Or(cmp.Compare(p[0], q[0]), cmp.Compare(p[1], q[1])) })
		return out
	}
}

// shifts are where new documents (a check's, or those added to an index
// since its alignments were kept) change the class of document frequency
// of fingerprints of archived documents, and so the archived pairs whose
// kept alignments may no longer hold. An alignment reads the frequencies
// of fingerprints through their classes only, and only of
//
//   - the fingerprints the two documents share (pairing, anchors, the
//     fingerprints of the pair alone);
//   - the fingerprints inside a passage before the evidence filter:
//     rare ones (held by 2 to RareDF documents) keep a short passage;
//   - and those near it, which may join the runs of boilerplate around
//     it (fingerprints of boilerplate at most window apart form a run,
//     widened by half a window) and take it away.
//
// New documents only raise frequencies, which takes passages away, with
// one exception: a fingerprint a document held alone becomes rare, and
// may keep a passage the filter dropped before, which the kept
// alignments do not record. So a kept alignment holds unless the pair
// shares a shifted fingerprint, or one of its kept passages has a
// shifted fingerprint of its document within 2·window+shingle tokens,
// or either document held a shifted fingerprint alone (Shift.Whole: all
// its pairs are aligned again; on the Linux Documentation, 105 of the
// 547 changed alignments, after 99 files were added). A removal lowers
// frequencies, which may keep any dropped passage: a fall is Whole too.
// Keys of reworded sentences are counted whole.
// TestShiftsReachChangedAlignments and TestShiftsReachLarge hold kept
// alignments against fresh ones after additions and removals
// (docs/benchmarks.md, "Shifts reach pairs, not documents").
type shifts struct {
	whole map[archive.Ref]bool
	docs  map[archive.Ref]*docShifts
	near  int32 // how near a passage a shift reaches it, in tokens
}

// docShifts are the shifted fingerprints of a document: their places,
// sorted, and their hashes, sorted and distinct.
type docShifts struct {
	pos    []uint32
	hashes []uint64
}

func newShifts(shingle, window int) *shifts {
	return &shifts{whole: map[archive.Ref]bool{}, docs: map[archive.Ref]*docShifts{}, near: int32(2*window + shingle)}
}

// addWhole adds documents all of whose pairs are reached.
func (s *shifts) addWhole(docs []archive.Ref) {
	for _, d := range docs {
		s.whole[d] = true
	}
}

// add adds the places of shifted fingerprints.
func (s *shifts) add(fps []archive.Shift) {
	for _, f := range fps {
		if f.Whole {
			s.whole[f.Doc] = true
		}
		ds := s.docs[f.Doc]
		if ds == nil {
			ds = &docShifts{}
			s.docs[f.Doc] = ds
		}
		ds.pos = append(ds.pos, f.Pos)
		ds.hashes = append(ds.hashes, f.Hash)
	}
	for _, ds := range s.docs {
		slices.Sort(ds.pos)
		slices.Sort(ds.hashes)
		ds.hashes = slices.Compact(ds.hashes)
	}
}

// touches reports whether the shifts may change a pair of archived
// document d: reach is false for a pair of two documents it is false for.
func (s *shifts) touches(d archive.Ref) bool { return s.whole[d] || s.docs[d] != nil }

// reach reports whether the shifts may change the alignment of archived
// documents a and b, whose kept passages are spans (side A a's).
func (s *shifts) reach(a, b archive.Ref, spans []align.Span) bool {
	if s.whole[a] || s.whole[b] {
		return true
	}
	da, db := s.docs[a], s.docs[b]
	if da == nil && db == nil {
		return false
	}
	if da != nil && db != nil && sharesHash(da.hashes, db.hashes) {
		return true
	}
	near := func(ds *docShifts, start, end int32) bool {
		if ds == nil {
			return false
		}
		// The first shift at or after start-near.
		i, _ := slices.BinarySearch(ds.pos, uint32(max(start-s.near, 0)))
		return i < len(ds.pos) && int64(ds.pos[i]) < int64(end)+int64(s.near)
	}
	for _, sp := range spans {
		if near(da, sp.AStart, sp.AEnd) || near(db, sp.BStart, sp.BEnd) {
			return true
		}
	}
	return false
}

// sharesHash reports whether sorted x and y have a value in common.
func sharesHash(x, y []uint64) bool {
	for i, j := 0, 0; i < len(x) && j < len(y); {
		switch {
		case x[i] == y[j]:
			return true
		case x[i] < y[j]:
			i++
		default:
			j++
		}
	}
	return false
}

// maxAddedShare is the most words the documents added or removed since
// the kept alignments were made may hold, as a share of the archive's,
// for a check to take them. Checks of one article against the generated
// 1 GB with news added, against the same without kept alignments
// (session 61, before a whole round stopped keeping alignments in
// memory): 1% added, 35.3 s against 49.9 s; 3%, 47.3 s against 48.8 s:
// the pairs the additions reach are the costly ones to align, and
// finding the shifts reads the added documents (docs/benchmarks.md,
// "Shifts reach pairs, not documents"). Tests raise it.
var maxAddedShare = 0.01

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
