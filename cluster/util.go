package cluster

import "slices"

func sortedUnique(xs []uint32) []uint32 {
	slices.Sort(xs)
	return slices.Compact(xs)
}

func sortBuckets(bs [][]uint32) {
	slices.SortFunc(bs, func(x, y []uint32) int { return slices.Compare(x, y) })
}
