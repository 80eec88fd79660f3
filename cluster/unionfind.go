package cluster

// disjointSets is a union-find forest over the integers 0..n-1, with union
// by size and path halving: near-constant time per operation, 8 bytes a
// node, no maps. Families uses it for the connected components of its
// occurrence graph, in a fraction of the time gonum's map-based
// simple.UndirectedGraph and topo.ConnectedComponents took
// (docs/benchmarks.md; tests check the two agree).
type disjointSets struct {
	parent []int32
	size   []int32
}

func newDisjointSets(n int) *disjointSets {
	d := &disjointSets{parent: make([]int32, n), size: make([]int32, n)}
	for i := range d.parent {
		d.parent[i] = int32(i)
		d.size[i] = 1
	}
	return d
}

// find returns the representative of x's set.
func (d *disjointSets) find(x int32) int32 {
	for d.parent[x] != x {
		d.parent[x] = d.parent[d.parent[x]]
		x = d.parent[x]
	}
	return x
}

// union joins the sets of x and y.
func (d *disjointSets) union(x, y int32) {
	x, y = d.find(x), d.find(y)
	if x == y {
		return
	}
	if d.size[x] < d.size[y] {
		x, y = y, x
	}
	d.parent[y] = x
	d.size[x] += d.size[y]
}
