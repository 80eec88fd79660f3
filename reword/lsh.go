package reword

import (
	"math"
	"slices"

	"github.com/reuse-tool/reuse/cluster"
)

// KeyOptions set the LSH keys of a document (Keyer). Zero fields take the
// defaults.
type KeyOptions struct {
	// Window is the number of consecutive sentences whose term pairs form
	// one set (default 3): long enough that a reworded passage keeps a
	// good part of its pairs, short enough that a passage of a few
	// sentences fills a window.
	Window int
	// Threshold is the Jaccard similarity of two windows' term sets at
	// which they collide on at least one key with probability ≥ 0.95
	// (default 0.3; bands and rows come from cluster.Bands).
	Threshold float64
	// Size is the number of MinHash values per window (default 64).
	Size int
	// MinTerms is the least number of content words a window needs to be
	// keyed (default 8): a window of a few words collides by chance.
	MinTerms int
	// Pairs is how far apart (in content words of one sentence) two terms
	// may be to form an element of the window's set (default 3). Sets of
	// single terms made unrelated novels collide: common words ("said",
	// "man", "time") give any two windows a Jaccard near 0.15, and
	// hundreds of window pairs per document pair turn that into a
	// collision. Pairs of nearby terms survive rewording about as well
	// as its terms do squared, and are rare between unrelated texts.
	Pairs int
}

func (o KeyOptions) withDefaults() KeyOptions {
	if o.Window <= 0 {
		o.Window = 3
	}
	if o.Threshold <= 0 {
		o.Threshold = 0.3
	}
	if o.Size <= 0 {
		o.Size = 64
	}
	if o.MinTerms <= 0 {
		o.MinTerms = 8
	}
	if o.Pairs <= 0 {
		o.Pairs = 3
	}
	return o
}

// Keyer turns a document's analysis into LSH band keys: two documents
// that share a reworded passage share a key with high probability, and
// unrelated ones rarely do. Give the keys of all documents to the same
// shuffle as fingerprints (sort by key, pair the documents of a key, cap
// keys held by very many documents).
//
// Method: each sentence's set of elements is the unordered pairs of its
// content terms at most Pairs apart; its MinHash signature is
// shingle.Signer's, computed in place (see sign). A window of Window consecutive sentences has the
// element-wise minimum of its sentences' signatures (the MinHash of a
// union is the minimum of the MinHashes). Each window's signature is cut
// into b bands of r rows (cluster.Bands at Threshold), each band hashed
// with its index into a key. Keys are deduplicated per document (a hash
// set): neighbouring windows share most minima and so most keys.
//
// Two windows of Jaccard similarity s share a key with probability
// 1-(1-s^r)^b; the defaults (64 values, threshold 0.3) give 32 bands of 2
// rows: P(0.3) = 0.95, P(0.15) = 0.52, P(0.05) = 0.08.
//
// Measured on PAN-13 training data (5,057 documents, 5.0 M tokens;
// TestPANRetrieval), keys held by more than 50 documents skipped:
//
//	window  pairs  keys/token  colliding pairs  recall 02  03     04     05
//	3       3      1.11        76,297 (0.60%)   1.000      0.880  0.921  0.908
//
// and, with sentences cut at 40 tokens rather than 25 (fewer windows):
//
//	3       3      1.00        64,617 (0.51%)   1.000      0.841  0.903  0.882
//	2       3      1.21        97,153 (0.76%)   1.000      0.902  0.933  0.916
//	4       3      0.84        48,688 (0.38%)   1.000      0.775  0.855  0.836
//	4       single terms, t=0.6: 0.39  361,419 (2.83%)  0.969  0.802  0.866  0.853
//
// Cost: O(Pairs · terms · Size) per document for the sentence signatures
// and O(sentences · Window · Size) for the windows; keys are at most
// sentences · b before deduplication; about 130 ns and 1.3 keys a token
// on generated news (BenchmarkKeys), no allocation once warm. A Keyer is
// NOT safe for concurrent use.
type Keyer struct {
	opt    KeyOptions
	b, r   int
	sigs   []uint64 // sentence signatures, Size each
	win    []uint64
	prev   []uint64 // each band's key in the previous window
	set    []uint64
	wterms []uint32
	words  []int32 // content words of each sentence
	seen   keySet
}

// NewKeyer returns a Keyer with the given options.
func NewKeyer(opt KeyOptions) *Keyer {
	opt = opt.withDefaults()
	k := &Keyer{opt: opt}
	k.b, k.r = cluster.Bands(opt.Size, opt.Threshold)
	return k
}

// Bands returns the number of bands and rows per band in use.
func (k *Keyer) Bands() (b, r int) { return k.b, k.r }

// Keys appends to dst the distinct LSH keys of document d, in the order
// their windows come, and returns it. (The shuffle sorts all documents'
// keys together; sorting each document's first cost as much again.)
func (k *Keyer) Keys(dst []uint64, d Doc) []uint64 {
	n := len(d.Sentences)
	size := k.opt.Size
	k.sigs = k.sigs[:0]
	k.words = k.words[:0]
	for i := range n {
		from, to := d.Sentence(i)
		k.set = k.set[:0]
		k.wterms = k.wterms[:0]
		for _, t := range d.Terms[from:to] {
			if t != NoTerm {
				k.wterms = append(k.wterms, t)
			}
		}
		// Unordered pairs of content terms at most Pairs apart.
		for x, t := range k.wterms {
			for y := x + 1; y < len(k.wterms) && y <= x+k.opt.Pairs; y++ {
				if u := k.wterms[y]; u != t {
					k.set = append(k.set, mix64(uint64(min(t, u))<<32|uint64(max(t, u))))
				}
			}
		}
		k.sigs = sign(k.sigs, k.set, size)
		k.words = append(k.words, int32(len(k.wterms)))
	}
	w := min(k.opt.Window, n)
	k.seen.reset(n * k.b / 2)
	k.win = slices.Grow(k.win[:0], size)[:size]
	k.prev = slices.Grow(k.prev[:0], k.b)[:k.b]
	clear(k.prev)
	for i := 0; i+w <= n && w > 0; i++ {
		// Thin windows (few content words) are skipped.
		words := int32(0)
		for s := i; s < i+w; s++ {
			words += k.words[s]
		}
		if words < int32(k.opt.MinTerms) {
			continue
		}
		for j := range size {
			k.win[j] = math.MaxUint64
		}
		for s := i; s < i+w; s++ {
			sig := k.sigs[s*size : (s+1)*size]
			for j, v := range sig {
				k.win[j] = min(k.win[j], v)
			}
		}
		for band := range k.b {
			h := uint64(band+1) * 0x9e3779b97f4a7c15
			for _, v := range k.win[band*k.r : (band+1)*k.r] {
				h = mix64(h ^ v)
			}
			// Neighbouring windows mostly repeat a band's key: skip the
			// repeats, then any key seen before.
			if k.prev[band] != h {
				k.prev[band] = h
				if k.seen.add(h) {
					dst = append(dst, h)
				}
			}
		}
	}
	return dst
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

// Seeds of shingle.Signer's two hash functions: sign must give its
// signatures bit for bit (TestSignMatchesSigner).
const (
	minhashSeed1 = 0x243f6a8885a308d3
	minhashSeed2 = 0x13198a2e03707344
)

// sign appends to dst the MinHash signature of size values of set, the
// one shingle.Signer gives (go-minhash's MinWise: value i of element x is
// h1(x) + i·h2(x), h2 odd). Signer allocates a sketch per set and calls
// its hash functions through func values; here a set is a sentence, so
// the signature is computed in place. Empty sets give all MaxUint64.
func sign(dst, set []uint64, size int) []uint64 {
	start := len(dst)
	for range size {
		dst = append(dst, math.MaxUint64)
	}
	sig := dst[start:]
	for _, x := range set {
		v1, v2 := mix64(x^minhashSeed1), mix64(x^minhashSeed2)|1
		hv := v1
		for i := range sig {
			sig[i] = min(sig[i], hv)
			hv += v2
		}
	}
	return dst
}
