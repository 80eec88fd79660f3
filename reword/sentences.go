package reword

import "math"

// sents is one document's sentences as sets of content terms: sentence s
// holds the distinct terms term[off[s]:off[s+1]], in order of first
// occurrence, each with its count tf in the sentence and its dense id tid
// (the document's distinct terms numbered 0..V-1: idx maps a term to it,
// df counts the sentences holding it).
//
// w holds the tf-idf weights of the entries and norm each sentence's
// vector length, and other the dense id of each entry's term in the other
// document of the pair (-1: absent), for the pair being aligned: they
// are valid for sentence s when stamp[s] is the Aligner's gen (weights
// are computed lazily, for the sentences a candidate touches).
type sents struct {
	off    []int32
	term   []uint32
	tf     []uint16
	tid    []int32
	w      []float32
	norm   []float32
	other  []int32
	first  []int32 // first token of each sentence
	tokens int32
	stamp  []uint32

	idx  termTable // term → dense id (in a)
	df   []int32   // per dense id
	last []int32   // per dense id: the last sentence holding it (build)
	pos  []int32   // per dense id: its entry in that sentence (build)
}

func (s *sents) n() int { return len(s.first) }

// build fills s from d, reusing its slices. Cost O(tokens): each content
// token is one lookup in a hash table, no sorting.
func (s *sents) build(d *Doc) {
	s.off = append(s.off[:0], 0)
	s.term, s.tf, s.tid = s.term[:0], s.tf[:0], s.tid[:0]
	// Sentence starts, made non-decreasing and within the tokens whatever
	// d holds, so that token ranges of passages are never inverted.
	s.first = s.first[:0]
	for i := range d.Sentences {
		from, _ := d.Sentence(i)
		if len(s.first) > 0 {
			from = max(from, s.first[len(s.first)-1])
		}
		s.first = append(s.first, from)
	}
	s.tokens = int32(len(d.Terms))
	s.idx.reset(len(d.Terms))
	s.df, s.last, s.pos = s.df[:0], s.last[:0], s.pos[:0]
	for i := range d.Sentences {
		from, to := d.Sentence(i)
		for _, t := range d.Terms[from:to] {
			if t == NoTerm {
				continue
			}
			slot, ok := s.idx.slot(t)
			if !ok {
				s.idx.keys[slot], s.idx.a[slot] = t, int32(len(s.df))
				s.df = append(s.df, 0)
				s.last = append(s.last, -1)
				s.pos = append(s.pos, 0)
			}
			id := s.idx.a[slot]
			if s.last[id] == int32(i) {
				if k := s.pos[id]; s.tf[k] < math.MaxUint16 {
					s.tf[k]++
				}
				continue
			}
			s.last[id], s.pos[id] = int32(i), int32(len(s.term))
			s.term = append(s.term, t)
			s.tf = append(s.tf, 1)
			s.tid = append(s.tid, id)
			s.df[id]++
		}
		s.off = append(s.off, int32(len(s.term)))
	}
	s.w = grow(s.w, len(s.term))
	s.other = grow(s.other, len(s.term))
	s.norm = grow(s.norm, len(s.first))
	s.stamp = grow(s.stamp, len(s.first))
	clear(s.stamp)
}

// grow returns x resized to n elements, reusing its array when it can.
func grow[T any](x []T, n int) []T {
	if cap(x) < n {
		return make([]T, n)
	}
	return x[:n]
}

// id returns the dense id of term t in s, or -1.
func (s *sents) id(t uint32) int32 {
	if len(s.idx.keys) == 0 {
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

// terms returns sentence i's distinct terms.
func (s *sents) terms(i int32) []uint32 { return s.term[s.off[i]:s.off[i+1]] }

// size is sentence i's number of distinct terms.
func (s *sents) size(i int32) int32 { return s.off[i+1] - s.off[i] }
