package cluster

import (
	"cmp"
	"context"
	"math"
	"slices"

	"github.com/reuse-tool/reuse/internal/keysort"
)

func sortedUnique(xs []uint32) []uint32 {
	slices.Sort(xs)
	return slices.Compact(xs)
}

func sortBuckets(bs [][]uint32) {
	slices.SortFunc(bs, func(x, y []uint32) int { return slices.Compare(x, y) })
}

// sortByDoc returns ids (indices of occ) sorted by (Doc, Start, id), or
// by (Doc, Start, End, id) when withEnd; nil ids stand for every
// occurrence of occ, without an array of them: at 10 GB of news that
// array (4 bytes an occurrence, 0.18 GB) was held beside the sorted one
// at the last step's peak (docs/benchmarks.md, "The families' members
// through a file"). The result is a new array, or ids sorted in place.
// Documents are counted into place in O(n + documents), so that only
// each document's own occurrences are sorted; one comparison sort of
// them all ran on one core for seconds on the Linux tree
// (docs/benchmarks.md, "Measurements behind the code"). Each document's
// are sorted by integer keys (package keysort: a comparison function
// called n·log n times cost as much again). Sparse document numbers, or
// places too large to pack, fall back to comparison sorts.
//
// It looks at ctx every few thousand documents and returns its error.
func sortByDoc(ctx context.Context, occ occurrences, ids []int32, withEnd bool) ([]int32, error) {
	within := func(x, y int32) int {
		a, b := occ.at(x), occ.at(y)
		if withEnd {
			return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End), cmp.Compare(x, y))
		}
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(x, y))
	}
	n := len(ids)
	id := func(i int) int32 { return ids[i] }
	if ids == nil {
		n = occ.len()
		id = func(i int) int32 { return int32(i) }
	}
	var top uint32
	for i := range n {
		top = max(top, occ.at(id(i)).Doc)
	}
	if int64(top) > 4*int64(n)+1<<16 {
		if ids == nil {
			ids = make([]int32, n)
			for i := range ids {
				ids[i] = int32(i)
			}
		}
		slices.SortFunc(ids, func(x, y int32) int {
			if dx, dy := occ.at(x).Doc, occ.at(y).Doc; dx != dy {
				return cmp.Compare(dx, dy)
			}
			return within(x, y)
		})
		return ids, ctx.Err()
	}
	from := make([]int32, int(top)+2)
	for i := range n {
		from[occ.at(id(i)).Doc+1]++
	}
	for d := 1; d < len(from); d++ {
		from[d] += from[d-1]
	}
	next := slices.Clone(from[:len(from)-1])
	sorted := make([]int32, n)
	for i := range n {
		x := id(i)
		d := occ.at(x).Doc
		sorted[next[d]] = x
		next[d]++
	}
	next = nil
	var ks keysort.Sorter[int32]
	for d := range len(from) - 1 {
		if err := checkEvery(ctx, d); err != nil {
			return nil, err
		}
		if row := sorted[from[d]:from[d+1]]; len(row) > 1 {
			sortRow(&ks, occ, row, withEnd, within)
		}
	}
	return sorted, nil
}

// sortRow sorts one document's ids by within, through integer keys of
// their places where they fit: by (Start, End) packed, then each run of
// equal places by id.
func sortRow(ks *keysort.Sorter[int32], occ occurrences, row []int32, withEnd bool, within func(x, y int32) int) {
	var topEnd uint64
	if withEnd {
		for _, id := range row {
			topEnd = max(topEnd, uint64(max(occ.at(id).End, 0)))
		}
	}
	w := keysort.Width(topEnd)
	key := func(id int32) uint64 {
		o := occ.at(id)
		if o.Start < 0 || o.End < 0 {
			return math.MaxUint64 // refused: comparison sort
		}
		if withEnd {
			return uint64(o.Start)<<w | uint64(o.End)
		}
		return uint64(o.Start)
	}
	if !ks.Stable(row, key) {
		slices.SortFunc(row, within)
		return
	}
	for lo := 0; lo < len(row); {
		hi := lo + 1
		for hi < len(row) && key(row[hi]) == key(row[lo]) {
			hi++
		}
		if hi-lo > 1 {
			slices.Sort(row[lo:hi])
		}
		lo = hi
	}
}

// occurrences are the nodes of Families' graph, read where the caller
// holds them instead of copied (at 10 GB of news they are tens of
// millions, docs/benchmarks.md, "The last step's interval trees, one
// document at a time"): node i < 2·len(sides) is side i&1 of passage
// i/2, the others the boilerplate's, one after another.
type occurrences struct {
	sides  [][2]Occurrence
	boiler []Occurrence
}

func (o occurrences) len() int { return 2*len(o.sides) + len(o.boiler) }

func (o occurrences) at(i int32) Occurrence {
	if n := int32(2 * len(o.sides)); i >= n {
		return o.boiler[i-n]
	}
	return o.sides[i>>1][i&1]
}

// flatten returns the occurrences of groups, group after group, in one
// slice: the array they lie in when they lie one after another in the
// array the first one's capacity spans (as Boilerplate lays them out),
// a copy otherwise.
func flatten(groups [][]Occurrence) []Occurrence {
	total := 0
	for _, g := range groups {
		total += len(g)
	}
	if total == 0 {
		return nil
	}
	if cap(groups[0]) >= total {
		all, at := groups[0][:total:total], 0
		in := true
		for _, g := range groups {
			if len(g) > 0 && &all[at] != &g[0] {
				in = false
				break
			}
			at += len(g)
		}
		if in {
			return all
		}
	}
	out := make([]Occurrence, 0, total)
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}
