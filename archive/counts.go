package archive

import "github.com/reuse-tool/reuse/shingle"

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
	m := uint64(len(c.slots) - 1)
	for i := shingle.Mix64(key) & m; ; i = (i + 1) & m {
		s := &c.slots[i]
		if s.key == key {
			return s
		}
		if s.key == 0 {
			*s = countSlot{key: key, archive: -1}
			c.n++
			return s
		}
	}
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
	m := uint64(len(c.slots) - 1)
	for i := shingle.Mix64(key) & m; ; i = (i + 1) & m {
		s := &c.slots[i]
		if s.key == key {
			return s
		}
		if s.key == 0 {
			return nil
		}
	}
}

func (c *counts) grow() {
	old := c.slots
	c.slots = make([]countSlot, max(2*len(old), 1024))
	m := uint64(len(c.slots) - 1)
	for _, s := range old {
		if s.key == 0 {
			continue
		}
		i := shingle.Mix64(s.key) & m
		for c.slots[i].key != 0 {
			i = (i + 1) & m
		}
		c.slots[i] = s
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
