package candidate

import (
	"context"
	"math/bits"
	"sync"
	"sync/atomic"

	"github.com/reuse-tool/reuse/internal/postings"
	"github.com/reuse-tool/reuse/internal/work"
)

// pairSketch counts, up to two, the keys of each pair of documents, in
// two bits per slot of a hash table without the pairs themselves: a slot
// holds every pair hashed to it, so a pair seen once may read as seen
// twice (it then keeps its keys, as without a sketch), never the other
// way round. Writers (sketchWriter) may count at once; the final counts
// do not depend on their order.
//
// Most keys name a pair that shares one fingerprint, common enough that
// the rules drop the pair (Rules.Pair: without a fingerprint held by at
// most SoloDF documents a pair needs two or three): at 1 GB two thirds of
// the keys (docs/benchmarks.md, "Session 9"). A first pass
// over the postings that fills the sketch lets Add skip them instead of
// spooling them, writing and reading them back from disk once they
// outgrow memory.
type pairSketch struct {
	words []uint64 // 32 two-bit counters a word: 0, 1, 2 (two or more)
	mask  uint64   // counters-1
	shift uint     // a counter's bucket: its index >> shift
	locks [sketchBuckets]sync.Mutex
}

// A sketch's counters are cut into sketchBuckets buckets of consecutive
// words: a writer gathers sketchChunk counts of a bucket before it takes
// the bucket's lock and counts them. Counting each key at its place with
// atomic operations took twice the CPU time at 1 GB. Looking keys up
// (several) goes straight to their words: gathering them by bucket
// first made it slower (BenchmarkSketch; docs/benchmarks.md, "Session
// 10").
const (
	sketchBuckets = 256
	sketchChunk   = 2048
)

// newPairSketch returns a sketch of at most bytes bytes: four counters a
// byte, a power of two.
func newPairSketch(bytes int64) *pairSketch {
	counters := uint64(max(32*sketchBuckets, bytes*4))
	counters = 1 << (bits.Len64(counters) - 1)
	return &pairSketch{
		words: make([]uint64, counters/32),
		mask:  counters - 1,
		shift: uint(bits.Len64(counters/sketchBuckets) - 1),
	}
}

// counter returns the index of the counter of pair (a, b).
func (s *pairSketch) counter(a, b uint32) uint64 {
	h := uint64(a)<<32 | uint64(b)
	// The finalizer of MurmurHash3: consecutive documents spread over
	// the table.
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h & s.mask
}

// several reports whether pair (a, b) may have more than one key (or one
// that keeps it alone). It must not run with a writer's flush.
func (s *pairSketch) several(a, b uint32) bool {
	c := s.counter(a, b)
	return s.words[c/32]>>(c%32*2)&2 != 0
}

// sketchWriter gathers one worker's counts by bucket.
type sketchWriter struct {
	s       *pairSketch
	buckets [][]uint64 // by bucket: counter<<1 | 1 if the key keeps its pair alone
}

func newSketchWriter(s *pairSketch) *sketchWriter {
	return &sketchWriter{s: s, buckets: make([][]uint64, sketchBuckets)}
}

// add counts a key of pair (a, b); keep counts the pair as seen twice
// (a key that keeps its pair alone).
func (w *sketchWriter) add(a, b uint32, keep bool) {
	c := w.s.counter(a, b)
	e := c << 1
	if keep {
		e |= 1
	}
	k := c >> w.s.shift
	w.buckets[k] = append(w.buckets[k], e)
	if len(w.buckets[k]) == sketchChunk {
		w.flush(k)
	}
}

// flush counts the gathered counts of bucket k.
func (w *sketchWriter) flush(k uint64) {
	words := w.s.words
	w.s.locks[k].Lock()
	for _, e := range w.buckets[k] {
		c := e >> 1
		word, shift := &words[c/32], c%32*2
		if e&1 != 0 || *word>>shift&3 != 0 {
			*word |= 2 << shift
		} else {
			*word |= 1 << shift
		}
	}
	w.s.locks[k].Unlock()
	w.buckets[k] = w.buckets[k][:0]
}

// close counts what the writer has gathered.
func (w *sketchWriter) close() {
	for k := range w.buckets {
		if len(w.buckets[k]) > 0 {
			w.flush(uint64(k))
		}
	}
}

// SketchPairs makes the shuffle drop the keys of pairs that share a single
// fingerprint held by more than SoloDF documents, which Rules.Pair never
// accepts: each load of postings goes through Sketch, all of them before
// the first Add, and Add then skips the keys of a pair the sketch (of at
// most bytes bytes) has seen once. postings is the number of postings
// the loads hold (Sketching). Its candidates are those of a shuffle
// without a sketch, and the keys it spools fewer (Keys).
func (s *Shuffle) SketchPairs(bytes, postings int64) {
	s.sketch = newPairSketch(bytes)
	s.sketchPostings = postings
	s.sketchedPostings, s.sketchedKeys = 0, 0
}

// Sketching reports whether the shuffle has a sketch of pairs: Sketch
// gives it up once the postings it has seen tell that the keys of all
// postings SketchPairs was told of will outnumber its counters (most
// slots would hold several pairs and keep their keys), or will fit in
// the memory given to NewShuffle (none would go to disk). Either way the
// pass would cost more than it saves; Add spools every key, and the
// caller need not sketch the other loads.
func (s *Shuffle) Sketching() bool { return s.sketch != nil } // until EndSketch or Pairs releases it

// EndSketch releases the sketch once every load has been added: the
// memory it held can go to the next step (a second shuffle) before the
// first call to Pairs, which would release it too.
func (s *Shuffle) EndSketch() { s.sketch = nil }

// Sketch counts the keys that a load of postings will give Add (see
// SketchPairs), sorting it by hash in place as Add does, and may give the
// sketch up (Sketching). Without a sketch it does nothing. It returns
// ctx.Err() if ctx is cancelled.
func (s *Shuffle) Sketch(ctx context.Context, ps []postings.Posting, workers int) error {
	sk := s.sketch
	if sk == nil {
		return nil
	}
	if !sortedByHash(ps) {
		postings.Sort(ps, workers)
	}
	segs := segments(ps, workers)
	var keys atomic.Int64
	err := work.Each(ctx, len(segs), len(segs), func(_, w int) error {
		sw := newSketchWriter(sk)
		err := s.rules.Split(ctx, segs[w], s.freq, Outputs{Keys: func(ks []Key) error {
			ks = s.involved(ks)
			keep := len(ks) > 0 && int(ks[0].DF) <= s.rules.SoloDF
			for _, k := range ks {
				sw.add(k.A, k.B, keep || s.rules.Alone(k))
			}
			keys.Add(int64(len(ks)))
			return nil
		}, Involving: s.involving})
		sw.close()
		return err
	})
	if err != nil {
		return err
	}
	// Postings are shuffled by hash: a load's keys a posting are the
	// others'.
	s.sketchedPostings += int64(len(ps))
	s.sketchedKeys += keys.Load()
	if s.sketchedPostings > 0 {
		keys := float64(s.sketchedKeys) * float64(s.sketchPostings) / float64(s.sketchedPostings)
		if keys > float64(sk.mask+1) || keys*KeyBytes <= float64(s.keyMemory) {
			s.sketch = nil
		}
	}
	return nil
}

// KeysAbout returns about as many keys as Add makes of ps, sorted by hash:
// n(n-1)/2 for every hash of n postings, 2 ≤ n ≤ MaxDF (more than Add
// makes when a document holds a fingerprint twice, fewer when that brings
// a hash of more than MaxDF postings under MaxDF documents). It costs a
// pass over ps, which a caller deciding on a sketch can afford, and
// returns ctx.Err() if ctx is cancelled.
func (r Rules) KeysAbout(ctx context.Context, ps []postings.Posting) (int64, error) {
	return keysAbout(ctx, ps, r.MaxDF, nil)
}

// KeysAbout is Rules.KeysAbout of the shuffle's rules, counting only the
// keys with a document SetInvolving reports true for, if it was called.
func (s *Shuffle) KeysAbout(ctx context.Context, ps []postings.Posting) (int64, error) {
	return keysAbout(ctx, ps, s.rules.MaxDF, s.involving)
}

func keysAbout(ctx context.Context, ps []postings.Posting, maxDF int, involving func(d uint32) bool) (int64, error) {
	var keys int64
	for lo, runs := 0, 0; lo < len(ps); runs++ {
		if runs%(1<<20) == 0 && ctx.Err() != nil {
			return 0, ctx.Err()
		}
		hi := lo + 1
		for hi < len(ps) && ps[hi].Hash == ps[lo].Hash {
			hi++
		}
		if n := int64(hi - lo); n >= 2 && n <= int64(maxDF) {
			keys += n * (n - 1) / 2
			if involving != nil {
				out := int64(0) // postings of documents not involved
				for _, p := range ps[lo:hi] {
					if !involving(p.Doc) {
						out++
					}
				}
				keys -= out * (out - 1) / 2
			}
		}
		lo = hi
	}
	return keys, nil
}
