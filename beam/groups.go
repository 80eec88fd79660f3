package reusebeam

import (
	"cmp"
	"slices"

	"github.com/reuse-tool/reuse/cluster"
)

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
	slices.SortFunc(edges, func(x, y cluster.Edge) int { return cmp.Or(cmp.Compare(x.A, y.A), cmp.Compare(x.B, y.B)) })
	for _, g := range cluster.Groups(edges) {
		emit(GroupOut{Docs: g.Docs, MinPct: g.MinPct})
	}
}
