package spool

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
)

// ErrTemp reports a temporary file that could not be created or written.
var ErrTemp = errors.New("temporary file (set TMPDIR to a writable folder with room)")

// ErrCorrupt reports a record that cannot be decoded: a bug, or a
// temporary file changed under the scan.
var ErrCorrupt = errors.New("spool: record corrupt")

// file is a temporary file, created on first write and unlinked at once
// where the system allows it (remove removes it otherwise).
type file struct {
	pattern  string
	mu       sync.Mutex
	f        *os.File
	err      error
	unlinked bool
}

// get returns the file, creating it on first use.
func (t *file) get() (*os.File, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.f == nil && t.err == nil {
		f, err := os.CreateTemp("", t.pattern)
		if err != nil {
			t.err = fmt.Errorf("%w: %w", ErrTemp, err)
			return nil, t.err
		}
		t.f, t.unlinked = f, os.Remove(f.Name()) == nil
	}
	return t.f, t.err
}

// current returns the file if it was created.
func (t *file) current() *os.File {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.f
}

// writeAt writes b at off.
func (t *file) writeAt(b []byte, off int64) error {
	return t.writeAtContext(context.Background(), b, off)
}

// writePiece is the most writeAtContext writes between two looks at its
// context: a large document's record is hundreds of MB, seconds of
// writing on a slow disk.
const writePiece = 16 << 20

// writeAtContext writes b at off, in pieces of writePiece bytes, giving
// up with ctx.Err() between two when ctx is done.
func (t *file) writeAtContext(ctx context.Context, b []byte, off int64) error {
	f, err := t.get()
	if err != nil {
		return err
	}
	for len(b) > 0 {
		n := min(len(b), writePiece)
		if _, err := f.WriteAt(b[:n], off); err != nil {
			return fmt.Errorf("%w: %w", ErrTemp, err)
		}
		b, off = b[n:], off+int64(n)
		if len(b) > 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
	}
	return nil
}

// readAt reads len(b) bytes at off.
func (t *file) readAt(b []byte, off int64) error {
	f := t.current()
	if f == nil {
		return fmt.Errorf("spool: %s read before written or after close", t.pattern)
	}
	if _, err := f.ReadAt(b, off); err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	return nil
}

// discard gives back the disk space of bytes [off, off+n), which are
// not read again, and their cached pages (a shuffle's consumed
// partitions): a large scan's temporary files then hold what is still to
// be read, and the page cache keeps the spools still in use.
func (t *file) discard(off, n int64) {
	if f := t.current(); f != nil && n > 0 {
		punchHole(f, off, n)
	}
}

// willNeed asks the system to read bytes [off, off+n) ahead of a readAt.
func (t *file) willNeed(off, n int64) {
	if f := t.current(); f != nil && n > 0 {
		willNeed(f, off, n)
	}
}

// remove closes and removes the file.
func (t *file) remove() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.f == nil {
		return
	}
	t.f.Close()
	if !t.unlinked {
		os.Remove(t.f.Name())
	}
	t.f = nil
}
