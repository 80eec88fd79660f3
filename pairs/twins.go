package pairs

import (
	"github.com/reuse-tool/reuse/align"
	"github.com/reuse-tool/reuse/candidate"
	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/reword"
)

// twinCache holds the alignments of the candidates with a document that
// has twins (index.Index.Twins): a candidate whose documents are, in the
// same order, twins of an aligned candidate's gets its passages without
// aligning. k copies of a file paired with m others cost 2m alignments,
// not k·m, and the k(k-1)/2 pairs of copies one.
//
// It is exact: a pair's candidate, its anchors, its alignment and the
// evidence filter see only the documents' records, the same for twins.
// The order of the documents matters (the aligner is not symmetric), so a
// pair is known by its first document's twin, then its second's. Entries
// are kept until their bytes reach the limit; past it, a pair is aligned
// again. Safe for concurrent use.
type twinCache struct {
	twin []uint32 // index.Index.Twins
	pairCache[[2]uint32]
}

// cachedPair is the alignment of a pair: what Pair holds beside its
// documents (no passages when Spans is empty).
type cachedPair struct {
	spans    []align.Span
	bytes    []ByteSpan
	kinds    []reword.Kind
	cosines  []float32
	sketches [][2]cluster.Sketch
}

// newTwinCache returns a cache of the twins given (nil when there are
// none: every call is then a miss) holding at most limit bytes.
func newTwinCache(twin []uint32, limit int64) *twinCache {
	if twin == nil || limit <= 0 {
		return nil
	}
	return &twinCache{twin: twin, pairCache: newPairCache[[2]uint32](limit)}
}

// key returns the cache key of the pair a, b, and whether it has one
// (either document has a twin).
func (c *twinCache) key(a, b uint32) ([2]uint32, bool) {
	if c == nil || c.twin[a] == 0 && c.twin[b] == 0 {
		return [2]uint32{}, false
	}
	first := func(d uint32) uint32 {
		if t := c.twin[d]; t != 0 {
			return t - 1
		}
		return d
	}
	return [2]uint32{first(a), first(b)}, true
}

// appendTo appends to out the Pair of candidate c that p is the
// alignment of, when it has passages, and returns out. The Pair shares
// p's memory.
func (p *cachedPair) appendTo(out []Pair, c candidate.Candidate) []Pair {
	if len(p.spans) == 0 {
		return out
	}
	return append(out, Pair{A: c.A, B: c.B, Shared: c.Shared, Spans: p.spans, Bytes: p.bytes, Kinds: p.kinds, Cosines: p.cosines, Sketches: p.sketches})
}
