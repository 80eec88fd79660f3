package cluster

import (
	"cmp"
	"slices"

	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/graph/topo"
)

// Edge ties two near-duplicate documents; Pct is the smaller of the two
// overlap percentages.
type Edge struct {
	A, B uint32
	Pct  float64
}

// Group is a set of near-duplicate documents.
type Group struct {
	Docs []uint32 // sorted
	// MinPct is the smallest Pct of the edges that tie the group together.
	MinPct float64
}

// Groups returns the connected components of the near-duplicate edges
// (gonum's topo.ConnectedComponents) with two or more documents, sorted by
// their first document.
func Groups(edges []Edge) []Group {
	g := simple.NewUndirectedGraph()
	for _, e := range edges {
		if e.A == e.B {
			continue
		}
		for _, d := range [2]uint32{e.A, e.B} {
			if g.Node(int64(d)) == nil {
				g.AddNode(simple.Node(d))
			}
		}
		g.SetEdge(simple.Edge{F: simple.Node(e.A), T: simple.Node(e.B)})
	}
	var out []Group
	index := make(map[uint32]int)
	for _, c := range topo.ConnectedComponents(g) {
		if len(c) < 2 {
			continue
		}
		docs := make([]uint32, len(c))
		for i, n := range c {
			docs[i] = uint32(n.ID())
		}
		slices.Sort(docs)
		out = append(out, Group{Docs: docs, MinPct: 100})
	}
	slices.SortFunc(out, func(x, y Group) int { return cmp.Compare(x.Docs[0], y.Docs[0]) })
	for i, grp := range out {
		for _, d := range grp.Docs {
			index[d] = i
		}
	}
	for _, e := range edges {
		if e.A == e.B {
			continue
		}
		grp := &out[index[e.A]]
		grp.MinPct = min(grp.MinPct, e.Pct)
	}
	return out
}
