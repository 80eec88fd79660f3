package reusebeam

import (
	"reflect"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
)

// Components labels the nodes of an undirected graph (edges, KV<uint64,
// uint64>) with the smallest node of their connected component, as
// iterated Beam stages: no worker holds the graph.
//
//  1. Label propagation, rounds times: each node takes the smallest label
//     of itself and its neighbours (a CoGroupByKey of the adjacency and
//     the labels by node, then a Combine by node). A component of
//     diameter at most rounds is done.
//  2. What is left (edges whose ends still disagree, none once every
//     component is done) goes to one worker, which joins their labels
//     with a union-find: O(disagreeing edges), not O(graph).
//  3. The labels are mapped through that worker's answer (a side input
//     of the labels it merged).
//
// Nodes without edges get no label. The output is KV<node, label>.
func Components(s beam.Scope, edges beam.PCollection, rounds int) beam.PCollection {
	s = s.Scope("Components")
	adj := beam.ParDo(s, bothWays, edges)
	labels := beam.CombinePerKey(s, minLabel, beam.ParDo(s, selfLabels, adj))
	for range rounds {
		joined := beam.CoGroupByKey(s, adj, labels)
		labels = beam.CombinePerKey(s, minLabel, beam.ParDo(s, propagate, joined))
	}
	// Edges whose ends disagree: the label of u sent to v, compared there.
	sent := beam.ParDo(s, sendLabels, beam.CoGroupByKey(s, adj, labels))
	conflicts := beam.ParDo(s, disagree, beam.CoGroupByKey(s, sent, labels))
	merged := beam.ParDo(s, unionLabels, beam.GroupByKey(s, beam.AddFixedKey(s, conflicts)))
	return beam.ParDo(s, &remapFn{}, labels, beam.SideInput{Input: merged})
}

func bothWays(u, v uint64, emit func(uint64, uint64)) {
	emit(u, v)
	emit(v, u)
}

func selfLabels(u, v uint64) (uint64, uint64) { return u, min(u, v) }

func minLabel(x, y uint64) uint64 { return min(x, y) }

// propagate sends a node's label to itself and its neighbours.
func propagate(u uint64, nbrs func(*uint64) bool, labels func(*uint64) bool, emit func(uint64, uint64)) {
	var l uint64
	if !labels(&l) {
		return
	}
	emit(u, l)
	var v uint64
	for nbrs(&v) {
		emit(v, l)
	}
}

// sendLabels sends u's label to each neighbour v.
func sendLabels(u uint64, nbrs func(*uint64) bool, labels func(*uint64) bool, emit func(uint64, uint64)) {
	var l uint64
	if !labels(&l) {
		return
	}
	var v uint64
	for nbrs(&v) {
		emit(v, l)
	}
}

// LabelPair is two labels of one component.
type LabelPair struct{ X, Y uint64 }

// disagree emits the pairs of labels that meet at a node and differ.
func disagree(_ uint64, sent func(*uint64) bool, labels func(*uint64) bool, emit func(LabelPair)) {
	var l, x uint64
	if !labels(&l) {
		return
	}
	for sent(&x) {
		if x != l {
			emit(LabelPair{min(x, l), max(x, l)})
		}
	}
}

// unionLabels joins the labels that disagree (a union-find) and emits
// each one's final label, the smallest of its set.
func unionLabels(_ int, pairs func(*LabelPair) bool, emit func(LabelPair)) {
	parent := map[uint64]uint64{}
	var find func(x uint64) uint64
	find = func(x uint64) uint64 {
		p, ok := parent[x]
		if !ok || p == x {
			return x
		}
		r := find(p)
		parent[x] = r
		return r
	}
	var p LabelPair
	for pairs(&p) {
		x, y := find(p.X), find(p.Y)
		if x == y {
			continue
		}
		if y < x {
			x, y = y, x
		}
		parent[x] = x
		parent[y] = x
	}
	for x := range parent {
		if r := find(x); r != x {
			emit(LabelPair{x, r})
		}
	}
}

// remapFn maps labels through the merged labels (a side input, small).
type remapFn struct {
	m map[uint64]uint64
}

func (f *remapFn) StartBundle(merged func(*LabelPair) bool) {
	f.m = map[uint64]uint64{}
	var p LabelPair
	for merged(&p) {
		f.m[p.X] = p.Y
	}
}

func (f *remapFn) ProcessElement(u, l uint64, _ func(*LabelPair) bool) (uint64, uint64) {
	if r, ok := f.m[l]; ok {
		return u, r
	}
	return u, l
}

func init() {
	beam.RegisterType(reflect.TypeOf(LabelPair{}))
	register.Function3x0(bothWays)
	register.Function2x2(selfLabels)
	register.Function2x1(minLabel)
	register.Function4x0(propagate)
	register.Function4x0(sendLabels)
	register.Function4x0(disagree)
	register.Function3x0(unionLabels)
	register.DoFn3x2[uint64, uint64, func(*LabelPair) bool, uint64, uint64](&remapFn{})
	register.Emitter1[LabelPair]()
	register.Iter1[LabelPair]()
}
