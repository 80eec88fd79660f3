package assemble

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"slices"
	"sort"
)

// Clusters kept from a scan of an archive, which a check of new
// documents against it serves whole: this file holds them and their
// encoding (KeptClusters), keep.go what a scan keeps (Keep), serve.go
// what a check serves (Options.Kept).
//
// A check reads part of the archive: a cluster of its boilerplate (every
// place of a text held by more than MaxDF documents) has members in
// documents it does not read. Where the cluster is one family of
// boilerplate, or several that passages join, with the passages joined
// to them (KeptCluster), and the new documents add to it occurrences of
// those families alone, without moving the occurrences its members are
// widened against or changing the pairs that touch it, the scan's
// cluster is the kept one with the new documents' members: the check
// lists it whole, unmarked, with its archived documents (Serving).

// KeptMember is a member of a kept cluster: its document (as the caller
// numbers documents), where its family's fingerprints found it (tokens,
// for the reused words and the member a cluster shows) and where the
// result lists it (bytes, widened: cluster.Widen); Derived when a
// passage projected it (cluster.Family.Derived); Joined when it holds a
// passage's side joined to the family (cluster.Families), whose words
// are not the family's: its reused words are those of the cluster's
// Found occurrences inside it.
type KeptMember struct {
	Doc                uint64
	Start, End         int32
	ByteStart, ByteEnd uint32
	Derived            bool
	Joined             bool
}

// KeptCluster is a cluster kept from a scan: the cluster of a family of
// boilerplate, with the passages joined to it (their sides are its
// members, Joined) and the members passages projected into other
// documents, or of several families that passages join
// (cluster.Families). Family is the family's number in the
// boilerplate's joins (cluster.JoinsFound.Families); Families, for a
// cluster of several, are all of theirs, sorted, Family among them (the
// one it was looked up by), and nil for one. Members are sorted by (Doc,
// Start). Found are, where members are Joined (or hold occurrences of
// several of its families), the families' own occurrences as their
// fingerprints found them inside those (tokens only), sorted: the words
// its documents reuse.
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
// whether it has two. Of a cluster of several families, they are the
// least first reference of its families, and the last second one: a new
// occurrence before the latter may move one family's (HasRefs only when
// each has two).
type KeptCluster struct {
	Family     int32
	Families   []int32
	Apart      bool
	Members    []KeptMember
	Found      []KeptMember
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
//	         (1: Apart, 2: HasRefs, 4: one of the families of a cluster
//	         of several, 8: its members and touching passages are those
//	         of the record of the cluster's least family, given again),
//	         first touching uint32, touching uint32, the references (key
//	         uint64, start int32 each), and the CRC-32C of the cluster's
//	         members and touching passages
//	members  25 bytes each: doc uint64; start, end, byte start, byte end
//	         uint32; flags byte (1: Derived, 4: Joined); then the Found
//	         occurrences, the same way with flags 2
//	touching two uint64 each
//
// little endian, the members (and touching passages) of one cluster
// after another's. A cluster is checked against its checksum as it is
// decoded, so that a caller may map the encoding and read a few clusters
// of it without reading the rest. Reuse before session 68 keeps no
// cluster of several families, and refuses an encoding with one (flags
// 4 and 8) as damaged.
type KeptClusters struct {
	index, members, touching []byte
	n                        int
	several                  map[int][]int32 // the families of each cluster of several, by its first member
}

const (
	keptIndexBytes  = 52
	keptMemberBytes = 25
)

// The flags of a kept member's record. Reuse before session 67 knows
// keptDerived only, and takes a cluster with others as damaged (it
// kept no cluster with passages joined).
const (
	keptDerived = 1 << iota
	keptFound
	keptJoined
)

// keptEntry is a record of the index of KeptClusters.
type keptEntry struct {
	family                                  int32
	first, members, flags, first2, touching int
	refs                                    [2]KeptReference
	sum                                     uint32
}

// EncodeKept encodes cs, in order of family (cs is sorted by least
// family); a cluster of several families is found by each.
func EncodeKept(cs []KeptCluster) []byte {
	least := func(c KeptCluster) int32 {
		if len(c.Families) > 0 {
			return c.Families[0]
		}
		return c.Family
	}
	slices.SortFunc(cs, func(a, b KeptCluster) int { return cmp.Compare(least(a), least(b)) })
	var members, touching []byte
	sums := make([]uint32, len(cs))
	for i, c := range cs {
		m, t := len(members), len(touching)
		add := func(m KeptMember, flags byte) {
			members = binary.LittleEndian.AppendUint64(members, m.Doc)
			for _, v := range [4]uint32{uint32(m.Start), uint32(m.End), m.ByteStart, m.ByteEnd} {
				members = binary.LittleEndian.AppendUint32(members, v)
			}
			members = append(members, flags)
		}
		for _, m := range c.Members {
			var flags byte
			if m.Derived {
				flags |= keptDerived
			}
			if m.Joined {
				flags |= keptJoined
			}
			add(m, flags)
		}
		for _, o := range c.Found {
			add(o, keptFound)
		}
		for _, t := range c.Touching {
			touching = binary.LittleEndian.AppendUint64(touching, t[0])
			touching = binary.LittleEndian.AppendUint64(touching, t[1])
		}
		sums[i] = crc32.Update(crc32.Checksum(members[m:], castagnoli), castagnoli, touching[t:])
	}
	// A record a family: a cluster of several has one for each.
	type record struct {
		family, first, first2 int
		c                     int // the cluster's place in cs
		shared                bool
	}
	var records []record
	first, first2 := 0, 0
	for i, c := range cs {
		if len(c.Families) == 0 {
			records = append(records, record{int(c.Family), first, first2, i, false})
		}
		for j, f := range c.Families {
			records = append(records, record{int(f), first, first2, i, j > 0})
		}
		first += len(c.Members) + len(c.Found)
		first2 += len(c.Touching)
	}
	slices.SortFunc(records, func(a, b record) int { return cmp.Compare(a.family, b.family) })
	out := make([]byte, 0, 4+keptIndexBytes*len(records)+len(members)+len(touching))
	out = binary.LittleEndian.AppendUint32(out, uint32(len(records)))
	for _, r := range records {
		c := cs[r.c]
		var flags uint32
		if c.Apart {
			flags |= 1
		}
		if c.HasRefs {
			flags |= 2
		}
		if len(c.Families) > 0 {
			flags |= 4
		}
		if r.shared {
			flags |= 8
		}
		for _, v := range [6]uint32{uint32(r.family), uint32(r.first), uint32(len(c.Members) + len(c.Found)), flags, uint32(r.first2), uint32(len(c.Touching))} {
			out = binary.LittleEndian.AppendUint32(out, v)
		}
		for _, ref := range c.References {
			out = binary.LittleEndian.AppendUint64(out, ref.Key)
			out = binary.LittleEndian.AppendUint32(out, uint32(ref.Start))
		}
		out = binary.LittleEndian.AppendUint32(out, sums[r.c])
	}
	return append(append(out, members...), touching...)
}

// castagnoli is the table of CRC-32C, the archive's checksum.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// DecodeKept returns the kept clusters encoded in data, which it keeps
// (the caller must not change it). It checks the index: families
// ascending, members and touching documents one cluster after another,
// all of data used, the records of a cluster of several families alike
// and at least two. Members are checked as Cluster decodes them.
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
	leastOf := map[int]keptEntry{} // the record of least family of each cluster of several, by first member
	for i := range n {
		e := k.entry(i)
		bad := e.flags > 15 || e.flags&8 != 0 && e.flags&4 == 0 || i > 0 && e.family <= k.entry(i-1).family
		if e.flags&8 != 0 {
			l, ok := leastOf[e.first]
			bad = bad || !ok || l.members != e.members || l.first2 != e.first2 || l.touching != e.touching || l.sum != e.sum || l.flags != e.flags&^8 || l.refs != e.refs
		} else {
			bad = bad || e.first != members || e.members <= 0 || e.first2 != touching
			members += e.members
			touching += e.touching
		}
		if bad {
			return nil, fmt.Errorf("%w: cluster %d of %d", ErrKept, i, n)
		}
		if e.flags&4 != 0 {
			if e.flags&8 == 0 {
				leastOf[e.first] = e
			}
			if k.several == nil {
				k.several = map[int][]int32{}
			}
			k.several[e.first] = append(k.several[e.first], e.family)
		}
	}
	for first, fs := range k.several {
		if len(fs) < 2 {
			return nil, fmt.Errorf("%w: a cluster of several families has one, at member %d", ErrKept, first)
		}
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

// Len returns the number of kept clusters' records, one a family: a
// cluster of several families has several.
func (k *KeptClusters) Len() int { return k.n }

// Clusters returns the number of kept clusters.
func (k *KeptClusters) Clusters() int {
	n := k.n
	for _, fs := range k.several {
		n -= len(fs) - 1
	}
	return n
}

// Family returns the family of kept cluster record i, without decoding it.
func (k *KeptClusters) Family(i int) int32 { return k.entry(i).family }

// Find returns the number of the kept cluster record of family f, if
// there is one: a binary search.
func (k *KeptClusters) Find(f int32) (int, bool) {
	i := sort.Search(k.n, func(i int) bool { return k.entry(i).family >= f })
	return i, i < k.n && k.entry(i).family == f
}

// Cluster decodes kept cluster i; ErrKept if its bytes do not match
// their checksum, its members are not sorted by (Doc, Start), or one is
// empty, or its touching passages are not sorted and distinct.
func (k *KeptClusters) Cluster(i int) (KeptCluster, error) {
	var c KeptCluster
	err := k.ClusterInto(i, &c)
	return c, err
}

// ClusterInto is Cluster decoding into c, reusing its slices.
func (k *KeptClusters) ClusterInto(i int, c *KeptCluster) error {
	e := k.entry(i)
	mb := k.members[e.first*keptMemberBytes : (e.first+e.members)*keptMemberBytes]
	tb := k.touching[16*e.first2 : 16*(e.first2+e.touching)]
	if crc32.Update(crc32.Checksum(mb, castagnoli), castagnoli, tb) != e.sum {
		return fmt.Errorf("%w: cluster %d: checksum mismatch", ErrKept, i)
	}
	*c = KeptCluster{Family: e.family, Families: k.families(e), Apart: e.flags&1 != 0, HasRefs: e.flags&2 != 0, References: e.refs,
		Members: c.Members[:0], Found: c.Found[:0], Touching: c.Touching[:0]}
	if e.touching > 0 {
		c.Touching = slices.Grow(c.Touching, e.touching)[:e.touching]
	}
	for j := range e.members {
		rec := mb[j*keptMemberBytes:]
		u := func(at int) uint32 { return binary.LittleEndian.Uint32(rec[8+4*at:]) }
		flags := rec[24]
		m := KeptMember{Doc: binary.LittleEndian.Uint64(rec), Start: int32(u(0)), End: int32(u(1)), ByteStart: u(2), ByteEnd: u(3),
			Derived: flags&keptDerived != 0, Joined: flags&keptJoined != 0}
		// Members (not Derived and Joined), then Found occurrences,
		// each by (Doc, Start).
		list := &c.Members
		if flags == keptFound {
			list = &c.Found
		}
		prev := *list
		known := flags == 0 || flags == keptDerived || flags == keptFound || flags == keptJoined
		if m.Start < 0 || m.End <= m.Start || m.ByteEnd < m.ByteStart || !known ||
			flags != keptFound && len(c.Found) > 0 || len(prev) > 0 && cmp.Or(cmp.Compare(m.Doc, prev[len(prev)-1].Doc), cmp.Compare(m.Start, prev[len(prev)-1].Start)) <= 0 {
			return fmt.Errorf("%w: member %d of cluster %d", ErrKept, j, i)
		}
		*list = append(*list, m)
	}
	if len(c.Members) == 0 {
		return fmt.Errorf("%w: cluster %d has no member", ErrKept, i)
	}
	for j := range c.Touching {
		b := tb[16*j:]
		c.Touching[j] = [2]uint64{binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint64(b[8:])}
		if j > 0 && cmp.Or(cmp.Compare(c.Touching[j][0], c.Touching[j-1][0]), cmp.Compare(c.Touching[j][1], c.Touching[j-1][1])) <= 0 {
			return fmt.Errorf("%w: touching passage %d of cluster %d", ErrKept, j, i)
		}
	}
	return nil
}

// Head is kept cluster i without its members and touching passages
// (not decoded, nor checked): its families, Apart and references.
func (k *KeptClusters) Head(i int) KeptCluster {
	e := k.entry(i)
	return KeptCluster{Family: e.family, Families: k.families(e), Apart: e.flags&1 != 0, HasRefs: e.flags&2 != 0, References: e.refs}
}

// families returns the families of the cluster of record e, if it has
// several (a copy), or nil.
func (k *KeptClusters) families(e keptEntry) []int32 {
	if e.flags&4 == 0 {
		return nil
	}
	return slices.Clone(k.several[e.first])
}
