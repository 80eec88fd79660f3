package reword

import (
	"cmp"
	"slices"
)

// MaxEdge is the longest piece of a sentence, in tokens on each side,
// that PairAligner adds to a passage to complete its sentence.
const MaxEdge = 40

// edges completes the sentences a pair's passages start or end in. An
// exact run of a reworded copy starts after the copy's first edit and
// ends before its last: "The daily reported day that ..." copied from
// "The daily day reported that ..." gives a run from "that". The piece
// of the sentence before a passage's start, on each side, is compared
// with the other side's: each must have half its content words in the
// other (counted as multisets). Then the passage starts at the first
// content word of each piece that the other piece holds too, or at the
// sentence's start when only one or two stop words ("The", "In the")
// lie before those words on both sides. Pieces of one word each, shared
// or not, are the sentence's first word replaced ("Engineers expect"
// copied as "Officials expect"): the passage starts at the sentence's
// start. The same holds, mirrored, for the piece after a passage's end
// ("in March." copied as "in April."). Measured (docs/benchmarks.md,
// "One word replaced"): generated news of 1 GB, light-edit recall
// 0.92995 to 0.93131.
//
// A quote inside a writer's own sentence is preceded or followed by the
// writer's words ("Smith said that", "she told the chamber, to applause
// from the public gallery"), which share little with the source's ("to
// a packed public gallery": Dice 0.5, but 2 of 5 words), and a short
// sentence joined to the next (Analyze joins sentences of fewer than 3
// content words) adds nothing before the first shared word.
//
// A piece that reaches into another passage on its side, or is longer
// than MaxEdge tokens, is not added, so passages stay disjoint on both
// sides. ps holds one pair's passages, disjoint on each side, as token
// ranges of a and b; edges changes them in place and keeps their order.
// Cost O(passages · log passages + MaxEdge² a passage); no allocation
// once its scratch has grown.
func (e *edger) edges(ps []Passage, a, b *Doc) {
	n := len(ps)
	if n == 0 || len(a.Sentences) == 0 || len(b.Sentences) == 0 {
		return
	}
	// Neighbours: the passages before and after each on A (by AStart)
	// and on B (by BStart), from the passages as given.
	e.order = resize(e.order, 2*n)[:2*n]
	byA, byB := e.order[:n], e.order[n:]
	for i := range n {
		byA[i], byB[i] = int32(i), int32(i)
	}
	slices.SortFunc(byA, func(x, y int32) int { return cmp.Compare(ps[x].AStart, ps[y].AStart) })
	slices.SortFunc(byB, func(x, y int32) int { return cmp.Compare(ps[x].BStart, ps[y].BStart) })
	e.free = resize(e.free, n)[:n]
	free := e.free
	for k, i := range byA {
		free[i].aLo, free[i].aHi = 0, int32(len(a.Terms))
		if k > 0 {
			free[i].aLo = ps[byA[k-1]].AEnd
		}
		if k+1 < n {
			free[i].aHi = ps[byA[k+1]].AStart
		}
	}
	for k, i := range byB {
		free[i].bLo, free[i].bHi = 0, int32(len(b.Terms))
		if k > 0 {
			free[i].bLo = ps[byB[k-1]].BEnd
		}
		if k+1 < n {
			free[i].bHi = ps[byB[k+1]].BStart
		}
	}
	for i := range ps {
		p, f := &ps[i], free[i]
		if p.AEnd <= p.AStart || p.BEnd <= p.BStart || int(p.AEnd) > len(a.Terms) || int(p.BEnd) > len(b.Terms) {
			continue
		}
		a0, b0 := max(sentenceStart(a, p.AStart), 0), max(sentenceStart(b, p.BStart), 0)
		if a0 >= f.aLo && b0 >= f.bLo {
			p.AStart, p.BStart = before(a, a0, p.AStart, b, b0, p.BStart)
		}
		a1, b1 := sentenceEnd(a, p.AEnd-1), sentenceEnd(b, p.BEnd-1)
		if a1 <= f.aHi && b1 <= f.bHi {
			p.AEnd, p.BEnd = after(a, p.AEnd, a1, b, p.BEnd, b1)
		}
	}
}

// before returns where a passage starting at tokens a1 of a and b1 of b
// starts once the pieces [a0, a1) and [b0, b1) before it, to its
// sentences' starts, are compared (see edges): a1, b1 when they are not
// the same words reworded.
func before(a *Doc, a0, a1 int32, b *Doc, b0, b1 int32) (int32, int32) {
	if a1 <= a0 || b1 <= b0 || a1-a0 > MaxEdge || b1-b0 > MaxEdge {
		return a1, b1
	}
	ea, eb := firstShared(a, a0, a1, b, b0, b1), firstShared(b, b0, b1, a, a0, a1)
	if ea == a1 || eb == b1 {
		if stopWords(a, a0, a1) && stopWords(b, b0, b1) || oneWord(a0, a1, b0, b1) {
			return a0, b0
		}
		return a1, b1
	}
	if !alike(a, a0, a1, b, b0, b1) {
		return a1, b1
	}
	if stopWords(a, a0, ea) && stopWords(b, b0, eb) {
		return a0, b0
	}
	return ea, eb
}

// after is before for the pieces [a0, a1) and [b0, b1) after a passage
// ending at a0 and b0: it returns where the passage ends.
func after(a *Doc, a0, a1 int32, b *Doc, b0, b1 int32) (int32, int32) {
	if a1 <= a0 || b1 <= b0 || a1-a0 > MaxEdge || b1-b0 > MaxEdge {
		return a0, b0
	}
	ea, eb := lastShared(a, a0, a1, b, b0, b1), lastShared(b, b0, b1, a, a0, a1)
	if ea == a0 || eb == b0 {
		if stopWords(a, a0, a1) && stopWords(b, b0, b1) || oneWord(a0, a1, b0, b1) {
			return a1, b1
		}
		return a0, b0
	}
	if !alike(a, a0, a1, b, b0, b1) {
		return a0, b0
	}
	if stopWords(a, ea, a1) && stopWords(b, eb, b1) {
		return a1, b1
	}
	return ea, eb
}

// firstShared returns the first token of [a0, a1) whose term (not a stop
// word) is one of [b0, b1)'s, or a1.
func firstShared(a *Doc, a0, a1 int32, b *Doc, b0, b1 int32) int32 {
	for i := a0; i < a1; i++ {
		if t := a.Term(int(i)); t != 0 && holds(b, b0, b1, t) {
			return i
		}
	}
	return a1
}

// lastShared returns the end of the last token of [a0, a1) whose term
// (not a stop word) is one of [b0, b1)'s, or a0.
func lastShared(a *Doc, a0, a1 int32, b *Doc, b0, b1 int32) int32 {
	for i := a1 - 1; i >= a0; i-- {
		if t := a.Term(int(i)); t != 0 && holds(b, b0, b1, t) {
			return i + 1
		}
	}
	return a0
}

func holds(d *Doc, from, to int32, t uint32) bool {
	for i := from; i < to; i++ {
		if d.Term(int(i)) == t {
			return true
		}
	}
	return false
}

// oneWord reports whether the pieces [a0, a1) and [b0, b1) are one word
// each: the first (last) word of the sentence replaced, the rest copied.
func oneWord(a0, a1, b0, b1 int32) bool { return a1-a0 == 1 && b1-b0 == 1 }

// stopWords reports whether [from, to) holds at most two tokens, all
// stop words.
func stopWords(d *Doc, from, to int32) bool {
	if to-from > 2 {
		return false
	}
	for i := from; i < to; i++ {
		if d.Term(int(i)) != 0 {
			return false
		}
	}
	return true
}

// alike reports whether the content terms of [a0, a1) of a and [b0, b1)
// of b are half shared: the multiset intersection holds half the terms
// of each, or more. Cost
// O((a1-a0)·(b1-b0)), at most MaxEdge².
func alike(a *Doc, a0, a1 int32, b *Doc, b0, b1 int32) bool {
	var na, nb, shared int
	var used [MaxEdge]bool
	for i := a0; i < a1; i++ {
		t := a.Term(int(i))
		if t == 0 {
			continue
		}
		na++
		for j := b0; j < b1; j++ {
			if !used[j-b0] && b.Term(int(j)) == t {
				used[j-b0] = true
				shared++
				break
			}
		}
	}
	for j := b0; j < b1; j++ {
		if b.Term(int(j)) != 0 {
			nb++
		}
	}
	return 2*shared >= max(na, nb)
}

// edger is the scratch memory of edges.
type edger struct {
	order []int32
	free  []room
}

// room is the free room around a passage on each side: the end of the
// passage before it and the start of the one after it.
type room struct{ aLo, aHi, bLo, bHi int32 }
