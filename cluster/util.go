package cluster

import (
	"encoding/binary"
	"slices"
)

func sortedUnique(xs []uint32) []uint32 {
	slices.Sort(xs)
	return slices.Compact(xs)
}

// bucketID is a map key for a sorted set of documents.
func bucketID(docs []uint32) string {
	b := make([]byte, 4*len(docs))
	for i, d := range docs {
		binary.LittleEndian.PutUint32(b[4*i:], d)
	}
	return string(b)
}

func sortBuckets(bs [][]uint32) {
	slices.SortFunc(bs, func(x, y []uint32) int { return slices.Compare(x, y) })
}
