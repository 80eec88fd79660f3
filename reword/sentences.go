package reword

import (
	"math"
	"slices"
)

// sents is one document's sentences as sets of content terms: sentence s
// holds the distinct terms tid[off[s]:off[s+1]] (their numbers in the
// document: indexes in Doc.Vocab), in order of first occurrence, each
// with its count tf in the sentence (state's df counts the sentences
// holding each).
//
// w holds the tf-idf weights of the entries and norm each sentence's
// vector length, and other the number of each entry's term in the other
// document of the pair (-1: absent), for the pair being aligned: they
// are valid for sentence s when stamp[s] is the Aligner's gen (weights
// are computed lazily, for the sentences a candidate touches).
type sents struct {
	off    []int32
	tf     []uint16
	tid    []int32
	w      []float32
	norm   []float32
	other  []int32
	first  []int32 // first token of each sentence
	tokens int32
	stamp  []uint32

	vocab []uint32    // the document's terms by number (build; B only)
	idx   termTable   // term → number (A only: see indexVocab)
	state []termState // per number
	gen   uint32
	used  []int32 // the numbers the last build met
}

// termState is what a build knows of a term: together, so that a token
// costs one cache line, not one per field.
type termState struct {
	gen  uint32 // sents.gen when the last build met it: the rest is valid
	df   int32  // sentences holding it
	last int32  // the last sentence holding it
	pos  int32  // its entry in that sentence
}

func (s *sents) n() int { return len(s.first) }

// build fills s from d, reusing its slices; s.vocab is d.Vocab. With win
// set, only the sentences i with win[i] get their terms (the others are
// empty): the windows of a pair's shared places. Cost O(sentences +
// tokens of the sentences built): term numbers index arrays, no hashing,
// and the per-term state is reset for the terms met only.
func (s *sents) build(d *Doc, win []bool) {
	s.vocab = d.Vocab
	s.off = append(s.off[:0], 0)
	s.tf, s.tid = s.tf[:0], s.tid[:0]
	s.starts(d)
	v := len(d.Vocab)
	if len(s.state) < v {
		s.state = make([]termState, v)
		s.gen = 0
	}
	if s.gen++; s.gen == 0 {
		clear(s.state)
		s.gen = 1
	}
	s.used = s.used[:0]
	for i := range s.first {
		if win != nil && !win[i] {
			s.off = append(s.off, int32(len(s.tid)))
			continue
		}
		// The sentence as its (non-decreasing) first tokens bound it.
		from, to := s.tokenRange(int32(i), int32(i))
		for _, t := range d.Terms[from:to] {
			id := int32(t) - 1 // -1: a stop word
			if uint32(id) >= uint32(v) {
				continue
			}
			st := &s.state[id]
			if st.gen != s.gen {
				if d.Vocab[id] == 0 {
					continue // 0 is no term's hash (hashTerm32): a damaged record
				}
				*st = termState{gen: s.gen, last: -1}
				s.used = append(s.used, id)
			} else if st.last == int32(i) {
				if k := st.pos; s.tf[k] < math.MaxUint16 {
					s.tf[k]++
				}
				continue
			}
			st.last, st.pos = int32(i), int32(len(s.tid))
			st.df++
			s.tf = append(s.tf, 1)
			s.tid = append(s.tid, id)
		}
		s.off = append(s.off, int32(len(s.tid)))
	}
	s.w = resize(s.w, len(s.tid))
	s.other = resize(s.other, len(s.tid))
	s.norm = resize(s.norm, len(s.first))
	s.stamp = resize(s.stamp, len(s.first))
	clear(s.stamp)
}

// starts sets s.first and s.tokens from d: sentence starts made
// non-decreasing and within the tokens whatever d holds, so that token
// ranges of passages are never inverted.
func (s *sents) starts(d *Doc) {
	s.first = s.first[:0]
	for i := range d.Sentences {
		from, _ := d.Sentence(i)
		if len(s.first) > 0 {
			from = max(from, s.first[len(s.first)-1])
		}
		s.first = append(s.first, from)
	}
	s.tokens = int32(len(d.Terms))
}

// has reports whether the last build met term number id.
func (s *sents) has(id int32) bool {
	return uint32(id) < uint32(len(s.state)) && s.state[id].gen == s.gen
}

// dfOf is the number of sentences built holding term number id.
func (s *sents) dfOf(id int32) int32 {
	if s.has(id) {
		return s.state[id].df
	}
	return 0
}

// sentenceOf returns the sentence holding token t (the last one starting
// at or before it).
func (s *sents) sentenceOf(t int32) int32 {
	i, _ := slices.BinarySearch(s.first, t+1)
	return int32(max(i-1, 0))
}

// indexVocab indexes the vocabulary (term → number) for the lookups of
// the other documents' terms, and forgets the slice. Cost O(terms).
func (s *sents) indexVocab() {
	s.idx.reset(len(s.vocab))
	for i, t := range s.vocab {
		if slot, ok := s.idx.slot(t); !ok && t != 0 {
			s.idx.keys[slot], s.idx.a[slot] = t, int32(i)
		}
	}
	s.vocab = nil
}

// resize returns x resized to n elements, reusing its array when it can.
func resize[T any](x []T, n int) []T {
	if cap(x) < n {
		return make([]T, n)
	}
	return x[:n]
}

// id returns the number of term t in s, or -1 (after indexVocab).
func (s *sents) id(t uint32) int32 {
	if t == 0 || len(s.idx.keys) == 0 {
		return -1
	}
	if slot, ok := s.idx.slot(t); ok {
		return s.idx.a[slot]
	}
	return -1
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

// size is sentence i's number of distinct terms.
func (s *sents) size(i int32) int32 { return s.off[i+1] - s.off[i] }
