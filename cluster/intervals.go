package cluster

import "slices"

// stabIndex answers "which intervals contain this one" over the
// occurrences of one document: intervals sorted by start, and a tree of
// the largest end over every range of them. A query costs O((1+k) log n)
// for k intervals reported, so that a document with thousands of
// passages is not compared with itself pair by pair.
type stabIndex struct {
	start, end []int32 // sorted by start (then end, then id)
	id         []int32
	tree       []int32 // tree[1] the largest end of all; leaves at size+i
	size       int
}

// newStabIndex indexes the occurrences occ[i] for i in ids.
func newStabIndex(occ []Occurrence, ids []int32) *stabIndex {
	ids = slices.Clone(ids)
	slices.SortFunc(ids, func(x, y int32) int {
		a, b := occ[x], occ[y]
		if a.Start != b.Start {
			return int(a.Start - b.Start)
		}
		if a.End != b.End {
			return int(a.End - b.End)
		}
		return int(x - y)
	})
	x := &stabIndex{id: ids, start: make([]int32, len(ids)), end: make([]int32, len(ids))}
	for i, id := range ids {
		x.start[i], x.end[i] = occ[id].Start, occ[id].End
	}
	x.size = 1
	for x.size < len(ids) {
		x.size *= 2
	}
	x.tree = make([]int32, 2*x.size)
	for i := range x.tree {
		x.tree[i] = -1 << 31
	}
	copy(x.tree[x.size:], x.end)
	for i := x.size - 1; i >= 1; i-- {
		x.tree[i] = max(x.tree[2*i], x.tree[2*i+1])
	}
	return x
}

// containing calls fn with the id of every interval whose start is at
// most qs and whose end is at least qe, in order of start.
func (x *stabIndex) containing(qs, qe int32, fn func(id int32)) {
	n, _ := slices.BinarySearchFunc(x.start, qs, func(s, t int32) int {
		if s <= t {
			return -1
		}
		return 1
	})
	if n == 0 {
		return
	}
	// Depth-first, left to right, over the leaves [0, n) with end >= qe.
	var stack [64]struct{ node, lo, hi int }
	stack[0] = struct{ node, lo, hi int }{1, 0, x.size}
	for sp := 1; sp > 0; {
		sp--
		f := stack[sp]
		if f.lo >= n || x.tree[f.node] < qe {
			continue
		}
		if f.hi-f.lo == 1 {
			fn(x.id[f.lo])
			continue
		}
		mid := (f.lo + f.hi) / 2
		stack[sp] = struct{ node, lo, hi int }{2*f.node + 1, mid, f.hi}
		stack[sp+1] = struct{ node, lo, hi int }{2 * f.node, f.lo, mid}
		sp += 2
	}
}
