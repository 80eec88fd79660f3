package cluster

import (
	"cmp"
	"context"
	"slices"
)

func sortedUnique(xs []uint32) []uint32 {
	slices.Sort(xs)
	return slices.Compact(xs)
}

func sortBuckets(bs [][]uint32) {
	slices.SortFunc(bs, func(x, y []uint32) int { return slices.Compare(x, y) })
}

// sortByDoc sorts ids (indices of occ) by occ[id].Doc, and the ids of one
// document by within, which must be a total order (ending with the ids
// themselves). Documents are counted into place in O(n + documents), so
// that only each document's own occurrences are compared; one comparison
// sort of them all ran on one core for seconds on the Linux tree
// (docs/benchmarks.md, "Measurements behind the code"). Sparse document
// numbers fall back to that sort.
//
// It looks at ctx every few thousand documents and returns its error,
// ids then in no particular order.
func sortByDoc(ctx context.Context, occ []Occurrence, ids []int32, within func(x, y int32) int) error {
	var top uint32
	for _, id := range ids {
		top = max(top, occ[id].Doc)
	}
	if int64(top) > 4*int64(len(ids))+1<<16 {
		slices.SortFunc(ids, func(x, y int32) int {
			if dx, dy := occ[x].Doc, occ[y].Doc; dx != dy {
				return cmp.Compare(dx, dy)
			}
			return within(x, y)
		})
		return ctx.Err()
	}
	from := make([]int32, int(top)+2)
	for _, id := range ids {
		from[occ[id].Doc+1]++
	}
	for d := 1; d < len(from); d++ {
		from[d] += from[d-1]
	}
	next := slices.Clone(from[:len(from)-1])
	sorted := make([]int32, len(ids))
	for _, id := range ids {
		d := occ[id].Doc
		sorted[next[d]] = id
		next[d]++
	}
	for d := range len(from) - 1 {
		if err := checkEvery(ctx, d); err != nil {
			return err
		}
		if row := sorted[from[d]:from[d+1]]; len(row) > 1 {
			slices.SortFunc(row, within)
		}
	}
	copy(ids, sorted)
	return nil
}
