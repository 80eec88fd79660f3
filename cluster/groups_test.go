package cluster

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/graph/topo"
)

func TestGroups(t *testing.T) {
	tests := []struct {
		name  string
		edges []Edge
		want  []Group
	}{
		{"none", nil, nil},
		{"self loop only", []Edge{{A: 3, B: 3, Pct: 100}}, nil},
		{"one pair", []Edge{{A: 2, B: 1, Pct: 93.5}}, []Group{{Docs: []uint32{1, 2}, MinPct: 93.5}}},
		{
			name: "components sorted by first document",
			edges: []Edge{
				{A: 9, B: 7, Pct: 95}, {A: 7, B: 8, Pct: 91},
				{A: 1, B: 5, Pct: 99}, {A: 5, B: 3, Pct: 97},
				{A: 4, B: 2, Pct: 90},
			},
			want: []Group{
				{Docs: []uint32{1, 3, 5}, MinPct: 97},
				{Docs: []uint32{2, 4}, MinPct: 90},
				{Docs: []uint32{7, 8, 9}, MinPct: 91},
			},
		},
		{
			name:  "MinPct over repeated edges",
			edges: []Edge{{A: 1, B: 2, Pct: 95}, {A: 2, B: 1, Pct: 80}, {A: 1, B: 2, Pct: 99}},
			want:  []Group{{Docs: []uint32{1, 2}, MinPct: 80}},
		},
		{
			name:  "self loop ignored in MinPct",
			edges: []Edge{{A: 1, B: 2, Pct: 95}, {A: 2, B: 2, Pct: 10}},
			want:  []Group{{Docs: []uint32{1, 2}, MinPct: 95}},
		},
		{
			name:  "large document ids",
			edges: []Edge{{A: 1<<32 - 1, B: 1<<31 + 5, Pct: 92}},
			want:  []Group{{Docs: []uint32{1<<31 + 5, 1<<32 - 1}, MinPct: 92}},
		},
	}
	for _, tt := range tests {
		if got := Groups(tt.edges); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: Groups(%v) = %v, want %v", tt.name, tt.edges, got, tt.want)
		}
	}
}

// bruteGroups finds components by repeated relaxation of labels.
func bruteGroups(edges []Edge) []Group {
	label := make(map[uint32]uint32)
	for _, e := range edges {
		if e.A != e.B {
			label[e.A], label[e.B] = e.A, e.B
		}
	}
	for changed := true; changed; {
		changed = false
		for _, e := range edges {
			if e.A == e.B {
				continue
			}
			if m := min(label[e.A], label[e.B]); label[e.A] != m || label[e.B] != m {
				label[e.A], label[e.B], changed = m, m, true
			}
		}
	}
	byLabel := make(map[uint32]*Group)
	var labels []uint32
	for d, l := range label {
		if byLabel[l] == nil {
			byLabel[l] = &Group{MinPct: 100}
			labels = append(labels, l)
		}
		byLabel[l].Docs = append(byLabel[l].Docs, d)
	}
	for _, e := range edges {
		if e.A != e.B {
			g := byLabel[label[e.A]]
			g.MinPct = min(g.MinPct, e.Pct)
		}
	}
	slices.Sort(labels) // a label is its component's smallest document
	var out []Group
	for _, l := range labels {
		g := byLabel[l]
		slices.Sort(g.Docs)
		out = append(out, *g)
	}
	return out
}

// gonumGroups is Groups by gonum's map-based graph and
// topo.ConnectedComponents, as Groups was made before union-find.
func gonumGroups(edges []Edge) []Group {
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
	for _, c := range topo.ConnectedComponents(g) {
		docs := make([]uint32, len(c))
		for i, n := range c {
			docs[i] = uint32(n.ID())
		}
		slices.Sort(docs)
		out = append(out, Group{Docs: docs, MinPct: 100})
	}
	slices.SortFunc(out, func(x, y Group) int { return int(x.Docs[0]) - int(y.Docs[0]) })
	for _, e := range edges {
		if e.A == e.B {
			continue
		}
		for i := range out {
			if _, ok := slices.BinarySearch(out[i].Docs, e.A); ok {
				out[i].MinPct = min(out[i].MinPct, e.Pct)
			}
		}
	}
	return out
}

// TestGroupsBrute: Groups against a labelling relaxed until it settles,
// and against gonum's connected components, on random graphs.
func TestGroupsBrute(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for range 500 {
		edges := make([]Edge, r.IntN(40))
		docs := 1 + r.IntN(50)
		for i := range edges {
			edges[i] = Edge{A: uint32(r.IntN(docs)), B: uint32(r.IntN(docs)), Pct: float64(50 + r.IntN(51))}
		}
		got := Groups(edges)
		if want := bruteGroups(edges); !reflect.DeepEqual(got, want) {
			t.Fatalf("Groups(%v) = %v, want %v", edges, got, want)
		}
		if want := gonumGroups(edges); !reflect.DeepEqual(got, want) {
			t.Fatalf("Groups(%v) = %v, gonum's components %v", edges, got, want)
		}
	}
}
