package cluster

import (
	"context"
	"slices"
)

// stabForest answers "which intervals contain this one" over the
// occurrences of many documents: for each document, its intervals sorted
// by start and a tree of the largest end over every range of them, all in
// flat arrays. A query costs O((1+k) log n) for k intervals reported, so
// that a document with thousands of passages is never compared with
// itself pair by pair; it takes 12 bytes an interval and at most 16 more
// for the trees.
type stabForest struct {
	docs       []uint32 // the documents, ascending
	from       []int32  // document i's intervals: [from[i], from[i+1])
	start, end []int32  // by document, then start, end and id
	id         []int32
	treeOff    []int32 // document i's tree: tree[treeOff[i]:...], 2·size entries
	treeSize   []int32 // leaves of document i's tree, a power of 2
	tree       []int32
}

// newStabForest indexes the occurrences occ[i] for i in ids. It sorts
// ids in place and keeps them: the caller gives them up.
func newStabForest(ctx context.Context, occ []Occurrence, ids []int32) (*stabForest, error) {
	err := sortByDoc(ctx, occ, ids, true)
	if err != nil {
		return nil, err
	}
	f := &stabForest{id: ids, start: make([]int32, len(ids)), end: make([]int32, len(ids))}
	for i, id := range ids {
		f.start[i], f.end[i] = occ[id].Start, occ[id].End
		if i == 0 || occ[id].Doc != occ[ids[i-1]].Doc {
			f.docs = append(f.docs, occ[id].Doc)
			f.from = append(f.from, int32(i))
		}
	}
	f.from = append(f.from, int32(len(ids)))
	total := 0
	for d := range f.docs {
		n := int(f.from[d+1] - f.from[d])
		size := 1
		for size < n {
			size *= 2
		}
		f.treeOff = append(f.treeOff, int32(total))
		f.treeSize = append(f.treeSize, int32(size))
		total += 2 * size
	}
	f.tree = make([]int32, total)
	for d := range f.docs {
		if err := checkEvery(ctx, d); err != nil {
			return nil, err
		}
		lo, hi := f.from[d], f.from[d+1]
		size := int(f.treeSize[d])
		t := f.tree[f.treeOff[d] : int(f.treeOff[d])+2*size]
		for i := range t {
			t[i] = -1 << 31
		}
		copy(t[size:], f.end[lo:hi])
		for i := size - 1; i >= 1; i-- {
			t[i] = max(t[2*i], t[2*i+1])
		}
	}
	return f, nil
}

// containing calls fn with the id of every interval of document doc whose
// start is at most qs and whose end is at least qe, in order of start
// (then end, then id).
func (f *stabForest) containing(doc uint32, qs, qe int32, fn func(id int32)) {
	d, ok := slices.BinarySearch(f.docs, doc)
	if !ok {
		return
	}
	lo, hi := int(f.from[d]), int(f.from[d+1])
	starts := f.start[lo:hi]
	n, _ := slices.BinarySearchFunc(starts, qs, func(s, t int32) int {
		if s <= t {
			return -1
		}
		return 1
	})
	if n == 0 {
		return
	}
	size := int(f.treeSize[d])
	t := f.tree[f.treeOff[d] : int(f.treeOff[d])+2*size]
	// Depth-first, left to right, over the leaves [0, n) with end >= qe.
	var stack [64]struct{ node, lo, hi int }
	stack[0] = struct{ node, lo, hi int }{1, 0, size}
	for sp := 1; sp > 0; {
		sp--
		e := stack[sp]
		if e.lo >= n || t[e.node] < qe {
			continue
		}
		if e.hi-e.lo == 1 {
			fn(f.id[lo+e.lo])
			continue
		}
		mid := (e.lo + e.hi) / 2
		stack[sp] = struct{ node, lo, hi int }{2*e.node + 1, mid, e.hi}
		stack[sp+1] = struct{ node, lo, hi int }{2 * e.node, e.lo, mid}
		sp += 2
	}
}
