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

// ReferenceOf returns, for occurrence m of a family of size occurrences
// (sorted by (Doc, Start), as Boilerplate gives them), the occurrence
// whose Reference it is widened against: the family's second for its
// first, its first for the others; -1 in a family of one occurrence,
// which stays as it is.
func ReferenceOf(size, m int) int {
	switch {
	case size < 2:
		return -1
	case m == 0:
		return 1
	default:
		return 0
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
