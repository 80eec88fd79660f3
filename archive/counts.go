package archive

import (
	"runtime"

	"github.com/reuse-tool/reuse/shingle"
)

// counts maps keys (fingerprint hashes, keys of reworded sentences) to the
// number of new documents holding each and, once looked up, the number of
// archived ones: an open-addressing table with linear probing, at most half
// full, without pointers. A check of many documents looks up millions of
// keys, once per posting of its shuffle: Go maps of that size spent a third
// of the pairing phase of a 10 MB check against a 1 GB index in probes
// (docs/benchmarks.md, "An index for reworded reuse"). A counts is NOT safe
// for concurrent use while it is changed.
type counts struct {
	slots   []countSlot
	n       int
	zero    countSlot // key 0, which marks an empty slot
	hasZero bool
}

type countSlot struct {
	key     uint64
	news    int32
	archive int32 // -1: not looked up yet
}

// slot returns the slot of key, inserting it (no documents, archive
// count unknown) if absent.
func (c *counts) slot(key uint64) *countSlot {
	if key == 0 {
		if !c.hasZero {
			c.zero, c.hasZero = countSlot{archive: -1}, true
		}
		return &c.zero
	}
	if 2*(c.n+1) > len(c.slots) {
		c.grow()
	}
	i, ok := c.probe(key)
	if !ok {
		c.slots[i] = countSlot{key: key, archive: -1}
		c.n++
	}
	return &c.slots[i]
}

// get returns key's slot, nil if absent.
func (c *counts) get(key uint64) *countSlot {
	if key == 0 {
		if !c.hasZero {
			return nil
		}
		return &c.zero
	}
	if len(c.slots) == 0 {
		return nil
	}
	if i, ok := c.probe(key); ok {
		return &c.slots[i]
	}
	return nil
}

// probe returns the index of key's slot (not 0), or of the empty slot
// where it would go, and whether key is there.
func (c *counts) probe(key uint64) (uint64, bool) {
	m := uint64(len(c.slots) - 1)
	for i := shingle.Mix64(key) & m; ; i = (i + 1) & m {
		switch c.slots[i].key {
		case key:
			return i, true
		case 0:
			return i, false
		}
	}
}

func (c *counts) grow() {
	old := c.slots
	c.slots = make([]countSlot, max(2*len(old), 1024))
	for _, s := range old {
		if s.key != 0 {
			i, _ := c.probe(s.key)
			c.slots[i] = s
		}
	}
}

// dfs sets dst[i] to df(keys[i]). It first touches the slot each key
// starts at, loads that do not wait for one another, so that the probes
// after them find their slots in the cache: a table of millions of keys
// misses it at every probe (docs/benchmarks.md, "Frequencies looked up a
// block at a time").
func (c *counts) dfs(keys []uint64, dst []int) {
	if m := uint64(len(c.slots) - 1); len(c.slots) > 0 {
		var sum uint64
		for _, k := range keys {
			sum += c.slots[shingle.Mix64(k)&m].key
		}
		runtime.KeepAlive(sum) // or the loads go as dead code
	}
	for i, k := range keys {
		dst[i] = c.df(k)
	}
}

// df returns the documents, archived and new, holding key (archived ones
// counted only once looked up).
func (c *counts) df(key uint64) int {
	s := c.get(key)
	if s == nil {
		return 0
	}
	return int(s.news) + int(max(s.archive, 0))
}
