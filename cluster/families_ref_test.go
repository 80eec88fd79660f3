package cluster

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// The first implementation of Families, which compared the occurrences of
// a document pair by pair (quadratic in a document's occurrences): the
// slow, obvious reference of the indexed one.

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
func familiesRef(sides [][2]Occurrence, boilerplate [][]Occurrence) (passageFamily, boilerFamily []int32, fams []Family) {
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
		for x, i := range list {
			for _, j := range list[x+1:] {
				if occ[j].Start >= occ[i].End {
					break
				}
				if sameRegion(occ[i], occ[j]) {
					sets.union(i, j)
				}
			}
		}
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
	projectRef(fams, comp, occ, sides, byDoc)
	for i := range fams {
		fams[i].normalize()
	}
	fams, renumber := subsumeRef(fams)
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

// project adds derived members: for an occurrence o of family F lying
// (90% or more) inside a passage side p of another family, o's text also
// occurs at the corresponding place of p's partner; F gains that place when
// it has no member in the partner's document.
func projectRef(fams []Family, comp []int32, occ []Occurrence, sides [][2]Occurrence, byDoc map[uint32][]int32) {
	type derived struct {
		fam int32
		o   Occurrence
	}
	var add []derived
	for i, o := range occ {
		for _, j := range byDoc[o.Doc] {
			p := occ[j]
			if p.Start >= o.End {
				break
			}
			if int(j) >= 2*len(sides) || comp[j] == comp[i] {
				continue
			}
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

// subsume merges each family whose every member lies (90% or more) inside
// a member of another family in the same document into that family. It
// returns the surviving families, in their original order, and the new
// number of every old family.
func subsumeRef(fams []Family) ([]Family, []int32) {
	type ref struct {
		fam int32
		o   Occurrence
	}
	byDoc := make(map[uint32][]ref)
	for f, fam := range fams {
		for _, m := range fam.Members {
			byDoc[m.Doc] = append(byDoc[m.Doc], ref{int32(f), m})
		}
	}
	into := make([]int32, len(fams))
	for f := range fams {
		into[f] = int32(f)
	}
	inside := func(o, outer Occurrence) bool {
		inter := min(o.End, outer.End) - max(o.Start, outer.Start)
		return o.len() > 0 && outer.len() > o.len() && 10*inter >= 9*o.len()
	}
	for f, fam := range fams {
		// Families holding the first member: the only possible hosts.
		for _, host := range byDoc[fam.Members[0].Doc] {
			g := host.fam
			if g == int32(f) || into[g] != g || !inside(fam.Members[0], host.o) {
				continue
			}
			all := true
			for _, m := range fam.Members[1:] {
				if !slices.ContainsFunc(byDoc[m.Doc], func(r ref) bool { return r.fam == g && inside(m, r.o) }) {
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

// TestFamiliesAgainstReference compares Families with familiesRef on
// random input, where no length class holds more than sameRegionCap
// occurrences near one another.
func TestFamiliesAgainstReference(t *testing.T) {
	for seed := range 2000 {
		r := rand.New(rand.NewPCG(31, uint64(seed)))
		sides, boiler := randomFamilyInput(r)
		pf, bf, fams := Families(sides, boiler)
		wpf, wbf, wfams := familiesRef(sides, boiler)
		if !slices.Equal(pf, wpf) || !slices.Equal(bf, wbf) || !equalFamilies(fams, wfams) {
			t.Fatalf("Families(%v, %v) =\n%v, %v, %v\nreference\n%v, %v, %v", sides, boiler, pf, bf, fams, wpf, wbf, wfams)
		}
	}
}
