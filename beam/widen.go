package reusebeam

import (
	"cmp"
	"slices"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"

	"github.com/reuse-tool/reuse/cluster"
)

// Boilerplate is widened to the text its family shares (cluster.Widen),
// as a scan's last step widens it (package assemble), in stages no worker
// of which holds every occurrence:
//
//  1. widenReqFn, for each family: its occurrences, to their documents'
//     blocks; those that may be its references (cluster.References: the
//     first two of each document), to their blocks too, to be keyed; and
//     each block it touches, once.
//  2. keyFn, for a block of documents: those occurrences with their
//     documents' keys (cluster.DocKey of the id, kept in each alignDoc).
//  3. refReqFn, for each family: its two references, chosen by key, to
//     their blocks.
//  4. refFn, for a block: the references asked of it (cluster.Reference),
//     by family.
//  5. refBlocksFn: each family's references, to the blocks it touches.
//  6. widenFn, for a block: each document's occurrences widened
//     together; those that changed, for bytesFn.
//
// Families and reused words are made of the occurrences as found
// (familiesFn, regionFn); a member that is one of them takes its widened
// offsets in bytesFn.

// WidenOcc is an occurrence of the boilerplate family Node, of Size
// occurrences, as found.
type WidenOcc struct {
	Node uint64
	Size int
	Occ  cluster.Occurrence
}

// KeyedOcc is an occurrence of the boilerplate family Node that may be one
// of its references, with its document's key (Key, set by keyFn).
type KeyedOcc struct {
	Node, Key uint64
	Occ       cluster.Occurrence
}

// RefReq asks a document's block for the reference from occurrence Occ,
// family Node's least (Role 0) or next (Role 1) by cluster.References.
type RefReq struct {
	Node uint64
	Role int
	Occ  cluster.Occurrence
}

// RefSeeds is that reference, from occurrence Occ.
type RefSeeds struct {
	Node  uint64
	Role  int
	Occ   cluster.Occurrence
	Seeds []uint32
}

// Widened is an occurrence of boilerplate as found and as widened.
type Widened struct {
	Was, Is cluster.Occurrence
}

type widenReqFn struct{ BlockDocs int }

func (f *widenReqFn) ProcessElement(b Boiler, occs func(uint32, WidenOcc), keyed func(uint32, KeyedOcc), blocks func(uint64, uint32)) {
	bl := func(d uint32) uint32 { return d / uint32(f.BlockDocs) }
	node, size := boilerNode(b.Occs[0]), len(b.Occs)
	for m, o := range b.Occs {
		occs(bl(o.Doc), WidenOcc{Node: node, Size: size, Occ: o})
		if size < 2 {
			continue
		}
		// Occurrences are sorted by document: a block once, and only the
		// first two of a document may be a reference.
		if m == 0 || bl(o.Doc) != bl(b.Occs[m-1].Doc) {
			blocks(node, bl(o.Doc))
		}
		if m < 2 || b.Occs[m-2].Doc != o.Doc {
			keyed(bl(o.Doc), KeyedOcc{Node: node, Occ: o})
		}
	}
}

type keyFn struct{}

func (f *keyFn) ProcessElement(_ uint32, reqs func(*KeyedOcc) bool, data func(*[]byte) bool, emit func(uint64, KeyedOcc)) error {
	return eachAsked(reqs, data, func(k KeyedOcc) uint32 { return k.Occ.Doc }, func(k KeyedOcc, d *alignDoc) {
		k.Key = d.Key
		emit(k.Node, k)
	})
}

// eachAsked calls fn with each request of a block (reqs) and the
// document it asks about (doc), of the block's documents (data, decoded
// only if anything is asked).
func eachAsked[R any](reqs func(*R) bool, data func(*[]byte) bool, doc func(R) uint32, fn func(R, *alignDoc)) error {
	var rs []R
	var r, zero R
	for reqs(&r) {
		rs = append(rs, r)
		r = zero // nothing of one request kept in the next
	}
	if len(rs) == 0 {
		return nil
	}
	docs, err := seedsOf(data)
	if err != nil {
		return err
	}
	for _, r := range rs {
		d, ok := docs[doc(r)]
		if !ok {
			return errCorrupt
		}
		fn(r, d)
	}
	return nil
}

type refReqFn struct{ BlockDocs int }

func (f *refReqFn) ProcessElement(node uint64, keyed func(*KeyedOcc) bool, refs func(uint32, RefReq)) {
	var occs []cluster.Occurrence
	keys := map[uint32]uint64{}
	var k KeyedOcc
	for keyed(&k) {
		occs = append(occs, k.Occ)
		keys[k.Occ.Doc] = k.Key
	}
	least, next := cluster.References(occs, func(d uint32) uint64 { return keys[d] })
	if least < 0 {
		return
	}
	for r, m := range [2]int{least, next} {
		refs(occs[m].Doc/uint32(f.BlockDocs), RefReq{Node: node, Role: r, Occ: occs[m]})
	}
}

type refFn struct{ Settings Settings }

func (f *refFn) ProcessElement(_ uint32, reqs func(*RefReq) bool, data func(*[]byte) bool, emit func(uint64, RefSeeds)) error {
	window := f.Settings.options().Window
	return eachAsked(reqs, data, func(r RefReq) uint32 { return r.Occ.Doc }, func(r RefReq, d *alignDoc) {
		emit(r.Node, RefSeeds{Node: r.Node, Role: r.Role, Occ: r.Occ, Seeds: cluster.Reference(nil, d.Seeds, r.Occ, window)})
	})
}

func refBlocksFn(_ uint64, refs func(*RefSeeds) bool, blocks func(*uint32) bool, emit func(uint32, RefSeeds)) {
	var rs []RefSeeds
	var r RefSeeds
	for refs(&r) {
		rs = append(rs, r)
		r = RefSeeds{}
	}
	var b uint32
	for blocks(&b) {
		for _, r := range rs {
			emit(b, r)
		}
	}
}

type widenFn struct{ Settings Settings }

func (f *widenFn) ProcessElement(bl uint32, occs func(*WidenOcc) bool, refs func(*RefSeeds) bool, data func(*[]byte) bool,
	changed func(uint32, Widened)) error {
	var ws []WidenOcc
	var w WidenOcc
	for occs(&w) {
		ws = append(ws, w)
	}
	if len(ws) == 0 {
		return nil
	}
	byNode := make(map[uint64][2]RefSeeds)
	var r RefSeeds
	for refs(&r) {
		x := byNode[r.Node]
		x[r.Role] = r
		byNode[r.Node] = x
		r = RefSeeds{}
	}
	docs, err := seedsOf(data)
	if err != nil {
		return err
	}
	opt := f.Settings.options()
	k := opt.AnalyzerOptions().Seed
	slices.SortFunc(ws, func(x, y WidenOcc) int {
		return cmp.Or(cmp.Compare(x.Occ.Doc, y.Occ.Doc), cmp.Compare(x.Occ.Start, y.Occ.Start))
	})
	var got []cluster.Occurrence
	var rs [][]uint32
	for lo := 0; lo < len(ws); {
		hi := lo + 1
		for hi < len(ws) && ws[hi].Occ.Doc == ws[lo].Occ.Doc {
			hi++
		}
		d, ok := docs[ws[lo].Occ.Doc]
		if !ok {
			return errCorrupt
		}
		got, rs = got[:0], rs[:0]
		for _, w := range ws[lo:hi] {
			got = append(got, w.Occ)
			var ref []uint32
			if w.Size >= 2 {
				// cluster.ReferenceOf: the next for the least, the least
				// for the others.
				x := byNode[w.Node]
				ref = x[0].Seeds
				if w.Occ == x[0].Occ {
					ref = x[1].Seeds
				}
			}
			rs = append(rs, ref)
		}
		cluster.Widen(got, rs, d.Seeds, int(d.Words), k, opt.Window)
		for j, w := range ws[lo:hi] {
			if got[j] != w.Occ {
				changed(bl, Widened{Was: w.Occ, Is: got[j]})
			}
		}
		lo = hi
	}
	return nil
}

// seedsOf decodes a block's documents (alignDoc records).
func seedsOf(data func(*[]byte) bool) (map[uint32]*alignDoc, error) {
	docs := make(map[uint32]*alignDoc)
	var b []byte
	for data(&b) {
		for rest := b; len(rest) > 0; {
			d, next, err := decodeAlignDoc(rest)
			if err != nil {
				return nil, err
			}
			docs[d.Doc] = &d
			rest = next
		}
	}
	return docs, nil
}

// widenBoilerplate adds the stages above to scope s: the occurrences of
// boilerplate that widening changed (Widened), by block, for bytesFn.
func widenBoilerplate(s beam.Scope, set Settings, blocks int, boilers, data beam.PCollection) beam.PCollection {
	s = s.Scope("Widen")
	occs, toKey, touched := beam.ParDo3(s, &widenReqFn{BlockDocs: blocks}, boilers)
	keyed := beam.ParDo(s, &keyFn{}, beam.CoGroupByKey(s, toKey, data))
	reqs := beam.ParDo(s, &refReqFn{BlockDocs: blocks}, beam.GroupByKey(s, keyed))
	refs := beam.ParDo(s, &refFn{Settings: set}, beam.CoGroupByKey(s, reqs, data))
	refsAt := beam.ParDo(s, refBlocksFn, beam.CoGroupByKey(s, refs, touched))
	return beam.ParDo(s, &widenFn{Settings: set}, beam.CoGroupByKey(s, occs, refsAt, data))
}
