package cluster

import "slices"

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
// with two or more documents, sorted by their first document. They are
// found by union-find over the documents the edges tie, at 8 bytes a
// document and none an edge: gonum's map-based graph
// (topo.ConnectedComponents) held 0.39 GB at 10 GB of news, beside the
// families at the last step's peak (docs/benchmarks.md, "The last
// step's batches within the budget").
func Groups(edges []Edge) []Group {
	var docs []uint32 // the documents tied, sorted: a document's node is its place
	for _, e := range edges {
		if e.A != e.B {
			docs = append(docs, e.A, e.B)
		}
	}
	slices.Sort(docs)
	docs = slices.Compact(docs)
	node := func(d uint32) int32 {
		i, _ := slices.BinarySearch(docs, d)
		return int32(i)
	}
	sets := newDisjointSets(len(docs))
	for _, e := range edges {
		if e.A != e.B {
			sets.union(node(e.A), node(e.B))
		}
	}
	// Components numbered in order of their first document; every one
	// holds two documents or more (a document is listed for an edge to
	// another).
	group := make([]int32, len(docs)) // by root: its component's number + 1
	var out []Group
	for i, d := range docs {
		r := sets.find(int32(i))
		if group[r] == 0 {
			out = append(out, Group{Docs: make([]uint32, 0, sets.size[r]), MinPct: 100})
			group[r] = int32(len(out))
		}
		g := &out[group[r]-1]
		g.Docs = append(g.Docs, d)
	}
	for _, e := range edges {
		if e.A != e.B {
			g := &out[group[sets.find(node(e.A))]-1]
			g.MinPct = min(g.MinPct, e.Pct)
		}
	}
	return out
}
