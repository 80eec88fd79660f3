package reword

import (
	"cmp"
	"slices"

	"github.com/reuse-tool/reuse/align"
)

// Combiner merges the exact aligner's passages with the reworded ones of
// the same pair. A Combiner is NOT safe for concurrent use.
//
// Rules, in order:
//
//  1. Passages that overlap on both sides describe the same reuse: they
//     form one group (transitively), reported as one passage spanning them
//     all, so that a copy the exact aligner found in pieces is one passage.
//  2. A group's boundaries are its members' outermost ones, except that
//     the exact members' start (end) wins unless reworded members reach
//     before (after) it on both sides, by a whole sentence on one: exact
//     runs show where a copy starts inside a sentence, sentence seeds
//     cannot, and a reworded member reaching beyond on one side only has
//     matched a similar sentence elsewhere, not a continuation. Nor does
//     reworded text count unless it carries evidence of its own: the
//     group's text outside its exact members (the reworded additions and
//     the gaps between exact runs) must validate as a passage of the
//     reworded aligner would, with MinShared terms shared and a cosine of
//     MinValidate (half that for a summary). A copy the exact aligner
//     found whole, next to a sentence on the same subject (a name, a
//     figure: "sales grew by 5 percent to $3 million"), otherwise grows
//     by that sentence; a reworded copy holding exact runs keeps its
//     reworded parts, which are a reworded copy.
//  3. Groups that overlap on one side only disagree about where the text
//     came from. Groups holding exact passages are kept first, larger first;
//     a group that overlaps one kept already is dropped, but its exact
//     members are tried alone, so an exact passage is never lost to a
//     reworded one. Nor to a group holding reworded text: a group whose
//     span overlaps, on either side, an exact passage of another group
//     is reported as its exact members (a summary of a long stretch of
//     A otherwise claims it all, and the verbatim quotes of that stretch
//     that B holds elsewhere are lost).
//
// Cost: O(passages · log passages + tokens of the two documents).
type Combiner struct {
	al      *Aligner // that found the reworded passages of the pair
	skipA   []span   // a group's exact members on each side (refine)
	skipB   []span
	items   []item
	parent  []int32
	groups  []group
	claimA  tokenClaims
	claimB  tokenClaims
	order   []int32
	open    []int32
	groupOf []int32
}

type item struct {
	p      Passage
	weight float32 // tokens on both sides, for the similarity of a group
}

type group struct {
	p       Passage
	exact   bool
	split   bool // refine: report the exact members alone
	size    int32
	members []int32 // indexes of exact members (scratch, reused)
}

// Combine appends to dst the passages of one pair of documents a, b,
// combining the exact aligner's spans (align.Aligner on the same
// tokens) and the reworded passages al found (al.Align, its last call,
// on a and b), and returns it. Passages are ordered by AStart and never
// overlap on either side.
func (cb *Combiner) Combine(dst []Passage, al *Aligner, a, b *Doc, exact []align.Span, reworded []Passage) []Passage {
	cb.al = al
	defer func() { cb.al = nil }()
	cb.items = cb.items[:0]
	for _, s := range exact {
		p := Passage{AStart: s.AStart, AEnd: s.AEnd, BStart: s.BStart, BEnd: s.BEnd,
			Similarity: float32(s.Similarity()), Kind: Exact}
		cb.items = append(cb.items, item{p, float32(s.AEnd - s.AStart + s.BEnd - s.BStart)})
	}
	for _, p := range reworded {
		cb.items = append(cb.items, item{p, float32(p.AEnd - p.AStart + p.BEnd - p.BStart)})
	}
	n := len(cb.items)
	if n == 0 {
		return dst
	}
	// 1. Groups: union of items that overlap on both sides, found by a
	// sweep over A (items overlapping on A are adjacent in A order within
	// each kind, but not across kinds, so keep the open ones).
	cb.parent = slices.Grow(cb.parent[:0], n)[:n]
	for i := range cb.parent {
		cb.parent[i] = int32(i)
	}
	cb.order = slices.Grow(cb.order[:0], n)[:n]
	for i := range cb.order {
		cb.order[i] = int32(i)
	}
	slices.SortFunc(cb.order, func(x, y int32) int {
		return cmp.Or(cmp.Compare(cb.items[x].p.AStart, cb.items[y].p.AStart), cmp.Compare(x, y))
	})
	// open holds items whose A range may still overlap later ones; each
	// kind's passages are disjoint on A, so at most one exact and one
	// reworded passage are open at a time, plus long ones kept.
	open := cb.open[:0]
	for _, x := range cb.order {
		px := cb.items[x].p
		kept := open[:0]
		for _, y := range open {
			py := cb.items[y].p
			if py.AEnd <= px.AStart {
				continue
			}
			kept = append(kept, y)
			if px.BStart < py.BEnd && py.BStart < px.BEnd {
				cb.union(x, y)
			}
		}
		open = append(kept, x)
	}
	cb.open = open[:0]

	// 2. One passage per group.
	cb.groups = cb.groups[:0]
	cb.groupOf = slices.Grow(cb.groupOf[:0], n)[:n]
	for i := range cb.groupOf {
		cb.groupOf[i] = -1
	}
	for _, x := range cb.order { // A order: groups in A order of first member
		r := cb.find(x)
		g := cb.groupOf[r]
		if g < 0 {
			g = int32(len(cb.groups))
			cb.groupOf[r] = g
			if len(cb.groups) < cap(cb.groups) {
				// Reuse the members slice of an earlier call.
				cb.groups = cb.groups[:g+1]
				cb.groups[g] = group{p: cb.items[x].p, members: cb.groups[g].members[:0]}
			} else {
				cb.groups = append(cb.groups, group{p: cb.items[x].p})
			}
		}
		cb.add(&cb.groups[g], x)
	}
	for gi := range cb.groups {
		cb.refine(&cb.groups[gi], a, b)
	}
	cb.yieldToExact(len(exact))

	// 3. Keep groups with exact evidence first, larger first.
	slices.SortStableFunc(cb.groups, func(x, y group) int {
		if x.exact != y.exact {
			if x.exact {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(y.size, x.size), cmp.Compare(x.p.AStart, y.p.AStart))
	})
	cb.claimA.reset(len(a.Terms))
	cb.claimB.reset(len(b.Terms))
	start := len(dst)
	for gi := range cb.groups {
		g := &cb.groups[gi]
		if !g.split && cb.free(g.p) {
			dst = append(dst, g.p)
			cb.claim(g.p)
			continue
		}
		for _, x := range g.members {
			if p := cb.items[x].p; (len(g.members) > 1 || g.split) && cb.free(p) {
				dst = append(dst, p)
				cb.claim(p)
			}
		}
	}
	slices.SortFunc(dst[start:], func(x, y Passage) int { return cmp.Compare(x.AStart, y.AStart) })
	return dst
}

// yieldToExact splits (reports as their exact members) the groups with
// reworded text whose span overlaps, on A or on B, an exact passage
// (items[:nExact]) of another group (rule 3). Cost O(groups · nExact).
func (cb *Combiner) yieldToExact(nExact int) {
	for gi := range cb.groups {
		g := &cb.groups[gi]
		if g.p.Kind == Exact || g.split {
			continue
		}
		for x := range int32(nExact) {
			if cb.groupOf[cb.find(x)] == int32(gi) {
				continue
			}
			p := cb.items[x].p
			if p.AStart < g.p.AEnd && g.p.AStart < p.AEnd || p.BStart < g.p.BEnd && g.p.BStart < p.BEnd {
				g.split = true
				break
			}
		}
	}
}

func (cb *Combiner) find(x int32) int32 {
	for cb.parent[x] != x {
		cb.parent[x] = cb.parent[cb.parent[x]]
		x = cb.parent[x]
	}
	return x
}

func (cb *Combiner) union(x, y int32) {
	rx, ry := cb.find(x), cb.find(y)
	if rx == ry {
		return
	}
	if rx > ry {
		rx, ry = ry, rx
	}
	cb.parent[ry] = rx
}

// add puts item x into group g: the group's hull grows to hold it.
func (cb *Combiner) add(g *group, x int32) {
	it := cb.items[x]
	p := it.p
	if g.size == 0 {
		g.members = g.members[:0]
		g.p.Similarity = 0
	}
	g.p.AStart, g.p.AEnd = min(g.p.AStart, p.AStart), max(g.p.AEnd, p.AEnd)
	g.p.BStart, g.p.BEnd = min(g.p.BStart, p.BStart), max(g.p.BEnd, p.BEnd)
	total := float32(g.size) + it.weight
	if total > 0 {
		g.p.Similarity = (g.p.Similarity*float32(g.size) + p.Similarity*it.weight) / total
	}
	g.size += int32(it.weight)
	if p.Kind == Exact {
		g.exact = true
		g.members = append(g.members, x)
	} else if p.Kind > g.p.Kind {
		g.p.Kind = p.Kind
	}
}

// refine applies rule 2 to a group holding reworded members: an exact
// member's outer boundary wins when it falls inside the first (last)
// sentence of the reworded member that sets the group's boundary.
func (cb *Combiner) refine(g *group, a, b *Doc) {
	if g.p.Kind == Exact || !g.exact {
		return
	}
	var exA0, exA1, exB0, exB1 int32 = -1, -1, -1, -1
	for _, x := range g.members {
		p := cb.items[x].p
		if exA0 < 0 || p.AStart < exA0 {
			exA0 = p.AStart
		}
		exA1 = max(exA1, p.AEnd)
		if exB0 < 0 || p.BStart < exB0 {
			exB0 = p.BStart
		}
		exB1 = max(exB1, p.BEnd)
	}
	// Reworded text before the exact runs counts only when it holds
	// whole sentences before them on both sides: a copy that goes on,
	// reworded. Otherwise it is part of a sentence the exact run starts
	// in, or a sentence like one of the copy's on one side only.
	before := g.p.AStart < exA0 && g.p.BStart < exB0 &&
		(g.p.AStart < sentenceStart(a, exA0) || g.p.BStart < sentenceStart(b, exB0))
	after := g.p.AEnd > exA1 && g.p.BEnd > exB1 &&
		(g.p.AEnd > sentenceEnd(a, exA1-1) || g.p.BEnd > sentenceEnd(b, exB1-1))
	joined := len(g.members) > 1
	// A summary's sentences lie spread over its long side, with other
	// text between them: its exact members need not hold the gaps. But
	// a short side whose only similar sentences are its exact runs
	// quotes, it does not retell: its gaps must hold as any copy's.
	if joined && (g.p.Kind != Summary || !cb.retells(g)) && !cb.gapsHold(g) {
		g.split = true
		joined = false
	}
	if (before || after) && !cb.remainderHolds(g, a, b) {
		before, after = false, false
	}
	// Reworded text that reaches before the exact runs on both sides,
	// but no further than the starts of the sentences they start in, is
	// the head of those sentences: it counts when the two heads are the
	// same words reworded (piecesAlike). Likewise after.
	if g.split {
		return
	}
	headAlike := !before && g.p.AStart < exA0 && g.p.BStart < exB0 &&
		g.p.AStart >= sentenceStart(a, exA0) && g.p.BStart >= sentenceStart(b, exB0) &&
		cb.piecesAlike(a, g.p.AStart, exA0, b, g.p.BStart, exB0)
	tailAlike := !after && g.p.AEnd > exA1 && g.p.BEnd > exB1 &&
		g.p.AEnd <= sentenceEnd(a, exA1-1) && g.p.BEnd <= sentenceEnd(b, exB1-1) &&
		cb.piecesAlike(a, exA1, g.p.AEnd, b, exB1, g.p.BEnd)
	if !before && !after && len(g.members) == 1 {
		// Nothing reworded beyond one exact run but the rest of the
		// sentences it starts or ends in: that run, completed as edges
		// completes it, of its kind.
		p := cb.items[g.members[0]].p
		if headAlike {
			p.AStart, p.BStart = g.p.AStart, g.p.BStart
		}
		if tailAlike {
			p.AEnd, p.BEnd = g.p.AEnd, g.p.BEnd
		}
		g.p = p
		return
	}
	before, after = before || headAlike, after || tailAlike
	if !before {
		g.p.AStart, g.p.BStart = exA0, exB0
	}
	if !after {
		g.p.AEnd, g.p.BEnd = exA1, exB1
	}
}

// retells reports whether summary group g holds, on its shorter side, a
// seeded sentence (a seed of the reworded aligner) of which half or more
// lies outside its exact members: a summary retells its source. (A letter
// quoting three sentences of an article, with its own words between,
// has seeds in its quotes only.) Cost O((seeds + members) log members):
// the members, disjoint on each side, are sorted and searched.
func (cb *Combiner) retells(g *group) bool {
	al := cb.al
	shortA := g.p.AEnd-g.p.AStart <= g.p.BEnd-g.p.BStart
	s, lo, hi := &al.b, g.p.BStart, g.p.BEnd
	quotes := cb.skipB[:0]
	if shortA {
		s, lo, hi = &al.a, g.p.AStart, g.p.AEnd
		quotes = cb.skipA[:0]
	}
	for _, m := range g.members {
		p := cb.items[m].p
		if shortA {
			quotes = append(quotes, span{p.AStart, p.AEnd})
		} else {
			quotes = append(quotes, span{p.BStart, p.BEnd})
		}
	}
	slices.SortFunc(quotes, func(x, y span) int { return cmp.Compare(x.lo, y.lo) })
	if shortA { // keep the scratch memory
		cb.skipA = quotes
	} else {
		cb.skipB = quotes
	}
	for _, x := range al.seeds {
		i := x.b
		if shortA {
			i = x.a
		}
		if !inGap(s, i, lo, hi) {
			continue
		}
		// The members that may hold half of sentence i: those that end
		// after it begins, up to the first that begins after it ends.
		from, to := s.tokenRange(i, i)
		quoted := false
		for k, _ := slices.BinarySearchFunc(quotes, from, func(q span, t int32) int { return cmp.Compare(q.hi, t+1) }); k < len(quotes) && quotes[k].lo < to; k++ {
			if inGap(s, i, quotes[k].lo, quotes[k].hi) {
				quoted = true
				break
			}
		}
		if !quoted {
			return true
		}
	}
	return false
}

// remainderHolds reports whether the text of group g outside its exact
// members validates as a reworded passage (rule 2). Cost O(the group's
// tokens).
func (cb *Combiner) remainderHolds(g *group, a, b *Doc) bool {
	cb.skipA, cb.skipB = cb.skipA[:0], cb.skipB[:0]
	for _, x := range g.members {
		p := cb.items[x].p
		cb.skipA = append(cb.skipA, span{p.AStart, p.AEnd})
		cb.skipB = append(cb.skipB, span{p.BStart, p.BEnd})
	}
	bySpan := func(x, y span) int { return cmp.Compare(x.lo, y.lo) }
	slices.SortFunc(cb.skipA, bySpan)
	slices.SortFunc(cb.skipB, bySpan)
	sim, shared := cb.al.maskedSimilarity(a, g.p.AStart, g.p.AEnd, cb.skipA, b, g.p.BStart, g.p.BEnd, cb.skipB)
	o := &cb.al.opt
	min := o.MinValidate
	if g.p.Kind == Summary {
		min /= 2
	}
	return shared >= int32(o.MinShared) && float64(sim) >= min
}

// PieceTerms is the least number of content terms that the pieces of
// two sentences beside an exact run must share to be taken for the same
// words reworded (Combiner, rule 2): one in common is as often a name or
// a verb of saying that a writer's own sentence around a quote repeats.
const PieceTerms = 2

// piecesAlike reports whether tokens [a0, a1) of a and [b0, b1) of b, the
// parts of two sentences outside an exact run, share PieceTerms content
// terms.
func (cb *Combiner) piecesAlike(a *Doc, a0, a1 int32, b *Doc, b0, b1 int32) bool {
	_, shared := cb.al.maskedSimilarity(a, a0, a1, nil, b, b0, b1, nil)
	return shared >= PieceTerms
}

// gapsHold reports whether group g may join its exact members: between
// each two of them (in A order), either no whole sentence lies on one
// side (the runs are pieces of one sentence, or of neighbours), or a seed
// of the reworded aligner (a pair of similar sentences) lies between
// them on both sides. Without such a seed the text between two exact
// runs holds nothing alike: two quotes of one source, with the writer's
// own words between them, are two passages.
func (cb *Combiner) gapsHold(g *group) bool {
	al := cb.al
	slices.SortFunc(g.members, func(x, y int32) int { return cmp.Compare(cb.items[x].p.AStart, cb.items[y].p.AStart) })
	for k := 1; k < len(g.members); k++ {
		p, q := cb.items[g.members[k-1]].p, cb.items[g.members[k]].p
		a0, a1 := p.AEnd, q.AStart
		b0, b1 := min(p.BEnd, q.BEnd), max(p.BStart, q.BStart)
		if p.BEnd > q.BStart { // q before p on B
			b0, b1 = q.BEnd, p.BStart
		}
		if !wholeSentence(&al.a, a0, a1) || !wholeSentence(&al.b, b0, b1) {
			continue
		}
		seeded := false
		for _, x := range al.seeds {
			if inGap(&al.a, x.a, a0, a1) && inGap(&al.b, x.b, b0, b1) {
				seeded = true
				break
			}
		}
		if !seeded {
			return false
		}
	}
	return true
}

// wholeSentence reports whether a sentence of s lies inside tokens [lo, hi).
func wholeSentence(s *sents, lo, hi int32) bool {
	if hi <= lo {
		return false
	}
	for i := s.sentenceOf(lo); int(i) < s.n(); i++ {
		from, to := s.tokenRange(i, i)
		if from >= hi {
			return false
		}
		if from >= lo && to <= hi {
			return true
		}
	}
	return false
}

// inGap reports whether sentence i of s has half its tokens or more in
// tokens [lo, hi).
func inGap(s *sents, i, lo, hi int32) bool {
	from, to := s.tokenRange(i, i)
	in := min(to, hi) - max(from, lo)
	return in > 0 && 2*in >= to-from
}

// sentenceStart returns the first token of the sentence holding token t.
func sentenceStart(d *Doc, t int32) int32 {
	i, found := slices.BinarySearch(d.Sentences, t)
	if found {
		return t
	}
	if i == 0 {
		return 0
	}
	return d.Sentences[i-1]
}

// sentenceEnd returns the end (exclusive) of the sentence holding token t.
func sentenceEnd(d *Doc, t int32) int32 {
	i, found := slices.BinarySearch(d.Sentences, t)
	if found {
		i++
	}
	if i < len(d.Sentences) {
		return d.Sentences[i]
	}
	return int32(len(d.Terms))
}

func (cb *Combiner) free(p Passage) bool {
	return !cb.claimA.any(p.AStart, p.AEnd) && !cb.claimB.any(p.BStart, p.BEnd)
}

func (cb *Combiner) claim(p Passage) {
	cb.claimA.set(p.AStart, p.AEnd)
	cb.claimB.set(p.BStart, p.BEnd)
}

// tokenClaims marks claimed tokens (or sentences), one bit each.
type tokenClaims struct{ bits []uint64 }

// reset clears the claims and makes room for n items.
func (c *tokenClaims) reset(n int) {
	w := (n + 64) / 64
	c.bits = slices.Grow(c.bits[:0], w)[:w]
	clear(c.bits)
}

func (c *tokenClaims) grow(hi int32) {
	if w := int(hi)/64 + 1; w > len(c.bits) {
		c.bits = append(c.bits, make([]uint64, w-len(c.bits))...)
	}
}

// mask returns the bits of word w inside [lo, hi).
func rangeMask(w, lo, hi int32) uint64 {
	from, to := max(lo-w*64, 0), min(hi-w*64, 64)
	if from >= to {
		return 0
	}
	m := ^uint64(0) << uint(from)
	if to < 64 {
		m &= 1<<uint(to) - 1
	}
	return m
}

// any reports whether an item of [lo, hi) is claimed. Cost O((hi-lo)/64).
func (c *tokenClaims) any(lo, hi int32) bool {
	lo = max(lo, 0)
	if lo >= hi {
		return false
	}
	c.grow(hi)
	for w := lo / 64; w <= (hi-1)/64; w++ {
		if c.bits[w]&rangeMask(w, lo, hi) != 0 {
			return true
		}
	}
	return false
}

// set claims [lo, hi).
func (c *tokenClaims) set(lo, hi int32) {
	lo = max(lo, 0)
	if lo >= hi {
		return
	}
	c.grow(hi)
	for w := lo / 64; w <= (hi-1)/64; w++ {
		c.bits[w] |= rangeMask(w, lo, hi)
	}
}

// has reports whether item i is claimed.
func (c *tokenClaims) has(i int32) bool { return c.any(i, i+1) }
