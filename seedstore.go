package reuse

import (
	"encoding/binary"
	"fmt"
	"os"
	"sync"
	"sync/atomic"

	"github.com/reuse-tool/reuse/shingle"
)

// seedStore keeps what the later stages need of each document's tokens in
// one temporary file, written once by stage 1: no text is read or
// tokenized twice, and the process holds none of it in memory. A
// document's record is
//
//	seeds    max(n-k+1, 0) × uint32, little endian: the low 32 bits of the
//	         aligner's k-token seed hashes (cluster.Aligner.AlignSeeds)
//	offsets  n × 2 uvarints: the gap from the previous token's end (0 for
//	         the first) to the token's start, and the token's length, in
//	         bytes
//
// for n tokens: about 6 bytes a token, 1 GB of spool for 1 GB of English.
// Once written (seal), the file is mapped into memory where the system
// allows it, and records are read in place; the pages belong to the
// operating system's page cache, shared and reclaimable. Elsewhere they
// are read with pread, which at 1 GB cost 13 CPU-seconds in system calls
// (about 2.5 µs each on the measuring machine). Before the store, stage 3
// read and tokenized texts again into a 512 MiB cache of tokens: at 1 GB
// that took 101 of 127 CPU-seconds of alignment.
//
// It is safe for concurrent use; put must not be called after seal.
type seedStore struct {
	mu       sync.Mutex
	f        *os.File
	err      error
	unlinked bool
	size     atomic.Int64
	mapped   []byte // the file, after seal, when it could be mapped
}

// seedRecord locates a document's record in the store.
type seedRecord struct {
	off, bytes int64 // a document of MaxText bytes may need more than 2 GB
}

// put encodes toks (with seeds of k tokens) into buf, writes it, and
// returns the record and buf for reuse.
func (s *seedStore) put(toks []shingle.Token, seeds []uint64, buf []byte) (seedRecord, []byte, error) {
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
		return seedRecord{}, buf, nil
	}
	f, err := s.file()
	if err != nil {
		return seedRecord{}, buf, err
	}
	off := s.size.Add(int64(len(buf))) - int64(len(buf))
	if _, err := f.WriteAt(buf, off); err != nil {
		return seedRecord{}, buf, fmt.Errorf("reuse: seed spool: %w", err)
	}
	return seedRecord{off: off, bytes: int64(len(buf))}, buf, nil
}

// file returns the spool, created on first use.
func (s *seedStore) file() (*os.File, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil && s.err == nil {
		var err error
		if s.f, s.unlinked, err = createTemp("reuse-seeds-*"); err != nil {
			s.err = tempFileError(err)
		}
	}
	return s.f, s.err
}

// seal ends writing and maps the file for reading.
func (s *seedStore) seal() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f != nil && s.mapped == nil {
		s.mapped = mapFile(s.f, s.size.Load())
	}
}

// read returns the record r: in place in the mapped file (not to be
// modified, nor used after close), or in buf when large enough.
func (s *seedStore) read(r seedRecord, buf []byte) ([]byte, error) {
	if s.mapped != nil {
		return s.mapped[r.off : r.off+r.bytes : r.off+r.bytes], nil
	}
	if int64(cap(buf)) < r.bytes {
		buf = make([]byte, r.bytes)
	}
	buf = buf[:r.bytes]
	if r.bytes == 0 {
		return buf, nil
	}
	s.mu.Lock()
	f := s.f
	s.mu.Unlock()
	if f == nil {
		return nil, fmt.Errorf("reuse: seed spool closed")
	}
	if _, err := f.ReadAt(buf, r.off); err != nil {
		return nil, fmt.Errorf("reuse: seed spool: %w", err)
	}
	return buf, nil
}

// seedCount is the number of k-token seeds of n tokens.
func seedCount(n, k int) int { return max(n-k+1, 0) }

// decodeSeeds appends to dst the count seeds at the start of a record.
func decodeSeeds(dst []uint64, rec []byte, count int) ([]uint64, error) {
	if len(rec) < 4*count {
		return dst, errSpoolCorrupt
	}
	for i := range count {
		dst = append(dst, uint64(binary.LittleEndian.Uint32(rec[4*i:])))
	}
	return dst, nil
}

// decodeOffsets appends to dst the n tokens' byte offsets (Hash zero) that
// follow the count seeds of a record.
func decodeOffsets(dst []shingle.Token, rec []byte, count, n int) ([]shingle.Token, error) {
	if len(rec) < 4*count {
		return dst, errSpoolCorrupt
	}
	rec = rec[4*count:]
	var end uint64
	for range n {
		gap, g := binary.Uvarint(rec)
		if g <= 0 {
			return dst, errSpoolCorrupt
		}
		size, z := binary.Uvarint(rec[g:])
		if z <= 0 {
			return dst, errSpoolCorrupt
		}
		rec = rec[g+z:]
		start := end + gap
		end = start + size
		dst = append(dst, shingle.Token{Start: uint32(start), End: uint32(end)})
	}
	return dst, nil
}

var errSpoolCorrupt = fmt.Errorf("reuse: seed spool: record corrupt")

// tempFileError reports a temporary file that could not be created: every
// scan needs some (about 11 bytes a word of text).
func tempFileError(err error) error {
	return fmt.Errorf("reuse: temporary file (set TMPDIR to a writable folder with room): %w", err)
}

// close removes the spool.
func (s *seedStore) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	unmapFile(s.mapped)
	s.mapped = nil
	closeTemp(s.f, s.unlinked)
	s.f = nil
}
