package pairs

import (
	"sync"
	"sync/atomic"
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
	// stored answers what c lacks, but the pairs skip reports
	// (UseStored).
	stored     *Stored
	skip       func(a, b uint64, spans []align.Span) bool
	storedHits atomic.Int64
	// rec, when not nil, takes every alignment put, encoded, instead of
	// c (NewRecorder).
	rec *recorder
}

// NewRecorder returns a Memo that keeps every alignment put, encoded
// for EncodeMemo (about 56 bytes a pair at 1 GB of news, against 1.5 KB
// in a Memo's map), and never answers: for a run that aligns each pair
// once and keeps them all (reuse.AlignIndex).
func NewRecorder() *Memo { return &Memo{rec: &recorder{}} }

// recorder holds encoded alignments: the key and the offset of each in
// data. Safe for concurrent use.
type recorder struct {
	mu    sync.Mutex
	table [][3]uint64
	data  []byte
}

// UseStored has m take the alignments it lacks from s, but those skip
// reports true for (keys a, b, and the passages kept, in tokens): a
// check's archived pairs that the new documents may align differently.
// Called before m is used.
func (m *Memo) UseStored(s *Stored, skip func(a, b uint64, spans []align.Span) bool) {
	m.stored, m.skip = s, skip
}

// StopKeeping has m keep no more alignments (a recorder still records
// them): for a last round, whose alignments no later one asks for.
func (m *Memo) StopKeeping() {
	m.c.mu.Lock()
	m.c.limit = 0
	m.c.mu.Unlock()
}

// StoredHits returns the number of lookups the stored alignments
// answered (UseStored): one a candidate in a round that aligns each pair
// once.
func (m *Memo) StoredHits() int64 { return m.storedHits.Load() }

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
	if m.rec != nil {
		m.rec.mu.Lock()
		defer m.rec.mu.Unlock()
		return len(m.rec.table)
	}
	m.c.mu.Lock()
	defer m.c.mu.Unlock()
	return len(m.c.pairs)
}

func (m *Memo) get(k [2]uint64) (*cachedPair, bool) {
	if m == nil {
		return nil, false
	}
	if p, ok := m.c.get(k); ok || m.stored == nil {
		return p, ok
	}
	// Not put in c: decoded again if asked again, they cost no memory
	// nor scanning by the garbage collector (2.5 million pairs of the 1
	// GB archive held in c took 8 of 61 CPU-s in its sizeclass lookups).
	p, ok := m.stored.get(k)
	if ok && m.skip(k[0], k[1], p.spans) {
		return nil, false
	}
	if ok {
		m.storedHits.Add(1)
		if m.rec != nil {
			m.put(k, p) // kept again
		}
	}
	return p, ok
}

func (m *Memo) put(k [2]uint64, p *cachedPair) {
	switch {
	case m == nil:
	case m.rec != nil:
		m.rec.mu.Lock()
		m.rec.table = append(m.rec.table, [3]uint64{k[0], k[1], uint64(len(m.rec.data))})
		m.rec.data = appendStored(m.rec.data, p)
		m.rec.mu.Unlock()
	default:
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
