package reusebeam

import (
	"slices"

	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/internal/postings"
)

// bucketFn turns the documents sharing an LSH band key (cluster.BucketsOf)
// into pairs to check: each with the bucket's first document, as a scan
// checks them.
func bucketFn(key uint64, iter func(*uint32) bool, emit func(uint64, bool)) {
	var ps []postings.Posting
	var d uint32
	for iter(&d) {
		ps = append(ps, postings.Posting{Hash: key, Doc: d})
	}
	for _, b := range cluster.BucketsOf(nil, ps) {
		for _, m := range b[1:] {
			emit(pairKey(b[0], m), true)
		}
	}
}

func storedKey(p AlignedPair) (uint64, bool) { return pairKey(p.A, p.B), true }

// checkFn keeps the LSH pairs that are not aligned pairs already.
func checkFn(key uint64, lsh func(*bool) bool, stored func(*bool) bool, emit func(Candidate)) {
	var b bool
	if !lsh(&b) || stored(&b) {
		return
	}
	emit(Candidate{A: uint32(key >> 32), B: uint32(key), Check: true})
}

func edgeNodes(e Edge) (uint64, uint64) { return uint64(e.A), uint64(e.B) }

func edgeByA(e Edge) (uint64, Edge) { return uint64(e.A), e }

// labelEdgeFn keys edges by the component of their first document.
func labelEdgeFn(_ uint64, edges func(*Edge) bool, labels func(*uint64) bool, emit func(uint64, Edge)) {
	var l uint64
	if !labels(&l) {
		return
	}
	var e Edge
	for edges(&e) {
		emit(l, e)
	}
}

// GroupOut is a group of near-duplicates; its ID is given when the result
// is written.
type GroupOut struct {
	Docs   []uint32
	MinPct float64
}

// groupFn makes the group of one component (cluster.Groups of its edges).
func groupFn(_ uint64, iter func(*Edge) bool, emit func(GroupOut)) {
	var edges []cluster.Edge
	var e Edge
	for iter(&e) {
		edges = append(edges, cluster.Edge{A: e.A, B: e.B, Pct: e.Pct})
	}
	slices.SortFunc(edges, func(x, y cluster.Edge) int {
		if x.A != y.A {
			return int(x.A) - int(y.A)
		}
		return int(x.B) - int(y.B)
	})
	for _, g := range cluster.Groups(edges) {
		emit(GroupOut{Docs: g.Docs, MinPct: g.MinPct})
	}
}
