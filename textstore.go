package reuse

import (
	"errors"
	"fmt"
	"hash/crc64"
	"os"
	"sync"
)

// textStore gives back a document's text after the first pass, without
// keeping every text in memory: plain files are read again from disk (and
// checked against the length and checksum seen the first time); extracted
// or decompressed texts are spooled to one temporary file.
//
// It is safe for concurrent use.
type textStore struct {
	mu       sync.Mutex
	f        *os.File
	size     int64
	err      error
	unlinked bool
}

var crcTable = crc64.MakeTable(crc64.ECMA)

// errChanged reports a file that changed between the passes of a scan.
var errChanged = errors.New("reuse: file changed during the scan")

// put keeps text for d, unless d can be read again from its file.
func (s *textStore) put(d *docInfo, text []byte) error {
	d.bytes = len(text)
	d.crc = crc64.Checksum(text, crcTable)
	if d.plain {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	if s.f == nil {
		if s.f, s.unlinked, s.err = createTemp("reuse-spool-*"); s.err != nil {
			return tempFileError(s.err)
		}
	}
	if _, err := s.f.WriteAt(text, s.size); err != nil {
		s.err = fmt.Errorf("reuse: spool: %w", err)
		return s.err
	}
	d.spoolOff = s.size
	s.size += int64(len(text))
	return nil
}

// get returns d's text; buf is reused when large enough.
func (s *textStore) get(d *docInfo, buf []byte) ([]byte, error) {
	if d.plain {
		text, err := os.ReadFile(d.path)
		if err != nil {
			return nil, err
		}
		if len(text) != d.bytes || crc64.Checksum(text, crcTable) != d.crc {
			return nil, fmt.Errorf("%s: %w", d.path, errChanged)
		}
		return text, nil
	}
	if cap(buf) < d.bytes {
		buf = make([]byte, d.bytes)
	}
	buf = buf[:d.bytes]
	if d.bytes == 0 {
		return buf, nil
	}
	if _, err := s.f.ReadAt(buf, d.spoolOff); err != nil {
		return nil, fmt.Errorf("reuse: spool: %w", err)
	}
	return buf, nil
}

// close removes the spool.
func (s *textStore) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	closeTemp(s.f, s.unlinked)
	s.f = nil
}

// createTemp creates a temporary file and unlinks it at once where the
// system allows it, so that nothing is left behind if the process dies;
// closeTemp removes it otherwise.
func createTemp(pattern string) (f *os.File, unlinked bool, err error) {
	if f, err = os.CreateTemp("", pattern); err != nil {
		return nil, false, err
	}
	return f, os.Remove(f.Name()) == nil, nil
}

// closeTemp closes a file of createTemp (nil: none) and removes it.
func closeTemp(f *os.File, unlinked bool) {
	if f == nil {
		return
	}
	f.Close()
	if !unlinked {
		os.Remove(f.Name())
	}
}
