package cluster

import (
	"cmp"
	"slices"
)

// Occurrence is a stretch of one document: the token range [Start, End).
type Occurrence struct {
	Doc        uint32
	Start, End int32
}

func (o Occurrence) len() int32 { return o.End - o.Start }

// Family is a reuse family: one piece of text and the places it occurs.
type Family struct {
	// Members sorted by (Doc, Start); members of one family never overlap.
	Members []Occurrence
	// Derived flags members found by projection (see Families) rather than
	// by an alignment of their own; parallel to Members.
	Derived []bool
}

// Families groups passages into reuse families.
//
// sides[i] holds the two occurrences of passage i (its A and B sides);
// boilerplate[j] holds occurrences already known to be one family (text
// above the document-frequency cap). The graph has a node per occurrence
// and an edge between the two sides of a passage, between the members of a
// boilerplate group, and between occurrences in the same document that
// cover the same region (their intersection is at least two thirds of the
// longer one). Families are its connected components (by union-find, as
// gonum's topo.ConnectedComponents finds them), so copies of a copy join their source's
// family, while text that merely touches or contains other text does not:
// A~B sharing one sentence and B~C sharing the next stay two families.
//
// A family's text can also lie inside a longer passage of another family:
// a sentence quoted by C from B, where B copied a whole paragraph from A.
// Such a member is projected through the longer passage into its partner
// document (here A) and added to the family as a derived member, once
// (one hop), where the family has no member in that document yet.
//
// Last, a family all of whose members lie inside members of one other
// family (a shorter quote of a longer shared passage, in documents that
// family already covers) adds nothing and is merged into it.
//
// Families are numbered by their first occurrence: passages in the order
// given, then boilerplate groups. It returns the family of every passage
// and every boilerplate group, and the families.
func Families(sides [][2]Occurrence, boilerplate [][]Occurrence) (passageFamily, boilerFamily []int32, fams []Family) {
	var occ []Occurrence
	for _, s := range sides {
		occ = append(occ, s[0], s[1])
	}
	firstBoiler := len(occ)
	for _, g := range boilerplate {
		occ = append(occ, g...)
	}

	sets := newDisjointSets(len(occ))
	for i := range sides {
		sets.union(int32(2*i), int32(2*i+1))
	}
	at := firstBoiler
	for _, grp := range boilerplate {
		for k := 1; k < len(grp); k++ {
			sets.union(int32(at), int32(at+k))
		}
		at += len(grp)
	}
	byDoc := occurrencesByDoc(occ)
	for _, list := range byDoc {
		unionSameRegions(sets, occ, list)
	}

	// Number components in the order of their smallest occurrence.
	comp := make([]int32, len(occ))
	number := make([]int32, len(occ)) // by representative, +1; 0: not yet
	var roots int
	for i := range occ {
		r := sets.find(int32(i))
		if number[r] == 0 {
			roots++
			number[r] = int32(roots)
		}
		comp[i] = number[r] - 1
	}

	fams = make([]Family, roots)
	for i, o := range occ {
		f := &fams[comp[i]]
		f.Members = append(f.Members, o)
		f.Derived = append(f.Derived, false)
	}
	project(fams, comp, occ, len(sides), byDoc)
	for i := range fams {
		fams[i].normalize()
	}
	fams, renumber := subsume(fams)
	for i := range comp {
		comp[i] = renumber[comp[i]]
	}
	fams = numberByFirst(fams, comp)

	passageFamily = make([]int32, len(sides))
	for i := range sides {
		passageFamily[i] = comp[2*i]
	}
	boilerFamily = make([]int32, len(boilerplate))
	at = firstBoiler
	for j, grp := range boilerplate {
		if len(grp) > 0 {
			boilerFamily[j] = comp[at]
		}
		at += len(grp)
	}
	return passageFamily, boilerFamily, fams
}

// sameRegion reports whether two occurrences in one document cover
// essentially the same text.
func sameRegion(a, b Occurrence) bool {
	inter := min(a.End, b.End) - max(a.Start, b.Start)
	return inter > 0 && 3*inter >= 2*max(a.len(), b.len())
}

// occurrencesByDoc lists occurrence indices per document, sorted by start.
func occurrencesByDoc(occ []Occurrence) map[uint32][]int32 {
	by := make(map[uint32][]int32)
	for i, o := range occ {
		by[o.Doc] = append(by[o.Doc], int32(i))
	}
	for _, list := range by {
		slices.SortFunc(list, func(x, y int32) int {
			if occ[x].Start != occ[y].Start {
				return int(occ[x].Start - occ[y].Start)
			}
			return int(x - y)
		})
	}
	return by
}

// sameRegionCap is the most intervals of one length class that an
// occurrence is compared with for sameRegion (see unionSameRegions).
const sameRegionCap = 32

// unionSameRegions joins the occurrences of one document (list, sorted by
// start) that cover the same region. Identical ones join at once; the
// others are compared only with occurrences of similar length (sameRegion
// needs lengths within 1.5 times of each other: length classes of ratio
// 1.5, the next and the previous) starting within the first third of
// them, at most sameRegionCap of each class: a document sharing a
// paragraph with thousands of others holds thousands of near-identical
// occurrences, chained here in order of start instead of compared pair by
// pair.
func unionSameRegions(sets *disjointSets, occ []Occurrence, list []int32) {
	// Distinct intervals, in order of start.
	var distinct []int32
	for _, i := range list {
		if n := len(distinct); n > 0 {
			if d := occ[distinct[n-1]]; d.Start == occ[i].Start && d.End == occ[i].End {
				sets.union(distinct[n-1], i)
				continue
			}
		}
		distinct = append(distinct, i)
	}
	// Duplicates of distinct intervals that are not adjacent in list
	// (ties on start) are joined through the classes below.
	classes := make(map[int][]int32)
	for _, i := range distinct {
		c := lengthClass(occ[i].len())
		classes[c] = append(classes[c], i)
	}
	for _, i := range distinct {
		o := occ[i]
		c := lengthClass(o.len())
		for cc := c - 1; cc <= c+1; cc++ {
			cl := classes[cc]
			k, _ := slices.BinarySearchFunc(cl, o.Start, func(j int32, s int32) int { return int(occ[j].Start - s) })
			for seen := 0; k < len(cl) && seen < sameRegionCap && occ[cl[k]].Start <= o.Start+o.len()/3; k++ {
				if j := cl[k]; j != i {
					seen++
					if sameRegion(o, occ[j]) {
						sets.union(i, j)
					}
				}
			}
		}
	}
}

// lengthClass is floor(log1.5(n)), 0 for n < 2.
func lengthClass(n int32) int {
	c := 0
	for x := float64(n); x >= 1.5; x /= 1.5 {
		c++
	}
	return c
}

// project adds derived members: for an occurrence o of family F lying
// (90% or more) inside a passage side p of another family, o's text also
// occurs at the corresponding place of p's partner; F gains that place when
// it has no member in the partner's document. Passage sides are the first
// 2·passages occurrences, side j's partner at j^1.
func project(fams []Family, comp []int32, occ []Occurrence, passages int, byDoc map[uint32][]int32) {
	type derived struct {
		fam int32
		o   Occurrence
	}
	// Containers by document: the passage sides, in an index.
	index := make(map[uint32]*stabIndex, len(byDoc))
	for d, list := range byDoc {
		var sides []int32
		for _, j := range list {
			if int(j) < 2*passages {
				sides = append(sides, j)
			}
		}
		if len(sides) > 0 {
			index[d] = newStabIndex(occ, sides)
		}
	}
	type key struct {
		doc        uint32
		comp       int32
		start, end int32
	}
	done := make(map[key]bool)
	var add []derived
	var found []int32
	for i, o := range occ {
		x := index[o.Doc]
		if x == nil {
			continue
		}
		// An occurrence identical to one done adds what that one added.
		if k := (key{o.Doc, comp[i], o.Start, o.End}); done[k] {
			continue
		} else {
			done[k] = true
		}
		found = found[:0]
		x.containing(o.Start+o.len()/10, o.End-o.len()/10, func(j int32) {
			if comp[j] != comp[i] {
				found = append(found, j)
			}
		})
		slices.SortFunc(found, func(x, y int32) int {
			if occ[x].Start != occ[y].Start {
				return int(occ[x].Start - occ[y].Start)
			}
			return int(x - y)
		})
		for _, j := range found {
			p := occ[j]
			inter := min(o.End, p.End) - max(o.Start, p.Start)
			if 10*inter < 9*o.len() || p.len() == 0 {
				continue
			}
			q := occ[j^1] // the partner side of passage j/2
			scale := float64(q.len()) / float64(p.len())
			start := q.Start + int32(float64(max(o.Start, p.Start)-p.Start)*scale+0.5)
			end := q.Start + int32(float64(min(o.End, p.End)-p.Start)*scale+0.5)
			if end > start {
				add = append(add, derived{comp[i], Occurrence{Doc: q.Doc, Start: start, End: min(end, q.End)}})
			}
		}
	}
	if len(add) == 0 {
		return
	}
	// Documents each family already holds: one member per document.
	holds := make(map[[2]uint32]bool)
	for f := range fams {
		for _, m := range fams[f].Members {
			holds[[2]uint32{uint32(f), m.Doc}] = true
		}
	}
	for _, d := range add {
		key := [2]uint32{uint32(d.fam), d.o.Doc}
		if holds[key] {
			continue
		}
		holds[key] = true
		f := &fams[d.fam]
		f.Members = append(f.Members, d.o)
		f.Derived = append(f.Derived, true)
	}
}

// normalize sorts members and merges overlapping members of one document.
func (f *Family) normalize() {
	idx := make([]int, len(f.Members))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(x, y int) int {
		a, b := f.Members[x], f.Members[y]
		if a.Doc != b.Doc {
			return cmp.Compare(a.Doc, b.Doc)
		}
		return int(a.Start - b.Start)
	})
	var members []Occurrence
	var derivedFlags []bool
	for _, i := range idx {
		m, d := f.Members[i], f.Derived[i]
		if n := len(members); n > 0 && members[n-1].Doc == m.Doc && m.Start < members[n-1].End {
			members[n-1].End = max(members[n-1].End, m.End)
			derivedFlags[n-1] = derivedFlags[n-1] && d
			continue
		}
		members = append(members, m)
		derivedFlags = append(derivedFlags, d)
	}
	f.Members, f.Derived = members, derivedFlags
}

// subsume merges each family whose every member lies (90% or more) inside
// a member of another family in the same document into that family. It
// returns the surviving families, in their original order, and the new
// number of every old family. Members must be sorted by (Doc, Start).
func subsume(fams []Family) ([]Family, []int32) {
	// Every member, numbered in family order, and indexed by document.
	var all []Occurrence
	var famOf []int32
	byDoc := make(map[uint32][]int32)
	for f, fam := range fams {
		for _, m := range fam.Members {
			byDoc[m.Doc] = append(byDoc[m.Doc], int32(len(all)))
			all = append(all, m)
			famOf = append(famOf, int32(f))
		}
	}
	index := make(map[uint32]*stabIndex, len(byDoc))
	for d, list := range byDoc {
		index[d] = newStabIndex(all, list)
	}
	into := make([]int32, len(fams))
	for f := range fams {
		into[f] = int32(f)
	}
	inside := func(o, outer Occurrence) bool {
		inter := min(o.End, outer.End) - max(o.Start, outer.Start)
		return o.len() > 0 && outer.len() > o.len() && 10*inter >= 9*o.len()
	}
	// insideMemberOf reports whether m lies inside a member of family g.
	insideMemberOf := func(m Occurrence, g int32) bool {
		ms := fams[g].Members
		k, _ := slices.BinarySearchFunc(ms, m.Doc, func(x Occurrence, d uint32) int { return cmp.Compare(x.Doc, d) })
		for ; k < len(ms) && ms[k].Doc == m.Doc; k++ {
			if inside(m, ms[k]) {
				return true
			}
		}
		return false
	}
	var hosts []int32
	for f, fam := range fams {
		// Families holding the first member: the only possible hosts, in
		// the order of their members.
		first := fam.Members[0]
		hosts = hosts[:0]
		index[first.Doc].containing(first.Start+first.len()/10, first.End-first.len()/10, func(r int32) {
			if g := famOf[r]; g != int32(f) && inside(first, all[r]) {
				hosts = append(hosts, r)
			}
		})
		slices.Sort(hosts)
		for _, r := range hosts {
			g := famOf[r]
			if into[g] != g {
				continue
			}
			all := true
			for _, m := range fam.Members[1:] {
				if !insideMemberOf(m, g) {
					all = false
					break
				}
			}
			if all {
				into[f] = g
				break
			}
		}
	}
	renumber := make([]int32, len(fams))
	var kept []Family
	for f := range fams {
		if into[f] == int32(f) {
			renumber[f] = int32(len(kept))
			kept = append(kept, fams[f])
		}
	}
	for f := range fams {
		g := into[f]
		for into[g] != g { // a host merged elsewhere cannot happen (hosts are longer), but be safe
			g = into[g]
		}
		renumber[f] = renumber[g]
	}
	return kept, renumber
}

// numberByFirst renumbers families, and comp in place, in the order of
// their first occurrence: merging a family into a host can give the host
// an earlier first occurrence than families numbered before it.
func numberByFirst(fams []Family, comp []int32) []Family {
	number := make([]int32, len(fams))
	for i := range number {
		number[i] = -1
	}
	next := int32(0)
	for _, f := range comp {
		if number[f] < 0 {
			number[f] = next
			next++
		}
	}
	out := make([]Family, len(fams))
	for f := range fams {
		out[number[f]] = fams[f]
	}
	for i, f := range comp {
		comp[i] = number[f]
	}
	return out
}
