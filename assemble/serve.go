package assemble

import (
	"cmp"
	"context"
	"slices"

	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/index"
	"github.com/reuse-tool/reuse/result"
)

// Serving is how a check serves the clusters kept from a scan of its
// archive (Options.Kept). The archive's documents are numbered as the
// caller numbers them (as KeptMember.Doc does).
type Serving struct {
	// Cluster returns the kept cluster of the round's family of
	// boilerplate b (Result's boiler[b]), if there is one and the round
	// joined that family's fingerprints as the scan it was kept from.
	// Servable reports whether the caller may serve it: a cluster the new
	// documents may change otherwise than by its occurrences in
	// themselves (by the frequencies they shift in its documents, or in
	// those of the passages touching it) is not.
	Cluster  func(b int) (c KeptCluster, found bool, err error)
	Servable func(c KeptCluster) bool
	// Aligned reports whether the round aligned every pair of its
	// document d: its members there are then exactly the kept ones.
	Aligned func(d uint32) bool
	// Changed reports whether the new documents may change the passages
	// of the archive's documents a and b (Servable makes sure the round
	// aligned such a pair where it touches a member): a member the
	// pair projected is then the round's to find.
	Changed func(a, b uint64) bool
	// Docs returns the archive's documents ds as the result lists them:
	// ID, Path, Bytes, Words and Date.
	Docs func(ds []uint64) ([]result.Document, error)
	// Text returns the text of the archive's document d, for a cluster's
	// excerpt.
	Text func(d uint64) ([]byte, error)
	// Added, if not nil, reports the round's documents added to the
	// archive since the clusters were kept: their occurrences of a
	// family are its members as the round has them, as a focus
	// document's are (Servable makes sure the round followed them).
	Added func(d uint32) bool
}

// served is a kept cluster a check serves: its kept members, each with
// its document's id and date, in order of (id, start), and where the
// document is listed.
type served struct {
	kept []keptAt
	// round are the round's members of the family (by number in its
	// Members) that the served cluster shows as the round has them: in
	// focus documents, and those projected into archived documents
	// where the kept cluster has none (by the new documents' passages).
	round []bool
}

// keptAt is a kept member of a served cluster, in an archived document
// the round read (its number there, read; extra < 0) or among its extra
// documents (read < 0).
type keptAt struct {
	KeptMember
	id, date string
	read     int32
	extra    int32
}

// extraDoc is an archived document that a served cluster lists and the
// round did not read.
type extraDoc struct {
	doc    result.Document
	d      uint64 // as Serving numbers it
	reused []cluster.Occurrence
}

// serving is what a round serves: by family of cluster.Families, the
// kept cluster served, and the archived documents they list that the
// round did not read, sorted by id.
type serving struct {
	clusters map[int32]*served
	extra    []extraDoc
}

// serveKept decides which of the round's families of boilerplate holding
// a focus document are served (Options.Kept), each whole or not at all:
// those whose cluster in the round holds that family of boilerplate and
// no other, or the families of a kept cluster of several, each of them
// (sameKept; passages the round joined to it are members, which must be
// the kept ones as below); whose kept cluster exists (Serving.Cluster)
// and is Servable; no focus occurrence
// of which comes before the kept second reference (by key and start, as
// cluster.References orders them: its archived members widen as they
// did); unless the cluster is Apart, no family whose references a focus
// occurrence moved has an occurrence overlapping one of its members or
// ending within 2·(window-1) tokens before it (widening would have grown
// that one otherwise beside it, as the kept clusters of those place
// it), and none moved that has no kept cluster; and whose
// round members in archived documents are kept ones, the kept ones in
// documents the round read the round's but those projected where the
// round did not align every pair of the document (Serving.Aligned).
// refs are the documents of each family's references as the round found
// them (widened.references), for families with no kept cluster.
//
// A served cluster's members are the round's in focus documents and the
// kept ones in the others: projected members too, which the round finds
// only through the pairs it aligns.
func serveKept(ctx context.Context, x *index.Index, opt *Options, fams []cluster.Family, boilerFamily, passageFamily []int32, refs [][2]int32) (*serving, error) {
	sv := &serving{clusters: map[int32]*served{}}
	focus := opt.Focus
	holdsFocus := func(os []cluster.Occurrence) bool {
		return slices.ContainsFunc(os, func(o cluster.Occurrence) bool { return focus(o.Doc) })
	}
	// The documents whose occurrences are new to the kept clusters.
	grew := focus
	if opt.Kept.Added != nil {
		grew = func(d uint32) bool { return focus(d) || opt.Kept.Added(d) }
	}
	units := make([][]int, len(fams)) // the families of boilerplate in each
	for b, f := range boilerFamily {
		units[f] = append(units[f], b)
	}
	// A family's references moved where a focus document (or one added
	// since: by an occurrence found there, not projected) holds one of
	// its two least occurrences: by the kept cluster's, or, without one,
	// by the round's (which lacks archived ones).
	moved := func(b int, c KeptCluster, found bool) bool {
		if !found {
			r := [2]int32{-1, -1}
			if b < len(refs) {
				r = refs[b]
			}
			return r[0] >= 0 && grew(uint32(r[0])) || r[1] >= 0 && grew(uint32(r[1]))
		}
		next := c.References[1]
		fam := fams[boilerFamily[b]]
		for j, o := range fam.Members {
			if !focus(o.Doc) && (!grew(o.Doc) || fam.Derived != nil && fam.Derived[j]) {
				continue
			}
			k := cluster.DocKey(x.ID(o.Doc))
			if !c.HasRefs || cmp.Or(cmp.Compare(k, next.Key), cmp.Compare(o.Start, next.Start)) <= 0 {
				return true
			}
		}
		return false
	}
	// Where the kept clusters of families whose references moved lie,
	// by archived document: their members there were widened otherwise.
	looked := map[int]lookedUp{} // by family of boilerplate holding a focus document
	movedAt := map[uint64][]KeptMember{}
	unknown := false // a family moved whose documents are not known
	for b, f := range boilerFamily {
		if err := checkEvery(ctx, b); err != nil {
			return nil, err
		}
		if !holdsFocus(fams[f].Members) {
			continue
		}
		c, found, err := opt.Kept.Cluster(b)
		if err != nil {
			return nil, err
		}
		// Decoded once: the second walk takes them from here.
		looked[b] = lookedUp{c, found, moved(b, c, found)}
		if !looked[b].moved {
			continue
		}
		if !found {
			unknown = unknown || holdsFocus(fams[f].Members)
			continue
		}
		for _, m := range c.Members {
			movedAt[m.Doc] = append(movedAt[m.Doc], m)
		}
	}
	// A member is widened into the gap its predecessors, widened, leave
	// (KeptCluster.Apart): an occurrence widened otherwise changes it
	// only where it overlaps it or ends within 2·(window-1) tokens before
	// it.
	gap := 2 * int32(opt.Params.Window-1)
	meetsMoved := func(m KeptMember) bool {
		return slices.ContainsFunc(movedAt[m.Doc], func(o KeptMember) bool { return o.Start < m.End && m.Start-gap < o.End })
	}
	// The archived documents of the kept clusters looked at, and the
	// round's number of each it read (-1: none).
	type place struct {
		doc result.Document
		x   int64
	}
	placed := map[uint64]place{}
	extraOf := map[uint64]int32{} // by archived document listed: its number among sv.extra
	for b, f := range boilerFamily {
		if err := checkEvery(ctx, b); err != nil {
			return nil, err
		}
		fam := fams[f]
		if units[f][0] != b || !holdsFocus(fam.Members) {
			continue // a cluster of several families, looked at by its first
		}
		l := looked[b]
		c := l.c
		if !l.found || l.moved || !opt.Kept.Servable(c) || !sameKept(c, units[f], looked) || !c.Apart && (unknown || slices.ContainsFunc(c.Members, meetsMoved)) {
			continue
		}
		// The round's members in archived documents must be kept ones,
		// and the kept ones in documents the round read the round's, but
		// those projected where it did not align every pair.
		var unplaced []uint64
		for i, m := range c.Members {
			if _, seen := placed[m.Doc]; !seen && (i == 0 || m.Doc != c.Members[i-1].Doc) {
				unplaced = append(unplaced, m.Doc)
			}
		}
		ds, err := opt.Kept.Docs(unplaced)
		if err != nil {
			return nil, err
		}
		for i, d := range ds {
			p := place{d, -1}
			if xd, read := x.Find(d.ID); read {
				p.x = int64(xd)
			}
			placed[unplaced[i]] = p
		}
		s := &served{kept: make([]keptAt, len(c.Members)), round: make([]bool, len(fam.Members))}
		keptIn := map[uint32]bool{} // the round's documents holding a kept member
		same := true
		for i, m := range c.Members {
			p := placed[m.Doc]
			s.kept[i] = keptAt{KeptMember: m, id: p.doc.ID, date: p.doc.Date, read: int32(p.x), extra: -1}
			if p.x < 0 {
				continue
			}
			keptIn[uint32(p.x)] = true
			o := cluster.Occurrence{Doc: uint32(p.x), Start: m.Start, End: m.End}
			j, found := slices.BinarySearchFunc(fam.Members, o, func(a, b cluster.Occurrence) int {
				return cmp.Or(cmp.Compare(a.Doc, b.Doc), cmp.Compare(a.Start, b.Start))
			})
			if found && fam.Members[j].End == m.End && (fam.Derived == nil || fam.Derived[j] == m.Derived) {
				s.round[j] = true // kept: shown as kept, counted here
			} else if !m.Derived || opt.Kept.Aligned(uint32(p.x)) || projectedByChanged(c, m, opt.Kept.Changed) {
				same = false
				break
			}
		}
		// The round's members not kept: in focus documents (and those
		// added since the clusters were kept), or projected
		// into an archived document where the kept cluster has none. A
		// scan of the archive made no projection there (it would be
		// kept), so the scan with the new documents makes those the
		// round makes, from the new documents' occurrences and passages
		// (all in the round), or from passages the new documents' shifts
		// changed, which the round aligned (Servable).
		for j, o := range fam.Members {
			switch {
			case s.round[j]:
				s.round[j] = false
			case grew(o.Doc) || fam.Derived != nil && fam.Derived[j] && !keptIn[o.Doc]:
				s.round[j] = true
			default:
				same = false
			}
		}
		if !same {
			continue
		}
		for i := range s.kept {
			k := &s.kept[i]
			if placed[k.Doc].x >= 0 {
				continue
			}
			e, ok := extraOf[k.Doc]
			if !ok {
				e = int32(len(sv.extra))
				extraOf[k.Doc] = e
				sv.extra = append(sv.extra, extraDoc{doc: placed[k.Doc].doc, d: k.Doc})
			}
			k.extra = e
			if !k.Derived && !k.Joined {
				sv.extra[e].reused = append(sv.extra[e].reused, cluster.Occurrence{Start: k.Start, End: k.End})
			}
		}
		// A Joined member's reused words are its family's occurrences in
		// it: a passage's side of two archived documents is not reuse of
		// the new documents' text.
		for _, o := range c.Found {
			if e, ok := extraOf[o.Doc]; ok && placed[o.Doc].x < 0 {
				sv.extra[e].reused = append(sv.extra[e].reused, cluster.Occurrence{Start: o.Start, End: o.End})
			}
		}
		slices.SortFunc(s.kept, func(a, b keptAt) int { return cmp.Or(cmp.Compare(a.id, b.id), cmp.Compare(a.Start, b.Start)) })
		sv.clusters[int32(f)] = s
	}
	// The extra documents in order of id, as the round's are.
	order := make([]int32, len(sv.extra))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return cmp.Compare(sv.extra[a].doc.ID, sv.extra[b].doc.ID) })
	renumber := make([]int32, len(order))
	sorted := make([]extraDoc, len(order))
	for i, e := range order {
		renumber[e] = int32(i)
		sorted[i] = sv.extra[e]
	}
	sv.extra = sorted
	for _, s := range sv.clusters {
		for i := range s.kept {
			if e := s.kept[i].extra; e >= 0 {
				s.kept[i].extra = renumber[e]
			}
		}
	}
	for i := range sv.extra {
		e := &sv.extra[i]
		words := CoveredTokens(e.reused)
		e.doc.ReusedWords, e.doc.ReusedPct, e.doc.Archived = words, result.Percent(words, e.doc.Words), true
		e.reused = nil
	}
	return sv, nil
}

// sameKept reports whether the families of boilerplate bs of a round's
// cluster, the first of which has kept cluster c, are that kept
// cluster's, each of them, and none of the others moved its references
// (looked, by family, as serveKept found them; the caller asks of the
// first).
func sameKept(c KeptCluster, bs []int, looked map[int]lookedUp) bool {
	if max(len(c.Families), 1) != len(bs) {
		return false
	}
	for _, b := range bs[1:] {
		o := looked[b]
		if !o.found || o.moved || len(o.c.Families) == 0 || o.c.Families[0] != c.Families[0] {
			return false
		}
	}
	return true
}

// projectedByChanged reports whether a pair of the passages touching
// kept cluster c (KeptCluster.Touching) in the document of its member m
// is one whose passages the new documents may change (changed): the
// round aligned it, and a projection of it the round lacks is not the
// scan's either.
func projectedByChanged(c KeptCluster, m KeptMember, changed func(a, b uint64) bool) bool {
	if changed == nil {
		return false
	}
	i, _ := slices.BinarySearchFunc(c.Touching, m.Doc, func(t [2]uint64, d uint64) int { return cmp.Compare(t[0], d) })
	for ; i < len(c.Touching) && c.Touching[i][0] == m.Doc; i++ {
		if changed(m.Doc, c.Touching[i][1]) {
			return true
		}
	}
	return false
}

// lookedUp is the kept cluster of a round's family of boilerplate
// (Serving.Cluster), if found, and whether the new documents moved the
// family's references.
type lookedUp struct {
	c            KeptCluster
	found, moved bool
}

// of returns the served cluster of family f, if it is one.
func (sv *serving) of(f int32) *served {
	if sv == nil {
		return nil
	}
	return sv.clusters[f]
}

// mergedMember is a member of a served cluster: the round's member m of
// its family in x (kept < 0: served.round), or its kept member kept.
type mergedMember struct {
	id   string
	m    int
	kept int
}

// merge returns the members of served cluster s of family fam: the
// round's it shows (served.round) and the kept ones, in order of (id, start),
// by their tokens, or (bytes) by their byte offsets, once toBytes
// converted fam's.
func (s *served) merge(x *index.Index, fam cluster.Family, bytes bool) []mergedMember {
	out := make([]mergedMember, 0, len(s.kept)+8)
	keptStart := func(i int) int64 {
		if bytes {
			return int64(s.kept[i].ByteStart)
		}
		return int64(s.kept[i].Start)
	}
	roundStart := func(m int) int64 {
		if bytes {
			return int64(uint32(fam.Members[m].Start))
		}
		return int64(fam.Members[m].Start)
	}
	i, j := 0, 0
	for {
		for i < len(fam.Members) && !s.round[i] {
			i++
		}
		if i == len(fam.Members) && j == len(s.kept) {
			return out
		}
		var a string
		if i < len(fam.Members) {
			a = x.ID(fam.Members[i].Doc)
		}
		if j == len(s.kept) || i < len(fam.Members) && cmp.Or(cmp.Compare(a, s.kept[j].id), cmp.Compare(roundStart(i), keptStart(j))) < 0 {
			out = append(out, mergedMember{a, i, -1})
			i++
		} else {
			out = append(out, mergedMember{s.kept[j].id, -1, j})
			j++
		}
	}
}

// representative returns the member of served cluster s of family fam
// (its members in tokens) that its cluster shows (Representative), as
// merge numbers them.
func (s *served) representative(x *index.Index, fam cluster.Family) int {
	merged := s.merge(x, fam, false)
	all := cluster.Family{Members: make([]cluster.Occurrence, len(merged)), Derived: make([]bool, len(merged))}
	for i, mm := range merged {
		if mm.kept < 0 {
			all.Members[i] = fam.Members[mm.m]
			all.Derived[i] = fam.Derived != nil && fam.Derived[mm.m]
		} else {
			k := s.kept[mm.kept]
			all.Members[i] = cluster.Occurrence{Start: k.Start, End: k.End}
			all.Derived[i] = k.Derived
		}
	}
	return Representative(all, true)
}

// writeServed hands sink the cluster of family f, served (s): its
// members in focus documents (fam's, in bytes: toBytes) and the kept
// ones, in order; rep is the member it shows (representative).
func writeServed(ctx context.Context, x *index.Index, fam cluster.Family, f int, s *served, rep int, opt *Options, sink result.Sink) error {
	merged := s.merge(x, fam, true)
	c := result.Cluster{ID: f + 1, Boilerplate: true, Members: make([]result.Member, len(merged))}
	date := func(mm mergedMember) string {
		if mm.kept < 0 {
			return x.Date(fam.Members[mm.m].Doc)
		}
		return s.kept[mm.kept].date
	}
	for i, mm := range merged {
		if err := checkEvery(ctx, i); err != nil {
			return err
		}
		if i == 0 || mm.id != merged[i-1].id {
			c.Documents = append(c.Documents, mm.id)
		}
		if mm.kept < 0 {
			c.Members[i] = memberOf(mm.id, fam.Members[mm.m])
		} else {
			k := s.kept[mm.kept]
			c.Members[i] = result.Member{Doc: mm.id, Start: int(k.ByteStart), End: int(k.ByteEnd)}
		}
	}
	if e := EarliestMember(len(merged), func(m int) string { return date(merged[m]) }); e >= 0 {
		c.Earliest = merged[e].id
	}
	if rep >= 0 && rep < len(merged) {
		var text []byte
		var err error
		switch mm := merged[rep]; {
		case mm.kept < 0:
			text, err = x.Text(fam.Members[mm.m].Doc, nil)
		case s.kept[mm.kept].extra < 0:
			xd, _ := x.Find(mm.id)
			text, err = x.Text(xd, nil)
		default:
			text, err = opt.Kept.Text(s.kept[mm.kept].Doc)
		}
		m := c.Members[rep]
		switch {
		case err != nil:
			opt.Warn(err) // the cluster goes without its excerpt
		case m.End <= len(text) && m.Start <= m.End:
			c.Text = Excerpt(text[m.Start:m.End])
		}
	}
	return sink.Cluster(&c)
}

// checkEvery returns ctx's error every 4096th i.
func checkEvery(ctx context.Context, i int) error {
	if i&4095 == 0 {
		return ctx.Err()
	}
	return nil
}
