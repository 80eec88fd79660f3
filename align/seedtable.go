package align

import "slices"

// seedTable maps a seed hash to the ascending positions where it occurs in
// document A, through an open-addressing table (linear probing, load ≤ 1/2)
// over one array of positions grouped by hash: no pointers, no allocation
// once grown.
type seedTable struct {
	keys   []uint32
	starts []int32 // positions of the slot's hash: pos[starts[s] : starts[s]+counts[s]]
	counts []int32 // 0 = empty slot
	slotOf []int32 // scratch: slot of each seed
	pos    []int32
	// repeats[i] is the number of positions of the seed at position i.
	repeats []int32
	mask    uint32
	// filter has a bit set for each hash present (a one-hash Bloom filter
	// of 64 Kbit): most seeds of B are not in A, and testing a bit in 8 KB
	// costs less than probing the table (positions took 37% of alignment
	// on 1 GB of generated news).
	filter [1 << 10]uint64
}

func filterBit(h uint32) uint32 { return (h ^ h>>16) & (1<<16 - 1) }

// mayHave reports whether h may be in the table (no false negatives).
func (t *seedTable) mayHave(h uint32) bool {
	b := filterBit(h)
	return t.filter[b>>6]&(1<<(b&63)) != 0
}

func (t *seedTable) build(seeds []uint32) {
	size := 16
	for size < 2*len(seeds) {
		size *= 2
	}
	if cap(t.keys) < size {
		t.keys = make([]uint32, size)
		t.starts = make([]int32, size)
		t.counts = make([]int32, size)
	}
	t.keys, t.starts, t.counts = t.keys[:size], t.starts[:size], t.counts[:size]
	clear(t.counts)
	clear(t.filter[:])
	t.mask = uint32(size - 1)
	t.slotOf = slices.Grow(t.slotOf[:0], len(seeds))[:len(seeds)]
	t.pos = slices.Grow(t.pos[:0], len(seeds))[:len(seeds)]

	// Count the positions of each hash, then lay them out in ascending
	// order, slot after slot.
	for i, h := range seeds {
		slot := h & t.mask
		for t.counts[slot] != 0 && t.keys[slot] != h {
			slot = (slot + 1) & t.mask
		}
		t.keys[slot] = h
		t.counts[slot]++
		t.slotOf[i] = int32(slot)
		b := filterBit(h)
		t.filter[b>>6] |= 1 << (b & 63)
	}
	t.repeats = slices.Grow(t.repeats[:0], len(seeds))[:len(seeds)]
	for i, s := range t.slotOf {
		t.repeats[i] = t.counts[s]
	}
	var next int32
	for s, c := range t.counts {
		t.starts[s] = next
		next += c
	}
	for i, s := range t.slotOf {
		t.pos[t.starts[s]] = int32(i)
		t.starts[s]++
	}
	for s, c := range t.counts { // starts[s] ran to the end of its range
		t.starts[s] -= c
	}
}

// positions returns the ascending positions of h in A (nil when none).
func (t *seedTable) positions(h uint32) []int32 {
	if t.mask == 0 {
		return nil
	}
	slot := h & t.mask
	for t.counts[slot] != 0 {
		if t.keys[slot] == h {
			return t.pos[t.starts[slot] : t.starts[slot]+t.counts[slot]]
		}
		slot = (slot + 1) & t.mask
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
