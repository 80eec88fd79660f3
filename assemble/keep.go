package assemble

import (
	"cmp"
	"context"
	"slices"
	"sort"

	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/index"
	"github.com/reuse-tool/reuse/pairs"
)

// keepable returns the clusters holding boilerplate (of Result's
// boiler) that may be kept (KeptCluster), each by its families of
// boilerplate (one, or several that passages join; passages joined to
// them or merged into them are kept with them: Joined members). With
// each, whether it is Apart, its members as found (copied: toBytes
// converts fams' in place), and the passages (sides, in n documents)
// meeting its members, as pairs of documents (the member's, the other
// side's).
func keepable(ctx context.Context, n int, fams []cluster.Family, boilerFamily, passageFamily []int32, sides [][2]cluster.Occurrence, window int) (bs [][]int, apart []bool, found [][]cluster.Occurrence, touching [][][2]uint32, err error) {
	units := make([][]int, len(fams)) // the families of boilerplate in each
	for b, f := range boilerFamily {
		units[f] = append(units[f], b)
	}
	near, err := newSideIndex(ctx, n, sides)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	for b, f := range boilerFamily {
		if err := checkEvery(ctx, b); err != nil {
			return nil, nil, nil, nil, err
		}
		if units[f][0] != b {
			continue // a cluster of several families, kept at its first
		}
		fam := fams[f]
		var touch [][2]uint32
		var others []uint32
		walked := true
		for _, o := range fam.Members {
			if others, walked = near.meeting(others[:0], o.Doc, o.Start, o.End); !walked {
				break
			}
			for _, d := range others {
				touch = append(touch, [2]uint32{o.Doc, d})
			}
		}
		if !walked {
			continue // not kept: its members lie under more passages than a check would read
		}
		slices.SortFunc(touch, func(a, b [2]uint32) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
		bs = append(bs, units[f])
		found = append(found, slices.Clone(fam.Members))
		touching = append(touching, slices.Compact(touch))
	}
	if apart, err = apartOf(ctx, n, fams, boilerFamily, bs, 2*int32(window-1)); err != nil {
		return nil, nil, nil, nil, err
	}
	return bs, apart, found, touching, nil
}

// apartOf reports, for each cluster of the families of boilerplate bs
// (of Result's boiler, numbered among fams by boilerFamily), whether
// every occurrence of another cluster's boilerplate in the n documents
// that starts at or before one of its members ends gap tokens before it,
// or earlier (KeptCluster.Apart).
func apartOf(ctx context.Context, n int, fams []cluster.Family, boilerFamily []int32, bs [][]int, gap int32) ([]bool, error) {
	type occ struct {
		start, end int32
		fam        int32 // its family among fams
	}
	from := make([]int, n+1)
	for _, f := range boilerFamily {
		for _, o := range fams[f].Members {
			from[o.Doc+1]++
		}
	}
	for d := range n {
		from[d+1] += from[d]
	}
	all := make([]occ, from[n])
	next := slices.Clone(from[:n])
	for _, f := range boilerFamily {
		for _, o := range fams[f].Members {
			all[next[o.Doc]] = occ{o.Start, o.End, f}
			next[o.Doc]++
		}
	}
	// near[i]: the occurrence all[i] (sorted by start in its document)
	// has another family's ending less than gap before it, or after.
	near := make([]bool, len(all))
	for d := range n {
		if err := checkEvery(ctx, d); err != nil {
			return nil, err
		}
		os := all[from[d]:from[d+1]]
		slices.SortFunc(os, func(a, b occ) int { return cmp.Compare(a.start, b.start) })
		// The furthest end of the occurrences so far, and the furthest
		// of another family than the first's.
		var best, second occ
		best.end, second.end = math32min, math32min
		for lo := 0; lo < len(os); {
			hi := lo + 1
			for hi < len(os) && os[hi].start == os[lo].start {
				hi++
			}
			for i := lo; i < hi; i++ {
				o := os[i]
				other := best.end
				if best.fam == o.fam {
					other = second.end
				}
				tied := slices.ContainsFunc(os[lo:hi], func(p occ) bool { return p.fam != o.fam })
				near[from[d]+i] = tied || other > o.start-gap
			}
			for _, o := range os[lo:hi] {
				switch {
				case o.fam == best.fam:
					best.end = max(best.end, o.end)
				case o.end > best.end:
					best, second = o, best
				case o.end > second.end:
					second = o
				}
			}
			lo = hi
		}
	}
	isNear := func(f int32, o cluster.Occurrence) bool {
		os := all[from[o.Doc]:from[o.Doc+1]]
		i, _ := slices.BinarySearchFunc(os, o.Start, func(p occ, s int32) int { return cmp.Compare(p.start, s) })
		for ; i < len(os) && os[i].start == o.Start; i++ {
			if os[i].fam == f && os[i].end == o.End {
				return near[from[o.Doc]+i]
			}
		}
		return true
	}
	out := make([]bool, len(bs))
	for i, b := range bs {
		f := boilerFamily[b[0]]
		out[i] = !slices.ContainsFunc(fams[f].Members, func(o cluster.Occurrence) bool { return isNear(f, o) })
	}
	return out, nil
}

// math32min is the least int32.
const math32min = -1 << 31

// sideIndex finds the passages' sides meeting a range of a document: by
// document, the sides sorted by start, the furthest end among each one
// and those before it, and the document of each one's other side.
type sideIndex struct {
	from                 []int // by document, where its sides begin; then the end
	starts, ends, maxEnd []int32
	other                []uint32
}

func newSideIndex(ctx context.Context, n int, sides [][2]cluster.Occurrence) (*sideIndex, error) {
	si := &sideIndex{from: make([]int, n+1)}
	for _, sd := range sides {
		si.from[sd[0].Doc+1]++
		si.from[sd[1].Doc+1]++
	}
	for d := range n {
		si.from[d+1] += si.from[d]
	}
	type side struct {
		o     cluster.Occurrence
		other uint32
	}
	placed := make([]side, si.from[n])
	next := slices.Clone(si.from[:n])
	for i, sd := range sides {
		if err := checkEvery(ctx, i); err != nil {
			return nil, err
		}
		for k, o := range sd {
			placed[next[o.Doc]] = side{o, sd[1-k].Doc}
			next[o.Doc]++
		}
	}
	si.starts, si.ends, si.maxEnd, si.other = make([]int32, len(placed)), make([]int32, len(placed)), make([]int32, len(placed)), make([]uint32, len(placed))
	for d := range n {
		if err := checkEvery(ctx, d); err != nil {
			return nil, err
		}
		os := placed[si.from[d]:si.from[d+1]]
		slices.SortFunc(os, func(a, b side) int { return cmp.Compare(a.o.Start, b.o.Start) })
		for i, sd := range os {
			at := si.from[d] + i
			si.starts[at], si.ends[at], si.maxEnd[at], si.other[at] = sd.o.Start, sd.o.End, sd.o.End, sd.other
			if i > 0 {
				si.maxEnd[at] = max(sd.o.End, si.maxEnd[at-1])
			}
		}
	}
	return si, nil
}

// meeting appends to dst the documents of the other sides of the sides
// in document d meeting [start, end), and returns it; ok false, where it
// would look at more than maxMeetingWalk sides, so that the cost stays
// linear in the members (a table repeated in a document may lie under
// thousands of passages).
func (si *sideIndex) meeting(dst []uint32, d uint32, start, end int32) (_ []uint32, ok bool) {
	if int(d)+1 >= len(si.from) {
		return dst, true
	}
	lo, hi := si.from[d], si.from[d+1]
	k := lo + sort.Search(hi-lo, func(i int) bool { return si.starts[lo+i] >= end })
	// The furthest end so far falls as the walk goes back: at start or
	// before, no side before reaches the range.
	for j := k - 1; j >= lo && si.maxEnd[j] > start; j-- {
		if k-j > maxMeetingWalk {
			return dst, false
		}
		if si.ends[j] > start {
			dst = append(dst, si.other[j])
		}
	}
	return dst, true
}

// maxMeetingWalk is the most passages' sides meeting looks at for one
// member.
const maxMeetingWalk = 1 << 12

// foundIn appends to dst the occurrences of occs (by document and start)
// inside member m, and marks m Joined unless it is exactly one of them.
func foundIn(dst []KeptMember, m *KeptMember, occs []cluster.Occurrence) []KeptMember {
	d := uint32(m.Doc)
	i, _ := slices.BinarySearchFunc(occs, cluster.Occurrence{Doc: d, Start: m.Start}, func(a, b cluster.Occurrence) int {
		return cmp.Or(cmp.Compare(a.Doc, b.Doc), cmp.Compare(a.Start, b.Start))
	})
	j := i
	for j < len(occs) && occs[j].Doc == d && occs[j].End <= m.End {
		j++
	}
	if j == i+1 && occs[i].Start == m.Start && occs[i].End == m.End {
		return dst
	}
	m.Joined = true
	for _, o := range occs[i:j] {
		dst = append(dst, KeptMember{Doc: m.Doc, Start: o.Start, End: o.End})
	}
	return dst
}

// Keep hands keep every cluster of a scan of x that a check of new
// documents against it may serve (KeptCluster, its Family and Families
// unset, in documents of x), with its families of boilerplate bs (of
// boiler), from the aligned pairs ps and the boilerplate as Result takes
// them; it hands nothing else anywhere. Only the families, the widening
// and the byte offsets of the clusters kept are computed: no groups,
// overlaps or excerpts. opt's Params.Window and Workers are read.
func Keep(ctx context.Context, x *index.Index, ps *pairs.Store, boiler [][]cluster.Occurrence, opt Options, keep func(bs []int, c KeptCluster) error) error {
	opt.Workers = max(opt.Workers, 1)
	wide, err := widenBoilerplate(ctx, x, boiler, opt.Params.Window, opt.Workers)
	if err != nil {
		return err
	}
	defer wide.close()
	passageFamily, boilerFamily, fams, err := cluster.FamiliesOn(ctx, opt.Workers, ps.Sides(), ps.Texts(), boiler)
	if err != nil {
		return err
	}
	bs, apart, found, touching, err := keepable(ctx, x.Len(), fams, boilerFamily, passageFamily, ps.Sides(), opt.Params.Window)
	if err != nil {
		return err
	}
	// The families passages are joined to: their members holding a
	// passage's side are Joined, and their own occurrences Found.
	joined := make([]bool, len(fams))
	for _, f := range passageFamily {
		joined[f] = true
	}
	// Only the families kept are converted to bytes.
	kept := make([]cluster.Family, len(bs))
	boilerplate := make([]bool, len(bs))
	for i, b := range bs {
		kept[i], boilerplate[i] = fams[boilerFamily[b[0]]], true
	}
	fams = nil
	if err := toBytes(ctx, x, kept, boilerplate, wide, opt.Workers); err != nil {
		return err
	}
	key := func(d uint32) uint64 { return cluster.DocKey(x.ID(d)) }
	for i, b := range bs {
		if err := ctx.Err(); err != nil {
			return err
		}
		fam := kept[i]
		c := KeptCluster{Apart: apart[i], Members: make([]KeptMember, len(fam.Members)), Touching: make([][2]uint64, len(touching[i]))}
		// The occurrences of its families: of several, a member may
		// hold some of each, whose words its documents reuse (Found).
		occs := boiler[b[0]]
		if len(b) > 1 {
			occs = nil
			for _, bj := range b {
				occs = append(occs, boiler[bj]...)
			}
			slices.SortFunc(occs, func(p, q cluster.Occurrence) int {
				return cmp.Or(cmp.Compare(p.Doc, q.Doc), cmp.Compare(p.Start, q.Start), cmp.Compare(p.End, q.End))
			})
		}
		for m, o := range fam.Members {
			t := found[i][m]
			c.Members[m] = KeptMember{Doc: uint64(t.Doc), Start: t.Start, End: t.End, ByteStart: uint32(o.Start), ByteEnd: uint32(o.End), Derived: fam.Derived != nil && fam.Derived[m]}
			if (joined[boilerFamily[b[0]]] || len(b) > 1) && !c.Members[m].Derived {
				c.Found = foundIn(c.Found, &c.Members[m], occs)
			}
		}
		c.HasRefs, c.References = keptReferences(c.Members, b, boiler, key)
		for j, t := range touching[i] {
			c.Touching[j] = [2]uint64{uint64(t[0]), uint64(t[1])}
		}
		if len(c.Touching) == 0 {
			c.Touching = nil
		}
		if err := keep(b, c); err != nil {
			return err
		}
	}
	return nil
}

// keptReferences returns the references of a kept cluster
// (KeptCluster.References) of the families bs of boiler, its members
// members (in x's documents, whose keys key gives): of one family, among
// its members as found (not Derived); of several, the least first
// reference of the families' occurrences and the last second one, if
// each has two.
func keptReferences(members []KeptMember, bs []int, boiler [][]cluster.Occurrence, key func(d uint32) uint64) (bool, [2]KeptReference) {
	var refs [2]KeptReference
	if len(bs) == 1 {
		var found []cluster.Occurrence
		for _, m := range members {
			if !m.Derived {
				found = append(found, cluster.Occurrence{Doc: uint32(m.Doc), Start: m.Start, End: m.End})
			}
		}
		least, next := cluster.References(found, key)
		if next < 0 {
			return false, refs
		}
		for i, m := range [2]int{least, next} {
			refs[i] = KeptReference{Key: key(found[m].Doc), Start: found[m].Start}
		}
		return true, refs
	}
	before := func(a, b KeptReference) bool {
		return cmp.Or(cmp.Compare(a.Key, b.Key), cmp.Compare(a.Start, b.Start)) < 0
	}
	for i, b := range bs {
		least, next := cluster.References(boiler[b], key)
		if next < 0 {
			return false, [2]KeptReference{}
		}
		l := KeptReference{Key: key(boiler[b][least].Doc), Start: boiler[b][least].Start}
		n := KeptReference{Key: key(boiler[b][next].Doc), Start: boiler[b][next].Start}
		if i == 0 || before(l, refs[0]) {
			refs[0] = l
		}
		if i == 0 || before(refs[1], n) {
			refs[1] = n
		}
	}
	return true, refs
}
