package reword

// termTable maps term ids (never 0) to two int32 values in an open-addressing
// table. reset empties it in O(its size), sized for the terms to come, so
// that a table reused per pair costs what the pair costs.
type termTable struct {
	keys []uint32 // 0: empty slot
	a, b []int32
	mask uint32
}

// reset empties the table and makes room for n keys at load ≤ 1/2.
func (t *termTable) reset(n int) {
	size := 16
	for size < 2*n {
		size *= 2
	}
	if len(t.keys) < size || len(t.keys) > 4*size && len(t.keys) > 1<<12 {
		t.keys, t.a, t.b = make([]uint32, size), make([]int32, size), make([]int32, size)
	} else {
		size = len(t.keys)
		clear(t.keys)
	}
	t.mask = uint32(size - 1)
}

// slot returns the slot of key k, and whether k is there (else the slot is
// the empty one where k would go).
func (t *termTable) slot(k uint32) (uint32, bool) {
	for i := termSlot(k) & t.mask; ; i = (i + 1) & t.mask {
		switch t.keys[i] {
		case k:
			return i, true
		case 0:
			return i, false
		}
	}
}

// termSlot spreads term ids, which are hashes already, a little more so
// that ids differing only in high bits do not cluster.
func termSlot(k uint32) uint32 { return k * 0x9e3779b1 >> 7 }

// add inserts k with values (a, b) if absent and returns its slot. The
// caller must not insert more keys than reset made room for.
func (t *termTable) add(k uint32, a, b int32) uint32 {
	i, ok := t.slot(k)
	if !ok {
		t.keys[i], t.a[i], t.b[i] = k, a, b
	}
	return i
}

// get returns k's values, or (0, 0) when k is absent.
func (t *termTable) get(k uint32) (a, b int32) {
	if len(t.keys) == 0 {
		return 0, 0
	}
	if i, ok := t.slot(k); ok {
		return t.a[i], t.b[i]
	}
	return 0, 0
}

// bagIndex maps term numbers of A and of B to entries of a pair of bags
// (fragment): dense arrays stamped per use, no hashing and no clearing.
type bagIndex struct{ a, b bagSide }

type bagSide struct {
	at    []int32  // per term number: its entry, valid when stamp is gen
	stamp []uint32 // per term number
	gen   uint32
}

// reset forgets the last bags, for terms numbered below na in A and nb in
// B.
func (x *bagIndex) reset(na, nb int) {
	x.a.reset(na)
	x.b.reset(nb)
}

func (s *bagSide) reset(n int) {
	if len(s.stamp) < n {
		s.at, s.stamp = make([]int32, n), make([]uint32, n)
		s.gen = 0
	}
	if s.gen++; s.gen == 0 {
		clear(s.stamp)
		s.gen = 1
	}
}

// of returns the entry of term number id on this side, appending a new one
// (0 in both bags) the first time.
func (s *bagSide) of(id int32, fa, fb *[]float32) int32 {
	if s.stamp[id] != s.gen {
		s.stamp[id] = s.gen
		s.at[id] = int32(len(*fa))
		*fa, *fb = append(*fa, 0), append(*fb, 0)
	}
	return s.at[id]
}
