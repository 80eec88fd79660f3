package assemble

import (
	"slices"

	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/result"
)

// selection is what a result lists: every document, pair, family and
// group, or (Options.Focus) those concerning the focus documents.
type selection struct {
	listed   []bool // by document; nil: all
	docCount int
	pairs    int
	passages int
	// With a focus only:
	newID        []int32 // by family of cluster.Families: its number among fams, -1 when left out
	fams         []cluster.Family
	boilerFamily []int32 // the boilerplate families kept, numbered among fams
	groups       []result.Group
	reused       []int // tokens of documents that are not a focus, shared with focus documents
}

func (s *selection) doc(d uint32) bool { return s.listed == nil || s.listed[d] }

// selectAll selects everything: n documents, pairs pairs, passages
// passages.
func selectAll(n, pairs, passages int) selection {
	return selection{docCount: n, pairs: pairs, passages: passages}
}

// selectFocus selects what concerns the focus documents (see
// Options.Focus).
func selectFocus(focus func(uint32) bool, find func(id string) (uint32, bool), n int, sides [][2]cluster.Occurrence, passageFamily []int32, fams []cluster.Family, boiler [][]cluster.Occurrence, boilerFamily []int32, groups []result.Group) selection {
	s := selection{listed: make([]bool, n), newID: make([]int32, len(fams)), boilerFamily: []int32{}}
	for d := range s.listed {
		s.listed[d] = focus(uint32(d))
	}
	for f := range s.newID {
		s.newID[f] = -1
	}
	keep := func(f int32) {
		if s.newID[f] < 0 {
			s.newID[f] = int32(len(s.fams))
			s.fams = append(s.fams, fams[f])
		}
	}
	// Pairs with a focus document, and their passages' families in order
	// of first appearance.
	shared := make([][]cluster.Occurrence, n)
	for i, sd := range sides {
		a, b := sd[0].Doc, sd[1].Doc
		if !focus(a) && !focus(b) {
			continue
		}
		if i == 0 || sides[i-1][0].Doc != a || sides[i-1][1].Doc != b {
			s.pairs++
		}
		s.passages++
		keep(passageFamily[i])
		for _, o := range sd {
			s.listed[o.Doc] = true
			shared[o.Doc] = append(shared[o.Doc], o)
		}
	}
	// Then the families holding a focus document, in their order.
	for f, fam := range fams {
		if slices.ContainsFunc(fam.Members, func(o cluster.Occurrence) bool { return focus(o.Doc) }) {
			keep(int32(f))
		}
	}
	for _, fam := range s.fams {
		for _, o := range fam.Members {
			s.listed[o.Doc] = true
		}
	}
	for j, f := range boilerFamily {
		if s.newID[f] >= 0 {
			s.boilerFamily = append(s.boilerFamily, s.newID[f])
			for _, o := range boiler[j] {
				shared[o.Doc] = append(shared[o.Doc], o)
			}
		}
	}
	// Groups holding a focus document, numbered again.
	for _, g := range groups {
		has := false
		for _, id := range g.Documents {
			d, ok := find(id)
			has = has || ok && focus(d)
		}
		if !has {
			continue
		}
		for _, id := range g.Documents {
			if d, ok := find(id); ok {
				s.listed[d] = true
			}
		}
		g.ID = len(s.groups) + 1
		s.groups = append(s.groups, g)
	}
	s.reused = make([]int, n)
	for d := range shared {
		s.reused[d] = CoveredTokens(shared[d])
	}
	for _, l := range s.listed {
		if l {
			s.docCount++
		}
	}
	return s
}

// Reached is what the families and groups holding a focus document reach
// (Options.Reach), in documents that are not a focus, sorted and
// distinct.
type Reached struct {
	// Docs are the documents of the families of passages holding a focus
	// document, of the families of passages with a member inside one of
	// theirs or holding one (cluster.Related), and of the groups holding
	// a focus document.
	Docs []uint32
	// Paired are the documents holding a passage.
	Paired []uint32
	// Boilerplate reports that a family of boilerplate holds a focus
	// document: its members are every place of its text, which following
	// pairs does not find.
	Boilerplate bool
}

// boilerplateOf reports whether one of the boilerplate families (numbered
// among fams) holds a focus document.
func boilerplateOf(focus func(uint32) bool, fams []cluster.Family, boilerFamily []int32) bool {
	return slices.ContainsFunc(boilerFamily, func(f int32) bool {
		return slices.ContainsFunc(fams[f].Members, func(o cluster.Occurrence) bool { return focus(o.Doc) })
	})
}

// reachOf returns the documents that are not a focus and that the
// families and groups holding a focus document reach (see Options.Reach),
// sorted and distinct: every document of a family of passages holding a
// focus document, of a family of passages with a member inside one of
// that family's members or holding one (cluster.Related), and of a group
// holding a focus document.
// Families holding boilerplate are left out: their members are the
// postings of fingerprints held by too many documents, which no
// following of pairs completes.
func reachOf(focus func(uint32) bool, find func(id string) (uint32, bool), n int, fams []cluster.Family, boilerFamily []int32, groups []result.Group) []uint32 {
	boilerplate := make([]bool, len(fams))
	for _, f := range boilerFamily {
		boilerplate[f] = true
	}
	reached := make([]bool, n)
	// The families of passages holding a focus document, and those one of
	// whose members lies inside one of theirs, or holds one of theirs, as
	// cluster.Families merges a family into another (its host): a family
	// that may be hosted by them brings its members in every document, and
	// one that may host them decides whether they merge by its members in
	// every document.
	chosen := make([]bool, len(fams))
	for f, fam := range fams {
		chosen[f] = !boilerplate[f] && slices.ContainsFunc(fam.Members, func(o cluster.Occurrence) bool { return focus(o.Doc) })
	}
	related := cluster.Related(fams, chosen, boilerplate)
	for f, fam := range fams {
		if chosen[f] || related[f] {
			for _, o := range fam.Members {
				reached[o.Doc] = true
			}
		}
	}
	for _, g := range groups {
		ds := make([]uint32, 0, len(g.Documents))
		has := false
		for _, id := range g.Documents {
			if d, ok := find(id); ok {
				ds = append(ds, d)
				has = has || focus(d)
			}
		}
		if has {
			for _, d := range ds {
				reached[d] = true
			}
		}
	}
	var out []uint32
	for d, r := range reached {
		if r && !focus(uint32(d)) {
			out = append(out, uint32(d))
		}
	}
	return out
}

// pairedOf returns the documents that are not a focus and hold one of
// the passages (sides), sorted and distinct.
func pairedOf(focus func(uint32) bool, n int, sides [][2]cluster.Occurrence) []uint32 {
	held := make([]bool, n)
	for _, sd := range sides {
		held[sd[0].Doc], held[sd[1].Doc] = true, true
	}
	var out []uint32
	for d, h := range held {
		if h && !focus(uint32(d)) {
			out = append(out, uint32(d))
		}
	}
	return out
}
