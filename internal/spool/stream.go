package spool

import (
	"bufio"
	"encoding/binary"
	"errors"
	"io"
	"os"
)

// Stream keeps a sequence of variable-length records in a temporary file,
// written once in order and read back in the same order: the aligned
// pairs of a scan wait in one until their result is written. Records are
// uvarint-prefixed byte strings. A Stream is NOT safe for concurrent use.
type Stream struct {
	f    file
	w    *bufio.Writer
	n    int64 // bytes written
	tmp  [binary.MaxVarintLen64]byte
	done bool
}

// NewStream returns an empty stream; its file is created on the first
// Append.
func NewStream(pattern string) *Stream { return &Stream{f: file{pattern: pattern}} }

// Append writes rec as the next record.
func (s *Stream) Append(rec []byte) error {
	if s.done {
		return errors.New("spool: Append after Reader")
	}
	if s.w == nil {
		f, err := s.f.get()
		if err != nil {
			return err
		}
		s.w = bufio.NewWriterSize(f, 1<<20)
	}
	k := binary.PutUvarint(s.tmp[:], uint64(len(rec)))
	if _, err := s.w.Write(s.tmp[:k]); err != nil {
		return tempError(err)
	}
	if _, err := s.w.Write(rec); err != nil {
		return tempError(err)
	}
	s.n += int64(k + len(rec))
	return nil
}

// Reader ends writing and returns a reader of the records from the first;
// each call starts again from the first.
func (s *Stream) Reader() (*StreamReader, error) {
	s.done = true
	if s.w != nil {
		if err := s.w.Flush(); err != nil {
			return nil, tempError(err)
		}
	}
	r := &StreamReader{}
	if f := s.f.current(); f != nil {
		r.r = bufio.NewReaderSize(io.NewSectionReader(f, 0, s.n), 1<<20)
	}
	return r, nil
}

// Close removes the file.
func (s *Stream) Close() { s.f.remove() }

// StreamReader reads a Stream's records in order.
type StreamReader struct {
	r   *bufio.Reader
	buf []byte
}

// Next returns the next record, valid until the next call, or io.EOF
// after the last.
func (r *StreamReader) Next() ([]byte, error) {
	if r.r == nil {
		return nil, io.EOF
	}
	n, err := binary.ReadUvarint(r.r)
	if err != nil {
		if err == io.EOF {
			return nil, io.EOF
		}
		return nil, ErrCorrupt
	}
	if n > 1<<40 {
		return nil, ErrCorrupt
	}
	if uint64(cap(r.buf)) < n {
		r.buf = make([]byte, n)
	}
	r.buf = r.buf[:n]
	if _, err := io.ReadFull(r.r, r.buf); err != nil {
		return nil, ErrCorrupt
	}
	return r.buf, nil
}

func tempError(err error) error {
	if errors.Is(err, os.ErrClosed) {
		return err
	}
	return errors.Join(ErrTemp, err)
}
