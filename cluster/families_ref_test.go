package cluster

import (
	"cmp"
	"context"
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
// longer one), unless both are boilerplate (Boilerplate decided those:
// the texts it keeps apart often overlap by their fingerprints). Families are its connected components (by union-find, as
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
func familiesRef(sides [][2]Occurrence, texts [][2]Sketch, boilerplate [][]Occurrence) (passageFamily, boilerFamily []int32, fams []Family) {
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
	byDoc := occurrencesByDocRef(occ)
	for _, list := range byDoc {
		for x, i := range list {
			for _, j := range list[x+1:] {
				if occ[j].Start >= occ[i].End {
					break
				}
				if (i < int32(firstBoiler) || j < int32(firstBoiler)) && sameRegion(occ[i], occ[j]) {
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
	projectRef(fams, comp, occ, sides, texts, byDoc)
	for i := range fams {
		fams[i].normalizeRef()
	}
	boiler := make([]bool, len(fams))
	for i := firstBoiler; i < len(occ); i++ {
		boiler[comp[i]] = true
	}
	fams, renumber := subsumeRef(fams, boiler)
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
func projectRef(fams []Family, comp []int32, occ []Occurrence, sides [][2]Occurrence, texts [][2]Sketch, byDoc map[uint32][]int32) {
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
			if texts != nil && !texts[j/2][0].Same(texts[j/2][1]) {
				continue // sides of different texts: no place corresponds
			}
			// The projection's arithmetic is the rule's own; what this
			// reference checks is which containing sides are found.
			if q, ok := projectThrough(o, p, occ[j^1]); ok {
				add = append(add, derived{comp[i], q})
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

// subsumeRef merges into the first family (by number) that can host it
// each family whose members, in every document where the host has one,
// lie inside the host's member, in at least one document; members of a
// merged family join its host's. A family holding boilerplate (boiler)
// is hosted only by another such family.
func subsumeRef(fams []Family, boiler []bool) ([]Family, []int32) {
	inside := func(o, outer Occurrence) bool {
		inter := min(o.End, outer.End) - max(o.Start, outer.Start)
		return o.len() > 0 && outer.len() > o.len() && 10*inter >= 9*o.len()
	}
	into := make([]int32, len(fams))
	for f := range fams {
		into[f] = int32(f)
	}
	for f := range fams {
		for g := range fams {
			if g == f || into[g] != int32(g) || boiler[f] && !boiler[g] {
				continue
			}
			some, all := false, true
			for _, m := range fams[f].Members {
				has, in := false, false
				for _, h := range fams[g].Members {
					if h.Doc == m.Doc {
						has = true
						in = in || inside(m, h)
					}
				}
				some = some || in
				all = all && (!has || in)
			}
			if some && all {
				into[f] = int32(g)
				break
			}
		}
	}
	root := func(f int32) int32 {
		for into[f] != f {
			f = into[f]
		}
		return f
	}
	for g := range fams {
		if root(int32(g)) != int32(g) {
			continue
		}
		var ms []member
		for f := range fams {
			if root(int32(f)) == int32(g) {
				for i, m := range fams[f].Members {
					ms = append(ms, member{o: m, derived: fams[f].Derived[i]})
				}
			}
		}
		fams[g].Members, fams[g].Derived = mergeMembers(nil, nil, ms)
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
		renumber[f] = renumber[root(int32(f))]
	}
	return kept, renumber
}

// TestFamiliesAgainstReference compares Families with familiesRef on
// random input, where no length class holds more than sameRegionCap
// occurrences near one another: without texts, and with each passage's
// sides sketching one of a few texts, some nearly the same.
func TestFamiliesAgainstReference(t *testing.T) {
	pool := randomSketches(rand.New(rand.NewPCG(7, 7)))
	for seed := range 2000 {
		r := rand.New(rand.NewPCG(31, uint64(seed)))
		sides, boiler := randomFamilyInput(r)
		var texts [][2]Sketch
		if seed%2 == 1 {
			for range sides {
				texts = append(texts, [2]Sketch{pool[r.IntN(len(pool))], pool[r.IntN(len(pool))]})
			}
		}
		pf, bf, fams, err := Families(context.Background(), sides, texts, boiler)
		if err != nil {
			t.Fatal(err)
		}
		wpf, wbf, wfams := familiesRef(sides, texts, boiler)
		if !slices.Equal(pf, wpf) || !slices.Equal(bf, wbf) || !equalFamilies(fams, wfams) {
			t.Fatalf("Families(%v, %v, %v) =\n%v, %v, %v\nreference\n%v, %v, %v", sides, texts, boiler, pf, bf, fams, wpf, wbf, wfams)
		}
	}
}

// randomSketches returns sketches of a few texts: two of random words,
// one that differs from the first in a seed, one that shares two thirds
// of the first's, and none.
func randomSketches(r *rand.Rand) []Sketch {
	var texts [][]uint32
	for range 2 {
		var seeds []uint32
		for range 40 {
			seeds = append(seeds, r.Uint32())
		}
		texts = append(texts, seeds)
	}
	texts = append(texts, append(slices.Clone(texts[0][:39]), r.Uint32()))
	texts = append(texts, append(slices.Clone(texts[0][:27]), texts[1][:13]...))
	out := []Sketch{0}
	for _, t := range texts {
		out = append(out, SketchOf(t))
	}
	return out
}

// occurrencesByDoc lists occurrence indices per document, sorted by start.
func occurrencesByDocRef(occ []Occurrence) map[uint32][]int32 {
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

// normalize sorts members and merges overlapping members of one document.
func (f *Family) normalizeRef() {
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

// TestFamiliesSpilled: families whose members go through a file
// (spillMembers) are those made in memory, on random input against the
// reference and on thousands of documents with several workers; and
// the file is taken whenever the boilerplate reaches spillMembers.
func TestFamiliesSpilled(t *testing.T) {
	defer func(n int) { spillMembers = n }(spillMembers)
	spilled := 0
	spilledHook = func(int) { spilled++ }
	defer func() { spilledHook = nil }()
	spillMembers = 0
	runs := 0
	for seed := range 300 {
		r := rand.New(rand.NewPCG(37, uint64(seed)))
		sides, boiler := randomFamilyInput(r)
		pf, bf, fams, err := Families(context.Background(), sides, nil, boiler)
		if err != nil {
			t.Fatal(err)
		}
		runs++
		wpf, wbf, wfams := familiesRef(sides, nil, boiler)
		if !slices.Equal(pf, wpf) || !slices.Equal(bf, wbf) || !equalFamilies(fams, wfams) {
			t.Fatalf("spilled Families(%v, %v) =\n%v, %v, %v\nreference\n%v, %v, %v", sides, boiler, pf, bf, fams, wpf, wbf, wfams)
		}
	}
	if spilled != runs {
		t.Fatalf("members went through a file in %d of %d runs, want all", spilled, runs)
	}
	sides, boiler := benchFamilies()
	spillMembers = 1 << 62
	wpf, wbf, wfams := familiesOf(t, sides, boiler)
	if spilled != runs {
		t.Fatalf("members went through a file below spillMembers")
	}
	spillMembers = len(flatten(boiler))
	pf, bf, fams, err := FamiliesOn(context.Background(), 3, sides, nil, boiler)
	if err != nil || !slices.Equal(pf, wpf) || !slices.Equal(bf, wbf) || !equalFamilies(fams, wfams) {
		t.Fatalf("spilled FamiliesOn differs from Families in memory (%v): %d families, want %d", err, len(fams), len(wfams))
	}
	if spilled != runs+1 {
		t.Fatalf("members did not go through a file at spillMembers")
	}
}
