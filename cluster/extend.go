package cluster

import "slices"

// Boilerplate's occurrences begin at their first fingerprint and end with
// their last one's shingle, so each may fall up to window-1 tokens inside
// the text its family shares (an "SPDX-License-Identifier" line reported
// from "License"). The functions below widen them again, against the
// family's own text, in a way a caller can split by document (as the Beam
// pipeline does): Reference, once a family, from one document's seeds;
// Widen, once a document, from its own seeds and the references of its
// occurrences' families.
//
// Why window-1 tokens at most: text the whole family shares for window or
// more tokens before an occurrence's first fingerprint would hold a window
// of shingles of its own, whose fingerprint every member picks and which
// would then be boilerplate and part of the occurrence (likewise after its
// last one). Text beyond is shared with fewer documents, if at all.

// Reference appends to dst the seeds of occurrence o of a family (seeds
// being its document's, seeds[i] the hash of tokens i..i+k-1, as
// shingle.Seeds gives them) from window tokens before o to window tokens
// after it, sorted and without repeats, and returns it: what Widen
// compares the family's other occurrences with. Cost O(the seeds taken ·
// log).
func Reference(dst, seeds []uint32, o Occurrence, window int) []uint32 {
	lo := max(int(o.Start)-window, 0)
	hi := min(int(o.End)+window, len(seeds))
	from := len(dst)
	if lo < hi {
		dst = append(dst, seeds[lo:hi]...)
	}
	slices.Sort(dst[from:])
	return append(dst[:from], slices.Compact(dst[from:])...)
}

// DocKey is the key of the document with id id in the choice of a
// family's references (References): a fixed hash of the id (FNV-1a,
// then a 64-bit finalizer), the same in every run and on every machine.
//
// Why not the order of ids, as before: a family's first occurrence in
// that order moved whenever a document whose id sorts first was added,
// and with it the offsets of a tenth of the family's other members
// (docs/benchmarks.md, "Boilerplate widened against the least key").
// By key, adding m occurrences to a family of n moves its references with
// probability about m/(n+m), and a family of boilerplate has more than
// MaxDF documents.
func DocKey(id string) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	for i := 0; i < len(id); i++ {
		h ^= uint64(id[i])
		h *= prime
	}
	// splitmix64's finalizer: FNV's high bits mix poorly for short ids.
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	return h ^ h>>31
}

// References returns the occurrences of family fam whose References
// widen its members (ReferenceOf): least, the occurrence of least (key,
// Start, Doc), its document's key being key(Doc) (DocKey of its id), and
// next, the one after it in that order; -1, -1 for a family of fewer
// than two occurrences. Cost O(len(fam)) calls of key.
func References(fam []Occurrence, key func(doc uint32) uint64) (least, next int) {
	if len(fam) < 2 {
		return -1, -1
	}
	less := func(a, b Occurrence, ka, kb uint64) bool {
		if ka != kb {
			return ka < kb
		}
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		return a.Doc < b.Doc
	}
	least, next = 0, -1
	kl, kn := key(fam[0].Doc), uint64(0)
	lastDoc, lastKey := fam[0].Doc, kl
	for i := 1; i < len(fam); i++ {
		o := fam[i]
		k := lastKey
		if o.Doc != lastDoc {
			k = key(o.Doc)
			lastDoc, lastKey = o.Doc, k
		}
		switch {
		case less(o, fam[least], k, kl):
			next, kn = least, kl
			least, kl = i, k
		case next < 0 || less(o, fam[next], k, kn):
			next, kn = i, k
		}
	}
	return least, next
}

// ReferenceOf returns the occurrence whose Reference occurrence m of a
// family is widened against, given its References least and next: next
// for least, least for the others; -1 for a family of one occurrence
// (least < 0), which stays as it is.
func ReferenceOf(m, least, next int) int {
	switch {
	case least < 0:
		return -1
	case m == least:
		return next
	default:
		return least
	}
}

// Widen widens the boilerplate occurrences occs of one document of n
// tokens, whose seeds are seeds (k tokens each), each against refs[i]
// (Reference of its family; nil leaves it as it is): by at most window-1
// tokens at each end, one token at a time while the seed that brings the
// token in is in the reference. occs must be sorted by Start. Each
// grows only into the gap before it that its predecessors, already
// widened, left free, and into the gap after it up to its successor's
// start: occurrences that did not overlap still do not, and those that
// did (of two families whose fingerprints interleave, Boilerplate) do
// not grow into each other. Cost O(len(occs) · window · log of a
// reference).
func Widen(occs []Occurrence, refs [][]uint32, seeds []uint32, n, k, window int) {
	prevEnd := int32(0)
	for i := range occs {
		o := &occs[i]
		nextStart := int32(n)
		if i+1 < len(occs) {
			nextStart = occs[i+1].Start
		}
		if ref := refs[i]; len(ref) > 0 {
			for step := 1; step < window && o.Start > prevEnd; step++ {
				t := int(o.Start) - 1 // the seed starting at t brings token t in
				if t >= len(seeds) || !inSorted(ref, seeds[t]) {
					break
				}
				o.Start--
			}
			for step := 1; step < window && o.End < nextStart; step++ {
				t := int(o.End) - k + 1 // the seed ending with token o.End
				if t < 0 || t >= len(seeds) || !inSorted(ref, seeds[t]) {
					break
				}
				o.End++
			}
		}
		prevEnd = max(prevEnd, o.End)
	}
}

func inSorted(s []uint32, v uint32) bool {
	_, ok := slices.BinarySearch(s, v)
	return ok
}
