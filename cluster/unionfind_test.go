package cluster

import (
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/graph/topo"
)

// TestDisjointSetsAgainstGonum: the sets of random graphs are their
// connected components as gonum's topo.ConnectedComponents finds them.
func TestDisjointSetsAgainstGonum(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for _, n := range []int{1, 2, 5, 50, 500} {
		for _, edges := range []int{0, n / 2, n, 3 * n} {
			g := simple.NewUndirectedGraph()
			for i := range n {
				g.AddNode(simple.Node(i))
			}
			d := newDisjointSets(n)
			for range edges {
				a, b := r.IntN(n), r.IntN(n)
				if a != b {
					g.SetEdge(simple.Edge{F: simple.Node(a), T: simple.Node(b)})
				}
				d.union(int32(a), int32(b))
			}
			var want [][]int
			for _, c := range topo.ConnectedComponents(g) {
				var ids []int
				for _, node := range c {
					ids = append(ids, int(node.ID()))
				}
				slices.Sort(ids)
				want = append(want, ids)
			}
			byRoot := make(map[int32][]int)
			for i := range n {
				root := d.find(int32(i))
				byRoot[root] = append(byRoot[root], i)
			}
			var got [][]int
			for _, ids := range byRoot {
				got = append(got, ids)
			}
			order := func(x, y []int) int { return x[0] - y[0] }
			slices.SortFunc(want, order)
			slices.SortFunc(got, order)
			if !slices.EqualFunc(got, want, slices.Equal) {
				t.Fatalf("n %d, %d edges: sets %v, want components %v", n, edges, got, want)
			}
		}
	}
}
