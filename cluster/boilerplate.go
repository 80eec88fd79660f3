package cluster

import "slices"

// Boilerplate turns the postings of fingerprints held by too many documents
// (as returned by Candidates) into families of occurrences, in linear time:
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
// occurrences within one by (document, start). postings is reordered.
func Boilerplate(postings []Posting, k, window int) [][]Occurrence {
	if len(postings) == 0 {
		return nil
	}
	// Dense ids for the hashes: postings arrive sorted by hash.
	ids := make(map[uint64]int32)
	for _, p := range postings {
		if _, ok := ids[p.Hash]; !ok {
			ids[p.Hash] = int32(len(ids))
		}
	}
	slices.SortFunc(postings, byDocPos)
	parent := make([]int32, len(ids))
	for i := range parent {
		parent[i] = int32(i)
	}
	find := func(x int32) int32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	type occ struct {
		o    Occurrence
		hash int32 // one of its fingerprints
	}
	var occs []occ
	for lo := 0; lo < len(postings); {
		hi := lo + 1
		first := ids[postings[lo].Hash]
		for hi < len(postings) && postings[hi].Doc == postings[lo].Doc &&
			int(postings[hi].Pos-postings[hi-1].Pos) <= window {
			if a, b := find(first), find(ids[postings[hi].Hash]); a != b {
				parent[max(a, b)] = min(a, b)
			}
			hi++
		}
		occs = append(occs, occ{
			o:    Occurrence{Doc: postings[lo].Doc, Start: int32(postings[lo].Pos), End: int32(postings[hi-1].Pos) + int32(k)},
			hash: first,
		})
		lo = hi
	}
	index := make(map[int32]int)
	var fams [][]Occurrence
	for _, x := range occs { // in (doc, start) order: families by first occurrence
		root := find(x.hash)
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
