package pairs

import (
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"iter"
	"math"
	"slices"
	"sort"

	"github.com/reuse-tool/reuse/align"
	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/internal/binread"
	"github.com/reuse-tool/reuse/reword"
)

// Stored is a Memo written out (EncodeMemo) and read back in place
// (OpenStored): the alignments of an archive's own pairs, which `reuse
// index align` keeps beside the index (reuse.AlignIndex), so that a check
// reading archived documents' pairs takes them instead of aligning them
// again (Memo.UseStored). It is safe for concurrent use.
//
// The encoding (little endian; uvarint is encoding/binary's):
//
//	magic     "reuse-alignments 1\n"
//	count     u64: the number of pairs, n
//	table     n entries of 24 bytes, sorted by (key A, key B), distinct:
//	          key A u64, key B u64 (the Memo's keys), and the offset u64
//	          of the pair's record from the start of the records
//	records   one a pair:
//	            passages  uvarint m (0: aligned, no passage)
//	            flags     uvarint: 1 kinds and cosines follow, 2 sketches
//	            spans     m × 5 uvarints: AStart, AEnd-AStart, BStart,
//	                      BEnd-BStart, Matched (align.Span, in tokens)
//	            bytes     m × 4 uvarints: the same in bytes (ByteSpan)
//	            kinds     m bytes (reword.Kind), then m cosines, u32
//	                      float bits each (flag 1)
//	            sketches  m × 2 u64 (flag 2)
//
// The file that holds it carries a checksum (the caller's); OpenStored
// checks the table's bounds and order, and a record that does not decode
// counts as absent.
type Stored struct {
	table, records []byte
	n              int
}

const storedMagic = "reuse-alignments 1\n"

// storedEntry is the size of a table entry.
const storedEntry = 24

// ErrStored reports stored alignments that cannot be read.
var ErrStored = errors.New("pairs: stored alignments unreadable")

// EncodeMemo returns the pairs m holds (a Memo, or a recorder:
// NewRecorder), encoded as Stored reads them; the first of a key put
// twice in a recorder. It stops with ctx's error when ctx is cancelled.
func EncodeMemo(ctx context.Context, m *Memo) ([]byte, error) {
	var table [][3]uint64 // key A, key B, offset in data
	var data []byte
	if m.rec != nil {
		m.rec.mu.Lock()
		table, data = m.rec.table, m.rec.data
		m.rec.mu.Unlock()
	} else {
		m.c.mu.Lock()
		for k, p := range m.c.pairs {
			table = append(table, [3]uint64{k[0], k[1], uint64(len(data))})
			data = appendStored(data, p)
		}
		m.c.mu.Unlock()
	}
	slices.SortStableFunc(table, func(a, b [3]uint64) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	table = slices.CompactFunc(table, func(a, b [3]uint64) bool { return a[0] == b[0] && a[1] == b[1] })
	// The records in the table's order, so that a lookup's neighbours
	// lie near it.
	out := append([]byte(storedMagic), make([]byte, 8+storedEntry*len(table))...)
	binary.LittleEndian.PutUint64(out[len(storedMagic):], uint64(len(table)))
	at, start := len(storedMagic)+8, len(out)
	for i, t := range table {
		if i%65536 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		e := out[at+storedEntry*i:]
		binary.LittleEndian.PutUint64(e, t[0])
		binary.LittleEndian.PutUint64(e[8:], t[1])
		binary.LittleEndian.PutUint64(e[16:], uint64(len(out)-start))
		p, ok := decodeStored(data[t[2]:])
		if !ok {
			panic("pairs: a recorded alignment does not decode")
		}
		out = appendStored(out, p)
	}
	return out, nil
}

// appendStored appends p's record.
func appendStored(dst []byte, p *cachedPair) []byte {
	m := len(p.spans)
	dst = binary.AppendUvarint(dst, uint64(m))
	var flags uint64
	if p.kinds != nil {
		flags |= 1
	}
	if p.sketches != nil {
		flags |= 2
	}
	dst = binary.AppendUvarint(dst, flags)
	for _, s := range p.spans {
		for _, v := range [...]int32{s.AStart, s.AEnd - s.AStart, s.BStart, s.BEnd - s.BStart, s.Matched} {
			dst = binary.AppendUvarint(dst, uint64(v))
		}
	}
	for _, b := range p.bytes {
		for _, v := range [...]int{b.AStart, b.AEnd - b.AStart, b.BStart, b.BEnd - b.BStart} {
			dst = binary.AppendUvarint(dst, uint64(v))
		}
	}
	if flags&1 != 0 {
		for _, k := range p.kinds {
			dst = append(dst, byte(k))
		}
		for _, c := range p.cosines {
			dst = binary.LittleEndian.AppendUint32(dst, math.Float32bits(c))
		}
	}
	if flags&2 != 0 {
		for _, s := range p.sketches {
			dst = binary.LittleEndian.AppendUint64(dst, uint64(s[0]))
			dst = binary.LittleEndian.AppendUint64(dst, uint64(s[1]))
		}
	}
	return dst
}

// OpenStored reads stored alignments in place: b must not change while
// the Stored is used.
func OpenStored(b []byte) (*Stored, error) {
	if !bytes.HasPrefix(b, []byte(storedMagic)) || len(b) < len(storedMagic)+8 {
		return nil, ErrStored
	}
	b = b[len(storedMagic):]
	n := binary.LittleEndian.Uint64(b)
	b = b[8:]
	if n > uint64(len(b))/storedEntry {
		return nil, ErrStored
	}
	s := &Stored{table: b[:storedEntry*n], records: b[storedEntry*n:], n: int(n)}
	for i := range s.n {
		k, off := s.entry(i)
		if off > uint64(len(s.records)) {
			return nil, ErrStored
		}
		if i > 0 {
			if p, _ := s.entry(i - 1); cmp.Or(cmp.Compare(p[0], k[0]), cmp.Compare(p[1], k[1])) >= 0 {
				return nil, ErrStored
			}
		}
	}
	return s, nil
}

// Len returns the number of pairs s holds.
func (s *Stored) Len() int { return s.n }

func (s *Stored) entry(i int) (k [2]uint64, off uint64) {
	e := s.table[storedEntry*i:]
	return [2]uint64{binary.LittleEndian.Uint64(e), binary.LittleEndian.Uint64(e[8:])}, binary.LittleEndian.Uint64(e[16:])
}

// get returns the alignment of pair k, if s holds it and its record
// decodes.
func (s *Stored) get(k [2]uint64) (*cachedPair, bool) {
	lo, hi := 0, s.n
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if e, _ := s.entry(mid); cmp.Or(cmp.Compare(e[0], k[0]), cmp.Compare(e[1], k[1])) < 0 {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo == s.n {
		return nil, false
	}
	e, off := s.entry(lo)
	if e != k {
		return nil, false
	}
	return decodeStored(s.records[off:])
}

// From returns the number of the first pair s holds (in order of keys)
// whose first key is a or more; Len if there is none.
func (s *Stored) From(a uint64) int {
	return sort.Search(s.n, func(i int) bool { k, _ := s.entry(i); return k[0] >= a })
}

// Pair returns the keys of pair i (in order of keys).
func (s *Stored) Pair(i int) (a, b uint64) {
	k, _ := s.entry(i)
	return k[0], k[1]
}

// Keys returns the keys of the pairs s holds, in order.
func (s *Stored) Keys() iter.Seq2[uint64, uint64] {
	return func(yield func(a, b uint64) bool) {
		for i := range s.n {
			if k, _ := s.entry(i); !yield(k[0], k[1]) {
				return
			}
		}
	}
}

// Passages returns the passages (in tokens) of the pair of keys a and b,
// and whether s holds it (and its record decodes).
func (s *Stored) Passages(a, b uint64) ([]align.Span, bool) {
	p, ok := s.get([2]uint64{a, b})
	if !ok {
		return nil, false
	}
	return p.spans, true
}

// noPassage is the alignment of every pair aligned without a passage
// (most candidates): shared, as nothing changes a cachedPair.
var noPassage = &cachedPair{}

// decodeStored decodes a record.
func decodeStored(b []byte) (*cachedPair, bool) {
	r := storedReader{binread.Reader{B: b}}
	m := r.Uvarint()
	flags := r.Uvarint()
	if r.Bad || m > uint64(len(b)) || flags > 3 {
		return nil, false
	}
	if m == 0 {
		return noPassage, true
	}
	p := &cachedPair{}
	p.spans = make([]align.Span, m)
	for i := range p.spans {
		a, b := r.spanOf(math.MaxInt32), r.spanOf(math.MaxInt32)
		p.spans[i] = align.Span{AStart: int32(a[0]), AEnd: int32(a[1]), BStart: int32(b[0]), BEnd: int32(b[1]), Matched: int32(r.UvarintUpTo(math.MaxInt32))}
	}
	p.bytes = make([]ByteSpan, m)
	for i := range p.bytes {
		a, b := r.spanOf(math.MaxUint32), r.spanOf(math.MaxUint32)
		p.bytes[i] = ByteSpan{AStart: int(a[0]), AEnd: int(a[1]), BStart: int(b[0]), BEnd: int(b[1])}
	}
	if flags&1 != 0 {
		p.kinds = make([]reword.Kind, m)
		for i := range p.kinds {
			p.kinds[i] = reword.Kind(r.Byte())
		}
		p.cosines = make([]float32, m)
		for i := range p.cosines {
			p.cosines[i] = math.Float32frombits(r.U32())
		}
	}
	if flags&2 != 0 {
		p.sketches = make([][2]cluster.Sketch, m)
		for i := range p.sketches {
			p.sketches[i] = [2]cluster.Sketch{cluster.Sketch(r.U64()), cluster.Sketch(r.U64())}
		}
	}
	if r.Bad {
		return nil, false
	}
	return p, true
}

// storedReader decodes a record: binread's, with spans checked.
type storedReader struct{ binread.Reader }

// spanOf reads a start and a length, and returns the start and the end,
// both at most max.
func (r *storedReader) spanOf(max uint64) [2]uint64 {
	start := r.UvarintUpTo(max)
	n := r.UvarintUpTo(max - start)
	return [2]uint64{start, start + n}
}
