package align

import (
	"slices"

	"github.com/reuse-tool/reuse/candidate"
	"github.com/reuse-tool/reuse/shingle"
)

// Range is a token range [Start, End) of a document.
type Range struct{ Start, End int32 }

// Evidence keeps the passages that are evidence of reuse. Its zero value
// keeps every passage of MinWords 0; set MinWords and Shingle.
//
// It is safe for concurrent use once built.
type Evidence struct {
	// MinWords is the scan's MinWords (see Options.MinWords).
	MinWords int
	// Shingle is the number of tokens per fingerprint.
	Shingle int
	// Rare is the shuffle's index of rare fingerprints.
	Rare candidate.Rare
	// SentenceEdges drops the Fragments among short passages of two
	// documents that read as prose (Prose; every document when Prose is
	// nil). Code has no sentences: its short runs are judged by the
	// other rules alone.
	SentenceEdges bool
	// Prose reports whether a document reads as prose, for SentenceEdges.
	Prose func(doc uint32) bool
	// The boilerplate, by document: document d's ranges are
	// boiler[boilerFrom[d]:boilerFrom[d+1]] (to the end of boiler past
	// boilerFrom's end). Flat arrays without pointers, not a map of
	// slices: at 10 GB of news the ranges are tens of millions, and a
	// slice a document made millions of small objects for the collector
	// to mark through the whole alignment (docs/benchmarks.md, "The
	// evidence's boilerplate, flat").
	boiler     []Range
	boilerFrom []int
}

// AddBoilerplate records that tokens [r.Start, r.End) of document doc are
// boilerplate (text held by more than MaxDF documents), widened by widen
// tokens at both ends for the uncertainty of its edges. It must not be
// called once Keep is in use. Calls in order of doc (as
// cluster.Boilerplate sorts its runs) take constant time; a call for a
// document before the last one's moves the ranges and the documents after
// it.
func (e *Evidence) AddBoilerplate(doc uint32, r Range, widen int32) {
	r.Start, r.End = max(r.Start-widen, 0), r.End+widen
	d := int(doc)
	if d >= len(e.boilerFrom) {
		for len(e.boilerFrom) <= d {
			e.boilerFrom = append(e.boilerFrom, len(e.boiler))
		}
		e.boiler = append(e.boiler, r)
		return
	}
	_, end := e.boilerplateIn(doc)
	e.boiler = slices.Insert(e.boiler, end, r)
	for i := d + 1; i < len(e.boilerFrom); i++ {
		e.boilerFrom[i]++
	}
}

// GrowBoilerplate makes room for n more ranges of boilerplate, so that
// AddBoilerplate does not outgrow them.
func (e *Evidence) GrowBoilerplate(n int) { e.boiler = slices.Grow(e.boiler, n) }

// boilerplateIn returns where document d's boilerplate lies in e.boiler.
func (e *Evidence) boilerplateIn(d uint32) (start, end int) {
	i := int(d)
	if i >= len(e.boilerFrom) {
		return 0, 0
	}
	start, end = e.boilerFrom[i], len(e.boiler)
	if i+1 < len(e.boilerFrom) {
		end = e.boilerFrom[i+1]
	}
	return start, end
}

// outside counts the tokens of [from, to) in document d that lie outside
// its boilerplate.
func (e *Evidence) outside(d uint32, from, to int32) int32 {
	n := to - from
	start, end := e.boilerplateIn(d)
	for _, o := range e.boiler[start:end] {
		if lo, hi := max(from, o.Start), min(to, o.End); hi > lo {
			n -= hi - lo
		}
	}
	return max(n, 0)
}

// Mention reports whether passage sp, whose sides hold the words counted
// in a and b (shingle.CountWords), names someone rather than repeats or
// quotes words: a passage of fewer than 2·MinWords matched
// words whose sides each hold two names or more and at most one content
// word, the rest function words (shingle.FunctionWords) and tokens of no
// case. Two articles that name one person or body with its title print
// the same words ("Jane Doe, the spokeswoman of the Harbour Board, said
// that") without one taking them from the other, and a stock phrase of a
// topic is as rare in a corpus as a quote. Longer passages, and short ones
// with two content words on a side ("the harbour will stay closed, Doe
// said"), are kept (docs/benchmarks.md, "Names are not quotes"), and so is
// one that quotation marks open or close on either side: words lifted
// inside quotation marks are a quotation, whatever they are.
func (e *Evidence) Mention(sp Span, a, b shingle.Words) bool {
	names := func(w shingle.Words) bool {
		return w.Classes[shingle.NameWord] >= 2 && w.Classes[shingle.ContentWord] <= 1 && !w.Quoted
	}
	return e.short(sp) && names(a) && names(b)
}

// short reports whether sp is short enough to be a mention: under
// 2·MinWords matched words, and under 2·MinWords tokens on each side.
func (e *Evidence) short(sp Span) bool {
	n := 2 * int32(e.MinWords)
	return sp.Matched < n && sp.AEnd-sp.AStart < n && sp.BEnd-sp.BStart < n
}

// Keep returns the spans of documents a and b that are evidence of
// reuse, in place; shared are the places of the fingerprints they share
// (the pair's candidate.Anchors; nil when unknown). A passage must hold
// MinWords words outside boilerplate on both sides: text printed in more
// than MaxDF documents is reported as a cluster, and never pairs two
// documents that share a word or two next to it. Or, beside boilerplate,
// it must hold a shared fingerprint that no third document holds,
// reaching past the boilerplate on both sides: a quote that begins or
// ends with a phrase common enough to be boilerplate in a large archive
// ("the Harbour Board said that") is still found by the words of its
// own, which no other document prints, even when the boilerplate's
// uncertain edges cover most of them. A passage of n matched words under
// 2·MinWords must also hold, on either side, a fingerprint held by at
// most n/2 documents (Rare): a 9-word match must be all but unique,
// while a 16-word sentence may have been quoted by 8 documents. Stock phrases ("the
// spokesman of the Harbour Board said that") are short and everywhere.
// Longer passages need nothing more. (docs/benchmarks.md measures the
// rule on generated news.)
func (e *Evidence) Keep(a, b uint32, spans []Span, shared []candidate.Anchor) []Span {
	return slices.DeleteFunc(spans, func(sp Span) bool { return !e.keep(a, b, sp, shared) })
}

// keep is Keep's rule for one passage.
func (e *Evidence) keep(a, b uint32, sp Span, shared []candidate.Anchor) bool {
	min, k := int32(e.MinWords), int32(e.Shingle)
	if len(e.boiler) > 0 && (e.outside(a, sp.AStart, sp.AEnd) < min || e.outside(b, sp.BStart, sp.BEnd) < min) {
		// ownWords: a fingerprint of the pair alone, its shingle
		// reaching outside boilerplate on both sides.
		for _, an := range shared {
			if !an.PairOnly() {
				continue
			}
			pa, pb := int32(an.PosA), int32(an.PosB)
			if pa >= sp.AStart && pa+k <= sp.AEnd && pb >= sp.BStart && pb+k <= sp.BEnd &&
				e.outside(a, pa, pa+k) > 0 && e.outside(b, pb, pb+k) > 0 {
				return true
			}
		}
		return false
	}
	n := sp.Matched
	if n >= 2*min {
		return true
	}
	return e.Rare.Within(a, sp.AStart, sp.AEnd, e.Shingle, int(n/2)) ||
		e.Rare.Within(b, sp.BStart, sp.BEnd, e.Shingle, int(n/2))
}

// quoteFrame is how many tokens of a side of a passage may lie outside
// the quotation that makes it one (Quotation): the word or two of the
// quotation's frame that its source may print too ("said that ...").
const quoteFrame = 2

// Quotation reports whether passage sp, whose sides hold the words
// counted in a and b (shingle.CountWords), is a quotation: it matches
// MinWords words or more, and on one side quotation marks open and close
// a run of at least MinWords of its tokens, leaving at most quoteFrame of
// them outside. Words lifted inside quotation marks were taken from
// somewhere, whatever they are: a quotation that is a stock phrase of a
// large archive ("the spokesman of the Harbour Board said that the
// harbour"), or that begins with one, is still a quotation, where the
// same words printed bare by two documents need Keep's rules.
func (e *Evidence) Quotation(sp Span, a, b shingle.Words) bool {
	min := int32(e.MinWords)
	quoted := func(w shingle.Words, from, to int32) bool {
		return w.Quotation >= min && w.Quotation >= to-from-quoteFrame
	}
	return sp.Matched >= min && (quoted(a, sp.AStart, sp.AEnd) || quoted(b, sp.BStart, sp.BEnd))
}

// Filter returns the passages of documents a and b that are evidence of
// reuse, in place: those Keep keeps and those that are a Quotation, less
// the Mentions of a name; shared are as for Keep, and wordsA and wordsB
// count the words of a range of tokens of each side
// (spool.SeedView.Words, shingle.CountWords). Words are counted only
// where they matter: for passages Keep keeps that are short enough to be
// a Mention, and for those it drops that match MinWords words.
func (e *Evidence) Filter(a, b uint32, spans []Span, shared []candidate.Anchor, wordsA, wordsB func(from, to int) shingle.Words) []Span {
	return slices.DeleteFunc(spans, func(sp Span) bool {
		kept := e.keep(a, b, sp, shared)
		if kept && !e.short(sp) {
			return false
		}
		if !kept && sp.Matched < int32(e.MinWords) {
			return true // too short for a Quotation
		}
		wa, wb := wordsA(int(sp.AStart), int(sp.AEnd)), wordsB(int(sp.BStart), int(sp.BEnd))
		if !kept {
			return !e.Quotation(sp, wa, wb)
		}
		return e.Mention(sp, wa, wb) || e.SentenceEdges && e.prose(a, b) && Fragment(wa, wb)
	})
}

// prose reports whether documents a and b both read as prose (Prose).
func (e *Evidence) prose(a, b uint32) bool {
	return e.Prose == nil || e.Prose(a) && e.Prose(b)
}

// Fragment reports whether a passage, whose sides hold the words counted
// in a and b, is a fragment of sentences: no quotation mark opens or
// closes it on either side, it begins a sentence on neither, and it
// does not end one on both. A copy takes sentences, their beginnings, a
// sentence's tail after an edit, or a quotation; two documents that meet
// on common phrasing by chance mostly share a run from inside one
// sentence to inside another (docs/benchmarks.md, "Weighted minimizers
// and sentence edges"). It is asked of short passages only.
func Fragment(a, b shingle.Words) bool {
	return !a.Quoted && !b.Quoted && !a.Opens && !b.Opens && !(a.Closes && b.Closes)
}
