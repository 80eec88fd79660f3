package spool

import (
	"context"
	"sync"
)

// Texts keeps texts that cannot be read again from their files (extracted
// from HTML or JSONL, decompressed, read from archives or standard input)
// for the reports that show them.
type Texts struct {
	f    file
	mu   sync.Mutex
	size int64
}

// NewTexts returns an empty store; its file is created on the first Put.
func NewTexts() *Texts { return NewBlobs("reuse-texts-*") }

// NewBlobs returns an empty store of other byte strings than texts, in a
// file named after pattern (os.CreateTemp): each document's fingerprints,
// for one.
func NewBlobs(pattern string) *Texts { return &Texts{f: file{pattern: pattern}} }

// Put writes text and returns its offset; it gives up with ctx.Err()
// when ctx is done while a large text is written.
func (s *Texts) Put(ctx context.Context, text []byte) (int64, error) {
	s.mu.Lock()
	off := s.size
	s.size += int64(len(text))
	s.mu.Unlock()
	if len(text) == 0 {
		return off, nil
	}
	return off, s.f.writeAtContext(ctx, text, off)
}

// Get returns the n bytes at off, in buf when it is large enough.
func (s *Texts) Get(off int64, n int, buf []byte) ([]byte, error) {
	if cap(buf) < n {
		buf = make([]byte, n)
	}
	buf = buf[:n]
	if n == 0 {
		return buf, nil
	}
	return buf, s.f.readAt(buf, off)
}

// Close removes the file.
func (s *Texts) Close() { s.f.remove() }
