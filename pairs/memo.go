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
	mu    sync.Mutex
	pairs map[[2]uint64]*cachedPair
	bytes int64
	limit int64
	hits  int64
}

// NewMemo returns an empty Memo that holds at most limit bytes.
func NewMemo(limit int64) *Memo {
	return &Memo{pairs: make(map[[2]uint64]*cachedPair), limit: limit}
}

// Hits returns the number of candidates that took their alignment from
// m instead of being aligned.
func (m *Memo) Hits() int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.hits
}

// Len returns the number of pairs m holds (with passages or without).
func (m *Memo) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.pairs)
}

func (m *Memo) get(k [2]uint64) (*cachedPair, bool) {
	if m == nil {
		return nil, false
	}
	m.mu.Lock()
	p, ok := m.pairs[k]
	if ok {
		m.hits++
	}
	m.mu.Unlock()
	return p, ok
}

// put keeps p under k (p is not copied: it must not change), unless m is
// full.
func (m *Memo) put(k [2]uint64, p *cachedPair) {
	if m == nil {
		return
	}
	n := p.size()
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.bytes+n > m.limit {
		return
	}
	if _, ok := m.pairs[k]; !ok {
		m.pairs[k] = p
		m.bytes += n
	}
}

// size estimates the bytes p holds, with its entry in a map.
func (p *cachedPair) size() int64 {
	return int64(64 + len(p.spans)*int(unsafe.Sizeof(align.Span{})) + len(p.bytes)*int(unsafe.Sizeof(ByteSpan{})) +
		len(p.kinds) + 4*len(p.cosines) + 16*len(p.sketches))
}
