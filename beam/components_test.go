package reusebeam

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/passert"
)

// Components gives every node its component's smallest node, checked
// against a union-find, whether label propagation finishes the work (many
// rounds) or leaves most of it to the last step (none, one): long paths
// and stars.
func TestComponents(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var edges [][2]uint64
	for i := range uint64(40) { // a path, numbered against propagation
		edges = append(edges, [2]uint64{1000 - i, 999 - i})
	}
	for range 60 {
		edges = append(edges, [2]uint64{uint64(r.IntN(80)), uint64(r.IntN(80))})
	}
	parent := map[uint64]uint64{}
	var find func(uint64) uint64
	find = func(x uint64) uint64 {
		if p, ok := parent[x]; ok && p != x {
			parent[x] = find(p)
			return parent[x]
		}
		return x
	}
	for _, e := range edges {
		x, y := find(e[0]), find(e[1])
		if x != y {
			parent[max(x, y)] = min(x, y)
		}
	}
	var want []LabelPair
	seen := map[uint64]bool{}
	for _, e := range edges {
		for _, u := range e {
			if !seen[u] {
				seen[u] = true
				want = append(want, LabelPair{u, find(u)})
			}
		}
	}
	for _, rounds := range []int{0, 1, 50} {
		p, s := beam.NewPipelineWithRoot()
		var es []LabelPair
		for _, e := range edges {
			es = append(es, LabelPair{e[0], e[1]})
		}
		in := beam.ParDo(s, pairKV, beam.CreateList(s, es))
		got := beam.ParDo(s, kvPair, Components(s, in, rounds))
		passert.EqualsList(s, got, want)
		if _, err := prism.Execute(context.Background(), p); err != nil {
			t.Errorf("rounds %d: %v", rounds, err)
		}
	}
}

func pairKV(p LabelPair) (uint64, uint64) { return p.X, p.Y }
func kvPair(x, y uint64) LabelPair        { return LabelPair{x, y} }

func init() {
	beam.RegisterFunction(pairKV)
	beam.RegisterFunction(kvPair)
}
