package reuse

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/reuse-tool/reuse/archive"
	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/index"
	"github.com/reuse-tool/reuse/internal/postings"
)

// JoinsGrown says what an addition did to the joins of the boilerplate
// kept beside the index (growJoins).
type JoinsGrown struct {
	// Grown reports joins brought up to date with the documents added;
	// Settings names the checks they serve ("max-df 100").
	Grown    bool
	Settings string
	// Recounted counts the archived documents read again: those holding
	// text that the additions made boilerplate.
	Recounted int
	// Why, when joins were kept and could not be grown, says why.
	Why string
}

// growJoins brings the joins of the boilerplate kept beside the index of
// w (by AlignIndex, or grown by an earlier addition) up to date with the
// documents added since (cluster.Joins.Grow), and keeps them
// (archive.Writer.PutJoins), so that checks after an addition join
// their boilerplate as a scan of everything does. It reads the added
// documents' records, looks up the frequencies of their fingerprints
// that the joins lack, and reads the archived documents holding a
// fingerprint the additions made boilerplate (their runs change). Joins
// that do not hold (none kept, stale, damaged, or documents removed
// since) are left as they are: checks then join by their own places.
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
	case len(kept.Removed) > 0:
		res.Why = "documents were removed since they were made"
		return res, nil
	case len(kept.Added) == 0:
		return res, nil
	}
	j, err := cluster.DecodeJoins(kept.Joins)
	if err != nil {
		res.Why = err.Error()
		return res, nil
	}
	// The frequencies of the added documents' fingerprints the joins
	// lack: those over maxDF are boilerplate since (extra).
	var d index.Doc
	var lacking []uint64
	for i, r := range kept.Added {
		if i%256 == 0 && ctx.Err() != nil {
			return res, ctx.Err()
		}
		if err := ix.Doc(r, &d); err != nil {
			return res, err
		}
		for _, fp := range d.Fingerprints {
			if _, ok := j.FamilyOf(fp.Hash); !ok {
				lacking = append(lacking, fp.Hash)
			}
		}
	}
	slices.Sort(lacking)
	lacking = slices.Compact(lacking)
	dfs, err := ix.Frequencies(ctx, archive.Fingerprints, lacking, nil)
	if err != nil {
		return res, err
	}
	var extra []uint64
	extraDF := map[uint64]int{}
	for i, h := range lacking {
		if dfs[i] > maxDF {
			extra = append(extra, h)
			extraDF[h] = dfs[i]
		}
	}
	// The round: the added documents, and the archived ones holding an
	// extra fingerprint.
	round := slices.Clone(kept.Added)
	err = ix.Lookup(archive.Fingerprints, extra, func(i int, ps []archive.Posting) error {
		if i%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		for _, p := range ps {
			round = append(round, p.Doc)
		}
		return nil
	})
	if err != nil {
		return res, err
	}
	slices.Sort(round)
	round = slices.Compact(round)
	added := func(r archive.Ref) bool {
		_, ok := slices.BinarySearch(kept.Added, r)
		return ok
	}
	res.Recounted = len(round) - len(kept.Added)
	boilerplate := func(h uint64) bool {
		if _, ok := j.FamilyOf(h); ok {
			return true
		}
		_, ok := slices.BinarySearch(extra, h)
		return ok
	}
	// Their fingerprints of boilerplate, numbered by hash.
	var hashes []uint64
	type place struct {
		hash uint64
		doc  uint32
		pos  uint32
	}
	var places []place
	for i, r := range round {
		if i%256 == 0 && ctx.Err() != nil {
			return res, ctx.Err()
		}
		if err := ix.Doc(r, &d); err != nil {
			return res, err
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
	places = nil
	grown, err := j.Grow(ctx, cluster.Postings(ps), len(hashes), window, cluster.Growing{
		Hashes:  hashes,
		Counted: func(doc uint32) bool { return !added(round[doc]) },
		DF: func(h uint64) int {
			if df, ok := extraDF[h]; ok {
				return df
			}
			return -1 // a kept fingerprint: never asked
		},
		Key:    func(doc uint32) uint64 { return cluster.DocKey(ix.ID(round[doc])) },
		Number: func(doc uint32) uint64 { return uint64(round[doc]) },
		HolderKey: func(holder uint64) (uint64, error) {
			id := ix.ID(archive.Ref(holder))
			if id == "" {
				return 0, fmt.Errorf("reuse: the joins kept beside the index name document %d, which it does not hold", holder)
			}
			return cluster.DocKey(id), nil
		},
	})
	if errors.Is(err, cluster.ErrGrow) {
		res.Why = err.Error()
		return res, nil
	}
	if err != nil {
		return res, err
	}
	if err := w.PutJoins(settings, grown.Encode()); err != nil {
		return res, err
	}
	res.Grown = true
	return res, nil
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
