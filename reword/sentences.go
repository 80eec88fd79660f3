package reword

import (
	"math"
	"slices"
)

// sents is one document's sentences as sets of content terms: sentence s
// holds the distinct terms term[off[s]:off[s+1]], sorted, each with its
// count tf in the sentence. w holds the tf-idf weights of those entries
// and norm each sentence's vector length, for the pair being aligned.
type sents struct {
	off    []int32
	term   []uint32
	tf     []uint16
	w      []float32
	norm   []float32
	first  []int32 // first token of each sentence
	tokens int32
	// stamp[s] == gen when w and norm of sentence s hold the current pair's
	// weights (A's weights are computed lazily, for touched sentences).
	stamp []uint32
	words []int32 // content words (with repeats) of each sentence
}

func (s *sents) n() int { return len(s.first) }

// build fills s from d, reusing its slices. Cost O(tokens · log sentence).
func (s *sents) build(d *Doc) {
	s.off = append(s.off[:0], 0)
	s.term, s.tf = s.term[:0], s.tf[:0]
	s.first = append(s.first[:0], d.Sentences...)
	s.tokens = int32(len(d.Terms))
	s.words = s.words[:0]
	for i := range d.Sentences {
		from, to := d.Sentence(i)
		from, to = max(from, 0), min(to, int32(len(d.Terms)))
		base := len(s.term)
		for _, t := range d.Terms[max(from, 0):max(to, from)] {
			if t != NoTerm {
				s.term = append(s.term, t)
			}
		}
		s.words = append(s.words, int32(len(s.term)-base))
		ts := s.term[base:]
		slices.Sort(ts)
		k := base
		for j := base; j < len(s.term); {
			e := j
			for e < len(s.term) && s.term[e] == s.term[j] {
				e++
			}
			s.term[k] = s.term[j]
			s.tf = append(s.tf, uint16(min(e-j, math.MaxUint16)))
			k++
			j = e
		}
		s.term = s.term[:k]
		s.off = append(s.off, int32(k))
	}
	s.w = slices.Grow(s.w[:0], len(s.term))[:len(s.term)]
	s.norm = slices.Grow(s.norm[:0], len(s.first))[:len(s.first)]
	s.stamp = slices.Grow(s.stamp[:0], len(s.first))[:len(s.first)]
	clear(s.stamp)
}

// tokenRange returns the tokens [from, to) of sentences [i, j].
func (s *sents) tokenRange(i, j int32) (from, to int32) {
	from = s.first[i]
	to = s.tokens
	if int(j)+1 < len(s.first) {
		to = s.first[j+1]
	}
	return from, to
}

// terms returns sentence i's distinct terms.
func (s *sents) terms(i int32) []uint32 { return s.term[s.off[i]:s.off[i+1]] }

// size is sentence i's number of distinct terms.
func (s *sents) size(i int32) int32 { return s.off[i+1] - s.off[i] }
