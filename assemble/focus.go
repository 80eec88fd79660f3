package assemble

import (
	"cmp"
	"iter"
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
	reused       []int  // tokens of documents that are not a focus, shared with focus documents
	openFams     []bool // by family of fams: it may lack members a scan finds; nil: none does
}

func (s *selection) doc(d uint32) bool { return s.listed == nil || s.listed[d] }

// list lists document d too.
func (s *selection) list(d uint32) {
	if !s.doc(d) {
		s.listed[d] = true
		s.docCount++
	}
}

// selectAll selects everything: n documents, pairs pairs, passages
// passages.
func selectAll(n, pairs, passages int) selection {
	return selection{docCount: n, pairs: pairs, passages: passages}
}

// selectFocus selects what concerns the focus documents (see
// Options.Focus).
//
// open (nil: none) reports the families of fams that may lack members a
// scan finds, openGroup the groups: their clusters and groups are marked
// Incomplete.
func selectFocus(focus func(uint32) bool, find func(id string) (uint32, bool), n int, sides [][2]cluster.Occurrence, passageFamily []int32, fams []cluster.Family, boiler [][]cluster.Occurrence, boilerFamily []int32, groups []result.Group, open func(f int32) bool, openGroup func(g int) bool) selection {
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
			if open != nil {
				s.openFams = append(s.openFams, open(f))
			}
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
	for i, g := range groups {
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
		g.Incomplete = openGroup != nil && openGroup(i)
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
	// a focus document: those of all the Zones.
	Docs []uint32
	// Zones cut Docs by what needs them: each family of passages holding
	// a focus document is the scan's, with every member, once every
	// document of its zone has had its pairs aligned; so is each group
	// holding one. A zone is a family with those related to it (joined
	// when two share one), or a group.
	Zones []Zone
	// Paired are the documents holding a passage.
	Paired []uint32
	// Boilerplate reports that a family of boilerplate holds a focus
	// document: its members are every place of its text, which following
	// pairs does not find.
	Boilerplate bool
}

// A Zone is the documents that are not a focus that some families of
// passages holding a focus document, or a group holding one, reach (see
// Reached.Zones), sorted and distinct.
type Zone struct {
	Docs []uint32
	// Boilerplate reports that an occurrence of boilerplate overlaps a
	// member of one of its families: whether they merge, or one hosts
	// the other (cluster.Families), depends on the boilerplate's families,
	// made of every place of its text, so that the zone's families are
	// the scan's only where all of the corpus is read.
	Boilerplate bool
}

// Verdict is what Options.Reach decides of the families and groups a
// round reached: which may lack members a scan finds.
type Verdict struct {
	// Open marks, by zone of Reached.Zones, those whose families or
	// group may lack members: the caller did not align the pairs of all
	// their documents.
	Open []bool
	// Boilerplate reports that the families of boilerplate holding a
	// focus document may lack members (the whole corpus was not read).
	Boilerplate bool
}

// Complete reports whether every family and group of v is the scan's.
func (v Verdict) Complete() bool {
	return !v.Boilerplate && !slices.Contains(v.Open, true)
}

// boilerplateOf reports whether one of the boilerplate families (numbered
// among fams) holds a focus document, but those sv serves (nil: none).
func boilerplateOf(focus func(uint32) bool, fams []cluster.Family, boilerFamily []int32, sv *serving) bool {
	return slices.ContainsFunc(boilerFamily, func(f int32) bool {
		return sv.of(f) == nil && slices.ContainsFunc(fams[f].Members, func(o cluster.Occurrence) bool { return focus(o.Doc) })
	})
}

// zoneDocs returns the documents of zones, sorted and distinct.
func zoneDocs(n int, zones []Zone) []uint32 {
	reached := make([]bool, n)
	for _, z := range zones {
		for _, d := range z.Docs {
			reached[d] = true
		}
	}
	var out []uint32
	for d, r := range reached {
		if r {
			out = append(out, uint32(d))
		}
	}
	return out
}

// zonesOf returns the zones (Reached.Zones) of the families of passages
// holding a focus document and of the groups holding one, and the zone
// of each family and of each group (-1: none). A family of passages
// holding a focus document reaches every document of its members, and of
// the members of the families with a member inside one of its members,
// or holding one (cluster.Relate), as cluster.Families merges a family
// into another (its host): a family that may be hosted by it brings its
// members in every document, and one that may host it decides whether
// they merge by its members in every document. Families of boilerplate
// are left out: their members are the postings of fingerprints held by
// too many documents, which no following of pairs completes.
//
// sides and passageFamily (nil: none) are the passages and the family of
// each, and boiler the occurrences of boilerplate as found (nil: none),
// for Zone.Boilerplate.
func zonesOf(focus func(uint32) bool, find func(id string) (uint32, bool), n int, fams []cluster.Family, boilerFamily []int32, groups []result.Group, sides [][2]cluster.Occurrence, passageFamily []int32, boiler [][]cluster.Occurrence) (zones []Zone, famZone, groupZone []int32) {
	boilerplate := make([]bool, len(fams))
	for _, f := range boilerFamily {
		boilerplate[f] = true
	}
	chosen := make([]bool, len(fams))
	for f, fam := range fams {
		chosen[f] = !boilerplate[f] && slices.ContainsFunc(fam.Members, func(o cluster.Occurrence) bool { return focus(o.Doc) })
	}
	// A family with those related to it, joined with another where they
	// share one.
	parent := make([]int32, len(fams))
	for f := range parent {
		parent[f] = -1 // in no zone
		if chosen[f] {
			parent[f] = int32(f)
		}
	}
	var root func(f int32) int32
	root = func(f int32) int32 {
		for parent[f] != f {
			parent[f] = parent[parent[f]]
			f = parent[f]
		}
		return f
	}
	cluster.Relate(fams, chosen, boilerplate, func(f, g int32) {
		if parent[g] < 0 {
			parent[g] = root(f)
			return
		}
		if rf, rg := root(f), root(g); rf != rg {
			parent[max(rf, rg)] = min(rf, rg)
		}
	})
	famZone = make([]int32, len(fams))
	number := make([]int32, len(fams))
	for f := range number {
		number[f] = -1
	}
	var held [][]uint32 // by zone, its documents, with repeats
	for f := range fams {
		famZone[f] = -1
		if parent[f] < 0 {
			continue
		}
		r := root(int32(f))
		if number[r] < 0 {
			number[r] = int32(len(held))
			held = append(held, nil)
		}
		z := number[r]
		famZone[f] = z
		for _, o := range fams[f].Members {
			if !focus(o.Doc) {
				held[z] = append(held[z], o.Doc)
			}
		}
	}
	groupZone = make([]int32, len(groups))
	for i, g := range groups {
		groupZone[i] = -1
		var ds []uint32
		has := false
		for _, id := range g.Documents {
			if d, ok := find(id); ok {
				has = has || focus(d)
				if !focus(d) {
					ds = append(ds, d)
				}
			}
		}
		if has {
			groupZone[i] = int32(len(held))
			held = append(held, ds)
		}
	}
	zones = make([]Zone, len(held))
	for z, ds := range held {
		slices.Sort(ds)
		zones[z].Docs = slices.Compact(ds)
	}
	var spans []zoneSpan
	for f, fam := range fams {
		if z := famZone[f]; z >= 0 {
			for _, o := range fam.Members {
				spans = append(spans, zoneSpan{o, z})
			}
		}
	}
	for i, sd := range sides {
		if z := famZone[passageFamily[i]]; z >= 0 {
			spans = append(spans, zoneSpan{sd[0], z}, zoneSpan{sd[1], z})
		}
	}
	for z := range touchingBoilerplate(spans, boiler, len(zones)) {
		zones[z].Boilerplate = true
	}
	return zones, famZone, groupZone
}

// zoneSpan is a span of text a zone's families hold: a member, or a side
// of one of their passages.
type zoneSpan struct {
	o    cluster.Occurrence
	zone int32
}

// touchingBoilerplate returns the zones of spans that boilerplate may
// merge with or host, each once: those with a span two thirds of which
// or more lie inside one stretch of boilerplate (boiler's occurrences
// merged where they overlap or touch). Boilerplate's families, made of
// every place of their phrases, cut such a stretch into occurrences
// (cluster.Boilerplate), and a check that reads part of the corpus may
// cut it otherwise; but whatever the cut, an occurrence merges with a
// span only when their intersection is two thirds of the longer or more
// (cluster.Families' same region), and hosts it only when it holds 90%
// of it (cluster.Inside): a span with less inside the stretch is neither.
// Cost: O(m + b) for m spans and b occurrences, plus O(k log k) for the
// k of them in the spans' documents.
func touchingBoilerplate(spans []zoneSpan, boiler [][]cluster.Occurrence, zones int) iter.Seq[int32] {
	return func(yield func(int32) bool) {
		if len(spans) == 0 {
			return
		}
		// Only the boilerplate of the spans' documents: a whole archive's
		// is millions of occurrences.
		var last uint32
		for _, sp := range spans {
			last = max(last, sp.o.Doc)
		}
		held := make([]bool, last+1)
		for _, sp := range spans {
			held[sp.o.Doc] = true
		}
		var stretches []cluster.Occurrence
		for _, os := range boiler {
			for _, o := range os {
				if o.Doc <= last && held[o.Doc] {
					stretches = append(stretches, o)
				}
			}
		}
		if len(stretches) == 0 {
			return
		}
		byPlace := func(a, b cluster.Occurrence) int {
			return cmp.Or(cmp.Compare(a.Doc, b.Doc), cmp.Compare(a.Start, b.Start))
		}
		slices.SortFunc(stretches, byPlace)
		merged := stretches[:1]
		for _, o := range stretches[1:] {
			if last := &merged[len(merged)-1]; o.Doc == last.Doc && o.Start <= last.End {
				last.End = max(last.End, o.End)
				continue
			}
			merged = append(merged, o)
		}
		marked := make([]bool, zones)
		for _, sp := range spans {
			if marked[sp.zone] {
				continue
			}
			o := sp.o
			// The stretches of o's document that end after it starts,
			// from the first.
			i, _ := slices.BinarySearchFunc(merged, o, func(h, o cluster.Occurrence) int {
				return cmp.Or(cmp.Compare(h.Doc, o.Doc), cmp.Compare(h.End, o.Start+1))
			})
			for ; i < len(merged) && merged[i].Doc == o.Doc && merged[i].Start < o.End; i++ {
				inter := min(o.End, merged[i].End) - max(o.Start, merged[i].Start)
				if inter > 0 && 3*inter >= 2*(o.End-o.Start) {
					marked[sp.zone] = true
					if !yield(sp.zone) {
						return
					}
					break
				}
			}
		}
	}
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
