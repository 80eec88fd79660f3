package assemble

import (
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"slices"
	"sort"

	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/index"
	"github.com/reuse-tool/reuse/pairs"
	"github.com/reuse-tool/reuse/result"
)

// Clusters kept from a scan of an archive, which a check of new
// documents against it serves whole (Keep, Options.Kept).
//
// A check reads part of the archive: a cluster of its boilerplate (every
// place of a text held by more than MaxDF documents) has members in
// documents it does not read. Where the cluster is one family of
// boilerplate and nothing else (no passage joined it, none lies inside
// it, none within a window of a member: KeptCluster), and the new
// documents add to it occurrences of that family alone, without moving
// the occurrences its members are widened against, the scan's cluster is
// the kept one with the new documents' members: the check lists it whole,
// unmarked, with its archived documents (Serving).

// KeptMember is a member of a kept cluster: its document (as the caller
// numbers documents), where its family's fingerprints found it (tokens,
// for the reused words and the member a cluster shows) and where the
// result lists it (bytes, widened: cluster.Widen); Derived when a
// passage projected it (cluster.Family.Derived).
type KeptMember struct {
	Doc                uint64
	Start, End         int32
	ByteStart, ByteEnd uint32
	Derived            bool
}

// KeptCluster is a cluster kept from a scan: the cluster of one family of
// boilerplate and of no passage (cluster.Families joined none to it,
// merged none into it), with the members passages projected into other
// documents. Family is the family's number in the boilerplate's joins
// (cluster.JoinsFound.Families), and Members are sorted by (Doc, Start).
//
// Touching are the passages meeting a member, as pairs of documents
// (the member's, the other side's), sorted: where the new documents
// shift the frequencies of one of them, the passage may change, and
// join the cluster, or project a member otherwise.
//
// Apart reports that no other occurrence of boilerplate precedes a
// member within 2·(window-1) tokens (Widen grows a member into the gap
// its predecessors, widened, leave): the new documents, moving another
// family's references, may widen that family's members otherwise, never
// this cluster's.
//
// References are the family's occurrences its members are widened
// against (cluster.References), by (key, start): HasRefs reports
// whether it has two.
type KeptCluster struct {
	Family     int32
	Apart      bool
	Members    []KeptMember
	Touching   [][2]uint64
	HasRefs    bool
	References [2]KeptReference
}

// KeptReference is an occurrence of a family by the order of
// cluster.References: its document's key (cluster.DocKey), and its start
// in tokens.
type KeptReference struct {
	Key   uint64
	Start int32
}

// ErrKept reports encoded kept clusters that do not decode.
var ErrKept = errors.New("assemble: damaged kept clusters")

// KeptClusters are kept clusters, encoded (EncodeKept), read in place:
//
//	count    uint32
//	index    count records of 52 bytes, by family ascending: family
//	         int32, first member uint32, members uint32, flags uint32
//	         (1: Apart, 2: HasRefs), first touching uint32, touching
//	         uint32, the references (key uint64, start int32 each), and
//	         the CRC-32C of the cluster's members and touching passages
//	members  25 bytes each: doc uint64; start, end, byte start, byte end
//	         uint32; flags byte (1: Derived)
//	touching two uint64 each
//
// little endian, the members (and touching passages) of one cluster
// after another's. A cluster is checked against its checksum as it is
// decoded, so that a caller may map the encoding and read a few clusters
// of it without reading the rest.
type KeptClusters struct {
	index, members, touching []byte
	n                        int
}

const (
	keptIndexBytes  = 52
	keptMemberBytes = 25
)

// keptEntry is a record of the index of KeptClusters.
type keptEntry struct {
	family                                  int32
	first, members, flags, first2, touching int
	refs                                    [2]KeptReference
	sum                                     uint32
}

// EncodeKept encodes cs, in order of family (cs is sorted).
func EncodeKept(cs []KeptCluster) []byte {
	slices.SortFunc(cs, func(a, b KeptCluster) int { return cmp.Compare(a.Family, b.Family) })
	var members, touching []byte
	sums := make([]uint32, len(cs))
	for i, c := range cs {
		m, t := len(members), len(touching)
		for _, m := range c.Members {
			members = binary.LittleEndian.AppendUint64(members, m.Doc)
			for _, v := range [4]uint32{uint32(m.Start), uint32(m.End), m.ByteStart, m.ByteEnd} {
				members = binary.LittleEndian.AppendUint32(members, v)
			}
			var flags byte
			if m.Derived {
				flags = 1
			}
			members = append(members, flags)
		}
		for _, t := range c.Touching {
			touching = binary.LittleEndian.AppendUint64(touching, t[0])
			touching = binary.LittleEndian.AppendUint64(touching, t[1])
		}
		sums[i] = crc32.Update(crc32.Checksum(members[m:], castagnoli), castagnoli, touching[t:])
	}
	out := make([]byte, 0, 4+keptIndexBytes*len(cs)+len(members)+len(touching))
	out = binary.LittleEndian.AppendUint32(out, uint32(len(cs)))
	first, first2 := 0, 0
	for i, c := range cs {
		var flags uint32
		if c.Apart {
			flags |= 1
		}
		if c.HasRefs {
			flags |= 2
		}
		for _, v := range [6]uint32{uint32(c.Family), uint32(first), uint32(len(c.Members)), flags, uint32(first2), uint32(len(c.Touching))} {
			out = binary.LittleEndian.AppendUint32(out, v)
		}
		for _, r := range c.References {
			out = binary.LittleEndian.AppendUint64(out, r.Key)
			out = binary.LittleEndian.AppendUint32(out, uint32(r.Start))
		}
		out = binary.LittleEndian.AppendUint32(out, sums[i])
		first += len(c.Members)
		first2 += len(c.Touching)
	}
	return append(append(out, members...), touching...)
}

// castagnoli is the table of CRC-32C, the archive's checksum.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// DecodeKept returns the kept clusters encoded in data, which it keeps
// (the caller must not change it). It checks the index: families
// ascending, members and touching documents one cluster after another,
// all of data used. Members are checked as Cluster decodes them.
func DecodeKept(data []byte) (*KeptClusters, error) {
	if len(data) < 4 {
		return nil, fmt.Errorf("%w: %d bytes", ErrKept, len(data))
	}
	n := int(binary.LittleEndian.Uint32(data))
	if n > (len(data)-4)/keptIndexBytes {
		return nil, fmt.Errorf("%w: %d clusters in %d bytes", ErrKept, n, len(data))
	}
	k := &KeptClusters{index: data[4 : 4+n*keptIndexBytes], n: n}
	members, touching := 0, 0
	for i := range n {
		e := k.entry(i)
		if e.first != members || e.members <= 0 || e.flags > 3 || e.first2 != touching || i > 0 && e.family <= k.entry(i-1).family {
			return nil, fmt.Errorf("%w: cluster %d of %d", ErrKept, i, n)
		}
		members += e.members
		touching += e.touching
	}
	rest := data[4+n*keptIndexBytes:]
	if len(rest) != members*keptMemberBytes+16*touching {
		return nil, fmt.Errorf("%w: %d members and %d passages touching in %d bytes", ErrKept, members, touching, len(rest))
	}
	k.members, k.touching = rest[:members*keptMemberBytes], rest[members*keptMemberBytes:]
	return k, nil
}

func (k *KeptClusters) entry(i int) keptEntry {
	b := k.index[i*keptIndexBytes:]
	u := func(at int) int { return int(binary.LittleEndian.Uint32(b[4*at:])) }
	e := keptEntry{family: int32(binary.LittleEndian.Uint32(b)), first: u(1), members: u(2), flags: u(3), first2: u(4), touching: u(5)}
	for i := range e.refs {
		r := b[24+12*i:]
		e.refs[i] = KeptReference{Key: binary.LittleEndian.Uint64(r), Start: int32(binary.LittleEndian.Uint32(r[8:]))}
	}
	e.sum = binary.LittleEndian.Uint32(b[48:])
	return e
}

// Len returns the number of kept clusters.
func (k *KeptClusters) Len() int { return k.n }

// Find returns the number of the kept cluster of family f, if there is
// one: a binary search.
func (k *KeptClusters) Find(f int32) (int, bool) {
	i := sort.Search(k.n, func(i int) bool { return k.entry(i).family >= f })
	return i, i < k.n && k.entry(i).family == f
}

// Cluster decodes kept cluster i; ErrKept if its bytes do not match
// their checksum, its members are not sorted by (Doc, Start), or one is
// empty, or its touching passages are not sorted and distinct.
func (k *KeptClusters) Cluster(i int) (KeptCluster, error) {
	e := k.entry(i)
	mb := k.members[e.first*keptMemberBytes : (e.first+e.members)*keptMemberBytes]
	tb := k.touching[16*e.first2 : 16*(e.first2+e.touching)]
	if crc32.Update(crc32.Checksum(mb, castagnoli), castagnoli, tb) != e.sum {
		return KeptCluster{}, fmt.Errorf("%w: cluster %d: checksum mismatch", ErrKept, i)
	}
	c := KeptCluster{Family: e.family, Apart: e.flags&1 != 0, HasRefs: e.flags&2 != 0, References: e.refs,
		Members: make([]KeptMember, e.members)}
	if e.touching > 0 {
		c.Touching = make([][2]uint64, e.touching)
	}
	for j := range c.Members {
		rec := mb[j*keptMemberBytes:]
		u := func(at int) uint32 { return binary.LittleEndian.Uint32(rec[8+4*at:]) }
		m := KeptMember{Doc: binary.LittleEndian.Uint64(rec), Start: int32(u(0)), End: int32(u(1)), ByteStart: u(2), ByteEnd: u(3), Derived: rec[24] == 1}
		if m.Start < 0 || m.End <= m.Start || m.ByteEnd < m.ByteStart || rec[24] > 1 ||
			j > 0 && cmp.Or(cmp.Compare(m.Doc, c.Members[j-1].Doc), cmp.Compare(m.Start, c.Members[j-1].Start)) <= 0 {
			return KeptCluster{}, fmt.Errorf("%w: member %d of cluster %d", ErrKept, j, i)
		}
		c.Members[j] = m
	}
	for j := range c.Touching {
		b := tb[16*j:]
		c.Touching[j] = [2]uint64{binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint64(b[8:])}
		if j > 0 && cmp.Or(cmp.Compare(c.Touching[j][0], c.Touching[j-1][0]), cmp.Compare(c.Touching[j][1], c.Touching[j-1][1])) <= 0 {
			return KeptCluster{}, fmt.Errorf("%w: touching passage %d of cluster %d", ErrKept, j, i)
		}
	}
	return c, nil
}

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
	// Docs returns the archive's documents ds as the result lists them:
	// ID, Path, Bytes, Words and Date.
	Docs func(ds []uint64) ([]result.Document, error)
	// Text returns the text of the archive's document d, for a cluster's
	// excerpt.
	Text func(d uint64) ([]byte, error)
}

// served is a kept cluster a check serves: its kept members, each with
// its document's id and date, in order of (id, start), and where the
// document is listed.
type served struct {
	kept []keptAt
}

// keptAt is a kept member of a served cluster, in an archived document
// listed among the round's (extra < 0) or among its extra documents.
type keptAt struct {
	KeptMember
	id, date string
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
// those whose cluster in the round is that family's alone
// (cluster.Families joined no passage or other family to it); whose kept
// cluster exists (Serving.Cluster) and is Servable; no focus occurrence
// of which comes before the kept second reference (by key and start, as
// cluster.References orders them: its archived members widen as they
// did); unless the cluster is Apart, no family whose references a focus
// occurrence moved has an occurrence in one of its documents (widening
// would have grown that one otherwise beside it), as the kept clusters
// of those say, and none moved that has no kept cluster; and whose
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
	units := make([]int, len(fams)) // boilerplate families and passages in each
	for _, f := range boilerFamily {
		units[f]++
	}
	for _, f := range passageFamily {
		units[f]++
	}
	// A family's references moved where a focus document holds one of
	// its two least occurrences: by the kept cluster's, or, without
	// one, by the round's (which lacks archived ones).
	moved := func(b int, c KeptCluster, found bool) bool {
		if !found {
			r := [2]int32{-1, -1}
			if b < len(refs) {
				r = refs[b]
			}
			return r[0] >= 0 && focus(uint32(r[0])) || r[1] >= 0 && focus(uint32(r[1]))
		}
		next := c.References[1]
		return slices.ContainsFunc(fams[boilerFamily[b]].Members, func(o cluster.Occurrence) bool {
			if !focus(o.Doc) {
				return false
			}
			k := cluster.DocKey(x.ID(o.Doc))
			return !c.HasRefs || cmp.Or(cmp.Compare(k, next.Key), cmp.Compare(o.Start, next.Start)) <= 0
		})
	}
	// The documents of the kept clusters of families whose references
	// moved: their members there were widened otherwise.
	var movedDocs []uint64
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
		if !moved(b, c, found) {
			continue
		}
		if !found {
			unknown = unknown || holdsFocus(fams[f].Members)
			continue
		}
		for _, m := range c.Members {
			movedDocs = append(movedDocs, m.Doc)
		}
	}
	slices.Sort(movedDocs)
	movedDocs = slices.Compact(movedDocs)
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
		if units[f] != 1 || !holdsFocus(fam.Members) {
			continue
		}
		c, found, err := opt.Kept.Cluster(b)
		if err != nil {
			return nil, err
		}
		if !found || moved(b, c, found) || !opt.Kept.Servable(c) || !c.Apart && (unknown || slices.ContainsFunc(c.Members, func(m KeptMember) bool {
			_, in := slices.BinarySearch(movedDocs, m.Doc)
			return in
		})) {
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
		s := &served{kept: make([]keptAt, len(c.Members))}
		inRound, same := 0, true
		for i, m := range c.Members {
			p := placed[m.Doc]
			s.kept[i] = keptAt{KeptMember: m, id: p.doc.ID, date: p.doc.Date, extra: -1}
			if p.x < 0 {
				continue
			}
			o := cluster.Occurrence{Doc: uint32(p.x), Start: m.Start, End: m.End}
			j, found := slices.BinarySearchFunc(fam.Members, o, func(a, b cluster.Occurrence) int {
				return cmp.Or(cmp.Compare(a.Doc, b.Doc), cmp.Compare(a.Start, b.Start))
			})
			if found && fam.Members[j].End == m.End && (fam.Derived == nil || fam.Derived[j] == m.Derived) {
				inRound++
			} else if !m.Derived || opt.Kept.Aligned(uint32(p.x)) {
				same = false
				break
			}
		}
		archived := 0
		for _, o := range fam.Members {
			if !focus(o.Doc) {
				archived++
			}
		}
		if !same || inRound != archived {
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
			if !k.Derived {
				sv.extra[e].reused = append(sv.extra[e].reused, cluster.Occurrence{Start: k.Start, End: k.End})
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

// of returns the served cluster of family f, if it is one.
func (sv *serving) of(f int32) *served {
	if sv == nil {
		return nil
	}
	return sv.clusters[f]
}

// mergedMember is a member of a served cluster: the round's member m of
// its family in x, in a focus document (kept < 0), or its kept member
// kept.
type mergedMember struct {
	id   string
	m    int
	kept int
}

// merge returns the members of served cluster s of family fam: the
// round's in focus documents and the kept ones, in order of (id, start),
// by their tokens, or (bytes) by their byte offsets, once toBytes
// converted fam's.
func (s *served) merge(x *index.Index, fam cluster.Family, focus func(uint32) bool, bytes bool) []mergedMember {
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
		for i < len(fam.Members) && !focus(fam.Members[i].Doc) {
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
func (s *served) representative(x *index.Index, fam cluster.Family, focus func(uint32) bool) int {
	merged := s.merge(x, fam, focus, false)
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
	merged := s.merge(x, fam, opt.Focus, true)
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

// keepable returns the families of boilerplate (of Result's boiler)
// whose clusters may be kept (KeptCluster): the cluster's units are that
// family alone (no passage joined to it or merged into it). With each,
// whether it is Apart, its members as found (copied: toBytes converts
// fams' in place), and the passages (sides, in n documents) meeting its
// members, as pairs of documents (the member's, the other side's).
func keepable(ctx context.Context, n int, fams []cluster.Family, boilerFamily, passageFamily []int32, sides [][2]cluster.Occurrence, window int) (bs []int, apart []bool, found [][]cluster.Occurrence, touching [][][2]uint32, err error) {
	units := make([]int, len(fams))
	for _, f := range boilerFamily {
		units[f]++
	}
	for _, f := range passageFamily {
		units[f]++
	}
	near, err := newSideIndex(ctx, n, sides)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	for b, f := range boilerFamily {
		if err := checkEvery(ctx, b); err != nil {
			return nil, nil, nil, nil, err
		}
		if units[f] != 1 {
			continue
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
		bs = append(bs, b)
		found = append(found, slices.Clone(fam.Members))
		touching = append(touching, slices.Compact(touch))
	}
	if apart, err = apartOf(ctx, n, fams, boilerFamily, bs, 2*int32(window-1)); err != nil {
		return nil, nil, nil, nil, err
	}
	return bs, apart, found, touching, nil
}

// apartOf reports, for each family of boilerplate bs (of Result's
// boiler, numbered among fams by boilerFamily), whether every
// occurrence of another family of boilerplate in the n documents that
// starts at or before one of its members ends gap tokens before it, or
// earlier (KeptCluster.Apart).
func apartOf(ctx context.Context, n int, fams []cluster.Family, boilerFamily []int32, bs []int, gap int32) ([]bool, error) {
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
		f := boilerFamily[b]
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

// Keep hands keep every cluster of a scan of x that a check of new
// documents against it may serve (KeptCluster, its Family unset, in
// documents of x), with its family of boilerplate b (of boiler), from the
// aligned pairs ps and the boilerplate as Result takes them; it hands
// nothing else anywhere. Only the families, the widening and the byte
// offsets of the clusters kept are computed: no groups, overlaps or
// excerpts. opt's Params.Window and Workers are read.
func Keep(ctx context.Context, x *index.Index, ps *pairs.Store, boiler [][]cluster.Occurrence, opt Options, keep func(b int, c KeptCluster) error) error {
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
	// Only the families kept are converted to bytes.
	kept := make([]cluster.Family, len(bs))
	boilerplate := make([]bool, len(bs))
	for i, b := range bs {
		kept[i], boilerplate[i] = fams[boilerFamily[b]], true
	}
	fams = nil
	if err := toBytes(ctx, x, kept, boilerplate, wide, opt.Workers); err != nil {
		return err
	}
	for i, b := range bs {
		if err := ctx.Err(); err != nil {
			return err
		}
		fam := kept[i]
		c := KeptCluster{Apart: apart[i], Members: make([]KeptMember, len(fam.Members)), Touching: make([][2]uint64, len(touching[i]))}
		for m, o := range fam.Members {
			t := found[i][m]
			c.Members[m] = KeptMember{Doc: uint64(t.Doc), Start: t.Start, End: t.End, ByteStart: uint32(o.Start), ByteEnd: uint32(o.End), Derived: fam.Derived != nil && fam.Derived[m]}
		}
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
