package cluster

import (
	"cmp"
	"slices"

	"github.com/reuse-tool/reuse/internal/keysort"
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
// text (Widen restores the rest from the documents' seeds).
//
// Families are ordered by their first occurrence (document, start), and
// occurrences within one by (document, start). ps is reordered, and its
// hashes replaced by dense numbers.
func Boilerplate(ps []postings.Posting, k, window int) [][]Occurrence {
	if len(ps) == 0 {
		return nil
	}
	ids := denseHashes(ps)
	sortByDocPos(ps)
	sets := newDisjointSets(ids)
	type occ struct {
		o    Occurrence
		hash int32 // one of its fingerprints
	}
	occs := make([]occ, 0, countOccurrences(ps, window))
	BoilerplateOccurrences(ps, k, window, func(o Occurrence, fps []postings.Posting) {
		first := int32(fps[0].Hash)
		for _, p := range fps[1:] {
			sets.union(first, int32(p.Hash))
		}
		occs = append(occs, occ{o: o, hash: first})
	})
	// Families in order of their first occurrence ((doc, start) order),
	// their members laid out in one array.
	fam := make([]int32, len(occs))
	index := make(map[int32]int32)
	var sizes []int
	for i, x := range occs {
		root := sets.find(x.hash)
		f, ok := index[root]
		if !ok {
			f = int32(len(sizes))
			index[root] = f
			sizes = append(sizes, 0)
		}
		fam[i] = f
		sizes[f]++
	}
	flat := make([]Occurrence, len(occs))
	fams := make([][]Occurrence, len(sizes))
	at := 0
	for f, n := range sizes {
		fams[f] = flat[at : at : at+n]
		at += n
	}
	for i, x := range occs {
		fams[fam[i]] = append(fams[fam[i]], x.o)
	}
	return fams
}

// BoilerplateOccurrences calls emit with each occurrence of boilerplate
// in ps, the postings of fingerprints held by too many documents, sorted
// by (Doc, Pos), every posting of each document present (one document or
// many): fingerprints of one document at most window shingles apart form
// an occurrence, from the first one's shingle to the end of the last
// one's (k tokens each). fps are its postings, ps's memory. Boilerplate
// is these occurrences, in families of those sharing fingerprints; a
// caller that cannot hold every document's postings at once (the Beam
// pipeline) takes the occurrences a block of documents at a time and
// joins the families itself.
func BoilerplateOccurrences(ps []postings.Posting, k, window int, emit func(o Occurrence, fps []postings.Posting)) {
	for lo := 0; lo < len(ps); {
		hi := lo + 1
		for hi < len(ps) && ps[hi].Doc == ps[lo].Doc && int(ps[hi].Pos-ps[hi-1].Pos) <= window {
			hi++
		}
		emit(Occurrence{Doc: ps[lo].Doc, Start: int32(ps[lo].Pos), End: int32(ps[hi-1].Pos) + int32(k)}, ps[lo:hi])
		lo = hi
	}
}

// countOccurrences is the number of occurrences BoilerplateOccurrences
// finds in ps.
func countOccurrences(ps []postings.Posting, window int) int {
	runs := 0
	for i := range ps {
		if i == 0 || ps[i].Doc != ps[i-1].Doc || int(ps[i].Pos-ps[i-1].Pos) > window {
			runs++
		}
	}
	return runs
}

// denseHashes replaces the hash of each posting by a dense number, in
// order of first appearance, and returns how many there are: through
// runs when the postings are sorted by hash, as the shuffle gives them
// (a map of every hash cost a tenth of the step), through a map otherwise.
func denseHashes(ps []postings.Posting) int {
	if slices.IsSortedFunc(ps, func(x, y postings.Posting) int { return cmp.Compare(x.Hash, y.Hash) }) {
		n := 0
		last := ps[0].Hash
		for i := range ps {
			if h := ps[i].Hash; h != last {
				n++
				last = h
			}
			ps[i].Hash = uint64(n)
		}
		return n + 1
	}
	ids := make(map[uint64]int32)
	for i := range ps {
		id, ok := ids[ps[i].Hash]
		if !ok {
			id = int32(len(ids))
			ids[ps[i].Hash] = id
		}
		ps[i].Hash = uint64(id)
	}
	return len(ids)
}

// sortByDocPos sorts ps by (Doc, Pos), by integer keys (package keysort)
// where they fit and are few enough (maxKeysort), in place otherwise.
func sortByDocPos(ps []postings.Posting) {
	if len(ps) > maxKeysort {
		slices.SortFunc(ps, postings.ByDocPos)
		return
	}
	var topPos uint32
	for _, p := range ps {
		topPos = max(topPos, p.Pos)
	}
	wp := keysort.Width(uint64(topPos))
	var ks keysort.Sorter[postings.Posting]
	if !ks.Stable(ps, func(p postings.Posting) uint64 { return uint64(p.Doc)<<wp | uint64(p.Pos) }) {
		slices.SortFunc(ps, postings.ByDocPos)
	}
}
