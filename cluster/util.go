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

// sortByDoc sorts ids (indices of occ) by (Doc, Start, id), or by (Doc,
// Start, End, id) when withEnd. Documents are counted into place in O(n +
// documents), so that only each document's own occurrences are sorted;
// one comparison sort of them all ran on one core for seconds on the
// Linux tree (docs/benchmarks.md, "Measurements behind the code"). Each
// document's are sorted by integer keys (package keysort: a comparison
// function called n·log n times cost as much again). Sparse document
// numbers, or places too large to pack, fall back to comparison sorts.
//
// It looks at ctx every few thousand documents and returns its error,
// ids then in no particular order.
func sortByDoc(ctx context.Context, occ occurrences, ids []int32, withEnd bool) error {
	within := func(x, y int32) int {
		a, b := occ.at(x), occ.at(y)
		if withEnd {
			return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End), cmp.Compare(x, y))
		}
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(x, y))
	}
	var top uint32
	for _, id := range ids {
		top = max(top, occ.at(id).Doc)
	}
	if int64(top) > 4*int64(len(ids))+1<<16 {
		slices.SortFunc(ids, func(x, y int32) int {
			if dx, dy := occ.at(x).Doc, occ.at(y).Doc; dx != dy {
				return cmp.Compare(dx, dy)
			}
			return within(x, y)
		})
		return ctx.Err()
	}
	from := make([]int32, int(top)+2)
	for _, id := range ids {
		from[occ.at(id).Doc+1]++
	}
	for d := 1; d < len(from); d++ {
		from[d] += from[d-1]
	}
	next := slices.Clone(from[:len(from)-1])
	sorted := make([]int32, len(ids))
	for _, id := range ids {
		d := occ.at(id).Doc
		sorted[next[d]] = id
		next[d]++
	}
	var ks keysort.Sorter[int32]
	for d := range len(from) - 1 {
		if err := checkEvery(ctx, d); err != nil {
			return err
		}
		if row := sorted[from[d]:from[d+1]]; len(row) > 1 {
			sortRow(&ks, occ, row, withEnd, within)
		}
	}
	copy(ids, sorted)
	return nil
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
