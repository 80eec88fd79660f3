// Package mmap maps files into memory read-only, for readers of files
// that are written once and then read in place (the archive index's
// segments). Where the system has no mmap, the file is read into memory
// instead: the same bytes, at the cost of memory. It also maps zeroed
// memory (Anonymous) for large arrays used sparsely, whose untouched
// pages then cost nothing.
package mmap

import (
	"fmt"
	"io"
	"os"
)

// Map returns the contents of f, mapped read-only (or read, see the
// package documentation), and a function that unmaps them. The bytes
// must not be modified, and not used after unmap. An empty file gives
// an empty slice.
func Map(f *os.File) (data []byte, unmap func() error, err error) {
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	size := fi.Size()
	if size == 0 {
		return []byte{}, func() error { return nil }, nil
	}
	if int64(int(size)) != size {
		return nil, nil, fmt.Errorf("%s: %d bytes, too large to map", f.Name(), size)
	}
	if data, unmap, ok := mapFile(f, int(size)); ok {
		return data, unmap, nil
	}
	data = make([]byte, size)
	if _, err := io.ReadFull(io.NewSectionReader(f, 0, size), data); err != nil {
		return nil, nil, err
	}
	return data, func() error { return nil }, nil
}

// Random tells the system that data, a mapping of Map, will be read at
// random places: it then reads ahead no more than the page touched,
// which keeps a reader of a few places of a large file from filling the
// disk's bandwidth with pages it does not need. It does not keep a fault
// from mapping more than the page: a kernel that caches the file in
// large folios (Linux 6.18 here) maps the whole folio, up to 2 MiB, into
// the reader's resident memory (docs/benchmarks.md, "Blocks read by
// copy"). Errors are ignored: the advice is only advice.
func Random(data []byte) { advise(data, true) }

// Sequential undoes Random: data will be read in order.
func Sequential(data []byte) { advise(data, false) }

// WillNeed tells the system that data[off:end], data a mapping of Map,
// will be read soon: the pages not in memory are read in the background,
// all at once (MADV_WILLNEED), so that a reader about to touch many pages
// at random places waits for the disk once rather than once a page. It
// costs a system call; errors are ignored. Where the system has no mmap,
// it does nothing.
func WillNeed(data []byte, off, end int) {
	if off < 0 || end > len(data) || off >= end {
		return
	}
	willNeed(data, off&^(pageSize-1), end)
}

// Maps reports whether Map maps files on this system; where it does not,
// it reads them whole into memory (and Anonymous maps nothing).
const Maps = maps

// pageSize is the size of the system's pages.
var pageSize = os.Getpagesize()
