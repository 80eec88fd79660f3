package index

import (
	"errors"
	"fmt"
	"os"

	"github.com/reuse-tool/reuse/corpus"
)

// openTexts is the most files a TextReader keeps open. A pair's second
// documents recur: in the Linux tree's million pairs, 70% of them were
// among the 256 read last (81% among 1,024), and a file kept open is read
// with one system call instead of five (docs/benchmarks.md, "JSON Lines").
const openTexts = 256

// TextReader reads ranges of documents' texts, as Index.TextRange does,
// keeping the files of the plain documents it read last open: a pair's
// second document, read by range for JSON Lines, is often one of the last
// few hundred. A file is checked (read whole, its checksum compared) the
// first time any reader of the Index reads it, and its size when it is
// opened; the bytes of a file kept open are then trusted. It is NOT safe
// for concurrent use. Close it when done.
type TextReader struct {
	x     *Index
	open  map[uint32]int // document → slot
	slots []openText
	clock uint64
}

type openText struct {
	doc  uint32
	f    *os.File
	used uint64 // the clock when last read: the least is closed first
}

// NewTextReader returns a TextReader of x's texts.
func (x *Index) NewTextReader() *TextReader {
	return &TextReader{x: x, open: make(map[uint32]int)}
}

// Range returns bytes [start, end) of document d's text, as TextRange
// does, decoded into buf when it has room.
func (r *TextReader) Range(d uint32, start, end int, buf []byte) ([]byte, error) {
	x := r.x
	rec := &x.docs[d]
	if !rec.plain || !x.isChecked(d) {
		return x.TextRange(d, start, end, buf)
	}
	if start < 0 || end < start || end > int(rec.bytes) {
		return x.TextRange(d, start, end, buf) // its error
	}
	r.clock++
	f, err := r.file(d)
	if err != nil {
		return nil, err
	}
	text, err := corpus.ReadRange(f, int64(start), end-start, buf)
	if errors.Is(err, corpus.ErrSizeChanged) {
		return nil, fmt.Errorf("%s: %w", x.path(rec), ErrChanged)
	}
	return text, err
}

// file returns document d's file, open: kept from an earlier read, or
// opened in the place of the one read longest ago.
func (r *TextReader) file(d uint32) (*os.File, error) {
	if i, ok := r.open[d]; ok {
		r.slots[i].used = r.clock
		return r.slots[i].f, nil
	}
	rec := &r.x.docs[d]
	path := r.x.path(rec)
	f, err := corpus.OpenSized(path, int64(rec.bytes))
	if errors.Is(err, corpus.ErrSizeChanged) {
		return nil, fmt.Errorf("%s: %w", path, ErrChanged)
	}
	if err != nil {
		return nil, err
	}
	if len(r.slots) < openTexts {
		r.open[d] = len(r.slots)
		r.slots = append(r.slots, openText{d, f, r.clock})
		return f, nil
	}
	oldest := 0
	for i := range r.slots {
		if r.slots[i].used < r.slots[oldest].used {
			oldest = i
		}
	}
	s := &r.slots[oldest]
	s.f.Close()
	delete(r.open, s.doc)
	*s = openText{d, f, r.clock}
	r.open[d] = oldest
	return f, nil
}

// Close closes the files kept open.
func (r *TextReader) Close() {
	for _, s := range r.slots {
		s.f.Close()
	}
	r.slots = r.slots[:0]
	clear(r.open)
}
