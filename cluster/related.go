package cluster

import (
	"cmp"
	"slices"
)

// Related reports, by family, the families (skip[f] false) with a member
// that lies inside a member of a chosen family (chosen[f]) in the same
// document, or holds one, as Families merges a family into another
// (Inside): the families whose merging with a chosen one depends on them.
// A chosen family is reported when it is so related to another chosen
// one. chosen and skip are indexed by family, as fams.
//
// Cost: O(m log m) for m members, plus O(log m) for each pair of
// members found with one holding the core of the other (its middle
// 80%): members are compared through interval trees, one document at a
// time, never all against all.
func Related(fams []Family, chosen, skip []bool) []bool {
	out := make([]bool, len(fams))
	relate(fams, chosen, skip, func(g int32) bool { return out[g] }, func(_, g int32) { out[g] = true })
	return out
}

// Relate calls link(f, g), at least once, for every chosen family f and
// family g (skip[g] false) such that a member of g lies inside a member
// of f in the same document, or holds one, as Families merges a family
// into another (Inside): the families Related reports, with the chosen
// family each is related to. g may be f (a member inside another of the
// same family), or another chosen family. It costs what Related costs,
// plus the calls.
func Relate(fams []Family, chosen, skip []bool, link func(f, g int32)) {
	relate(fams, chosen, skip, nil, link)
}

// relate is Relate, skipping the families g for which done (when not
// nil) reports true.
func relate(fams []Family, chosen, skip []bool, done func(g int32) bool, link func(f, g int32)) {
	type member struct {
		o   Occurrence
		fam int32
	}
	var held, others []member
	for f, fam := range fams {
		for _, o := range fam.Members {
			if chosen[f] {
				held = append(held, member{o, int32(f)})
			}
			if !skip[f] {
				others = append(others, member{o, int32(f)})
			}
		}
	}
	byPlace := func(a, b member) int {
		return cmp.Or(cmp.Compare(a.o.Doc, b.o.Doc), cmp.Compare(a.o.Start, b.o.Start))
	}
	slices.SortFunc(held, byPlace)
	slices.SortFunc(others, byPlace)
	var (
		tree stabTree
		occ  []Occurrence
		ids  []int32
	)
	// index builds the tree over ms, one document's members.
	index := func(ms []member) {
		occ, ids = occ[:0], ids[:0]
		for i, m := range ms {
			occ = append(occ, m.o)
			ids = append(ids, int32(i))
		}
		tree.reset(occurrences{boiler: occ}, ids)
	}
	// A member holding 90% of o holds o's core: its start is at most
	// o.Start+len/10 and its end at least o.End-len/10.
	core := func(o Occurrence) (int32, int32) { return o.Start + o.len()/10, o.End - o.len()/10 }
	for h, o := 0, 0; h < len(held) && o < len(others); {
		switch d, e := held[h].o.Doc, others[o].o.Doc; {
		case d < e:
			h++
			continue
		case e < d:
			o++
			continue
		}
		doc := held[h].o.Doc
		hEnd, oEnd := h, o
		for hEnd < len(held) && held[hEnd].o.Doc == doc {
			hEnd++
		}
		for oEnd < len(others) && others[oEnd].o.Doc == doc {
			oEnd++
		}
		hs, os := held[h:hEnd], others[o:oEnd]
		h, o = hEnd, oEnd
		// Members of others inside one of hs.
		index(hs)
		for _, m := range os {
			if done != nil && done(m.fam) {
				continue
			}
			qs, qe := core(m.o)
			tree.containing(qs, qe, func(j int32) {
				if (done == nil || !done(m.fam)) && Inside(m.o, hs[j].o) {
					link(hs[j].fam, m.fam)
				}
			})
		}
		// Members of others holding one of hs.
		index(os)
		for _, m := range hs {
			qs, qe := core(m.o)
			tree.containing(qs, qe, func(j int32) {
				if f := os[j].fam; (done == nil || !done(f)) && Inside(m.o, os[j].o) {
					link(m.fam, f)
				}
			})
		}
	}
}
