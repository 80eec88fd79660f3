package reusebeam

import (
	"cmp"
	"encoding/binary"
	"slices"

	"github.com/reuse-tool/reuse/assemble"
	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/internal/postings"
	"github.com/reuse-tool/reuse/internal/spool"
	"github.com/reuse-tool/reuse/result"
)

// Boiler is a family of boilerplate occurrences (cluster.Boilerplate),
// sorted by (Doc, Start): its first occurrence names it.
type Boiler struct {
	Occs []cluster.Occurrence
}

// boilerFn turns all boilerplate postings into families
// (cluster.Boilerplate, a union-find over fingerprints): one worker,
// O(boilerplate postings). Each occurrence also goes to its document, for
// the evidence filter.
type boilerFn struct {
	Settings Settings
}

func (f *boilerFn) ProcessElement(_ int, iter func(*postings.Posting) bool, fams func(Boiler), occs func(uint32, cluster.Occurrence)) {
	var ps []postings.Posting
	var p postings.Posting
	for iter(&p) {
		ps = append(ps, p)
	}
	slices.SortFunc(ps, func(x, y postings.Posting) int {
		return cmp.Or(cmp.Compare(x.Hash, y.Hash), postings.ByDocPos(x, y))
	})
	opt := f.Settings.options()
	for _, fam := range cluster.Boilerplate(ps, opt.Shingle, opt.Window) {
		fams(Boiler{Occs: fam})
		for _, o := range fam {
			occs(o.Doc, o)
		}
	}
}

// Nodes of the graph of families' components: a pair of documents (all
// its passages), or a boilerplate family (by its first occurrence).
func boilerNode(o cluster.Occurrence) uint64 {
	return 1<<63 | uint64(o.Doc)<<31 | uint64(uint32(o.Start)&(1<<31-1))
}

// ItemOcc is one occurrence of a passage or boilerplate family, as a node
// of the graph of families.
type ItemOcc struct {
	Node       uint64
	Start, End int32
}

func pairOccs(p AlignedPair, emit func(uint32, ItemOcc)) {
	n := pairKey(p.A, p.B)
	for _, s := range p.Spans {
		emit(p.A, ItemOcc{n, s.AStart, s.AEnd})
		emit(p.B, ItemOcc{n, s.BStart, s.BEnd})
	}
}

func boilerOccs(b Boiler, emit func(uint32, ItemOcc)) {
	n := boilerNode(b.Occs[0])
	for _, o := range b.Occs {
		emit(o.Doc, ItemOcc{n, o.Start, o.End})
	}
}

// regionFn is the per-document step of families: occurrences of one
// document that overlap (chains of them: a region) tie their passages
// and families together, the edges of the graph whose components
// cluster.Families can take one at a time (everything Families relates,
// same regions, projections through a containing passage, families
// inside others, lies within one region and the partners of its
// passages). It also counts the document's reused words
// (assemble.CoveredTokens).
func regionFn(doc uint32, iter func(*ItemOcc) bool, edges func(uint64, uint64), reused func(uint32, int)) {
	var occs []ItemOcc
	var o ItemOcc
	for iter(&o) {
		occs = append(occs, o)
	}
	slices.SortFunc(occs, func(x, y ItemOcc) int {
		return cmp.Or(cmp.Compare(x.Start, y.Start), cmp.Compare(x.End, y.End), cmp.Compare(x.Node, y.Node))
	})
	spans := make([]cluster.Occurrence, len(occs))
	var first uint64
	end := int32(-1)
	for i, o := range occs {
		spans[i] = cluster.Occurrence{Doc: doc, Start: o.Start, End: o.End}
		if o.Start < end {
			if o.Node != first {
				edges(first, o.Node)
			}
		} else {
			first = o.Node
		}
		end = max(end, o.End)
	}
	reused(doc, assemble.CoveredTokens(spans))
}

// Item is a node of the graph of families: a pair or a boilerplate family.
type Item struct {
	Pair   AlignedPair
	Boiler Boiler
	IsPair bool
}

func pairItem(p AlignedPair) (uint64, Item) { return pairKey(p.A, p.B), Item{Pair: p, IsPair: true} }
func boilerItem(b Boiler) (uint64, Item)    { return boilerNode(b.Occs[0]), Item{Boiler: b} }

// labelItemFn keys an item by its component (itself when it has no edge).
func labelItemFn(node uint64, items func(*Item) bool, labels func(*uint64) bool, emit func(uint64, Item)) {
	l := node
	labels(&l)
	var it Item
	for items(&it) {
		emit(l, it)
		it = Item{}
	}
}

// famKey orders families as Families numbers them: by first occurrence,
// passages (in pair order) before boilerplate families (by their first
// occurrence). Big-endian bytes sort as the numbers do.
func passageKey(a, b uint32, i int) string {
	k := make([]byte, 13)
	binary.BigEndian.PutUint32(k[1:], a)
	binary.BigEndian.PutUint32(k[5:], b)
	binary.BigEndian.PutUint32(k[9:], uint32(i))
	return string(k)
}

func boilerKey(o cluster.Occurrence) string {
	k := make([]byte, 13)
	k[0] = 1
	binary.BigEndian.PutUint32(k[1:], o.Doc)
	binary.BigEndian.PutUint32(k[5:], uint32(o.Start))
	return string(k)
}

// PairOut is an aligned pair and the family (its key) of each passage.
type PairOut struct {
	Pair     AlignedPair
	Families []string
}

// MemberRef is member M of the family Key, in token offsets; Shown is
// the member whose text the cluster shows (assemble.Representative).
type MemberRef struct {
	Key         string
	M           int
	Start, End  int32
	Shown       bool
	Boilerplate bool
}

// familiesFn runs cluster.Families on one component of the graph: its
// pairs' passages in pair order and its boilerplate families in theirs,
// as a scan gives them all. Each family is named by its first
// occurrence; its members go to their documents for byte offsets.
func familiesFn(_ uint64, iter func(*Item) bool, pairs func(PairOut), members func(uint32, MemberRef)) {
	var ps []AlignedPair
	var bs []Boiler
	var it Item
	for iter(&it) {
		if it.IsPair {
			ps = append(ps, it.Pair)
		} else {
			bs = append(bs, it.Boiler)
		}
		it = Item{}
	}
	slices.SortFunc(ps, func(x, y AlignedPair) int { return cmp.Compare(pairKey(x.A, x.B), pairKey(y.A, y.B)) })
	slices.SortFunc(bs, func(x, y Boiler) int {
		return cmp.Or(cmp.Compare(x.Occs[0].Doc, y.Occs[0].Doc), cmp.Compare(x.Occs[0].Start, y.Occs[0].Start))
	})
	var sides [][2]cluster.Occurrence
	var keys []string
	for _, p := range ps {
		for i, s := range p.Spans {
			sides = append(sides, [2]cluster.Occurrence{{Doc: p.A, Start: s.AStart, End: s.AEnd}, {Doc: p.B, Start: s.BStart, End: s.BEnd}})
			keys = append(keys, passageKey(p.A, p.B, i))
		}
	}
	boiler := make([][]cluster.Occurrence, len(bs))
	for i, b := range bs {
		boiler[i] = b.Occs
	}
	passageFamily, boilerFamily, fams := cluster.Families(sides, boiler)
	famKey := make([]string, len(fams))
	isBoiler := make([]bool, len(fams))
	for i, f := range passageFamily {
		if famKey[f] == "" {
			famKey[f] = keys[i]
		}
	}
	for j, f := range boilerFamily {
		if famKey[f] == "" {
			famKey[f] = boilerKey(boiler[j][0])
		}
		isBoiler[f] = true
	}
	next := 0
	for _, p := range ps {
		out := PairOut{Pair: p, Families: make([]string, len(p.Spans))}
		for i := range p.Spans {
			out.Families[i] = famKey[passageFamily[next]]
			next++
		}
		pairs(out)
	}
	for f, fam := range fams {
		shown := assemble.Representative(fam)
		for m, o := range fam.Members {
			members(o.Doc, MemberRef{Key: famKey[f], M: m, Start: o.Start, End: o.End, Shown: m == shown, Boilerplate: isBoiler[f]})
		}
	}
}

// MemberOut is member M of family Key, in byte offsets, with what the
// cluster needs of its document: its id and date, and, for the member
// the cluster shows, the excerpt.
type MemberOut struct {
	M           int
	Doc         uint32
	ID, Date    string
	Start, End  int
	Excerpt     string
	Shown       bool
	Boilerplate bool
}

// memberFn converts a document's members to byte offsets (its tokens),
// and makes the excerpt of each family whose shown member it holds.
func memberFn(doc uint32, refs func(*MemberRef) bool, data func(*DocData) bool, texts func(*Doc) bool, emit func(string, MemberOut)) error {
	var dd DocData
	var d Doc
	var r MemberRef
	var v spool.SeedView
	first := true
	for refs(&r) {
		if first {
			first = false
			data(&dd)
			texts(&d)
			var err error
			if v, err = dd.view(); err != nil {
				return err
			}
		}
		start, end, err := assemble.MemberBytes(v, r.Start, r.End)
		if err != nil {
			return err
		}
		m := MemberOut{M: r.M, Doc: doc, ID: d.ID, Date: d.Date, Start: start, End: end, Boilerplate: r.Boilerplate}
		if r.Shown {
			m.Excerpt, m.Shown = assemble.Excerpt(d.Text[start:end]), true
		}
		emit(r.Key, m)
	}
	return nil
}

// ClusterOut is a cluster, named by its family's first occurrence; its ID
// is given when the result is written.
type ClusterOut struct {
	Key     string
	Cluster result.Cluster
}

// clusterFn makes a family's cluster, as a scan does.
func clusterFn(key string, iter func(*MemberOut) bool, emit func(ClusterOut)) {
	var ms []MemberOut
	var m MemberOut
	for iter(&m) {
		ms = append(ms, m)
	}
	slices.SortFunc(ms, func(x, y MemberOut) int { return cmp.Compare(x.M, y.M) })
	c := result.Cluster{Members: make([]result.Member, len(ms)), Boilerplate: ms[0].Boilerplate}
	for i, m := range ms {
		c.Members[i] = result.Member{Doc: m.ID, Start: m.Start, End: m.End}
		if i == 0 || m.Doc != ms[i-1].Doc { // members are sorted by document
			c.Documents = append(c.Documents, m.ID)
		}
		if m.Shown {
			c.Text = m.Excerpt
		}
	}
	if e := assemble.EarliestMember(len(ms), func(i int) string { return ms[i].Date }); e >= 0 {
		c.Earliest = ms[e].ID
	}
	emit(ClusterOut{Key: key, Cluster: c})
}
