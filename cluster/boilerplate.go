package cluster

import (
	"slices"

	"github.com/reuse-tool/reuse/internal/postings"
)

// Boilerplate turns the postings of fingerprints held by too many documents
// (as the shuffle of package candidate keeps them) into families of occurrences, in linear time:
// no pair of documents is ever formed.
//
// In each document, fingerprints at most window shingles apart form one
// occurrence, covering their shingles (k tokens each). Fingerprints that
// occur together in some occurrence belong to one family (union-find over
// fingerprints), so a footer of many fingerprints is one family however
// many documents print it. Occurrence boundaries are those of the first and
// last fingerprint: they may fall up to window-1 tokens inside the shared
// text.
//
// Families are ordered by their first occurrence (document, start), and
// occurrences within one by (document, start). ps is reordered.
func Boilerplate(ps []postings.Posting, k, window int) [][]Occurrence {
	if len(ps) == 0 {
		return nil
	}
	// Dense ids for the hashes: postings arrive sorted by hash.
	ids := make(map[uint64]int32)
	for _, p := range ps {
		if _, ok := ids[p.Hash]; !ok {
			ids[p.Hash] = int32(len(ids))
		}
	}
	slices.SortFunc(ps, postings.ByDocPos)
	sets := newDisjointSets(len(ids))
	type occ struct {
		o    Occurrence
		hash int32 // one of its fingerprints
	}
	var occs []occ
	for lo := 0; lo < len(ps); {
		hi := lo + 1
		first := ids[ps[lo].Hash]
		for hi < len(ps) && ps[hi].Doc == ps[lo].Doc &&
			int(ps[hi].Pos-ps[hi-1].Pos) <= window {
			sets.union(first, ids[ps[hi].Hash])
			hi++
		}
		occs = append(occs, occ{
			o:    Occurrence{Doc: ps[lo].Doc, Start: int32(ps[lo].Pos), End: int32(ps[hi-1].Pos) + int32(k)},
			hash: first,
		})
		lo = hi
	}
	index := make(map[int32]int)
	var fams [][]Occurrence
	for _, x := range occs { // in (doc, start) order: families by first occurrence
		root := sets.find(x.hash)
		i, ok := index[root]
		if !ok {
			i = len(fams)
			index[root] = i
			fams = append(fams, nil)
		}
		fams[i] = append(fams[i], x.o)
	}
	return fams
}
