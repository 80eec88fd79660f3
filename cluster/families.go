package cluster

import (
	"cmp"
	"context"
	"math"
	"slices"
	"sync"

	"github.com/reuse-tool/reuse/internal/keysort"
	"github.com/reuse-tool/reuse/internal/work"
)

// Occurrence is a stretch of one document: the token range [Start, End).
type Occurrence struct {
	Doc        uint32
	Start, End int32
}

func (o Occurrence) len() int32 { return o.End - o.Start }

// Family is a reuse family: one piece of text and the places it occurs.
type Family struct {
	// Members sorted by (Doc, Start); members of one family never overlap.
	Members []Occurrence
	// Derived flags members found by projection (see Families) rather than
	// by an alignment of their own; parallel to Members.
	Derived []bool
}

// Families groups passages into reuse families.
//
// sides[i] holds the two occurrences of passage i (its A and B sides);
// boilerplate[j] holds occurrences already known to be one family (text
// above the document-frequency cap). The graph has a node per occurrence
// and an edge between the two sides of a passage, between the members of a
// boilerplate group, and between occurrences in the same document that
// cover the same region (their intersection is at least two thirds of the
// longer one), unless both are boilerplate (Boilerplate decided those:
// the texts it keeps apart often overlap by their fingerprints). Families are its connected components (by union-find, as
// gonum's topo.ConnectedComponents finds them), so copies of a copy join their source's
// family, while text that merely touches or contains other text does not:
// A~B sharing one sentence and B~C sharing the next stay two families.
//
// A family's text can also lie inside a longer passage of another family:
// a sentence quoted by C from B, where B copied a whole paragraph from A.
// Such a member is projected through the longer passage into its partner
// document (here A) and added to the family as a derived member, once
// (one hop), where the family has no member in that document yet. Only a
// passage whose two sides hold nearly the same text projects (texts[i]
// sketches the sides of passage i, Sketch.Same; nil: every passage): on
// code, passages are aligned across many small edits, and the place a
// quote maps to in the other side held other text.
//
// Last, a family all of whose members lie inside members of one other
// family (a shorter quote of a longer shared passage, in documents that
// family already covers) adds nothing and is merged into it, unless it
// holds boilerplate and the other does not.
//
// Families are numbered by their first occurrence: passages in the order
// given, then boilerplate groups. It returns the family of every passage
// and every boilerplate group, and the families; or ctx's error, when it
// is cancelled first (its loops over documents and families look at ctx
// every few thousand).
func Families(ctx context.Context, sides [][2]Occurrence, texts [][2]Sketch, boilerplate [][]Occurrence) (passageFamily, boilerFamily []int32, fams []Family, err error) {
	return FamiliesOn(ctx, 1, sides, texts, boilerplate)
}

// FamiliesOn is Families with its passes over documents (the unions of
// occurrences covering the same region, the projections) on workers
// goroutines. The result is the same: unions give the same components in
// any order, and projections are sorted by what made them. It holds no
// reference to boilerplate once the families' members are made: a caller
// that holds none either lets it go before the families' last steps, at
// the peak of a large scan (docs/benchmarks.md, "Boilerplate put aside
// during the alignment").
func FamiliesOn(ctx context.Context, workers int, sides [][2]Occurrence, texts [][2]Sketch, boilerplate [][]Occurrence) (passageFamily, boilerFamily []int32, fams []Family, err error) {
	occ := occurrences{sides: sides, boiler: flatten(boilerplate)}
	firstBoiler := 2 * len(sides)
	// The graph's nodes are units: a passage's side, or a boilerplate
	// group, whose members are one node, so that the union-find takes 8
	// bytes a unit, not an occurrence (at 10 GB of news, 0.35 GB;
	// docs/benchmarks.md, "Boilerplate put aside during the alignment").
	un := unitsOf(firstBoiler, boilerplate)
	sets := newDisjointSets(un.len())
	for i := range sides {
		sets.union(int32(2*i), int32(2*i+1))
	}
	rows, err := newDocRows(ctx, occ)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := unionAllSameRegions(ctx, sets, &un, occ, int32(firstBoiler), rows, workers); err != nil {
		return nil, nil, nil, err
	}

	// Number components in the order of their smallest occurrence: of
	// their first unit, as a group's members are one after another.
	un.comp = make([]int32, un.len())
	number := sets.size // free now: by representative, +1; 0: not yet
	clear(number)
	var roots int
	for u := range un.len() {
		r := sets.find(int32(u))
		if number[r] == 0 {
			roots++
			number[r] = int32(roots)
		}
		un.comp[u] = number[r] - 1
	}
	sets = nil

	// Components by unit (un.comp), an occurrence's found through its
	// unit (units.compOf): an array by occurrence took 4 bytes each at
	// the last step's peak, 0.2 GB at 10 GB of news (docs/benchmarks.md,
	// "The families' members through a file"). Numbered by first
	// occurrence, units number as every occurrence would.
	held, err := newFamilyDocs(ctx, occ, &un, roots)
	if err != nil {
		return nil, nil, nil, err
	}
	adds, err := project(ctx, &un, occ, texts, len(sides), rows, held, roots, workers)
	if err != nil {
		return nil, nil, nil, err
	}
	var spill *memberFile
	if len(occ.boiler) >= spillMembers {
		spill = newMemberFile(roots)
		defer spill.close()
	}
	fams, members, err := buildFamilies(ctx, occ, un, roots, adds, held, spill)
	if err != nil {
		return nil, nil, nil, err
	}
	occ = occurrences{}
	if spill != nil {
		// The boilerplate is garbage now (its callers hold it no more),
		// and the members read back take its place.
		if members, err = spill.load(ctx, fams); err != nil {
			return nil, nil, nil, err
		}
		spill.close()
		if spilledHook != nil {
			spilledHook(len(members))
		}
	}
	boilerFam := make([]bool, len(fams))
	for _, c := range un.comp[firstBoiler:] {
		boilerFam[c] = true
	}
	fams, renumber, err := subsume(ctx, fams, members, boilerFam)
	if err != nil {
		return nil, nil, nil, err
	}
	for u, c := range un.comp {
		un.comp[u] = renumber[c]
	}
	fams = numberByFirst(fams, un.comp)

	passageFamily = make([]int32, len(sides))
	for i := range sides {
		passageFamily[i] = un.comp[2*i]
	}
	boilerFamily = make([]int32, len(un.groupAt))
	for j, u := range un.groupAt {
		if u >= 0 {
			boilerFamily[j] = un.comp[u]
		}
	}
	return passageFamily, boilerFamily, fams, nil
}

// units are the occurrences of Families taken a passage's side or a
// boilerplate group at a time: unit u is occurrence u below firstBoiler
// (a side), and the members of a group from there on.
type units struct {
	comp        []int32 // the component of each unit
	firstBoiler int
	from        []int32 // group unit firstBoiler+g: occurrences firstBoiler+from[g] to firstBoiler+from[g+1]-1
	groupAt     []int   // group j's unit; -1 for an empty group
	// block[b] is the g whose occurrences hold firstBoiler+b·unitBlock,
	// so that of searches from only among a block's groups.
	block []int32
}

// unitBlock is the number of boilerplate occurrences of a units.block.
const unitBlock = 256

// unitsOf returns the units of occurrences: the sides of passages, then
// from firstBoiler on the members of groups; without their components.
func unitsOf(firstBoiler int, groups [][]Occurrence) units {
	un := units{firstBoiler: firstBoiler, groupAt: make([]int, len(groups)), from: []int32{0}}
	n := firstBoiler
	for j, grp := range groups {
		un.groupAt[j] = -1
		if len(grp) > 0 {
			un.groupAt[j] = n
			n++
			un.from = append(un.from, un.from[len(un.from)-1]+int32(len(grp)))
		}
	}
	total := un.from[len(un.from)-1]
	for at, g := int32(0), 0; at < total; at += unitBlock {
		for un.from[g+1] <= at {
			g++
		}
		un.block = append(un.block, int32(g))
	}
	return un
}

// len returns the number of units.
func (un *units) len() int { return un.firstBoiler + len(un.from) - 1 }

// of returns the unit of occurrence i.
func (un *units) of(i int32) int32 {
	if int(i) < un.firstBoiler {
		return i
	}
	r := i - int32(un.firstBoiler)
	// The group g with from[g] <= r < from[g+1] lies between the groups
	// holding the first occurrences of r's block and of the next.
	lo, hi := 1, len(un.from)
	if b := int(r / unitBlock); b < len(un.block) {
		lo = int(un.block[b]) + 1
		if b+1 < len(un.block) {
			hi = int(un.block[b+1]) + 2
		}
	}
	g, _ := slices.BinarySearch(un.from[lo:hi], r+1)
	return int32(un.firstBoiler + lo + g - 1)
}

// compOf returns the component of occurrence i.
func (un *units) compOf(i int32) int32 { return un.comp[un.of(i)] }

// occurrences returns the range [lo, hi) of unit u's occurrences.
func (un *units) occurrences(u int32) (lo, hi int32) {
	if int(u) < un.firstBoiler {
		return u, u + 1
	}
	g, base := int(u)-un.firstBoiler, int32(un.firstBoiler)
	return base + un.from[g], base + un.from[g+1]
}

// checkEvery returns ctx's error on every 4,096th call of a loop (i its
// index), nil otherwise.
func checkEvery(ctx context.Context, i int) error {
	if i&4095 != 0 {
		return nil
	}
	return ctx.Err()
}

// sameRegion reports whether two occurrences in one document cover
// essentially the same text.
func sameRegion(a, b Occurrence) bool {
	inter := min(a.End, b.End) - max(a.Start, b.Start)
	return inter > 0 && 3*inter >= 2*max(a.len(), b.len())
}

// docRows lists the occurrences of each document, sorted by start (then
// index): 4 bytes an occurrence.
type docRows struct {
	order []int32 // occurrence indices by (document, start, index)
	from  []int32 // row r: order[from[r]:from[r+1]]
}

func newDocRows(ctx context.Context, occ occurrences) (docRows, error) {
	order, err := sortByDoc(ctx, occ, nil, false)
	if err != nil {
		return docRows{}, err
	}
	var from []int32
	for i, o := range order {
		if i == 0 || occ.at(o).Doc != occ.at(order[i-1]).Doc {
			from = append(from, int32(i))
		}
	}
	return docRows{order: order, from: append(from, int32(len(order)))}, nil
}

func (r docRows) len() int          { return len(r.from) - 1 }
func (r docRows) row(i int) []int32 { return r.order[r.from[i]:r.from[i+1]] }

// sameRegionCap is the most intervals of one length class that an
// occurrence is compared with for sameRegion (see unionSameRegions).
const sameRegionCap = 32

// sameRegionScratch is unionSameRegions' memory, reused from document to
// document.
type sameRegionScratch struct {
	distinct []int32
	byClass  []classed // distinct, sorted by (length class, start, index)
	sorter   keysort.Sorter[classed]
}

// classed is an occurrence with its length class, so that sorting and
// searching by class computes each class once.
type classed struct {
	class, start, i int32
}

// maxKeysort is the longest slice this package sorts through keysort,
// whose scratch takes 24 bytes an element: a boilerplate family of a 10
// GB archive has tens of millions of members, which a sort in place
// orders without that memory.
const maxKeysort = 1 << 16

// rowBlock is the number of documents a worker takes at a time in the
// passes over documents.
const rowBlock = 256

// unionAllSameRegions joins in sets, in every document, the units (un)
// of the occurrences that cover the same region (unionSameRegions), on
// workers goroutines: each collects its unions and applies them, under a
// lock, when it holds many.
func unionAllSameRegions(ctx context.Context, sets *disjointSets, un *units, occ occurrences, firstBoiler int32, rows docRows, workers int) error {
	if workers <= 1 {
		var sc sameRegionScratch
		join := func(x, y int32) { sets.union(un.of(x), un.of(y)) }
		for r := range rows.len() {
			if err := checkEvery(ctx, r); err != nil {
				return err
			}
			unionSameRegions(occ, rows.row(r), firstBoiler, &sc, join)
		}
		return nil
	}
	var mu sync.Mutex
	scratch := make([]sameRegionScratch, workers)
	edges := make([][]uint64, workers)
	apply := func(w int) {
		mu.Lock()
		for _, e := range edges[w] {
			sets.union(un.of(int32(e>>32)), un.of(int32(uint32(e))))
		}
		mu.Unlock()
		edges[w] = edges[w][:0]
	}
	err := work.Each(ctx, work.Blocks(rows.len(), rowBlock), workers, func(w, b int) error {
		join := func(x, y int32) { edges[w] = append(edges[w], uint64(x)<<32|uint64(uint32(y))) }
		for r := b * rowBlock; r < min((b+1)*rowBlock, rows.len()); r++ {
			unionSameRegions(occ, rows.row(r), firstBoiler, &scratch[w], join)
		}
		if len(edges[w]) >= 1<<16 {
			apply(w)
		}
		return nil
	})
	for w := range edges {
		apply(w)
	}
	return err
}

// unionSameRegions joins the occurrences of one document (list, sorted by
// start) that cover the same region. Identical ones join at once; the
// others are compared only with occurrences of similar length (sameRegion
// needs lengths within 1.5 times of each other: length classes of ratio
// 1.5, the next and the previous) starting within the first third of
// them, at most sameRegionCap of each class: a document sharing a
// paragraph with thousands of others holds thousands of near-identical
// occurrences, chained here in order of start instead of compared pair by
// pair.
//
// Occurrences from firstBoiler on are boilerplate, and two of them are
// never joined here: Boilerplate made their families, and two
// boilerplate texts in one region are fingerprints of different texts
// interleaved. (Among identical intervals, sorted by index, a passage's
// comes first: boilerplate ones join it, or stay distinct when there is
// none.)
func unionSameRegions(occ occurrences, list []int32, firstBoiler int32, sc *sameRegionScratch, join func(x, y int32)) {
	// Distinct intervals, in order of start.
	distinct := sc.distinct[:0]
	for _, i := range list {
		if n := len(distinct); n > 0 && distinct[n-1] < firstBoiler {
			if d := occ.at(distinct[n-1]); d.Start == occ.at(i).Start && d.End == occ.at(i).End {
				join(distinct[n-1], i)
				continue
			}
		}
		distinct = append(distinct, i)
	}
	byClass := sc.byClass[:0]
	for _, i := range distinct {
		byClass = append(byClass, classed{class: int32(lengthClass(occ.at(i).len())), start: occ.at(i).Start, i: i})
	}
	// By (class, start, index): distinct is in order of (start, index), so
	// a stable sort by (class, start) gives it.
	var topStart int32
	for _, x := range byClass {
		topStart = max(topStart, x.start)
	}
	ws := keysort.Width(uint64(max(topStart, 0)))
	if !sc.sorter.Stable(byClass, func(x classed) uint64 {
		if x.start < 0 {
			return math.MaxUint64
		}
		return uint64(x.class)<<ws | uint64(x.start)
	}) {
		slices.SortFunc(byClass, func(x, y classed) int {
			return cmp.Or(cmp.Compare(x.class, y.class), cmp.Compare(x.start, y.start), cmp.Compare(x.i, y.i))
		})
	}
	// The occurrences of length class c: byClass[from[c]:from[c+1]], by
	// start.
	var from [maxLengthClass + 4]int32 // classes -1 to maxLengthClass+1
	for _, x := range byClass {
		from[x.class+2]++
	}
	for c := 1; c < len(from); c++ {
		from[c] += from[c-1]
	}
	class := func(c int32) []classed {
		if c < 0 {
			return nil
		}
		return byClass[from[c+1]:from[c+2]]
	}
	for _, x := range byClass {
		o := occ.at(x.i)
		for cc := x.class - 1; cc <= x.class+1; cc++ {
			cl := class(cc)
			k, _ := slices.BinarySearchFunc(cl, o.Start, func(y classed, s int32) int { return cmp.Compare(y.start, s) })
			for seen := 0; k < len(cl) && seen < sameRegionCap && cl[k].start <= o.Start+o.len()/3; k++ {
				if j := cl[k].i; j != x.i {
					seen++
					if (x.i < firstBoiler || j < firstBoiler) && sameRegion(o, occ.at(j)) {
						join(x.i, j)
					}
				}
			}
		}
	}
	sc.distinct, sc.byClass = distinct, byClass
}

// maxLengthClass is the largest lengthClass of an int32.
const maxLengthClass = 52

// lengthClass is floor(log1.5(n)), 0 for n < 2.
func lengthClass(n int32) int {
	c := 0
	for x := float64(n); x >= 1.5; x /= 1.5 {
		c++
	}
	return c
}

// familyDocs lists each family's documents, sorted (a document once for
// each of the family's occurrences in it): family f's are
// docs[from[f]:from[f+1]].
type familyDocs struct {
	from []int32
	docs []uint32
}

// newFamilyDocs lists the documents of roots families, un.comp the
// family of each unit of occ; or returns ctx's error.
func newFamilyDocs(ctx context.Context, occ occurrences, un *units, roots int) (*familyDocs, error) {
	from := make([]int32, roots+1)
	for u, c := range un.comp {
		lo, hi := un.occurrences(int32(u))
		from[c+1] += hi - lo
	}
	for f := range roots {
		from[f+1] += from[f]
	}
	docs := make([]uint32, occ.len())
	next := slices.Clone(from[:roots])
	for u, c := range un.comp {
		if err := checkEvery(ctx, u); err != nil {
			return nil, err
		}
		lo, hi := un.occurrences(int32(u))
		for i := lo; i < hi; i++ {
			docs[next[c]] = occ.at(i).Doc
			next[c]++
		}
	}
	for f := range roots {
		if err := checkEvery(ctx, f); err != nil {
			return nil, err
		}
		slices.Sort(docs[from[f]:from[f+1]])
	}
	return &familyDocs{from: from, docs: docs}, nil
}

// of returns family f's documents.
func (h *familyDocs) of(f int32) []uint32 { return h.docs[h.from[f]:h.from[f+1]] }

// holds reports whether family f has an occurrence in document d.
func (h *familyDocs) holds(f int32, d uint32) bool {
	_, ok := slices.BinarySearch(h.of(f), d)
	return ok
}

// derived is a member found by projection: family fam occurs at o. at
// orders projections as the occurrences and containers that made them.
type derived struct {
	fam int32
	o   Occurrence
	at  int64 // occurrence index << 32 | rank of the container
}

// project finds derived members: for an occurrence o of family F lying
// (90% or more) inside a passage side p of another family, whose sides
// hold nearly the same text (texts; nil: all), o's text also occurs at
// the corresponding place of p's partner. Passage sides are the
// first 2·passages occurrences, side j's partner at j^1. It returns the
// projections grouped by family (of families in all), in no order
// within a family, but none into a document where the family has a
// member of its own (held): buildFamilies keeps the first of each family
// in each other document (by at: in the order of the occurrences that
// make them, and of their containers by start). At 1 GB of news 95% of
// the projections fall where their family is (boilerplate inside a
// passage, found on both sides): dropped as they are made, they no
// longer take 0.6 GB at 10 GB, with the map of the first of each
// (docs/benchmarks.md, "The last step's batches within the budget").
func project(ctx context.Context, un *units, occ occurrences, texts [][2]Sketch, passages int, rows docRows, held *familyDocs, families, workers int) ([]derived, error) {
	if passages == 0 {
		return nil, nil
	}
	type scratch struct {
		adds  []derived
		found []int32
		todo  []int32 // a document's occurrences, those identical to an earlier one left out
		sides []int32 // a document's passage sides, by start
		tree  stabTree
		ks    keysort.Sorter[int32]
		// first holds, by family and document, the index in adds of the
		// projection with the least at: buildFamilies keeps no other,
		// and the Linux tree's clustering made nine of them for each it
		// kept (drivers/net: 432,907 for 47,580).
		first map[uint64]int32
	}
	sc := make([]scratch, max(workers, 1))
	err := work.Each(ctx, work.Blocks(rows.len(), rowBlock), workers, func(w, b int) error {
		s := &sc[w]
		for r := b * rowBlock; r < min((b+1)*rowBlock, rows.len()); r++ {
			// The document's passage sides, the containers its
			// occurrences are projected through.
			s.sides = s.sides[:0]
			for _, i := range rows.row(r) {
				if int(i) < 2*passages {
					s.sides = append(s.sides, i)
				}
			}
			if len(s.sides) == 0 {
				continue
			}
			s.tree.reset(occ, s.sides)
			// An occurrence identical to an earlier one (same family and
			// place) adds what that one added.
			s.todo = append(s.todo[:0], rows.row(r)...)
			sortByFamilyPlace(&s.ks, s.todo, un, occ)
			s.todo = slices.CompactFunc(s.todo, func(x, y int32) bool {
				return un.compOf(x) == un.compOf(y) && occ.at(x).Start == occ.at(y).Start && occ.at(x).End == occ.at(y).End
			})
			for _, i := range s.todo {
				from := len(s.adds)
				s.adds = projectOne(s.adds, &s.found, &s.tree, un, occ, texts, held, i)
				s.adds = keepFirst(s.adds, from, &s.first)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	lists := make([][]derived, len(sc))
	for w := range sc {
		lists[w], sc[w].adds = sc[w].adds, nil
	}
	return byFamily(lists, families), nil
}

// keepFirst keeps, of the projections adds[from:] just made, those into a
// document where their family has none yet in adds[:from], and in place of
// one made before the projection with the least at (first maps family and
// document to its index; made on first use). It returns adds, shortened.
func keepFirst(adds []derived, from int, first *map[uint64]int32) []derived {
	if *first == nil {
		*first = make(map[uint64]int32)
	}
	m := *first
	n := from
	for _, d := range adds[from:] {
		k := uint64(uint32(d.fam))<<32 | uint64(d.o.Doc)
		if j, ok := m[k]; ok {
			if d.at < adds[j].at {
				adds[j] = d
			}
			continue
		}
		m[k] = int32(n)
		adds[n] = d
		n++
	}
	return adds[:n]
}

// projectThrough returns the projection of occurrence o through the
// passage whose sides are p (holding o) and q: the part of q that stands
// where o stands in p, scaled to q's length. It reports false unless p
// holds at least nine tenths of o, when the projection is empty, and
// when one side is more than 1.5 times as long as the other: a place
// maps linearly onto the other side only where the two are about as
// long (a copy with small edits, reworded sentences); a summary's short
// side stands for its long side as a whole, and a quote inside the long
// side projected onto it gave members of a word or two (the Linux
// Documentation: 908 members under 20 bytes, "c", "to IA32_ARCH";
// docs/benchmarks.md, "Members projected through summaries").
func projectThrough(o, p, q Occurrence) (Occurrence, bool) {
	inter := min(o.End, p.End) - max(o.Start, p.Start)
	if 10*inter < 9*o.len() || p.len() == 0 || 2*q.len() > 3*p.len() || 2*p.len() > 3*q.len() {
		return Occurrence{}, false
	}
	scale := float64(q.len()) / float64(p.len())
	start := q.Start + int32(float64(max(o.Start, p.Start)-p.Start)*scale+0.5)
	end := q.Start + int32(float64(min(o.End, p.End)-p.Start)*scale+0.5)
	if end <= start {
		return Occurrence{}, false
	}
	return Occurrence{Doc: q.Doc, Start: start, End: min(end, q.End)}, true
}

// projectOne appends to adds the projections of occurrence i through the
// passage sides that contain it (see project), containers holding the
// passage sides of its document, but those into a document its family
// holds; found is scratch.
func projectOne(adds []derived, found *[]int32, containers *stabTree, un *units, occ occurrences, texts [][2]Sketch, held *familyDocs, i int32) []derived {
	o, fam := occ.at(i), un.compOf(i)
	f := (*found)[:0]
	containers.containing(o.Start+o.len()/10, o.End-o.len()/10, func(j int32) {
		if un.comp[j] != fam && (texts == nil || texts[j/2][0].Same(texts[j/2][1])) { // j, a side, is its unit
			f = append(f, j)
		}
	})
	for a := 1; a < len(f); a++ { // few: by insertion, by (Start, index)
		j, x := a, f[a]
		for j > 0 && (occ.at(f[j-1]).Start > occ.at(x).Start || occ.at(f[j-1]).Start == occ.at(x).Start && f[j-1] > x) {
			f[j] = f[j-1]
			j--
		}
		f[j] = x
	}
	for rank, j := range f {
		// occ.at(j^1) is the partner side of passage j/2.
		if q, ok := projectThrough(o, occ.at(j), occ.at(j^1)); ok && !held.holds(fam, q.Doc) {
			adds = append(adds, derived{fam: fam, o: q, at: int64(i)<<32 | int64(rank)})
		}
	}
	*found = f
	return adds
}

// sortDerived sorts projections by (prefix, at), through integer keys
// (package keysort) where they fit: at packed as its occurrence index and
// rank in as few bits as they need. at is unique, so the order is total.
func sortDerived(adds []derived, ks *keysort.Sorter[derived], prefix func(derived) uint64) {
	if len(adds) < 2 {
		return
	}
	if ks == nil {
		ks = new(keysort.Sorter[derived])
	}
	var topI, topRank, topPrefix uint64
	for _, d := range adds {
		topI, topRank = max(topI, uint64(d.at)>>32), max(topRank, uint64(d.at)&(1<<32-1))
		topPrefix = max(topPrefix, prefix(d))
	}
	wr := keysort.Width(topRank)
	wat := keysort.Width(topI) + wr
	ok := len(adds) <= maxKeysort && atsNonNegative(adds) && keysort.Width(topPrefix)+wat <= 64 && ks.Stable(adds, func(d derived) uint64 {
		return prefix(d)<<wat | (uint64(d.at)>>32)<<wr | uint64(d.at)&(1<<32-1)
	})
	if !ok {
		slices.SortFunc(adds, func(x, y derived) int {
			return cmp.Or(cmp.Compare(prefix(x), prefix(y)), cmp.Compare(x.at, y.at))
		})
	}
}

// atsNonNegative reports whether no at of adds is negative, as keys need.
func atsNonNegative(adds []derived) bool {
	for _, d := range adds {
		if d.at < 0 {
			return false
		}
	}
	return true
}

// sortByFamilyPlace sorts todo, one document's occurrences sorted by
// (Start, index), by (family, Start, End, index): by integer keys where
// they fit (stable, so equal places keep the order of their indexes), by
// comparison otherwise.
func sortByFamilyPlace(ks *keysort.Sorter[int32], todo []int32, un *units, occ occurrences) {
	var topComp, topStart, topLen uint64
	for _, i := range todo {
		o, c := occ.at(i), un.compOf(i)
		if o.Start < 0 || o.End < o.Start || c < 0 {
			topComp = math.MaxUint64 // not packed
			break
		}
		topComp, topStart, topLen = max(topComp, uint64(c)), max(topStart, uint64(o.Start)), max(topLen, uint64(o.End-o.Start))
	}
	wl := keysort.Width(topLen)
	ws := keysort.Width(topStart) + wl
	ok := keysort.Width(topComp)+ws <= 64 && ks.Stable(todo, func(i int32) uint64 {
		o := occ.at(i)
		return uint64(un.compOf(i))<<ws | uint64(o.Start)<<wl | uint64(o.End-o.Start)
	})
	if !ok {
		slices.SortFunc(todo, func(x, y int32) int {
			a, b := occ.at(x), occ.at(y)
			return cmp.Or(cmp.Compare(un.compOf(x), un.compOf(y)), cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End), cmp.Compare(x, y))
		})
	}
}

// byFamily returns the projections of lists grouped by family: counted
// into place, in linear time, each list dropped once placed. (Sorting
// them all by at first, as buildFamilies' choice of the first of each
// document once needed, took a sort of every projection and two copies
// of them: the Linux tree makes 14.7 million, 354 MB.)
func byFamily(lists [][]derived, families int) []derived {
	next := make([]int64, families+1)
	for _, l := range lists {
		for _, d := range l {
			next[d.fam+1]++
		}
	}
	for f := range families {
		next[f+1] += next[f]
	}
	out := make([]derived, next[families])
	for w, l := range lists {
		for _, d := range l {
			out[next[d.fam]] = d
			next[d.fam]++
		}
		lists[w] = nil
	}
	return out
}

// member is a member of a family while families are built.
type member struct {
	o       Occurrence
	derived bool
}

// buildFamilies makes the families: each family's occurrences, and the
// projections of adds (in order) into documents where the family has no
// member yet, sorted by (Doc, Start) with overlapping members of one
// document merged. Members live in two flat arrays shared by all the
// families; it returns the members' (every family's, one after another).
// With spill, it writes the members there instead, family after family,
// and returns the families without them (memberFile.load reads them).
func buildFamilies(ctx context.Context, occ occurrences, un units, roots int, adds []derived, held *familyDocs, spill *memberFile) ([]Family, []Occurrence, error) {
	// Projections by family (project groups them); the first (by at)
	// into each document the family does not hold.
	var ks keysort.Sorter[derived]
	kept := adds[:0] // filtered in place: kept[i] is written after adds[i] is read
	for lo, n := 0, 0; lo < len(adds); n++ {
		if err := checkEvery(ctx, n); err != nil {
			return nil, nil, err
		}
		f := adds[lo].fam
		hi := lo + 1
		for hi < len(adds) && adds[hi].fam == f {
			hi++
		}
		docs := held.of(f)
		// The first projection into each document (in order of at: the
		// order is total), where the family holds nothing; then in order
		// of at.
		g := adds[lo:hi]
		sortDerived(g, &ks, func(d derived) uint64 { return uint64(d.o.Doc) })
		start := len(kept)
		for i, d := range g {
			if i > 0 && g[i-1].o.Doc == d.o.Doc {
				continue
			}
			if _, holds := slices.BinarySearch(docs, d.o.Doc); !holds {
				kept = append(kept, d)
			}
		}
		sortDerived(kept[start:], &ks, func(derived) uint64 { return 0 })
		lo = hi
	}
	adds = kept
	held = nil
	// Units by family, in order: an array of a unit a group, not of an
	// occurrence (docs/benchmarks.md, "Boilerplate put aside during the
	// alignment").
	from := make([]int32, roots+1)
	for _, c := range un.comp {
		from[c+1]++
	}
	for f := range roots {
		from[f+1] += from[f]
	}
	base := make([]int32, len(un.comp))
	next := slices.Clone(from[:roots])
	for u, c := range un.comp {
		base[next[c]] = int32(u)
		next[c]++
	}
	next = nil
	// Members, family after family, sorted and merged through one
	// family's scratch: a copy of every family's members at once, 16
	// bytes a member, was the last step's peak once subsume's interval
	// trees were built a document at a time (docs/benchmarks.md, "The
	// last step's interval trees, one document at a time").
	fams := make([]Family, roots)
	var members []Occurrence
	var flags []bool
	if spill == nil {
		members = make([]Occurrence, 0, occ.len()+len(adds))
		flags = make([]bool, 0, occ.len()+len(adds))
	}
	var ms []member
	ai := 0
	for f := range roots {
		if err := checkEvery(ctx, f); err != nil {
			return nil, nil, err
		}
		ms = ms[:0]
		for _, u := range base[from[f]:from[f+1]] {
			lo, hi := un.occurrences(u)
			for i := lo; i < hi; i++ {
				ms = append(ms, member{o: occ.at(i)})
			}
		}
		for ; ai < len(adds) && int(adds[ai].fam) == f; ai++ {
			ms = append(ms, member{o: adds[ai].o, derived: true})
		}
		if spill != nil {
			// One family's scratch, written out.
			members, flags = mergeMembers(members[:0], flags[:0], ms)
			if err := spill.add(members, flags); err != nil {
				return nil, nil, err
			}
			continue
		}
		lo := len(members)
		members, flags = mergeMembers(members, flags, ms)
		fams[f] = Family{Members: members[lo:len(members):len(members)], Derived: flags[lo:len(flags):len(flags)]}
	}
	if spill != nil {
		return fams, nil, nil
	}
	return fams, members, nil
}

// Inside reports whether o lies inside outer as Families merges a
// family into another: 90% or more of o within outer, which is longer.
func Inside(o, outer Occurrence) bool {
	inter := min(o.End, outer.End) - max(o.Start, outer.Start)
	return o.len() > 0 && outer.len() > o.len() && 10*inter >= 9*o.len()
}

// subsume merges into another family (its host) each family whose
// members, in every document where the host has one, lie (90% or more)
// inside the host's member, in at least one document: a quote of a
// longer shared passage, found alone in other documents too. The host
// gains the family's members in the documents it lacks, so that one text
// is one cluster. Hosts are tried in the order of their number. A family
// holding boilerplate (boiler, by family) is hosted only by another such
// family: boilerplate inside a passage two documents share is not that
// passage's text in the boilerplate's other documents, and a check of an
// archive, which reads some of them only, would merge where the scan
// does not. subsume returns the surviving families, in their original
// order, and the new number of every old family. Members must be sorted
// by (Doc, Start); all holds them, family after family (fams[f].Members
// is the next len(fams[f].Members) of it), and is not modified.
func subsume(ctx context.Context, fams []Family, all []Occurrence, boiler []bool) ([]Family, []int32, error) {
	// Every member, numbered in family order, sorted by document: at 10
	// GB of news these are tens of millions, so all is not copied, each
	// array is made at its size (docs/benchmarks.md, "What the last step
	// holds at 10 GB") and a document's interval tree is built when its
	// members are visited.
	// The family of member r: the last f with famStart[f] <= r, found by
	// a binary search a member, instead of 4 bytes a member held
	// (docs/benchmarks.md, "Boilerplate put aside during the alignment").
	famStart := make([]int32, len(fams)+1)
	for f, fam := range fams {
		famStart[f+1] = famStart[f] + int32(len(fam.Members))
	}
	famOf := func(r int32) int32 {
		i, _ := slices.BinarySearch(famStart, r+1)
		return int32(i - 1)
	}
	ids, err := sortByDoc(ctx, occurrences{boiler: all}, nil, true)
	if err != nil {
		return nil, nil, err
	}
	into := make([]int32, len(fams))
	for f := range fams {
		into[f] = int32(f)
	}
	// hostable reports whether f's members lie inside g's wherever g has
	// a member.
	hostable := func(f, g int32) bool {
		gm := fams[g].Members
		for _, m := range fams[f].Members {
			k, _ := slices.BinarySearchFunc(gm, m.Doc, func(x Occurrence, d uint32) int { return cmp.Compare(x.Doc, d) })
			has, in := false, false
			for ; k < len(gm) && gm[k].Doc == m.Doc; k++ {
				has = true
				in = in || Inside(m, gm[k])
			}
			if has && !in {
				return false
			}
		}
		return true
	}
	// Families with a member around one of f's: the possible hosts of f,
	// as f<<wf | host, sorted. The members are visited by document: in
	// order of family, the documents are visited again for every
	// family, which took 4 times longer once boilerplate came in
	// thousands of families (docs/benchmarks.md, "Boilerplate families,
	// verified").
	wf := keysort.Width(uint64(len(fams)))
	var cands []uint64
	var tree stabTree
	var rowOcc []Occurrence // a document's members, by start
	var rowFam, places []int32
	for lo := 0; lo < len(ids); {
		hi := lo + 1
		for hi < len(ids) && all[ids[hi]].Doc == all[ids[lo]].Doc {
			hi++
		}
		rowOcc, rowFam, places = rowOcc[:0], rowFam[:0], places[:0]
		for i, r := range ids[lo:hi] {
			rowOcc = append(rowOcc, all[r])
			rowFam = append(rowFam, famOf(r))
			places = append(places, int32(i))
		}
		tree.reset(occurrences{boiler: rowOcc}, places)
		for i, m := range rowOcc {
			if err := checkEvery(ctx, lo+i); err != nil {
				return nil, nil, err
			}
			f := rowFam[i]
			tree.containing(m.Start+m.len()/10, m.End-m.len()/10, func(h int32) {
				if g := rowFam[h]; g != f && Inside(m, rowOcc[h]) {
					cands = append(cands, uint64(f)<<wf|uint64(g))
				}
			})
		}
		lo = hi
	}
	ids = nil
	var ks keysort.Sorter[uint64]
	if !ks.Stable(cands, func(c uint64) uint64 { return c }) {
		slices.Sort(cands)
	}
	cands = slices.Compact(cands)
	var hosts []int32
	for f := range fams {
		if err := checkEvery(ctx, f); err != nil {
			return nil, nil, err
		}
		hosts = hosts[:0]
		lo, _ := slices.BinarySearch(cands, uint64(f)<<wf)
		for _, c := range cands[lo:] {
			if c>>wf != uint64(f) {
				break
			}
			hosts = append(hosts, int32(c&(1<<wf-1)))
		}
		for _, g := range hosts {
			if boiler[f] && !boiler[g] {
				continue
			}
			if into[g] == g && hostable(int32(f), g) {
				into[f] = g
				break
			}
		}
	}
	// Members of merged families join their hosts' (a host merged in turn
	// passes them on); overlapping members of one document become one.
	root := func(f int32) int32 {
		for into[f] != f {
			f = into[f]
		}
		return f
	}
	// One host at a time, so that only one host's copies of members are
	// held at once: the merged families by host, counted into place.
	guests := make([]int32, len(fams)+1) // host g's: byHost[guests[g]:guests[g+1]]
	for f := range fams {
		if g := root(int32(f)); g != int32(f) {
			guests[g+1]++
		}
	}
	for g := 1; g < len(guests); g++ {
		guests[g] += guests[g-1]
	}
	byHost := make([]int32, guests[len(fams)])
	next := slices.Clone(guests[:len(fams)])
	for f := range fams {
		if g := root(int32(f)); g != int32(f) {
			byHost[next[g]] = int32(f)
			next[g]++
		}
	}
	next = nil
	var ms []member
	for g := range fams {
		if err := checkEvery(ctx, g); err != nil {
			return nil, nil, err
		}
		if guests[g] == guests[g+1] {
			continue
		}
		ms = ms[:0]
		add := func(f int32) {
			for i, m := range fams[f].Members {
				ms = append(ms, member{o: m, derived: fams[f].Derived[i]})
			}
		}
		add(int32(g))
		for _, f := range byHost[guests[g]:guests[g+1]] {
			add(f)
		}
		fams[g].Members, fams[g].Derived = mergeMembers(make([]Occurrence, 0, len(ms)), make([]bool, 0, len(ms)), ms)
	}
	// The survivors moved to the front in place (kept[i] is written once
	// fams[i] is read): a copy, grown by append, took 48 bytes a family
	// up to three times at once (at 1 GB of news 376,463 families).
	renumber := make([]int32, len(fams))
	kept := fams[:0]
	for f := range fams {
		if into[f] == int32(f) {
			renumber[f] = int32(len(kept))
			kept = append(kept, fams[f])
		}
	}
	clear(fams[len(kept):])
	for f := range fams {
		renumber[f] = renumber[root(int32(f))]
	}
	return kept, renumber, nil
}

// mergeMembers sorts ms by (Doc, Start) and appends them to members and
// flags, overlapping members of one document merged into one (derived
// only if all of them were).
func mergeMembers(members []Occurrence, flags []bool, ms []member) ([]Occurrence, []bool) {
	sortMembers(ms)
	lo := len(members)
	for _, m := range ms {
		if n := len(members); n > lo && members[n-1].Doc == m.o.Doc && m.o.Start < members[n-1].End {
			members[n-1].End = max(members[n-1].End, m.o.End)
			flags[n-1] = flags[n-1] && m.derived
			continue
		}
		members = append(members, m.o)
		flags = append(flags, m.derived)
	}
	return members, flags
}

// numberByFirst renumbers families, and comp in place, in the order of
// their first occurrence: merging a family into a host can give the host
// an earlier first occurrence than families numbered before it. Every
// family must occur in comp. The families are moved in place, cycle by
// cycle of the renumbering, not copied.
func numberByFirst(fams []Family, comp []int32) []Family {
	number := make([]int32, len(fams))
	for i := range number {
		number[i] = -1
	}
	next := int32(0)
	for _, f := range comp {
		if number[f] < 0 {
			number[f] = next
			next++
		}
	}
	for i, f := range comp {
		comp[i] = number[f]
	}
	for i := range fams {
		for number[i] != int32(i) {
			j := number[i]
			fams[i], fams[j] = fams[j], fams[i]
			number[i], number[j] = number[j], number[i]
		}
	}
	return fams
}

// sortMembers sorts members by (Doc, Start), stably: by integer keys
// (package keysort) where they fit, by comparison otherwise. (Members of
// equal place overlap, and mergeMembers merges them whatever their
// order.)
func sortMembers(ms []member) {
	if len(ms) <= 16 {
		for i := 1; i < len(ms); i++ {
			m := ms[i]
			j := i
			for j > 0 && (ms[j-1].o.Doc > m.o.Doc || ms[j-1].o.Doc == m.o.Doc && ms[j-1].o.Start > m.o.Start) {
				ms[j] = ms[j-1]
				j--
			}
			ms[j] = m
		}
		return
	}
	var topDoc, topStart uint64
	for _, m := range ms {
		topDoc, topStart = max(topDoc, uint64(m.o.Doc)), max(topStart, uint64(max(m.o.Start, 0)))
	}
	ws := keysort.Width(topStart)
	var ks keysort.Sorter[member]
	ok := len(ms) <= maxKeysort && keysort.Width(topDoc)+ws <= 64 && ks.Stable(ms, func(m member) uint64 {
		if m.o.Start < 0 {
			return math.MaxUint64
		}
		return uint64(m.o.Doc)<<ws | uint64(m.o.Start)
	})
	if !ok {
		slices.SortStableFunc(ms, func(x, y member) int {
			return cmp.Or(cmp.Compare(x.o.Doc, y.o.Doc), cmp.Compare(x.o.Start, y.o.Start))
		})
	}
}
