package pairs

import (
	"sync"
	"unsafe"

	"github.com/reuse-tool/reuse/align"
)

// Memo keeps the alignments of candidates from one call of Align to the
// next, over Indexes that share documents: a check aligns the pairs of
// its new and followed documents again in every round (reuse.Check), and
// takes them from a Memo instead, aligning only the pairs new to the
// round.
//
// It is exact for the same reason the twin cache is: a candidate, its
// anchors, its alignment and the evidence filter see only the two
// documents' records and document frequencies the caller keeps the same
// from call to call (a check's come from the whole archive). A pair is
// known by its documents' keys (Options.MemoKey), first document first.
// Entries are kept until their bytes reach the limit; past it, a pair is
// aligned again. Safe for concurrent use.
type Memo struct {
	c pairCache[[2]uint64]
}

// NewMemo returns an empty Memo that holds at most limit bytes.
func NewMemo(limit int64) *Memo {
	return &Memo{c: newPairCache[[2]uint64](limit)}
}

// Hits returns the number of candidates that took their alignment from
// m instead of being aligned.
func (m *Memo) Hits() int64 {
	m.c.mu.Lock()
	defer m.c.mu.Unlock()
	return m.c.hits
}

// Len returns the number of pairs m holds (with passages or without).
func (m *Memo) Len() int {
	m.c.mu.Lock()
	defer m.c.mu.Unlock()
	return len(m.c.pairs)
}

func (m *Memo) get(k [2]uint64) (*cachedPair, bool) {
	if m == nil {
		return nil, false
	}
	return m.c.get(k)
}

func (m *Memo) put(k [2]uint64, p *cachedPair) {
	if m != nil {
		m.c.put(k, p)
	}
}

// pairCache holds alignments under keys of K until their bytes reach a
// limit (the twin cache's and the Memo's). Safe for concurrent use.
type pairCache[K comparable] struct {
	mu    sync.Mutex
	pairs map[K]*cachedPair
	bytes int64
	limit int64
	hits  int64
}

func newPairCache[K comparable](limit int64) pairCache[K] {
	return pairCache[K]{pairs: make(map[K]*cachedPair), limit: limit}
}

// get returns the alignment cached under k, if any.
func (c *pairCache[K]) get(k K) (*cachedPair, bool) {
	c.mu.Lock()
	p, ok := c.pairs[k]
	if ok {
		c.hits++
	}
	c.mu.Unlock()
	return p, ok
}

// put caches p under k (p is not copied: it must not change), unless the
// cache is full.
func (c *pairCache[K]) put(k K, p *cachedPair) {
	n := p.size()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.bytes+n > c.limit {
		return
	}
	if _, ok := c.pairs[k]; !ok {
		c.pairs[k] = p
		c.bytes += n
	}
}

// size estimates the bytes p holds, with its entry in a map.
func (p *cachedPair) size() int64 {
	return int64(64 + len(p.spans)*int(unsafe.Sizeof(align.Span{})) + len(p.bytes)*int(unsafe.Sizeof(ByteSpan{})) +
		len(p.kinds) + 4*len(p.cosines) + 16*len(p.sketches))
}
