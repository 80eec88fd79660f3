package html

import (
	"cmp"
	"fmt"
	"html/template"
	"math"
	"math/rand/v2"
	"path"
	"slices"
	"strings"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/iterator"
	"gonum.org/v1/gonum/graph/layout"
	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/spatial/r2"

	"github.com/reuse-tool/reuse/result"
)

// Plots of the index page, drawn as inline SVG. Both are deterministic: the
// layout uses a fixed random source and visits nodes in ID order.

// histogram draws the number of documents by reused share, in bins
// 0, (0,10], (10,20], ..., (90,100].
func histogram(docs []result.Document) template.HTML {
	var counts [11]int
	for _, d := range docs {
		counts[pctBin(d.ReusedPct)]++
	}
	// Documents sharing nothing are often most of a corpus: when that bar
	// would flatten the others, it is cut (drawn with a break) and the scale
	// follows the others.
	maxC, maxRest := 1, 0
	for i, c := range counts {
		maxC = max(maxC, c)
		if i > 0 {
			maxRest = max(maxRest, c)
		}
	}
	cut := maxRest > 0 && counts[0] > 3*maxRest
	if cut {
		maxC = maxRest + maxRest/4 + 1
	}
	const (
		w, h       = 600, 240
		left, bot  = 8, 44
		top        = 24
		barW, barG = 50, 4
	)
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="hist" viewBox="0 0 %d %d" role="img" aria-labelledby="hist-t"><title id="hist-t">Documents by share of reused words</title>`, w, h)
	for i, c := range counts {
		x := left + i*(barW+barG)
		bh := 0.0
		if c > 0 {
			bh = math.Max(2, math.Min(1, float64(c)/float64(maxC))*float64(h-bot-top))
		}
		y := float64(h-bot) - bh
		label := "0%"
		if i > 0 {
			label = fmt.Sprintf("%d–%d", (i-1)*10, i*10)
		}
		fmt.Fprintf(&sb, `<g><title>%d documents with %s reused</title><rect class="hb b%d" x="%d" y="%.1f" width="%d" height="%.1f" rx="2"/>`, c, binDesc(label, i), i, x, y, barW, bh)
		if i == 0 && cut {
			fmt.Fprintf(&sb, `<path class="cut" d="M%d %.1f l%d -6 l%d 6 l%d -6 l%d 6 l%d -6"/>`, x-2, y+bh*0.35, barW/5+1, barW/5+1, barW/5+1, barW/5+1, barW/5+1)
		}
		fmt.Fprintf(&sb, `<text class="cnt" x="%d" y="%.1f">%s</text>`, x+barW/2, y-5, formatNum(c))
		fmt.Fprintf(&sb, `<text class="lbl" x="%d" y="%d">%s</text></g>`, x+barW/2, h-bot+18, label)
	}
	fmt.Fprintf(&sb, `<line class="axis" x1="%d" x2="%d" y1="%d" y2="%d"/>`, left, left+11*(barW+barG)-barG, h-bot, h-bot)
	fmt.Fprintf(&sb, `<text class="axt" x="%d" y="%d">reused words, %% of the document</text></svg>`, left+11*(barW+barG)/2, h-4)
	return template.HTML(sb.String())
}

func binDesc(label string, i int) string {
	if i == 0 {
		return "no words"
	}
	return label + "% of words"
}

func pctBin(p float64) int {
	if !(p > 0) {
		return 0
	}
	b := int(math.Ceil(p / 10))
	return max(1, min(b, 10))
}

// netNode and netEdge are the drawn network, in SVG user units.
type netNode struct {
	doc  int // index into Result.Documents
	x, y float64
	r    float64
}

type netEdge struct {
	pair int // index into Result.Pairs
	u, v int // indexes into the node slice
}

// orderedGraph is a weighted undirected graph that lists nodes in ID
// order, so that layouts do not depend on map iteration order.
type orderedGraph struct {
	*simple.WeightedUndirectedGraph
}

func (g orderedGraph) Nodes() graph.Nodes {
	return iterator.NewOrderedNodes(sortedNodes(g.WeightedUndirectedGraph.Nodes()))
}

func (g orderedGraph) From(id int64) graph.Nodes {
	return iterator.NewOrderedNodes(sortedNodes(g.WeightedUndirectedGraph.From(id)))
}

func sortedNodes(it graph.Nodes) []graph.Node {
	ns := graph.NodesOf(it)
	slices.SortFunc(ns, func(a, b graph.Node) int { return int(a.ID() - b.ID()) })
	return ns
}

// networkLayout picks the documents to draw (those in the pairs with the
// most shared words, at most maxNodes) and lays out each connected component
// with gonum's EadesR2, then packs the components in rows, largest first.
// It returns the nodes, the edges, the width and height of the drawing, and
// how many documents with partners were not drawn.
func networkLayout(s *site, maxNodes int) (nodes []netNode, edges []netEdge, w, h, unit float64, left int) {
	r := s.r
	at := map[int]int{} // doc index -> node index
	for _, pi := range s.pairRank {
		p := &r.Pairs[pi]
		a, aok := s.docIdx[p.A]
		b, bok := s.docIdx[p.B]
		if !aok || !bok || a == b {
			continue
		}
		_, ina := at[a]
		_, inb := at[b]
		need := 0
		if !ina {
			need++
		}
		if !inb {
			need++
		}
		if len(at)+need > maxNodes {
			continue
		}
		for _, d := range []int{a, b} {
			if _, ok := at[d]; !ok {
				at[d] = len(nodes)
				nodes = append(nodes, netNode{doc: d})
			}
		}
		if len(edges) < 6*maxNodes {
			edges = append(edges, netEdge{pair: pi, u: at[a], v: at[b]})
		}
	}
	partnered := 0
	for i := range r.Documents {
		if len(s.docPairs[i]) > 0 {
			partnered++
		}
	}
	left = partnered - len(nodes)
	if len(nodes) == 0 {
		return nil, nil, 0, 0, 0, left
	}

	// Components by union-find, in order of their first node.
	parent := make([]int, len(nodes))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for _, e := range edges {
		if ru, rv := find(e.u), find(e.v); ru != rv {
			parent[max(ru, rv)] = min(ru, rv)
		}
	}
	compOf := map[int]int{}
	var comps [][]int
	for i := range nodes {
		root := find(i)
		c, ok := compOf[root]
		if !ok {
			c = len(comps)
			compOf[root] = c
			comps = append(comps, nil)
		}
		comps[c] = append(comps[c], i)
	}
	slices.SortStableFunc(comps, func(a, b []int) int { return len(b) - len(a) })

	maxWords := 1
	for i := range nodes {
		maxWords = max(maxWords, r.Documents[nodes[i].doc].Words)
	}

	// Lay out each component in a box of side unit·√size, then pack the
	// boxes in rows at most maxW wide. unit is chosen so that the drawing
	// fills about maxW × 600 however many documents there are.
	const maxW = 880.0
	unit = math.Sqrt(0.4 * maxW * 600 / float64(len(nodes)))
	unit = max(18, min(unit, 100))
	pad := max(6, unit/4)
	for i := range nodes {
		nodes[i].r = unit * (0.035 + 0.09*math.Sqrt(float64(r.Documents[nodes[i].doc].Words)/float64(maxWords)))
		nodes[i].r = max(nodes[i].r, 2.5)
	}
	x, y, rowH := 0.0, 0.0, 0.0
	for _, comp := range comps {
		pos := componentLayout(r, nodes, edges, comp)
		side := unit * math.Sqrt(float64(len(comp)))
		bw, bh := side, side
		if len(comp) == 2 {
			bw, bh = unit, 0
		}
		if x > 0 && x+bw+2*pad > maxW {
			x, y, rowH = 0, y+rowH, 0
		}
		for i, n := range comp {
			nodes[n].x = x + pad + pos[i].X*bw
			nodes[n].y = y + pad + pos[i].Y*bh
		}
		x += bw + 2*pad
		w = max(w, x)
		rowH = max(rowH, bh+2*pad)
	}
	h = y + rowH
	return nodes, edges, w, h, unit, left
}

// componentLayout returns the positions of comp's nodes in the unit square.
func componentLayout(r *result.Result, nodes []netNode, edges []netEdge, comp []int) []r2.Vec {
	pos := make([]r2.Vec, len(comp))
	switch len(comp) {
	case 1:
		pos[0] = r2.Vec{X: 0.5, Y: 0.5}
		return pos
	case 2:
		pos[0], pos[1] = r2.Vec{X: 0, Y: 0}, r2.Vec{X: 1, Y: 0}
		return pos
	}
	in := map[int]int64{}
	for i, n := range comp {
		in[n] = int64(i)
	}
	maxShared := 1
	for _, e := range edges {
		if _, ok := in[e.u]; ok {
			maxShared = max(maxShared, r.Pairs[e.pair].SharedWords)
		}
	}
	g := orderedGraph{simple.NewWeightedUndirectedGraph(0, 0)}
	for i := range comp {
		g.AddNode(simple.Node(int64(i)))
	}
	deg := make([]float64, len(comp))
	for _, e := range edges {
		u, ok := in[e.u]
		v := in[e.v]
		if !ok || u == v || g.HasEdgeBetween(u, v) {
			continue
		}
		wt := 0.7 + 0.3*float64(r.Pairs[e.pair].SharedWords)/float64(maxShared)
		g.SetWeightedEdge(g.NewWeightedEdge(simple.Node(u), simple.Node(v), wt))
		deg[u] += wt
		deg[v] += wt
	}
	// The step shrinks with the largest weighted degree: with a fixed rate,
	// the attraction of many neighbours overshoots and the layout diverges
	// (measured: a 300-node component of degree 18 reached ±Inf in 128
	// steps at rate 0.05, and Barnes-Hut then recursed without end).
	eades := layout.EadesR2{Repulsion: 1, Rate: 0.1 / max(1, slices.Max(deg)), Updates: 200, Theta: 0.5, Src: rand.NewPCG(1, uint64(len(comp)))}
	opt := layout.NewOptimizerR2(g, eades.Update)
	good := false
	for opt.Update() {
		// Keep the last sane positions; stop before a degenerate state
		// (non-finite, exploded or coincident points) reaches Barnes-Hut.
		if !saneLayout(opt, len(comp)) {
			break
		}
		for i := range comp {
			pos[i] = opt.Coord2(int64(i))
		}
		good = true
	}
	if !good { // a circle
		for i := range pos {
			a := 2 * math.Pi * float64(i) / float64(len(pos))
			pos[i] = r2.Vec{X: math.Cos(a), Y: math.Sin(a)}
		}
	}
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	for _, p := range pos {
		minX, maxX = math.Min(minX, p.X), math.Max(maxX, p.X)
		minY, maxY = math.Min(minY, p.Y), math.Max(maxY, p.Y)
	}
	extent := math.Max(maxX-minX, maxY-minY)
	if extent == 0 {
		extent = 1
	}
	for i := range pos {
		pos[i] = r2.Vec{X: (pos[i].X - minX) / extent, Y: (pos[i].Y - minY) / extent}
	}
	return pos
}

// saneLayout reports whether the n positions of a layout are finite,
// within ±1e6, and distinct.
func saneLayout(opt layout.OptimizerR2, n int) bool {
	ps := make([]r2.Vec, n)
	for i := range ps {
		p := opt.Coord2(int64(i))
		if math.IsNaN(p.X) || math.IsNaN(p.Y) || math.Abs(p.X) > 1e6 || math.Abs(p.Y) > 1e6 {
			return false
		}
		ps[i] = p
	}
	slices.SortFunc(ps, func(a, b r2.Vec) int {
		if a.X != b.X {
			return cmp.Compare(a.X, b.X)
		}
		return cmp.Compare(a.Y, b.Y)
	})
	for i := 1; i < n; i++ {
		if ps[i] == ps[i-1] {
			return false
		}
	}
	return true
}

// network draws the reuse network: nodes sized by words and shaded by
// reused share, edges by shared words; nodes link to document pages and
// edges to pair pages where those were written.
func network(s *site, maxNodes int) (svg template.HTML, drawn, left int) {
	nodes, edges, w, h, unit, left := networkLayout(s, maxNodes)
	if len(nodes) == 0 {
		return "", 0, left
	}
	r := s.r
	maxShared := 1
	for _, e := range edges {
		maxShared = max(maxShared, r.Pairs[e.pair].SharedWords)
	}
	const margin = 8
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="net" viewBox="%d %d %.0f %.0f" width="%.0f" role="img" aria-labelledby="net-t"><title id="net-t">Reuse network: %d documents, %d links</title>`,
		-margin, -margin, w+2*margin, h+2*margin, w+2*margin, len(nodes), len(edges))
	sb.WriteString(`<g class="edges">`)
	for _, e := range edges {
		p := &r.Pairs[e.pair]
		u, v := nodes[e.u], nodes[e.v]
		sw := max(0.4, unit/100*(0.7+3.3*float64(p.SharedWords)/float64(maxShared)))
		title := fmt.Sprintf("%s ↔ %s: %s shared words (%s / %s)", p.A, p.B, formatNum(p.SharedWords), formatPct(p.APct), formatPct(p.BPct))
		line := fmt.Sprintf(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke-width="%.1f"><title>%s</title></line>`, u.x, u.y, v.x, v.y, sw, escapeString(title))
		if href := s.pairHref[e.pair]; href != "" {
			fmt.Fprintf(&sb, `<a href="%s">%s</a>`, escapeString(href), line)
		} else {
			sb.WriteString(line)
		}
	}
	sb.WriteString(`</g><g class="nodes">`)
	labels := len(nodes) <= 40
	for _, n := range nodes {
		d := &r.Documents[n.doc]
		title := fmt.Sprintf("%s: %s reused, %s words", d.ID, formatPct(d.ReusedPct), formatNum(d.Words))
		shade := fmt.Sprintf("n%d", pctBin(d.ReusedPct))
		circle := fmt.Sprintf(`<circle class="%s" cx="%.1f" cy="%.1f" r="%.1f"><title>%s</title></circle>`, shade, n.x, n.y, n.r, escapeString(title))
		if labels {
			circle += fmt.Sprintf(`<text x="%.1f" y="%.1f">%s</text>`, n.x, n.y+n.r+10, escapeString(shortName(d.ID, 22)))
		}
		if href := s.docHref[n.doc]; href != "" {
			fmt.Fprintf(&sb, `<a href="%s">%s</a>`, escapeString(href), circle)
		} else {
			sb.WriteString(circle)
		}
	}
	sb.WriteString(`</g></svg>`)
	return template.HTML(sb.String()), len(nodes), left
}

// shortName returns the last element of a slash-separated id, at most n
// runes, with an ellipsis in the middle when cut.
func shortName(id string, n int) string {
	base := path.Base(id)
	if base == "." || base == "/" {
		base = id
	}
	rs := []rune(base)
	if len(rs) <= n {
		return base
	}
	h := (n - 1) / 2
	return string(rs[:h]) + "…" + string(rs[len(rs)-(n-1-h):])
}
