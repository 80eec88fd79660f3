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
	"unicode/utf8"

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

// netFamilies describes what the network draws: families are the
// connected components of the graph of all pairs (documents joined by
// shared text).
type netFamilies struct {
	drawn     int  // families drawn
	total     int  // families of three or more documents
	pairsOnly int  // families of two documents: pairs with no third
	partial   bool // a family is drawn in part: the node budget ran out
}

// maxLonePairs is the most pairs drawn when no family has three or more
// documents; with more, the pairs table says it better.
const maxLonePairs = 12

// maxFamilies is the most families drawn: beyond a couple of dozen, the
// drawing is a field of small specks that says less than the tables.
const maxFamilies = 24

// pickFamilies orders the pairs to draw: the families (connected
// components over all pairs) of three or more documents, largest first
// (ties: more shared words, then first document), each with its pairs in
// order of shared words. Families of two documents say nothing a table
// does not, and are drawn only when no family is larger.
func pickFamilies(s *site) (order [][]int, fam netFamilies) {
	r := s.r
	parent := make([]int, len(r.Documents))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for _, p := range r.Pairs {
		a, aok := s.docIdx[p.A]
		b, bok := s.docIdx[p.B]
		if aok && bok && a != b {
			if ra, rb := find(a), find(b); ra != rb {
				parent[max(ra, rb)] = min(ra, rb)
			}
		}
	}
	size := map[int]int{}
	for i := range r.Documents {
		if len(s.docPairs[i]) > 0 {
			size[find(i)]++
		}
	}
	pairsOf := map[int][]int{}
	shared := map[int]int{}
	for _, pi := range s.pairRank {
		p := &r.Pairs[pi]
		a, aok := s.docIdx[p.A]
		b, bok := s.docIdx[p.B]
		if !aok || !bok || a == b {
			continue
		}
		root := find(a)
		pairsOf[root] = append(pairsOf[root], pi)
		shared[root] += p.SharedWords
	}
	minSize := 3
	for _, n := range size {
		switch {
		case n >= 3:
			fam.total++
		case n == 2:
			fam.pairsOnly++
		}
	}
	if fam.total == 0 {
		if fam.pairsOnly > maxLonePairs {
			return nil, fam // many lone pairs: a drawing of specks
		}
		minSize = 2
	}
	var roots []int
	for root, n := range size {
		if n >= minSize {
			roots = append(roots, root)
		}
	}
	slices.SortFunc(roots, func(x, y int) int {
		return cmp.Or(cmp.Compare(size[y], size[x]), cmp.Compare(shared[y], shared[x]), cmp.Compare(x, y))
	})
	for _, root := range roots {
		order = append(order, pairsOf[root])
	}
	return order, fam
}

// networkLayout picks the documents to draw (the largest families, at most
// maxNodes documents and maxFamilies families; in a family larger than
// what is left, the documents of its pairs sharing the most words) and
// lays out each connected component with gonum's EadesR2, then packs the
// components in rows, largest first. It returns the nodes, the edges, the
// width and height of the drawing, how many documents with partners were
// not drawn, and what families were drawn.
func networkLayout(s *site, maxNodes int) (nodes []netNode, edges []netEdge, w, h, unit float64, left int, fam netFamilies) {
	r := s.r
	at := map[int]int{} // doc index -> node index
	order, fam := pickFamilies(s)
	for _, pairs := range order {
		if fam.drawn == maxFamilies || len(at) >= maxNodes-1 {
			break
		}
		fam.drawn++
		for _, pi := range pairs {
			p := &r.Pairs[pi]
			a, b := s.docIdx[p.A], s.docIdx[p.B]
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
				fam.partial = true
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
	}
	partnered := 0
	for i := range r.Documents {
		if len(s.docPairs[i]) > 0 {
			partnered++
		}
	}
	left = partnered - len(nodes)
	if len(nodes) == 0 {
		return nil, nil, 0, 0, 0, left, fam
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
	return nodes, edges, w, h, unit, left, fam
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
	// to ±Inf, and Barnes-Hut then recurses without end (docs/benchmarks.md,
	// "Measurements behind the code").
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

// netCaption says what the network shows: which families are drawn, and
// what is left out.
func netCaption(fam netFamilies, drawn, left int) string {
	var sb strings.Builder
	switch {
	case fam.total > 0:
		sb.WriteString("A family is a set of documents joined by shared text. ")
		switch {
		case fam.drawn == fam.total && fam.total == 1:
			sb.WriteString("The one family of three or more documents is drawn")
		case fam.drawn == fam.total:
			fmt.Fprintf(&sb, "All %s families of three or more documents are drawn", formatNum(fam.total))
		case fam.drawn == 1:
			fmt.Fprintf(&sb, "The largest of %s families of three or more documents is drawn", formatNum(fam.total))
		default:
			fmt.Fprintf(&sb, "The %s largest of %s families of three or more documents are drawn", formatNum(fam.drawn), formatNum(fam.total))
		}
		switch {
		case fam.partial && fam.drawn == 1:
			sb.WriteString(", in part (the documents of its pairs sharing the most words)")
		case fam.partial:
			sb.WriteString(", the smallest of them in part (the documents of its pairs sharing the most words)")
		}
		if fam.pairsOnly > 0 {
			fmt.Fprintf(&sb, "; %s %s of documents share text with no third, and are in the pairs table", formatNum(fam.pairsOnly), plural(fam.pairsOnly, "pair", "pairs"))
		}
		sb.WriteString(".")
	case fam.pairsOnly > 0 && drawn == 0:
		sb.WriteString("Each document that shares text shares it with one other only: the pairs table lists them.")
	case fam.pairsOnly > 0:
		sb.WriteString("Each document that shares text shares it with one other only.")
	}
	if drawn > 0 {
		sb.WriteString(" Circles are documents, sized by length and darker the more of them is reused; lines join documents that share text, thicker for more shared words.")
		if left > 0 {
			fmt.Fprintf(&sb, " %s more documents with reuse are not drawn.", formatNum(left))
		}
	}
	return strings.TrimSpace(sb.String())
}

// plural picks the word for n things: one or many.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// labelCharWidth is about the width of a character of a node's label
// (10px sans-serif), in SVG user units: enough to keep labels inside the
// drawing.
const labelCharWidth = 6.0

// maxLabeled is the most nodes that carry a label; above it, names are in
// the nodes' titles only.
const maxLabeled = 40

// network draws the reuse network: nodes sized by words and shaded by
// reused share, edges by shared words; nodes link to document pages and
// edges to pair pages where those were written. The drawing's box takes
// in every label, so none is clipped at the edges.
func network(s *site, maxNodes int) (svg template.HTML, drawn, left int, fam netFamilies) {
	nodes, edges, _, _, unit, left, fam := networkLayout(s, maxNodes)
	if len(nodes) == 0 {
		return "", 0, left, fam
	}
	r := s.r
	maxShared := 1
	for _, e := range edges {
		maxShared = max(maxShared, r.Pairs[e.pair].SharedWords)
	}
	labels := len(nodes) <= maxLabeled
	names := make([]string, len(nodes))
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	for i, n := range nodes {
		half, below := n.r, n.r
		if labels {
			names[i] = shortName(r.Documents[n.doc].ID, 26)
			half = math.Max(half, labelCharWidth*float64(utf8.RuneCountInString(names[i]))/2)
			below = n.r + 14
		}
		minX, maxX = math.Min(minX, n.x-half), math.Max(maxX, n.x+half)
		minY, maxY = math.Min(minY, n.y-n.r), math.Max(maxY, n.y+below)
	}
	const margin = 6
	vx, vy := minX-margin, minY-margin
	vw, vh := maxX-minX+2*margin, maxY-minY+2*margin
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="net" viewBox="%.0f %.0f %.0f %.0f" width="%.0f" role="img" aria-labelledby="net-t"><title id="net-t">Reuse network: %d documents, %d links</title>`,
		math.Floor(vx), math.Floor(vy), math.Ceil(vw), math.Ceil(vh), math.Ceil(vw), len(nodes), len(edges))
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
	for i, n := range nodes {
		d := &r.Documents[n.doc]
		title := fmt.Sprintf("%s: %s reused, %s words", d.ID, formatPct(d.ReusedPct), formatNum(d.Words))
		shade := fmt.Sprintf("n%d", pctBin(d.ReusedPct))
		circle := fmt.Sprintf(`<circle class="%s" cx="%.1f" cy="%.1f" r="%.1f"><title>%s</title></circle>`, shade, n.x, n.y, n.r, escapeString(title))
		if labels {
			circle += fmt.Sprintf(`<text x="%.1f" y="%.1f">%s</text>`, n.x, n.y+n.r+10, escapeString(names[i]))
		}
		if href := s.docHref[n.doc]; href != "" {
			fmt.Fprintf(&sb, `<a href="%s">%s</a>`, escapeString(href), circle)
		} else {
			sb.WriteString(circle)
		}
	}
	sb.WriteString(`</g></svg>`)
	return template.HTML(sb.String()), len(nodes), left, fam
}

// shortName returns the last element of a slash-separated id, less a
// .txt, .md or .html extension, at most n runes: a longer name is cut at
// its end, after a word where one ends in the last third (at a space,
// hyphen, underscore or dot), with an ellipsis. The full id is in the
// node's title.
func shortName(id string, n int) string {
	base := path.Base(id)
	if base == "." || base == "/" {
		base = id
	}
	switch ext := strings.ToLower(path.Ext(base)); ext {
	case ".txt", ".md", ".html", ".htm", ".text", ".markdown":
		if len(base) > len(ext) {
			base = base[:len(base)-len(ext)]
		}
	}
	rs := []rune(base)
	if len(rs) <= n {
		return base
	}
	cut := n - 1
	for i := cut; i > n*2/3; i-- {
		if strings.ContainsRune(" -_.", rs[i]) {
			cut = i
			break
		}
	}
	return strings.TrimRight(string(rs[:cut]), " -_.") + "…"
}
