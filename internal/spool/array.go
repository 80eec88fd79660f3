package spool

import (
	"sync"
)

// Array keeps fixed-size records by index in a temporary file: record i
// at offset i·size, written in any order by any number of workers, read
// back in place once sealed (mapped into memory where the system allows
// it, with pread otherwise). The scan keeps each document's MinHash
// signature in one, 512 bytes a document that need not stay in memory.
type Array struct {
	size   int
	f      file
	mu     sync.Mutex
	n      int64 // records written, at most: the largest index + 1
	mapped []byte
}

// NewArray returns an empty array of records of size bytes.
func NewArray(pattern string, size int) *Array {
	if size <= 0 {
		panic("spool: NewArray needs size > 0")
	}
	return &Array{size: size, f: file{pattern: pattern}}
}

// Put writes rec (size bytes) as record i.
func (a *Array) Put(i int, rec []byte) error {
	if len(rec) != a.size {
		panic("spool: Array.Put of a record of the wrong size")
	}
	return a.PutRange(i, rec)
}

// PutRange writes recs, whole records, as records i, i+1, ...
func (a *Array) PutRange(i int, recs []byte) error {
	if len(recs)%a.size != 0 || i < 0 {
		panic("spool: Array.PutRange of part of a record, or at a negative index")
	}
	if len(recs) == 0 {
		return nil
	}
	a.mu.Lock()
	a.n = max(a.n, int64(i)+int64(len(recs)/a.size))
	a.mu.Unlock()
	return a.f.writeAt(recs, int64(i)*int64(a.size))
}

// Seal ends writing and maps the file for reading.
func (a *Array) Seal() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if f := a.f.current(); f != nil && a.mapped == nil {
		a.mapped = mapFile(f, a.n*int64(a.size))
	}
}

// Get returns record i: in place in the mapped file (valid until Close,
// not to be modified), or read into buf. A record never written reads as
// zeros.
func (a *Array) Get(i int, buf []byte) ([]byte, error) { return a.GetRange(i, 1, buf) }

// GetRange returns records i to i+n-1, as Get does.
func (a *Array) GetRange(i, n int, buf []byte) ([]byte, error) {
	off, size := int64(i)*int64(a.size), int64(n)*int64(a.size)
	if i < 0 || n < 0 || int64(i)+int64(n) > a.n {
		return nil, ErrCorrupt
	}
	if a.mapped != nil {
		return a.mapped[off : off+size : off+size], nil
	}
	if int64(cap(buf)) < size {
		buf = make([]byte, size)
	}
	buf = buf[:size]
	if size == 0 {
		return buf, nil
	}
	return buf, a.f.readAt(buf, off)
}

// MappedBytes is the length of the file's mapping, 0 when it is not
// mapped: the most of it a scan's reads can make resident.
func (a *Array) MappedBytes() int64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return int64(len(a.mapped))
}

// Release drops the mapped pages read so far from the process's resident
// memory (they stay in the page cache).
func (a *Array) Release() {
	a.mu.Lock()
	defer a.mu.Unlock()
	releaseMapped(a.mapped)
}

// Close removes the file.
func (a *Array) Close() {
	a.mu.Lock()
	defer a.mu.Unlock()
	unmapFile(a.mapped)
	a.mapped = nil
	a.f.remove()
}
