package reword

import (
	"github.com/reuse-tool/reuse/candidate"
	"github.com/reuse-tool/reuse/shingle"
)

// KeyOptions set the keys of a document (Keyer). Zero fields take the
// defaults.
type KeyOptions struct {
	// Pairs is how far apart (in content words of one sentence) two terms
	// may be to form an element (default 3). Single terms make poor keys:
	// the common ones ("said", "year") pair everything and are dropped as
	// too frequent, and a minimum over single terms keeps choosing them.
	// A pair of nearby terms survives rewording about as well as both its
	// terms do, and two unrelated texts rarely share one.
	Pairs int
	// Per is the number of content words of a sentence per key (default
	// 7): a sentence of n content words gives its ⌈n/Per⌉ smallest
	// elements. About 0.1 keys a token on news and on PAN-13.
	Per int
	// MinTerms is the least number of content words a sentence needs to
	// be keyed (default 3).
	MinTerms int
}

func (o KeyOptions) withDefaults() KeyOptions {
	if o.Pairs <= 0 {
		o.Pairs = 3
	}
	if o.Per <= 0 {
		o.Per = 7
	}
	if o.MinTerms <= 0 {
		o.MinTerms = 3
	}
	return o
}

// KeyRules are the pairing rules of keys (candidate.Rules, applied to the
// keys two documents share, as the shuffle applies rules to
// fingerprints): two keys within 200 tokens of each other on both sides
// when one of them is held by at most 3 documents, three otherwise; no
// key pairs documents alone, and keys held by more than 50 documents pair
// none. A key is one pair of words: one shared key is a coincidence as
// often as not, two near each other rarely are. See Keyer for the
// measured recall and candidate load.
func KeyRules() candidate.Rules {
	return candidate.Rules{MaxDF: 50, SoloDF: 0, RareDF: 3, Near: 200}
}

// Keyer chooses a document's keys: a sample of its elements (unordered
// pairs of content terms at most Pairs apart in a sentence) consistent
// across documents, so that two documents sharing a reworded passage
// share several keys near each other, and unrelated ones rarely do. Give
// the keys of all documents to a shuffle of their own, as fingerprints
// (hash, document, position), and pair documents with KeyRules.
//
// Method: each sentence of n ≥ MinTerms content words gives the ⌈n/Per⌉
// smallest hashes of its elements (a bottom-k sketch of the sentence,
// Broder 1997); keys are distinct within a document, each at the first
// token of the first element that gave it. The choice depends only on
// the sentence, never on the rest of the document, so copied or reworded
// sentences choose alike: of two sentences whose element sets have
// Jaccard similarity J, the smallest elements agree with probability J
// (the MinHash property), and k keys a sentence share about k·J. A
// passage of L sentences reworded to J = 0.3 (PAN-13's random
// obfuscation) shares about 0.3·L·k keys, so a passage of 6 sentences
// (k ≈ 1.5) about 3: enough for two.
//
// Measured (TestPANRetrieval, TestGenRetrieval; keys held by more than 50
// documents dropped; "with the scan": pairs found by the keys or by a
// scan of the exact aligner; load: pairs the keys pair that the scan does
// not):
//
//	                                   PAN-13 train (5,057 documents)        generated news, 10 MB (3,378)
//	Per  rules           keys/token   03 (w/ scan)  04            05            load     heavy (w/ scan)   load beyond scan
//	8    KeyRules        0.098        0.566 (0.788) 0.706 (0.800) 0.761 (0.824) 12,842   0.757 (0.894)     1,004 (0.30 a doc)
//	8    2 near (200)    0.098        0.631 (0.820) 0.759 (0.820) 0.782 (0.832) 20,856   0.805 (0.904)     6,317
//	8    2 anywhere      0.098        0.753 (0.879) 0.860 (0.889) 0.874 (0.903) 87,087   0.815 (0.906)    15,564
//	6    KeyRules        0.122        0.679 (0.831) 0.801 (0.850) 0.840 (0.878) 15,426   0.836 (0.916)     1,949
//	4    KeyRules        0.171        0.841 (0.912) 0.904 (0.920) 0.887 (0.916) 20,689   0.901 (0.933)     4,312
//	4    2 near (200)    0.171        0.887 (0.930) 0.928 (0.937) 0.924 (0.937) 44,550   0.921 (0.947)    22,206
//
// The scan alone finds 0.651, 0.610 and 0.630 of the PAN pairs, and
// 0.861 of the heavy ones. The previous keys (MinHash bands of
// three-sentence windows) reached 0.880, 0.921 and 0.908 at 1.11 keys a
// token, pairing 76,297 PAN pairs and 34 pairs a generated document. On
// 100 MB of generated news (33,783 documents) the keys of KeyRules (Per
// 8... 6) pair 0.93 pairs a document, 0.06 beyond the scan.
//
// Cost: O(elements · keys per sentence), about 1.3 elements a token; no
// allocation once warm. A Keyer is NOT safe for concurrent use.
type Keyer struct {
	opt   KeyOptions
	terms []uint32              // content terms of a sentence
	at    []int32               // their tokens
	best  []shingle.Fingerprint // the smallest elements of a sentence
	seen  keySet
}

// NewKeyer returns a Keyer with the given options.
func NewKeyer(opt KeyOptions) *Keyer { return &Keyer{opt: opt.withDefaults()} }

// Options returns the options in force, defaults filled in.
func (k *Keyer) Options() KeyOptions { return k.opt }

// Keys appends to dst the keys of document d, each with its token
// position, in the order of their sentences, and returns it.
func (k *Keyer) Keys(dst []shingle.Fingerprint, d Doc) []shingle.Fingerprint {
	k.seen.reset(len(d.Terms)/k.opt.Per + len(d.Sentences) + 1)
	for i := range d.Sentences {
		from, to := d.Sentence(i)
		k.terms, k.at = k.terms[:0], k.at[:0]
		for j, t := range d.Terms[from:to] {
			if t != NoTerm && int(t) <= len(d.Vocab) {
				k.terms = append(k.terms, d.Vocab[t-1])
				k.at = append(k.at, from+int32(j))
			}
		}
		n := len(k.terms)
		if n < k.opt.MinTerms {
			continue
		}
		// The want smallest distinct element hashes, in order, as they
		// come: about one comparison an element.
		want := (n + k.opt.Per - 1) / k.opt.Per
		best := k.best[:0]
		for x, t := range k.terms {
			for y := x + 1; y < n && y <= x+k.opt.Pairs; y++ {
				u := k.terms[y]
				if u == t {
					continue
				}
				h := elementHash(t, u)
				m := len(best)
				if m == want && h >= best[m-1].Hash {
					continue
				}
				i := m
				for i > 0 && best[i-1].Hash > h {
					i--
				}
				if i > 0 && best[i-1].Hash == h {
					continue
				}
				if m < want {
					best = append(best, shingle.Fingerprint{})
				}
				copy(best[i+1:], best[i:len(best)-1])
				best[i] = shingle.Fingerprint{Hash: h, Pos: uint32(k.at[x])}
			}
		}
		for _, f := range best {
			if k.seen.add(f.Hash) {
				dst = append(dst, f)
			}
		}
		k.best = best
	}
	return dst
}

// elementHash is the hash of the unordered pair of terms t, u.
func elementHash(t, u uint32) uint64 {
	return mix64(uint64(min(t, u))<<32 | uint64(max(t, u)))
}

// keySet is a set of keys in an open-addressing table, emptied per
// document in O(its size).
type keySet struct {
	slots []uint64 // 0: empty; key 0 is held by zero
	zero  bool
	n     int
}

func (s *keySet) reset(n int) {
	size := 64
	for size < 2*n {
		size *= 2
	}
	if len(s.slots) < size || len(s.slots) > 4*size && len(s.slots) > 1<<12 {
		s.slots = make([]uint64, size)
	} else {
		clear(s.slots)
	}
	s.zero, s.n = false, 0
}

// add inserts h and reports whether it was absent.
func (s *keySet) add(h uint64) bool {
	if h == 0 {
		added := !s.zero
		s.zero = true
		return added
	}
	if 2*(s.n+1) > len(s.slots) {
		old := s.slots
		s.slots = make([]uint64, 2*len(old))
		s.n = 0
		for _, x := range old {
			if x != 0 {
				s.add(x)
			}
		}
	}
	m := uint64(len(s.slots) - 1)
	for i := h & m; ; i = (i + 1) & m {
		switch s.slots[i] {
		case h:
			return false
		case 0:
			s.slots[i] = h
			s.n++
			return true
		}
	}
}
