package cluster

// seedTable maps a seed hash to the positions where it occurs in document
// A, through an open-addressing table (linear probing, load ≤ 1/2) and a
// next-position chain: no pointers, no allocation once grown.
type seedTable struct {
	keys   []uint64
	heads  []int32 // first position of the slot's hash, ascending chain
	counts []int32 // positions per slot; 0 = empty slot
	next   []int32 // next[i] = next position with the hash of position i, or -1
	mask   uint64
	limit  int32 // hashes with more positions are ignored
}

func (t *seedTable) build(seeds []uint64, maxRepeat int) {
	size := 16
	for size < 2*len(seeds) {
		size *= 2
	}
	if cap(t.keys) < size {
		t.keys = make([]uint64, size)
		t.heads = make([]int32, size)
		t.counts = make([]int32, size)
	}
	t.keys, t.heads, t.counts = t.keys[:size], t.heads[:size], t.counts[:size]
	clear(t.counts)
	t.mask = uint64(size - 1)
	t.limit = int32(maxRepeat)
	if cap(t.next) < len(seeds) {
		t.next = make([]int32, len(seeds))
	}
	t.next = t.next[:len(seeds)]
	// Insert from the end so that every chain runs in ascending order.
	for i := len(seeds) - 1; i >= 0; i-- {
		h := seeds[i]
		slot := h & t.mask
		for t.counts[slot] != 0 && t.keys[slot] != h {
			slot = (slot + 1) & t.mask
		}
		if t.counts[slot] == 0 {
			t.keys[slot] = h
			t.next[i] = -1
		} else {
			t.next[i] = t.heads[slot]
		}
		t.heads[slot] = int32(i)
		t.counts[slot]++
	}
}

// first returns the first position of h in A, or -1 when h does not occur
// or occurs too often to be evidence.
func (t *seedTable) first(h uint64) int32 {
	if t.mask == 0 {
		return -1
	}
	slot := h & t.mask
	for t.counts[slot] != 0 {
		if t.keys[slot] == h {
			if t.counts[slot] > t.limit {
				return -1
			}
			return t.heads[slot]
		}
		slot = (slot + 1) & t.mask
	}
	return -1
}
