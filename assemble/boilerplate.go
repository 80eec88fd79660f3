package assemble

import (
	"cmp"
	"context"
	"encoding/binary"
	"slices"
	"sort"

	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/index"
	"github.com/reuse-tool/reuse/internal/spool"
	"github.com/reuse-tool/reuse/internal/work"
)

// widened are a scan's boilerplate occurrences widened to the text their
// family shares (cluster.Widen), for the clusters' members and excerpts.
// Families and reused words come from the occurrences as found: widening
// never joins two families, and it depends on the family's first
// occurrences, which a check may not read.
type widened struct {
	// changed holds every occurrence that widening changed, in parts
	// (one a worker, a document's in one of them), each sorted by the
	// occurrence as found, then as widened (occurrences of two families
	// can be equal): joined, they would be copied at the peak of a 10 GB
	// scan's last step.
	changed [][]change
	// aside holds changed on disk between putAside and load: from the
	// widening, made before the families, to the clusters' conversion.
	aside *spool.Array
	sizes []int
	// references holds, by family, the documents of its References
	// (least, next; -1 for none).
	references [][2]int32
}

// changeBytes is a change's record aside: the document, where it was
// found (start, end) and where widened, little endian.
const changeBytes = 20

// putAside writes the changes to a temporary file and drops them: the
// families, built in between, hold the last step's peak (docs/benchmarks.md,
// "Boilerplate put aside during the alignment").
func (wd *widened) putAside(ctx context.Context) error {
	wd.aside = spool.NewArray("reuse-widened-*", changeBytes)
	wd.sizes = make([]int, len(wd.changed))
	at := 0
	var buf []byte
	for p, part := range wd.changed {
		wd.sizes[p] = len(part)
		for i, c := range part {
			buf = binary.LittleEndian.AppendUint32(buf, c.was.Doc)
			for _, v := range [4]int32{c.was.Start, c.was.End, c.is.Start, c.is.End} {
				buf = binary.LittleEndian.AppendUint32(buf, uint32(v))
			}
			if len(buf) >= 1<<24 || i == len(part)-1 {
				if err := wd.aside.PutRange(at, buf); err != nil {
					return err
				}
				at += len(buf) / changeBytes
				buf = buf[:0]
				if err := ctx.Err(); err != nil {
					return err
				}
			}
		}
		wd.changed[p] = nil
	}
	return nil
}

// load reads the changes back from the file putAside wrote, if it did.
func (wd *widened) load(ctx context.Context) error {
	if wd.aside == nil {
		return nil
	}
	at := 0
	var buf []byte
	for p, n := range wd.sizes {
		part := make([]change, 0, n)
		for len(part) < n {
			if err := ctx.Err(); err != nil {
				return err
			}
			k := min(n-len(part), 1<<20)
			var err error
			if buf, err = wd.aside.GetRange(at, k, buf); err != nil {
				return err
			}
			at += k
			for b := buf[:k*changeBytes]; len(b) > 0; b = b[changeBytes:] {
				v := func(i int) int32 { return int32(binary.LittleEndian.Uint32(b[4*i:])) }
				doc := binary.LittleEndian.Uint32(b)
				part = append(part, change{
					was: cluster.Occurrence{Doc: doc, Start: v(1), End: v(2)},
					is:  cluster.Occurrence{Doc: doc, Start: v(3), End: v(4)},
				})
			}
		}
		wd.changed[p] = part
	}
	wd.close()
	return nil
}

// close removes putAside's file, if any.
func (wd *widened) close() {
	if wd.aside != nil {
		wd.aside.Close()
		wd.aside = nil
	}
}

// change is an occurrence of boilerplate, as found and as widened.
type change struct {
	was, is cluster.Occurrence
}

// member returns o widened if it is an occurrence of boilerplate that
// widening changed, o otherwise.
func (wd *widened) member(o cluster.Occurrence) cluster.Occurrence {
	for _, part := range wd.changed {
		i, _ := slices.BinarySearchFunc(part, o, func(c change, o cluster.Occurrence) int {
			return compareOccurrences(c.was, o)
		})
		if i < len(part) && part[i].was == o {
			return part[i].is
		}
	}
	return o
}

// widenBoilerplate widens the occurrences of the boilerplate families
// boiler (cluster.Boilerplate, not modified) with window the scan's: the
// references first, from the occurrences of least key a family
// (cluster.References, keyed by cluster.DocKey of the documents' ids),
// then every document holding an occurrence, each read once, by one
// worker. It keeps 4 bytes an occurrence and 16 a document while it
// works, and 24 an occurrence it changed.
func widenBoilerplate(ctx context.Context, x *index.Index, boiler [][]cluster.Occurrence, window, workers int) (*widened, error) {
	wd := &widened{}
	if window < 2 || len(boiler) == 0 {
		return wd, nil
	}
	k := x.SeedTokens()
	readers := make([]*index.SeedReader, workers)
	for w := range readers {
		readers[w] = x.NewSeedReader()
	}
	keys := make([]uint64, x.Len())
	err := work.Each(ctx, len(keys), workers, func(_, d int) error {
		keys[d] = cluster.DocKey(x.ID(uint32(d)))
		return nil
	})
	if err != nil {
		return nil, err
	}
	key := func(d uint32) uint64 { return keys[d] }
	// refs[f]: family f's References, and the reference
	// (cluster.Reference) from each.
	type references struct {
		least, next int
		seeds       [2][]uint32
	}
	refs := make([]references, len(boiler))
	err = work.Each(ctx, len(boiler), workers, func(w, f int) error {
		fam := boiler[f]
		least, next := cluster.References(fam, key)
		refs[f].least, refs[f].next = least, next
		if least < 0 {
			return nil
		}
		for r, m := range [2]int{least, next} {
			v, err := readers[w].View(fam[m].Doc)
			if err != nil {
				return err
			}
			// In place (nil: no buffer a later record could write over).
			refs[f].seeds[r] = cluster.Reference(nil, v.Seeds(nil), fam[m], window)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	keys = nil
	wd.references = make([][2]int32, len(boiler))
	for f, r := range refs {
		wd.references[f] = [2]int32{-1, -1}
		for i, m := range [2]int{r.least, r.next} {
			if m >= 0 {
				wd.references[f][i] = int32(boiler[f][m].Doc)
			}
		}
	}
	// Every occurrence by document, with no unsorted copy beside them
	// (docs/benchmarks.md, "Boilerplate put aside during the alignment").
	first, from, byDoc, err := placeByDocument(ctx, len(boiler), func(f int) []cluster.Occurrence { return boiler[f] })
	if err != nil {
		return nil, err
	}
	docs := len(from) - 1
	type place struct{ f, m int }
	occs := make([][]cluster.Occurrence, workers)
	docRefs := make([][][]uint32, workers)
	places := make([][]place, workers)
	changed := make([][]change, workers)
	err = work.Each(ctx, docs, workers, func(w, d int) error {
		keys := byDoc[from[d]:from[d+1]]
		if len(keys) == 0 {
			return nil
		}
		v, err := readers[w].View(uint32(d))
		if err != nil {
			return err
		}
		seeds := v.Seeds(nil)
		ps := places[w][:0]
		for _, key := range keys {
			at := int(key)
			f := sort.SearchInts(first, at+1) - 1
			ps = append(ps, place{f, at - first[f]})
		}
		slices.SortFunc(ps, func(a, b place) int { return cmp.Compare(boiler[a.f][a.m].Start, boiler[b.f][b.m].Start) })
		got, rs := occs[w][:0], docRefs[w][:0]
		for _, p := range ps {
			got = append(got, boiler[p.f][p.m])
			var ref []uint32
			fr := refs[p.f]
			if r := cluster.ReferenceOf(p.m, fr.least, fr.next); r >= 0 {
				ref = fr.seeds[0]
				if r == fr.next {
					ref = fr.seeds[1]
				}
			}
			rs = append(rs, ref)
		}
		cluster.Widen(got, rs, seeds, v.Len(), k, window)
		for j, p := range ps {
			if was := boiler[p.f][p.m]; got[j] != was {
				changed[w] = append(changed[w], change{was, got[j]})
			}
		}
		occs[w], docRefs[w], places[w] = got, rs, ps
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, part := range changed {
		slices.SortFunc(part, func(a, b change) int {
			return cmp.Or(compareOccurrences(a.was, b.was), compareOccurrences(a.is, b.is))
		})
	}
	wd.changed = changed
	return wd, nil
}

// compareOccurrences orders occurrences by (Doc, Start, End).
func compareOccurrences(a, b cluster.Occurrence) int {
	return cmp.Or(cmp.Compare(a.Doc, b.Doc), cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End))
}

// byDocument sorts keys, a document in the high 32 bits of each, and
// returns where each document's keys begin, and len(keys) last; or ctx's
// error. Keys of one document keep their order, which must be that of
// their low 32 bits. Many keys (a boilerplate family of a 10 GB archive
// has millions of members) are placed by a counting sort on the
// document, in linear time, looking at ctx as it goes.
func byDocument(ctx context.Context, keys []uint64) ([]int, error) {
	if len(keys) < 1<<16 {
		slices.Sort(keys)
	} else {
		var top uint64
		for _, k := range keys {
			top = max(top, k>>32)
		}
		from := make([]int, top+2)
		for _, k := range keys {
			from[k>>32+1]++
		}
		for d := 1; d < len(from); d++ {
			from[d] += from[d-1]
		}
		sorted := make([]uint64, len(keys))
		for i, k := range keys {
			if i&(1<<16-1) == 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			sorted[from[k>>32]] = k
			from[k>>32]++
		}
		copy(keys, sorted)
	}
	var starts []int
	for i, k := range keys {
		if i == 0 || k>>32 != keys[i-1]>>32 {
			starts = append(starts, i)
		}
	}
	return append(starts, len(keys)), nil
}

// placeByDocument places the occurrences of n groups (group g's are
// occs(g)) by document, with a counting sort: byDoc[from[d]:from[d+1]]
// holds document d's, each by its number among all (first[g] plus its
// place in group g), in that order. It takes 4 bytes an occurrence and
// 8 a document.
func placeByDocument(ctx context.Context, n int, occs func(g int) []cluster.Occurrence) (first, from []int, byDoc []uint32, err error) {
	first = make([]int, n+1)
	docs := 0
	for g := range n {
		first[g+1] = first[g] + len(occs(g))
		for _, o := range occs(g) {
			docs = max(docs, int(o.Doc)+1)
		}
	}
	from = make([]int, docs+1)
	for g := range n {
		for _, o := range occs(g) {
			from[o.Doc+1]++
		}
	}
	for d := 1; d <= docs; d++ {
		from[d] += from[d-1]
	}
	byDoc = make([]uint32, first[n])
	next := slices.Clone(from[:docs])
	at := 0
	for g := range n {
		for _, o := range occs(g) {
			if at&(1<<16-1) == 0 {
				if err := ctx.Err(); err != nil {
					return nil, nil, nil, err
				}
			}
			byDoc[next[o.Doc]] = uint32(at)
			next[o.Doc]++
			at++
		}
	}
	return first, from, byDoc, nil
}
