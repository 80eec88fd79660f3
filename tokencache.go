package reuse

import (
	"container/list"
	"sync"
	"unsafe"

	"github.com/reuse-tool/reuse/shingle"
)

// tokenCache keeps the tokens of recently aligned documents within a memory
// budget, so that a document paired with many others is read and tokenized
// once rather than once per pair (on 100 MB of generated news, re-reading
// took 60% of the alignment stage). Cached slices are never modified: any
// number of workers may hold one. It is safe for concurrent use.
type tokenCache struct {
	mu     sync.Mutex
	budget int // bytes
	used   int
	lru    *list.List // of *cacheEntry, most recent first
	byDoc  map[uint32]*list.Element
}

type cacheEntry struct {
	doc  uint32
	toks []shingle.Token
}

const tokenSize = int(unsafe.Sizeof(shingle.Token{}))

func newTokenCache(budget int) *tokenCache {
	return &tokenCache{budget: budget, lru: list.New(), byDoc: make(map[uint32]*list.Element)}
}

func (c *tokenCache) get(doc uint32) ([]shingle.Token, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byDoc[doc]
	if !ok {
		return nil, false
	}
	c.lru.MoveToFront(e)
	return e.Value.(*cacheEntry).toks, true
}

// put adds a document's tokens, evicting the least recently used ones to
// stay within the budget. Slices larger than a quarter of the budget are
// not kept.
func (c *tokenCache) put(doc uint32, toks []shingle.Token) {
	size := len(toks) * tokenSize
	if size > c.budget/4 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.byDoc[doc]; ok {
		return
	}
	for c.used+size > c.budget && c.lru.Len() > 0 {
		last := c.lru.Back()
		old := last.Value.(*cacheEntry)
		c.used -= len(old.toks) * tokenSize
		delete(c.byDoc, old.doc)
		c.lru.Remove(last)
	}
	c.byDoc[doc] = c.lru.PushFront(&cacheEntry{doc: doc, toks: toks})
	c.used += size
}
