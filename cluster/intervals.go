package cluster

import "slices"

// stabTree answers "which intervals contain this one" over the
// occurrences of one document: its intervals sorted by start and a tree
// of the largest end over every range of them, in flat arrays. A query
// costs O((1+k) log n) for k intervals reported, so that a document with
// thousands of passages is never compared with itself pair by pair.
//
// Its users build one document's tree at a time, in scratch they reuse:
// one tree over every document held 20 bytes a member at once, the
// largest allocation of the last step at 10 GB (docs/benchmarks.md, "The
// last step's interval trees, one document at a time").
type stabTree struct {
	start, end, id []int32 // by start
	size           int     // leaves, a power of 2
	tree           []int32 // 2·size entries: node i's largest end, children 2i and 2i+1
}

// reset indexes occ.at(i) for i in ids: occurrences of one document, sorted
// by start. It keeps no reference to ids.
func (t *stabTree) reset(occ occurrences, ids []int32) {
	t.start, t.end, t.id = t.start[:0], t.end[:0], append(t.id[:0], ids...)
	for _, i := range ids {
		t.start = append(t.start, occ.at(i).Start)
		t.end = append(t.end, occ.at(i).End)
	}
	t.size = 1
	for t.size < len(ids) {
		t.size *= 2
	}
	t.tree = slices.Grow(t.tree[:0], 2*t.size)[:2*t.size]
	for i := range t.tree {
		t.tree[i] = -1 << 31
	}
	copy(t.tree[t.size:], t.end)
	for i := t.size - 1; i >= 1; i-- {
		t.tree[i] = max(t.tree[2*i], t.tree[2*i+1])
	}
}

// containing calls fn with the id of every interval whose start is at
// most qs and whose end is at least qe, in order of start.
func (t *stabTree) containing(qs, qe int32, fn func(id int32)) {
	n, _ := slices.BinarySearchFunc(t.start, qs, func(s, q int32) int {
		if s <= q {
			return -1
		}
		return 1
	})
	if n == 0 {
		return
	}
	// Depth-first, left to right, over the leaves [0, n) with end >= qe.
	var stack [64]struct{ node, lo, hi int }
	stack[0] = struct{ node, lo, hi int }{1, 0, t.size}
	for sp := 1; sp > 0; {
		sp--
		e := stack[sp]
		if e.lo >= n || t.tree[e.node] < qe {
			continue
		}
		if e.hi-e.lo == 1 {
			fn(t.id[e.lo])
			continue
		}
		mid := (e.lo + e.hi) / 2
		stack[sp] = struct{ node, lo, hi int }{2*e.node + 1, mid, e.hi}
		stack[sp+1] = struct{ node, lo, hi int }{2 * e.node, e.lo, mid}
		sp += 2
	}
}
