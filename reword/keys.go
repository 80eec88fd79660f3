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
	// 3): a sentence of n content words gives its ⌈n/Per⌉ smallest
	// elements. About 0.2 keys a token on PAN-13 (0.198 on its sources).
	// A passage of a few sentences reworded to element Jaccard 0.3 keeps
	// about 0.3·k of its k keys: with one key per 7 words (0.1 a token) a
	// quarter of PAN-13's reworded cases of 300-600 characters lay in
	// pairs the scan never made, with one per 3 a tenth
	// (docs/benchmarks.md, "Reworded reuse, session 11").
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
		o.Per = 3
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

// KeyOnlyRules are the rules a pair of documents that shares keys but no
// fingerprint pairing it (candidate.Merge) must pass: two keys within 200
// tokens of each other when one is held by at most 3 documents, three
// otherwise, of the keys held by at most 10. Keys held by more documents
// still say where the reworded text of a pair the fingerprints pair may
// lie, but alone they pair documents written to one template (the Linux
// Documentation's hwmon drivers and V4L2 ioctls share word pairs by the
// dozen). Measured with keys at one per 4 content words
// (docs/benchmarks.md, "Reworded reuse, session 11"): against keys
// held by at most 3, PAN-13 scanned whole gains 0.016 of plagdet on 03
// and 0.028 on 04 for 0.6 CPU-s more on the Documentation; at most 20
// gains 0.005 and 0.009 more for another 0.6 CPU-s.
func KeyOnlyRules() candidate.Rules {
	return candidate.Rules{MaxDF: 10, SoloDF: 0, RareDF: 3, Near: 200}
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
// (the MinHash property; TestKeysMinHash), and k keys a sentence share
// about k·J. A passage of L sentences reworded to J = 0.3 (PAN-13's
// random obfuscation) shares about 0.3·L·k keys: a passage of 6
// sentences (k ≈ 3.5 at Per 3) about 6, enough for KeyRules, and one
// of 3 sentences about 3.
//
// The MinHash bands of three-sentence windows used before gave 1.11 keys
// a token, any of which paired documents: on generated news, 34 pairs a
// document. Here a key is one element, and the pair needs two or three
// near each other: measured (TestPANRetrieval, TestGenRetrieval; keys
// held by more than 50 documents dropped; recall of the listed PAN-13
// pairs with cases, in brackets with a scan's exact pairs; load: pairs
// paired, and of generated news those the scan does not pair):
//
//	                        keys/   PAN-13 train, 5,057 documents                      generated news 10 MB, 3,378 documents
//	Per  rules              token   03            04            05            load     heavy          load beyond the scan
//	8    KeyRules           0.091   0.551 (0.782) 0.686 (0.789) 0.739 (0.815) 12,246   0.745 (0.892)    854 (0.25 a document)
//	7    KeyRules           0.101   0.609 (0.802) 0.737 (0.816) 0.777 (0.832) 13,253   0.788 (0.901)  1,180 (0.35)
//	7    Near 100           0.101   0.583 (0.791) 0.710 (0.802) 0.681 (0.782) 11,551   0.781 (0.899)    439 (0.13)
//	7    2 within 200       0.101   0.678 (0.835) 0.789 (0.841) 0.807 (0.849) 22,316   0.820 (0.909)  7,575 (2.2)
//	7    2 anywhere         0.101   0.790 (0.889) 0.883 (0.906) 0.891 (0.920) 94,112   0.830 (0.911) 18,277 (5.4)
//	6    KeyRules           0.114   0.667 (0.821) 0.785 (0.841) 0.828 (0.870) 14,682   0.837 (0.916)  1,698 (0.50)
//	4    KeyRules           0.159   0.830 (0.904) 0.896 (0.912) 0.878 (0.912) 19,401   0.897 (0.933)  3,730 (1.1)
//	4    2 within 200       0.159   0.876 (0.923) 0.923 (0.932) 0.916 (0.933) 41,038   0.918 (0.945) 19,962 (5.9)
//	bands of windows (before) 1.11  0.880 (0.922) 0.921 (0.931) 0.908 (0.920) 76,297   0.964 (0.969) 110,343 (33)
//	the scan alone                  0.651         0.610         0.630                  0.861
//
// On 100 MB of generated news (33,783 documents) Per 7 gave 0.106
// keys a token and paired 0.99 pairs a document, 0.10 beyond the scan's
// (heavy: 0.848 with the scan, 0.826 without; the table's rows for Per
// 4 give the change in load to expect): the load per document
// falls as the corpus grows, since more keys pass MaxDF. On the Linux
// kernel's Documentation (3,183 .rst files, TestCorpusLoad) they paired
// 4.5 pairs a document, 3.3 beyond the scan's: documents written to one
// template (the hwmon drivers', the V4L2 ioctls') share many word pairs,
// and half of those pairs hold passages the reworded aligner accepts.
//
// Cost: O(elements), about 1.3 elements a token, and a comparison each;
// 12-17 ns a token (BenchmarkKeys, TestScanCost); no allocation once
// warm. A Keyer is NOT safe for concurrent use.
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
	return shingle.Mix64(uint64(min(t, u))<<32 | uint64(max(t, u)))
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
