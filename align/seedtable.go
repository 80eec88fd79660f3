package align

import (
	"slices"

	"github.com/reuse-tool/reuse/internal/grow"
)

// seedTable maps a seed hash to the ascending positions where it occurs in
// document A. The seeds are laid out once, by a counting sort on the top
// bits of their hash (a directory of about one bucket per two seeds), then
// by hash within a bucket, by position within a hash: no pointers, no
// allocation once grown, and 18–20 bytes a seed (an open-addressing table
// kept at load ≤ 1/2 took 36–60; the Linux tree's largest register
// headers hold millions of seeds, and two workers each kept a table of
// the largest: docs/benchmarks.md, "A smaller seed table").
type seedTable struct {
	// The seeds, bucket after bucket, sorted by hash in a bucket: the
	// hash in the high 32 bits; in the low bits, at the first of a hash's
	// entries, its number of positions (a lookup reads both at once).
	ents []uint64
	pos  []int32 // their positions in A, in the same order
	// dir[x] : dir[x+1] is bucket x's range of ents and pos; the bucket
	// of h is h >> shift.
	dir   []int32
	shift uint32
	// repeats[i] is the number of positions of the seed at position i.
	repeats []int32
	packed  []uint64 // scratch: a large bucket's (hash, position) sorted
	// filter has a bit set for each hash present (a one-hash Bloom
	// filter of 64 Kbit, or about 8 bits a seed for a larger A): most
	// seeds of B are not in A, and testing a bit in a few KB costs less
	// than probing the table (docs/benchmarks.md, "Measurements behind
	// the code"). A fixed 64 Kbit was full for A of hundreds of
	// thousands of seeds (a generated register header), every seed of B
	// then probing the table ("Register headers").
	filter      []uint64
	filterShift uint32 // a hash's bit is (h·filterMul) >> filterShift
}

// filterMul spreads a seed hash over the filter's bits (Fibonacci
// hashing: the product's high bits depend on all of h's).
const filterMul = 0x9e3779b1

// Filter sizes: at least 2^minFilterBits bits (8 KB), at most
// 2^maxFilterBits (2 MiB), else 8 bits a seed rounded up to a power of 2.
const minFilterBits, maxFilterBits = 16, 24

// mayHave reports whether h may be in the table (no false negatives);
// false for a table never built.
func (t *seedTable) mayHave(h uint32) bool {
	b := (h * filterMul) >> t.filterShift
	return int(b>>6) < len(t.filter) && t.filter[b>>6]&(1<<(b&63)) != 0
}

// build indexes seeds (A's, by position) and counts each one's positions
// (repeats). Cost O(n) for n seeds, plus a sort of each bucket: O(n log n)
// when one hash fills most of them (a token repeated), about one
// comparison a seed otherwise.
func (t *seedTable) build(seeds []uint32) { t.index(seeds, nil) }

// index indexes keys[x] at position at[x], at ascending, or at x when at
// is nil, as build does; repeats is counted only when at is nil.
func (t *seedTable) index(seeds []uint32, at []int32) {
	n := len(seeds)
	bits := uint32(1)
	for 1<<bits < n/2 {
		bits++
	}
	t.shift = 32 - bits
	buckets := 1 << bits
	t.dir = slices.Grow(t.dir[:0], buckets+1)[:buckets+1]
	clear(t.dir)
	fbits := uint32(minFilterBits)
	for fbits < maxFilterBits && 1<<fbits < 8*n {
		fbits++
	}
	t.filterShift = 32 - fbits
	t.filter = slices.Grow(t.filter[:0], 1<<(fbits-6))[:1<<(fbits-6)]
	clear(t.filter)
	t.ents = grow.Slice(t.ents[:0], n)[:n]
	t.pos = grow.Slice(t.pos[:0], n)[:n]
	if at == nil {
		t.repeats = grow.Slice(t.repeats[:0], n)[:n]
	}

	// Counting sort on the bucket: dir[x+1] counts bucket x, then
	// dir[x] is where it starts; placing a seed moves its bucket's start
	// on, so dir[x] ends where bucket x+1 starts and shifts back by one.
	for _, h := range seeds {
		t.dir[h>>t.shift+1]++
		b := (h * filterMul) >> t.filterShift
		t.filter[b>>6] |= 1 << (b & 63)
	}
	for x := 1; x <= buckets; x++ {
		t.dir[x] += t.dir[x-1]
	}
	for i, h := range seeds {
		x := h >> t.shift
		j := t.dir[x]
		p := int32(i)
		if at != nil {
			p = at[i]
		}
		t.ents[j], t.pos[j] = uint64(h)<<32, p
		t.dir[x]++
	}
	copy(t.dir[1:], t.dir[:buckets])
	t.dir[0] = 0

	// Within a bucket, by hash, then position (positions are distinct, so
	// the order is total), and each seed's number of positions.
	for x := range buckets {
		lo, hi := int(t.dir[x]), int(t.dir[x+1])
		switch {
		case hi-lo == 0:
			continue
		case hi-lo == 1:
			t.ents[lo] |= 1
			if at == nil {
				t.repeats[t.pos[lo]] = 1
			}
			continue
		case hi-lo <= 16:
			t.insertionSort(lo, hi)
		default:
			t.sortBucket(lo, hi)
		}
		for i := lo; i < hi; {
			j := i + 1
			for j < hi && t.ents[j] == t.ents[i] {
				j++
			}
			t.ents[i] |= uint64(j - i)
			if at == nil {
				for _, p := range t.pos[i:j] {
					t.repeats[p] = int32(j - i)
				}
			}
			i = j
		}
	}
}

// insertionSort sorts ents[lo:hi] and pos[lo:hi] by (hash, position).
func (t *seedTable) insertionSort(lo, hi int) {
	for i := lo + 1; i < hi; i++ {
		h, p := t.ents[i], t.pos[i]
		j := i
		for j > lo && t.ents[j-1] > h { // equal hashes keep their order
			t.ents[j], t.pos[j] = t.ents[j-1], t.pos[j-1]
			j--
		}
		t.ents[j], t.pos[j] = h, p
	}
}

// sortBucket is insertionSort for a large bucket: O(m log m).
func (t *seedTable) sortBucket(lo, hi int) {
	t.packed = t.packed[:0]
	for i := lo; i < hi; i++ {
		t.packed = append(t.packed, t.ents[i]|uint64(uint32(t.pos[i])))
	}
	slices.Sort(t.packed)
	for k, v := range t.packed {
		t.ents[lo+k], t.pos[lo+k] = v&^(1<<32-1), int32(uint32(v))
	}
}

// positions returns the ascending positions of h in A (nil when none).
// Cost: the distinct hashes of h's bucket before it, about one.
func (t *seedTable) positions(h uint32) []int32 {
	if len(t.dir) == 0 {
		return nil
	}
	x := h >> t.shift
	for i, hi := t.dir[x], t.dir[x+1]; i < hi; {
		e := t.ents[i]
		switch c := uint32(e >> 32); {
		case c == h:
			return t.pos[i : i+int32(uint32(e))]
		case c > h:
			return nil
		}
		i += int32(uint32(e))
	}
	return nil
}

// near returns at most n of ps (ascending) around the position target:
// for text repeated many times, the occurrences nearest where the
// alignment's diagonal is expected.
func near(ps []int32, target int32, n int) []int32 {
	if len(ps) <= n {
		return ps
	}
	i, _ := slices.BinarySearch(ps, target)
	lo := min(max(i-n/2, 0), len(ps)-n)
	return ps[lo : lo+n]
}

// len returns the number of seeds indexed.
func (t *seedTable) len() int { return len(t.pos) }

// release empties the table and lets go of its arrays that hold more
// than maxBytes each; build or index fills it again.
func (t *seedTable) release(maxBytes int) {
	for _, s := range []*[]uint64{&t.ents, &t.packed, &t.filter} {
		grow.Drop(s, maxBytes)
		*s = (*s)[:0]
	}
	for _, s := range []*[]int32{&t.pos, &t.dir, &t.repeats} {
		grow.Drop(s, maxBytes)
		*s = (*s)[:0]
	}
}
