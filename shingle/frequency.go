package shingle

import (
	"context"
	"math/bits"
	"slices"
)

// Frequencies counts, for shingle hashes, the documents holding them: a
// count sketch of one byte a slot, indexed by a hash's top bits. A slot
// counts the documents holding any shingle of that slot, once each, up
// to 255: Count is never below the number of documents holding a shingle
// counted, and equals it when no other shingle counted shares its slot
// (with slots at twice the distinct shingles, about three in four do).
// Weighted winnowing ranks shingles by it (Frequencies.Ranks): the same
// table must rank every document whose fingerprints are compared.
//
// Adding is NOT safe for concurrent use: give each worker its own table
// and Merge them; Count and Ranks are safe once adding is done.
type Frequencies struct {
	counts []uint8
	shift  uint // 64 - log2(len(counts))
}

// Slot counts of a Frequencies table: at least minSlots, at most
// maxSlots (a byte each).
const (
	minSlots = 1 << 12
	maxSlots = 1 << 34
)

// NewFrequencies returns an empty table of slots slots, rounded up to a
// power of two within [4096, 2^34]. Twice the number of distinct
// shingles expected keeps most counts exact.
func NewFrequencies(slots int) *Frequencies {
	n := minSlots
	for n < slots && n < maxSlots {
		n *= 2
	}
	return &Frequencies{counts: make([]uint8, n), shift: uint(64 - bits.TrailingZeros(uint(n)))}
}

// Slots returns the number of slots: the table's size in bytes.
func (f *Frequencies) Slots() int { return len(f.counts) }

// AddDocument counts one document holding the shingle hashes hs, each
// slot once however many of hs fall in it; scratch is reused and
// returned. It costs O(n) in len(hs): the slots seen are kept in a set
// of twice their number, by open addressing, which a cache holds; the
// table's slots, which none holds, are each touched once.
func (f *Frequencies) AddDocument(hs []uint64, scratch []uint64) []uint64 {
	size := 16
	for size < 2*len(hs) {
		size *= 2
	}
	seen := slices.Grow(scratch[:0], size)[:size]
	clear(seen)
	mask, top := uint64(size-1), uint(64-bits.TrailingZeros(uint(size)))
	for _, h := range hs {
		s := h >> f.shift
		// The set holds slot+1 (0 is empty) at a place the slot's own
		// bits choose (Fibonacci hashing): hashes sharing a slot meet
		// there.
		i := s * 0x9e3779b97f4a7c15 >> top
		for seen[i] != 0 && seen[i] != s+1 {
			i = (i + 1) & mask
		}
		if seen[i] != 0 {
			continue
		}
		seen[i] = s + 1
		if f.counts[s] < 255 {
			f.counts[s]++
		}
	}
	return seen
}

// Merge adds the counts of o, a table of the same size, to f (saturating
// at 255). It panics if the sizes differ.
func (f *Frequencies) Merge(o *Frequencies) {
	if len(o.counts) != len(f.counts) {
		panic("shingle: Merge of tables of different sizes")
	}
	for i, c := range o.counts {
		f.counts[i] = uint8(min(int(f.counts[i])+int(c), 255))
	}
}

// Count returns the number of documents counted as holding shingle hash
// h (see Frequencies), at most 255.
func (f *Frequencies) Count(h uint64) int { return int(f.counts[h>>f.shift]) }

// Ranks appends to dst the winnowing rank of each hash of hs and returns
// it: the hash's level, the number of limits its Count exceeds (limits
// ascending, at most 3 of them), in the top two bits, above the hash's
// own top 62 bits. Winnowing on ranks keeps, in each window, a shingle of
// the lowest level in it: the least common, ties broken by hash.
func (f *Frequencies) Ranks(dst, hs []uint64, limits []int) []uint64 {
	if len(limits) > 3 {
		panic("shingle: more than 3 limits")
	}
	for _, h := range hs {
		c := int(f.counts[h>>f.shift])
		var level uint64
		for _, l := range limits {
			if c > l {
				level++
			}
		}
		dst = append(dst, level<<62|h>>2)
	}
	return dst
}

// WinnowRanked is Winnow choosing by ranks instead of hashes (ranks[i]
// the rank of hashes[i], as Frequencies.Ranks gives them): in every window
// of w the lowest rank is selected, rightmost on ties, and the
// fingerprints keep their hashes. Any run of at least w+k-1 tokens shared
// by two texts ranked by one table still yields a common fingerprint: a
// window's choice depends on its ranks alone. It panics if the lengths
// differ.
func WinnowRanked(dst []Fingerprint, scratch []uint32, hashes, ranks []uint64, w int) ([]Fingerprint, []uint32) {
	dst, scratch, _ = winnowRanked(context.Background(), dst, scratch, hashes, ranks, w)
	return dst, scratch
}

// winnowRanked is WinnowRanked, giving up with ctx.Err() when ctx is done.
func winnowRanked(ctx context.Context, dst []Fingerprint, scratch []uint32, hashes, ranks []uint64, w int) ([]Fingerprint, []uint32, error) {
	if len(ranks) != len(hashes) {
		panic("shingle: ranks and hashes of different lengths")
	}
	from := len(dst)
	dst, scratch, err := winnow(ctx, dst, scratch, ranks, w)
	for i := from; i < len(dst); i++ {
		dst[i].Hash = hashes[dst[i].Pos]
	}
	return dst, scratch, err
}
