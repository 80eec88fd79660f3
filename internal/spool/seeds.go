package spool

import (
	"encoding/binary"
	"sync"
	"sync/atomic"

	"github.com/reuse-tool/reuse/shingle"
)

// Seeds keeps what alignment needs of each document's tokens, written once
// by stage 1, so that no text is read or tokenized twice (see the package
// documentation for the record format). Put must not be called after
// Seal.
type Seeds struct {
	f      file
	size   atomic.Int64
	mu     sync.Mutex
	mapped []byte // the file, after Seal, when it could be mapped
}

// Record locates a document's record in a Seeds store.
type Record struct {
	Off, Bytes int64 // a document of shingle.MaxText bytes may need more than 2 GB
}

// NewSeeds returns an empty store; its file is created on the first Put.
func NewSeeds() *Seeds { return &Seeds{f: file{pattern: "reuse-seeds-*"}} }

// Put encodes toks and their seeds (shingle.Shingles of toks) into buf,
// writes the record, and returns it and buf for reuse.
func (s *Seeds) Put(toks []shingle.Token, seeds []uint64, buf []byte) (Record, []byte, error) {
	buf = buf[:0]
	for _, h := range seeds {
		buf = binary.LittleEndian.AppendUint32(buf, uint32(h))
	}
	var end uint32
	for _, t := range toks {
		buf = binary.AppendUvarint(buf, uint64(t.Start-end))
		buf = binary.AppendUvarint(buf, uint64(t.End-t.Start))
		end = t.End
	}
	if len(buf) == 0 {
		return Record{}, buf, nil
	}
	off := s.size.Add(int64(len(buf))) - int64(len(buf))
	if err := s.f.writeAt(buf, off); err != nil {
		return Record{}, buf, err
	}
	return Record{Off: off, Bytes: int64(len(buf))}, buf, nil
}

// Seal ends writing and maps the file for reading.
func (s *Seeds) Seal() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f := s.f.current(); f != nil && s.mapped == nil {
		s.mapped = mapFile(f, s.size.Load())
	}
}

// Mapped reports whether records are read in place.
func (s *Seeds) Mapped() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.mapped != nil
}

// Read returns record r: in place in the mapped file (not to be modified,
// nor used after Close), or in buf when it is large enough.
func (s *Seeds) Read(r Record, buf []byte) ([]byte, error) {
	if s.mapped != nil {
		return s.mapped[r.Off : r.Off+r.Bytes : r.Off+r.Bytes], nil
	}
	if int64(cap(buf)) < r.Bytes {
		buf = make([]byte, r.Bytes)
	}
	buf = buf[:r.Bytes]
	if r.Bytes == 0 {
		return buf, nil
	}
	return buf, s.f.readAt(buf, r.Off)
}

// Release drops the mapped pages read so far from the process's resident
// memory (they stay in the page cache): for scans held to a memory
// budget.
func (s *Seeds) Release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	releaseMapped(s.mapped)
}

// Close removes the file.
func (s *Seeds) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	unmapFile(s.mapped)
	s.mapped = nil
	s.f.remove()
}

// SeedCount is the number of k-token seeds of n tokens.
func SeedCount(n, k int) int { return max(n-k+1, 0) }

// DecodeSeeds appends to dst the count seeds at the start of a record.
func DecodeSeeds(dst []uint64, rec []byte, count int) ([]uint64, error) {
	if len(rec) < 4*count {
		return dst, ErrCorrupt
	}
	for i := range count {
		dst = append(dst, uint64(binary.LittleEndian.Uint32(rec[4*i:])))
	}
	return dst, nil
}

// DecodeOffsets appends to dst the n tokens' byte offsets (Hash zero) that
// follow the count seeds of a record.
func DecodeOffsets(dst []shingle.Token, rec []byte, count, n int) ([]shingle.Token, error) {
	if len(rec) < 4*count {
		return dst, ErrCorrupt
	}
	rec = rec[4*count:]
	var end uint64
	for range n {
		gap, g := binary.Uvarint(rec)
		if g <= 0 {
			return dst, ErrCorrupt
		}
		size, z := binary.Uvarint(rec[g:])
		if z <= 0 {
			return dst, ErrCorrupt
		}
		rec = rec[g+z:]
		start := end + gap
		end = start + size
		dst = append(dst, shingle.Token{Start: uint32(start), End: uint32(end)})
	}
	return dst, nil
}
