package reuse

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/reuse-tool/reuse/archive"
	"github.com/reuse-tool/reuse/assemble"
	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/index"
	"github.com/reuse-tool/reuse/internal/postings"
)

// JoinsGrown says what a change of an index did to the joins of the
// boilerplate kept beside it (growJoins).
type JoinsGrown struct {
	// Grown reports joins brought up to date with the documents added
	// and removed; Settings names the checks they serve ("max-df 100").
	Grown    bool
	Settings string
	// Recounted counts the archived documents read again: those holding
	// text that the change made boilerplate, or no longer, or whose
	// counts it left in doubt.
	Recounted int
	// Why, when joins were kept and could not be grown, says why.
	Why string
	// Clusters counts the clusters of boilerplate kept with the
	// alignments, where the grown joins say which of them hold, and
	// Touched those the documents added since may have changed: checks
	// serve the others.
	Clusters, Touched int
}

// growJoins brings the joins of the boilerplate kept beside the index of
// w (by AlignIndex, or grown by an earlier change) up to date with the
// documents added and removed since (cluster.Joins.Grow), and keeps them
// (archive.Writer.PutJoins), so that checks after the change join their
// boilerplate as a scan of everything does. It reads the changed
// documents' records, looks up the frequencies of their fingerprints,
// and reads the archived documents holding a fingerprint the change
// made boilerplate or no longer (their runs change); where the counts
// kept leave a majority in doubt, it reads every document holding that
// fingerprint and counts it afresh. Joins that do not hold (none kept,
// stale, damaged) are left as they are: checks then join by their own
// places.
func growJoins(ctx context.Context, w *archive.Writer, window int) (JoinsGrown, error) {
	ix := w.Index()
	settings, ok := ix.KeptJoinsSettings()
	if !ok {
		return JoinsGrown{}, nil
	}
	var maxDF int
	if _, err := fmt.Sscanf(settings, "max-df %d", &maxDF); err != nil || (Options{MaxDF: maxDF}).joinsSettings() != settings {
		return JoinsGrown{}, nil // joins of settings this reuse does not name
	}
	res := JoinsGrown{Settings: settings}
	kept, err := ix.Joins(settings)
	switch {
	case errors.Is(err, archive.ErrStale):
		return res, nil
	case err != nil:
		res.Why = err.Error()
		return res, nil
	case len(kept.Added)+len(kept.Removed) == 0:
		return res, nil
	}
	j, err := cluster.DecodeJoins(kept.Joins)
	if err != nil {
		res.Why = err.Error()
		return res, nil
	}
	in := func(rs []archive.Ref, r archive.Ref) bool {
		_, ok := slices.BinarySearch(rs, r)
		return ok
	}
	// The frequencies now of the changed documents' fingerprints: those
	// the joins lack over maxDF are boilerplate since (extra: an added
	// document holds them), those they hold at maxDF or under are
	// boilerplate no longer (dropped: a removed one held them).
	var d index.Doc
	var changedFPs []uint64
	for i, r := range slices.Concat(kept.Added, kept.Removed) {
		if i%256 == 0 && ctx.Err() != nil {
			return res, ctx.Err()
		}
		if err := ix.Doc(r, &d); err != nil {
			return res, err
		}
		added := i < len(kept.Added)
		for _, fp := range d.Fingerprints {
			if _, isKept := j.FamilyOf(fp.Hash); isKept != added {
				changedFPs = append(changedFPs, fp.Hash)
			}
		}
	}
	slices.Sort(changedFPs)
	changedFPs = slices.Compact(changedFPs)
	df := map[uint64]int{}
	dfs, err := ix.Frequencies(ctx, archive.Fingerprints, changedFPs, nil)
	if err != nil {
		return res, err
	}
	var moved []uint64 // extra and dropped, sorted
	for i, h := range changedFPs {
		_, isKept := j.FamilyOf(h)
		if isKept != (dfs[i] > maxDF) {
			moved = append(moved, h)
			df[h] = dfs[i]
		}
	}
	changedFPs, dfs = nil, nil
	isMoved := func(h uint64) bool { _, ok := slices.BinarySearch(moved, h); return ok }
	boilerplate := func(h uint64) bool {
		_, ok := j.FamilyOf(h)
		return ok || isMoved(h)
	}
	// holdersOf returns the documents holding hashes now.
	holdersOf := func(hashes []uint64) ([]archive.Ref, error) {
		var out []archive.Ref
		err := ix.Lookup(archive.Fingerprints, hashes, func(i int, ps []archive.Posting) error {
			if i%4096 == 0 && ctx.Err() != nil {
				return ctx.Err()
			}
			for _, p := range ps {
				out = append(out, p.Doc)
			}
			return nil
		})
		return out, err
	}
	recount, err := holdersOf(moved)
	if err != nil {
		return res, err
	}
	grow := func(round []archive.Ref, full []uint64) (*cluster.Joins, error) {
		slices.Sort(round)
		round = slices.Compact(round)
		res.Recounted = len(round) - len(kept.Added) - len(kept.Removed)
		// The round's fingerprints of boilerplate, then or now, numbered
		// by hash.
		var hashes []uint64
		type place struct {
			hash     uint64
			doc, pos uint32
		}
		var places []place
		for i, r := range round {
			if i%256 == 0 && ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if err := ix.Doc(r, &d); err != nil {
				return nil, err
			}
			for _, fp := range d.Fingerprints {
				if boilerplate(fp.Hash) {
					places = append(places, place{fp.Hash, uint32(i), fp.Pos})
					hashes = append(hashes, fp.Hash)
				}
			}
		}
		slices.Sort(hashes)
		hashes = slices.Compact(hashes)
		ps := make([]postings.Numbered, len(places))
		for i, p := range places {
			f, _ := slices.BinarySearch(hashes, p.hash)
			ps[i] = postings.Numbered{FP: uint32(f), Doc: p.doc, Pos: p.pos}
		}
		key := func(r archive.Ref) uint64 { return cluster.DocKey(ix.ID(r)) }
		return j.Grow(ctx, cluster.Postings(ps), len(hashes), window, cluster.Growing{
			Hashes:  hashes,
			Counted: func(doc uint32) bool { return !in(kept.Added, round[doc]) },
			Removed: func(doc uint32) bool { return in(kept.Removed, round[doc]) },
			Dropped: func(h uint64) bool {
				_, isKept := j.FamilyOf(h)
				return isKept && isMoved(h)
			},
			Recount: func(h uint64) bool { _, ok := slices.BinarySearch(full, h); return ok },
			DF:      func(h uint64) int { return df[h] },
			Key:     func(doc uint32) uint64 { return key(round[doc]) },
			Number:  func(doc uint32) uint64 { return uint64(round[doc]) },
			HolderKey: func(holder uint64) (uint64, error) {
				id := ix.ID(archive.Ref(holder))
				if id == "" {
					return 0, fmt.Errorf("reuse: the joins kept beside the index name document %d, which it does not hold", holder)
				}
				return cluster.DocKey(id), nil
			},
			HolderRemoved: func(holder uint64) bool { return in(kept.Removed, archive.Ref(holder)) },
			LeastHolder: func(h uint64) (uint64, uint64, error) {
				holders, err := holdersOf([]uint64{h})
				if err != nil || len(holders) == 0 {
					return 0, 0, cmp.Or(err, fmt.Errorf("%w: fingerprint %016x held by no document", cluster.ErrGrow, h))
				}
				least := holders[0]
				for _, r := range holders[1:] {
					if k, l := key(r), key(least); k < l || k == l && r < least {
						least = r
					}
				}
				return uint64(least), key(least), nil
			},
		})
	}
	round := slices.Concat(kept.Added, kept.Removed, recount)
	grown, err := grow(round, nil)
	var doubt *cluster.DoubtError
	if errors.As(err, &doubt) {
		// Counted afresh, from every document holding them.
		full := slices.Clone(doubt.Hashes)
		slices.Sort(full)
		more, err := holdersOf(full)
		if err != nil {
			return res, err
		}
		fdfs, err := ix.Frequencies(ctx, archive.Fingerprints, full, nil)
		if err != nil {
			return res, err
		}
		for i, h := range full {
			df[h] = fdfs[i]
		}
		grown, err = grow(append(round, more...), full)
	}
	if errors.Is(err, cluster.ErrGrow) {
		res.Why = err.Error()
		return res, nil
	}
	if err != nil {
		return res, err
	}
	touched, err := touchedClusters(ctx, ix, settings, window, grown)
	if err != nil {
		return res, err
	}
	if err := w.PutJoins(settings, grown.Encode(), touched); err != nil {
		return res, err
	}
	res.Grown = true
	if touched != nil {
		res.Clusters, res.Touched = touched.Kept, len(touched.Families)
	}
	return res, nil
}

// MaxAddedServed is the most documents added since index align for
// which an addition keeps the clusters of boilerplate it kept. A check
// aligns the pairs of every document added since with the clusters'
// members, and follows those holding their families: with more, it
// costs more and serves fewer. The article of BenchmarkCheck against the
// generated 1 GB, its 24 clusters: 0.36 s and 22 served freshly
// aligned; 0.51 s and 22 with 27 documents added since; 0.85 s and 22
// with 61; 0.89 s and none with 125 (the pairs the clusters need pass
// the follow limit); 1.29 s and none with 339, against 0.12 s and none
// with the clusters dropped (docs/benchmarks.md, "Kept clusters through
// additions").
const MaxAddedServed = 64

// touchedClusters returns which of the clusters of boilerplate kept with
// the index's alignments (assemble.KeptClusters) the documents added
// since may have changed, grown the joins grown since them: nil where
// there are none, documents were removed since, or more than
// MaxAddedServed were added since. A kept cluster is touched where
//
//   - its family's fingerprints are joined otherwise (a neighbour is
//     boilerplate since), or an added document holding one has a key
//     before its second reference (cluster.References: every member's
//     widening may move);
//   - text boilerplate since lies within reach of a member (the runs and
//     widening of boilerplate there change: 2·(window+shingle) tokens;
//     farther, it changes only the document's pairs, which a check finds
//     by the frequencies shifted);
//   - or it is not Apart and an occurrence of a family whose references
//     may have moved so lies within that reach of a member (its widening
//     beside the member moves with them): by that family's kept
//     cluster's members, or, for one with none, by the postings of its
//     fingerprints.
//
// The others hold for the index but for the added documents' own
// occurrences of their family, and what their pairs and the frequencies
// they shift change, which a check finds as it does its own new
// documents' (checking.servable: it follows the added documents holding
// the family, and aligns their pairs with its members).
func touchedClusters(ctx context.Context, ix *archive.Index, settings string, window int, grown *cluster.Joins) (*archive.Touched, error) {
	aln, err := ix.AlignedJoins(settings)
	if err != nil || len(aln.Removed) > 0 || len(aln.Clusters) == 0 || len(aln.Added) > MaxAddedServed {
		return nil, nil
	}
	old, err := cluster.DecodeJoins(aln.Joins)
	if err != nil {
		return nil, nil
	}
	cs, err := assemble.DecodeKept(aln.Clusters)
	if err != nil {
		return nil, nil
	}
	changed, err := grown.Changed(ctx, old)
	if err != nil {
		return nil, err
	}
	// The least key of an added document holding each changed family,
	// which moves its references if it comes before the second.
	leastAdded := map[int32]uint64{}
	var d index.Doc
	for i, r := range aln.Added {
		if i%256 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err := ix.Doc(r, &d); err != nil {
			return nil, err
		}
		k := cluster.DocKey(ix.ID(r))
		for _, fp := range d.Fingerprints {
			if f, ok := old.FamilyOf(fp.Hash); ok {
				if l, seen := leastAdded[f]; !seen || k < l {
					leastAdded[f] = k
				}
			}
		}
	}
	// The documents of the changed families whose references may have
	// moved: those an added document of key before their second
	// reference holds, or whose fingerprints the joins now join
	// otherwise (recomposed). By their kept clusters' members, or, for
	// those with none, by the documents holding their fingerprints.
	grownOf := make([]int32, len(changed)) // each changed family's in grown, -1 for none
	for i, f := range changed {
		grownOf[i] = -1
		if g, ok := grown.FamilyOf(old.FamilyHash(f)); ok {
			grownOf[i] = g
		}
	}
	oldMembers, grownMembers := old.Members(changed), grown.Members(grownOf)
	recomposed := func(i int) bool {
		return grownOf[i] < 0 || !slices.Equal(oldMembers[changed[i]], grownMembers[grownOf[i]])
	}
	// Where, in each document, text boilerplate since lies (crossedAt),
	// and occurrences of a family whose references may have moved
	// (movedAt), by token ranges.
	crossedAt, movedAt := map[archive.Ref][][2]int32{}, map[archive.Ref][][2]int32{}
	shingle := int32(ix.Params().Shingle)
	// placeAt adds to at the ranges of the fingerprints hashes where
	// documents hold them now (their postings), and returns those
	// documents.
	placeAt := func(at map[archive.Ref][][2]int32, hashes []uint64) ([]archive.Ref, error) {
		var docs []archive.Ref
		err := ix.Lookup(archive.Fingerprints, hashes, func(i int, ps []archive.Posting) error {
			if i%4096 == 0 && ctx.Err() != nil {
				return ctx.Err()
			}
			for _, p := range ps {
				at[p.Doc] = append(at[p.Doc], [2]int32{int32(p.Pos), int32(p.Pos) + shingle})
				docs = append(docs, p.Doc)
			}
			return nil
		})
		return docs, err
	}
	if _, err := placeAt(crossedAt, grown.Extra(old)); err != nil {
		return nil, err
	}
	var changedTouched []int32 // changed families whose kept cluster is touched
	for ci, f := range changed {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		least, added := leastAdded[f]
		if recomposed(ci) {
			changedTouched = append(changedTouched, f)
		}
		if !added && !recomposed(ci) {
			continue // no new occurrence: its references stay
		}
		i, kept := cs.Find(f)
		if !kept {
			// Its second reference's key is at most the second least key
			// of the documents holding it before the addition, and so at
			// most that of the holders of least key of its fingerprints
			// (kept with the joins), which come first: no look at the
			// postings (20,000 documents hold some such families at 1 GB).
			if added && !recomposed(ci) {
				if least > secondKey(ix, old.Holders([]int32{f})[f], nil) {
					continue
				}
			}
			at := map[archive.Ref][][2]int32{}
			holders, err := placeAt(at, oldMembers[f])
			if err != nil {
				return nil, err
			}
			if added && !recomposed(ci) && least > secondKey(ix, holders, aln.Added) {
				continue
			}
			for r, rs := range at {
				movedAt[r] = append(movedAt[r], rs...)
			}
			continue
		}
		if h := cs.Head(i); added && h.HasRefs && least > h.References[1].Key && !recomposed(ci) {
			continue // after both references: they stay
		}
		c, err := cs.Cluster(i)
		if err != nil {
			return nil, nil // damaged: checks say so
		}
		if !recomposed(ci) {
			changedTouched = append(changedTouched, f) // its references moved
		}
		for _, m := range c.Members {
			movedAt[archive.Ref(m.Doc)] = append(movedAt[archive.Ref(m.Doc)], [2]int32{m.Start, m.End})
		}
	}
	// A member is touched by text within near tokens of it: occurrences
	// of boilerplate farther apart than their widening (window-1 at each
	// end) and a run's reach (window) do not meet.
	near := 2 * (int32(window) + shingle)
	meets := func(at [][2]int32, m assemble.KeptMember) bool {
		return slices.ContainsFunc(at, func(r [2]int32) bool { return r[0] < m.End+near && m.Start-near < r[1] })
	}
	// A member is widened into the gap its predecessors, widened, leave
	// (assemble.KeptCluster.Apart): an occurrence widened otherwise
	// changes it only where it overlaps it or ends within 2·(window-1)
	// tokens before it.
	gap := 2 * (int32(window) - 1)
	precedes := func(at [][2]int32, m assemble.KeptMember) bool {
		return slices.ContainsFunc(at, func(r [2]int32) bool { return r[0] < m.End && m.Start-gap < r[1] })
	}
	var touched []int32
	var c assemble.KeptCluster // decoded into, one cluster after another
	for i := range cs.Len() {
		if i%4096 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if _, done := slices.BinarySearch(changedTouched, cs.Family(i)); done {
			touched = append(touched, cs.Family(i))
			continue
		}
		if err := cs.ClusterInto(i, &c); err != nil {
			return nil, nil
		}
		if slices.ContainsFunc(c.Members, func(m assemble.KeptMember) bool {
			r := archive.Ref(m.Doc)
			return meets(crossedAt[r], m) || !c.Apart && precedes(movedAt[r], m)
		}) {
			touched = append(touched, c.Family)
		}
	}
	slices.Sort(touched)
	return &archive.Touched{Alignments: aln.Generation, Families: touched, Kept: cs.Len()}, nil
}

// secondKey returns the second least distinct key (cluster.DocKey) of
// the documents docs of ix but those of skip (sorted), or MaxUint64.
func secondKey[R ~uint64](ix *archive.Index, docs []R, skip []archive.Ref) uint64 {
	var first, second uint64 = math.MaxUint64, math.MaxUint64
	for _, d := range docs {
		r := archive.Ref(d)
		if _, skipped := slices.BinarySearch(skip, r); skipped {
			continue
		}
		switch k := cluster.DocKey(ix.ID(r)); {
		case k < first:
			first, second = k, first
		case k != first && k < second:
			second = k
		}
	}
	return second
}

// renumberJoins returns the joins data (as package cluster encodes them)
// with each holder r renumbered to(r), for the merges of an
// archive.Writer (SetJoinsRenumber).
func renumberJoins(data []byte, to func(archive.Ref) (archive.Ref, bool)) ([]byte, error) {
	j, err := cluster.DecodeJoins(data)
	if err != nil {
		return nil, err
	}
	lost := false
	j.Renumber(func(d uint64) uint64 {
		r, ok := to(archive.Ref(d))
		lost = lost || !ok
		return uint64(r)
	})
	if lost {
		return nil, errors.New("reuse: a holder of the boilerplate's joins is not in the index")
	}
	return j.Encode(), nil
}
