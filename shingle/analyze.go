package shingle

import (
	"context"

	"github.com/reuse-tool/reuse/internal/grow"
)

// Seeds appends to dst the low 32 bits of the k-token shingle hashes of
// toks: the seeds the aligner matches (package align). A collision costs
// a chance k-token match, which no passage rests on, and a seed takes
// half the memory and temporary space of a full hash.
func Seeds(dst []uint32, toks []Token, k int, scratch []uint64) ([]uint32, []uint64) {
	dst, scratch, _ = seedsContext(context.Background(), dst, toks, k, scratch)
	return dst, scratch
}

// seedsContext is Seeds, giving up with ctx.Err() when ctx is done: it
// looks at ctx once every checkShingles seeds, in each of its two passes.
func seedsContext(ctx context.Context, dst []uint32, toks []Token, k int, scratch []uint64) ([]uint32, []uint64, error) {
	scratch, err := shinglesContext(ctx, scratch[:0], toks, k)
	if err != nil {
		return dst, scratch, err
	}
	dst = grow.Slice(dst, len(scratch))
	for lo := 0; lo < len(scratch); lo += checkShingles {
		if lo > 0 {
			if err := ctx.Err(); err != nil {
				return dst, scratch, err
			}
		}
		for _, h := range scratch[lo:min(lo+checkShingles, len(scratch))] {
			dst = append(dst, uint32(h))
		}
	}
	return dst, scratch, nil
}

// AnalyzerOptions set what an Analyzer computes. Zero fields take the
// defaults given.
type AnalyzerOptions struct {
	Shingle       int // tokens per fingerprint shingle (5)
	Window        int // winnowing window in shingles (5)
	Seed          int // tokens per alignment seed (3)
	SignatureSize int // MinHash values per signature (64)
	// Weights, when set, winnows on ranks: the least common shingle of
	// each window is kept (WinnowRanked). Every document whose
	// fingerprints are compared must be analyzed with the same Weights.
	Weights *Weights
}

// Weights rank shingles for winnowing: Table counts the documents
// holding them, and Limits (ascending, at most 3) cut the counts into
// levels (Frequencies.Ranks).
type Weights struct {
	Table  *Frequencies
	Limits []int
}

func (o AnalyzerOptions) withDefaults() AnalyzerOptions {
	if o.Shingle <= 0 {
		o.Shingle = 5
	}
	if o.Window <= 0 {
		o.Window = 5
	}
	if o.Seed <= 0 {
		o.Seed = 3
	}
	if o.SignatureSize <= 0 {
		o.SignatureSize = 64
	}
	return o
}

// Analysis is what a scan keeps of one document after reading it: its
// tokens, the aligner's seeds, the winnowing fingerprints and their
// MinHash signature. Its slices belong to the Analyzer that made it and
// are overwritten by its next call.
type Analysis struct {
	Tokens       []Token       // byte offsets and hashes
	Seeds        []uint32      // Seeds(Tokens, Seed)
	Fingerprints []Fingerprint // Winnow(Shingles(Tokens, Shingle), Window)
	Distinct     int           // distinct fingerprint hashes
	Signature    []uint64      // of the fingerprint hashes
	// Repeats lists the places of the fingerprints the document holds
	// more than once: pairs (first place, later place) of one
	// fingerprint, flat, sorted. The shuffle knows such a fingerprint by
	// its first place only; these find the others without a pass over
	// the document.
	Repeats []uint32
}

// Analyzer computes the Analysis of documents: the per-document work of a
// scan's first stage, the same wherever a scan runs (package reuse, the
// distributed pipeline, the archive index). It allocates nothing per
// document once its buffers have grown. An Analyzer is NOT safe for
// concurrent use: give each worker its own.
type Analyzer struct {
	opt    AnalyzerOptions
	tok    *Tokenizer
	signer *Signer
	hashes []uint64
	ranks  []uint64 // of hashes, with Weights
	queue  []uint32
	pairs  []uint64
	set    hashSet
	a      Analysis
}

// NewAnalyzer returns an Analyzer with the given options.
func NewAnalyzer(opt AnalyzerOptions) *Analyzer {
	opt = opt.withDefaults()
	return &Analyzer{opt: opt, tok: NewTokenizer(), signer: NewSigner(opt.SignatureSize)}
}

// Options returns the options in force, defaults filled in.
func (z *Analyzer) Options() AnalyzerOptions { return z.opt }

// Analyze analyzes text, whose first header bytes are metadata (a date
// stamp, front matter) that is not tokenized; offsets count from the
// start of text.
func (z *Analyzer) Analyze(text []byte, header int) *Analysis {
	a, _ := z.AnalyzeContext(context.Background(), text, header)
	return a
}

// AnalyzeContext is Analyze, giving up with ctx.Err() (and a nil
// Analysis) when ctx is done: it looks at ctx between its steps, each a
// pass over the document (tokens, seeds, shingles, fingerprints, the
// signature, repeats), and inside the long ones every few milliseconds
// of work (checkBytes of text, checkShingles shingles), so that it gives
// up at once however large the document.
func (z *Analyzer) AnalyzeContext(ctx context.Context, text []byte, header int) (*Analysis, error) {
	a := &z.a
	header = min(max(header, 0), len(text))
	var err error
	if a.Tokens, err = z.tok.TokenizeContext(ctx, a.Tokens[:0], text[header:]); err != nil {
		return nil, err
	}
	if header > 0 {
		for i := range a.Tokens {
			a.Tokens[i].Start += uint32(header)
			a.Tokens[i].End += uint32(header)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if a.Seeds, z.hashes, err = seedsContext(ctx, a.Seeds[:0], a.Tokens, z.opt.Seed, z.hashes); err != nil {
		return nil, err
	}
	if z.hashes, err = shinglesContext(ctx, z.hashes[:0], a.Tokens, z.opt.Shingle); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if wt := z.opt.Weights; wt != nil {
		z.ranks = wt.Table.Ranks(z.ranks[:0], z.hashes, wt.Limits)
		a.Fingerprints, z.queue, err = winnowRanked(ctx, a.Fingerprints[:0], z.queue, z.hashes, z.ranks, z.opt.Window)
	} else {
		a.Fingerprints, z.queue, err = winnow(ctx, a.Fingerprints[:0], z.queue, z.hashes, z.opt.Window)
	}
	if err != nil {
		return nil, err
	}
	// The signature of the fingerprints, a consistent sample of the
	// shingles, estimates the Jaccard similarity of the shingle sets.
	if z.hashes, err = z.set.distinct(ctx, z.hashes[:0], a.Fingerprints); err != nil {
		return nil, err
	}
	if a.Signature, err = z.signer.signContext(ctx, a.Signature[:0], z.hashes); err != nil {
		return nil, err
	}
	a.Distinct = len(z.hashes)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if a.Repeats, z.pairs, err = repeats(ctx, a.Repeats[:0], &z.set, z.pairs, a.Fingerprints, a.Distinct); err != nil {
		return nil, err
	}
	return a, nil
}

// DropScratch lets go of the scratch memory the last analysis grew (its
// shingle hashes, ranks, the set of its fingerprints, the pairs of its
// repeats), keeping the Analysis itself: after a large document, whose
// Analysis is still in use, the scratch would hold as much memory again
// (for 395 MB of text, 1.6 GB). The next call grows it anew.
func (z *Analyzer) DropScratch() {
	z.hashes, z.ranks, z.queue, z.pairs, z.set = nil, nil, nil, nil, hashSet{}
}

// ShingleHashes appends to dst the shingle hashes of text, whose first
// header bytes are not tokenized (as Analyze), and returns it: what a
// Frequencies table counts of a document. It overwrites the tokens of
// the last Analysis.
func (z *Analyzer) ShingleHashes(dst []uint64, text []byte, header int) []uint64 {
	header = min(max(header, 0), len(text))
	z.a.Tokens = z.tok.Tokenize(z.a.Tokens[:0], text[header:])
	return Shingles(dst, z.a.Tokens, z.opt.Shingle)
}

// hashSet is an open-addressing set of fingerprint hashes, emptied per
// document in O(its size): counting a document's distinct fingerprints
// with it costs a third of sorting them.
type hashSet struct {
	slots []uint64 // 0: empty; the hash 0 is held by zero
	zero  bool
	// repeatPairs numbers the distinct hashes in order of first place:
	// ord holds each slot's number (zeroOrd the hash 0's), places each
	// number's first place, and later how many places follow it.
	ord     []uint32
	zeroOrd uint32
	places  []uint32
	later   []uint32
}

// reset empties the set for n hashes and returns the mask of its slots.
func (s *hashSet) reset(n int) uint64 {
	size := 64
	for size < 2*n {
		size *= 2
	}
	if cap(s.slots) < size || cap(s.slots) > 8*size && cap(s.slots) > 1<<12 {
		s.slots = make([]uint64, size)
	} else {
		s.slots = s.slots[:size]
		grow.Clear(s.slots) // preemptible: a document's may be a GB
	}
	s.zero = false
	return uint64(size - 1)
}

// repeatPairs appends to pairs, as n<<32 | later, the place of every
// fingerprint of fps (in order of position) whose hash an earlier one
// has, where n numbers that hash among the distinct ones in order of
// their first place (s.places, s.later), given a hint of their number
// (-1: unknown).
func (s *hashSet) repeatPairs(ctx context.Context, pairs []uint64, fps []Fingerprint, distinct int) ([]uint64, error) {
	m := s.reset(len(fps))
	s.ord = grow.Slice(s.ord[:0], len(s.slots))[:len(s.slots)]
	s.places, s.later = grow.Slice(s.places[:0], max(distinct, 0)), grow.Slice(s.later[:0], max(distinct, 0))
	for j, fp := range fps {
		if j&(checkShingles-1) == checkShingles-1 {
			if err := ctx.Err(); err != nil {
				return pairs, err
			}
		}
		h := fp.Hash
		if h == 0 {
			if s.zero {
				pairs = append(pairs, uint64(s.zeroOrd)<<32|uint64(fp.Pos))
				s.later[s.zeroOrd]++
			} else {
				s.zero, s.zeroOrd = true, uint32(len(s.places))
				s.places, s.later = append(s.places, fp.Pos), append(s.later, 0)
			}
			continue
		}
		for i := h & m; ; i = (i + 1) & m {
			if s.slots[i] == h {
				pairs = append(pairs, uint64(s.ord[i])<<32|uint64(fp.Pos))
				s.later[s.ord[i]]++
				break
			}
			if s.slots[i] == 0 {
				s.slots[i], s.ord[i] = h, uint32(len(s.places))
				s.places, s.later = append(s.places, fp.Pos), append(s.later, 0)
				break
			}
		}
	}
	return pairs, nil
}

// distinct appends to dst the distinct hashes of fps, in order of first
// place, and returns it.
func (s *hashSet) distinct(ctx context.Context, dst []uint64, fps []Fingerprint) ([]uint64, error) {
	m := s.reset(len(fps))
	for j, fp := range fps {
		if j&(checkShingles-1) == checkShingles-1 {
			if err := ctx.Err(); err != nil {
				return dst, err
			}
		}
		h := fp.Hash
		if h == 0 {
			if !s.zero {
				s.zero = true
				dst = append(dst, 0)
			}
			continue
		}
		for i := h & m; ; i = (i + 1) & m {
			if s.slots[i] == h {
				break
			}
			if s.slots[i] == 0 {
				s.slots[i] = h
				dst = append(dst, h)
				break
			}
		}
	}
	return dst, nil
}

// Repeats appends to dst the places of the fingerprints of fps (in order
// of position) held more than once, as Analysis.Repeats lists them: pairs
// (first place, later place), flat, sorted.
func Repeats(dst []uint32, fps []Fingerprint) []uint32 {
	if len(fps) < 2 {
		return dst
	}
	var set hashSet
	dst, _, _ = repeats(context.Background(), dst, &set, nil, fps, -1)
	return dst
}

// repeats appends to dst the places of the fingerprints of fps (in order
// of position) held more than once, as pairs (first place, later place)
// sorted, given the number of distinct hashes (-1: unknown), using set
// and pairs (returned) as scratch. Each later place is paired with the
// first through a hash table that numbers the hashes in order of first
// place, and the pairs are counted out by that number, in O(len(fps)):
// the later places of a number come in order. (Sorting the fingerprints
// by (hash, place) through a comparison function took 3% of a scan of
// the Linux tree, whose files repeat lines; sorting the pairs as
// integers, a second, which no interrupt could stop, for a document of
// 395 MB that repeats itself.)
func repeats(ctx context.Context, dst []uint32, set *hashSet, pairs []uint64, fps []Fingerprint, distinct int) ([]uint32, []uint64, error) {
	if distinct == len(fps) {
		return dst, pairs, nil
	}
	// Each place of a fingerprint after its first makes one pair.
	pairs, err := set.repeatPairs(ctx, grow.Slice(pairs[:0], len(fps)-max(distinct, 0)), fps, distinct)
	if err != nil {
		return dst, pairs, err
	}
	// Where each number's pairs begin, past those of the numbers before.
	at := uint32(0)
	for n, c := range set.later {
		set.later[n] = at
		at += c
	}
	base := len(dst)
	dst = grow.Slice(dst, 2*len(pairs))[:base+2*len(pairs)]
	for k, p := range pairs {
		if k&(checkShingles-1) == checkShingles-1 {
			if err := ctx.Err(); err != nil {
				return dst[:base], pairs, err
			}
		}
		n := p >> 32
		i := base + 2*int(set.later[n])
		set.later[n]++
		dst[i], dst[i+1] = set.places[n], uint32(p)
	}
	return dst, pairs, nil
}
