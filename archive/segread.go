package archive

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"slices"
	"sort"

	"github.com/reuse-tool/reuse/index"
	"github.com/reuse-tool/reuse/internal/binread"
	"github.com/reuse-tool/reuse/internal/mmap"
	"github.com/reuse-tool/reuse/shingle"
)

// ErrCorrupt reports a file of the index that does not read as its format
// says: damaged, truncated, or not a file of this index. Errors wrapping
// it name the file.
var ErrCorrupt = errors.New("archive: index file corrupt")

// segment is an open segment: its file mapped, its tables checked. It is
// safe for concurrent use.
type segment struct {
	name  string // file name in the index folder
	data  []byte
	unmap func() error
	// file is the file mapped, kept open where the system maps files,
	// for what is read at random places (terms.copy, readRecords): a
	// fault in the mapping can make a whole large folio of the page
	// cache resident, up to 2 MiB, where a check reads a few KiB.
	file  *os.File
	docs  int
	table []byte
	kinds []kindSection
	dead  []bool // removed documents, by number; nil when none
	ndead int
}

// kindSection is one kind of posting in a segment.
type kindSection struct {
	kind            Kind
	positional      bool
	index           []byte // block index entries
	blocks          int
	terms, postings uint64
}

// corrupt returns ErrCorrupt naming the segment and what is wrong.
func (s *segment) corrupt(format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s", ErrCorrupt, s.name, fmt.Sprintf(format, args...))
}

// openSegment maps and checks the segment file at path.
func openSegment(path, name string) (*segment, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	data, unmap, err := mmap.Map(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	s, err := parseSegment(name, data)
	if err != nil {
		f.Close()
		unmap()
		return nil, err
	}
	s.unmap = unmap
	if mmap.Maps {
		s.file = f
	} else {
		f.Close() // the bytes are in memory; Windows could not remove an open file
	}
	return s, nil
}

// close unmaps the segment.
func (s *segment) close() error {
	if s.unmap == nil {
		return nil
	}
	err := s.unmap()
	if s.file != nil {
		err = errors.Join(err, s.file.Close())
	}
	s.unmap, s.data, s.file = nil, nil, nil
	return err
}

// reader decodes the segment's records (binread: the first failure is
// remembered, and checked once a record is read).
type reader = binread.Reader

// parseSegment checks data as a segment: its ends, its trailer, its
// document table and its block indexes.
func parseSegment(name string, data []byte) (*segment, error) {
	s := &segment{name: name, data: data}
	if len(data) < len(segMagic)+len(segEnd)+8 || string(data[:len(segMagic)]) != segMagic {
		if len(data) >= len(segMagic) && bytes.HasPrefix(data, []byte("reuse seg ")) {
			return nil, s.corrupt("segment format %q, not %q", data[:len(segMagic)-1], segMagic[:len(segMagic)-1])
		}
		return nil, s.corrupt("not a segment (no header)")
	}
	end := len(data) - len(segEnd)
	if string(data[end:]) != segEnd {
		return nil, s.corrupt("truncated (no end marker)")
	}
	tlen := int(binary.LittleEndian.Uint32(data[end-8:]))
	tcrc := binary.LittleEndian.Uint32(data[end-4:])
	if tlen > end-8-len(segMagic) {
		return nil, s.corrupt("trailer of %d bytes, past the start", tlen)
	}
	start := end - 8 - tlen
	if crc(data[start:end-4]) != tcrc {
		return nil, s.corrupt("trailer checksum mismatch")
	}
	r := reader{B: data[start : end-8]}
	s.docs = int(r.U32())
	tableOff := r.U64()
	tableCRC := r.U32()
	nk := r.U32()
	if r.Bad || nk > 16 {
		return nil, s.corrupt("trailer unreadable")
	}
	body := uint64(start) // tables lie before the trailer
	if tableOff > body || uint64(s.docs)*tableSize > body-tableOff || tableOff < uint64(len(segMagic)) {
		return nil, s.corrupt("document table out of bounds")
	}
	s.table = data[tableOff : tableOff+uint64(s.docs)*tableSize]
	if crc(s.table) != tableCRC {
		return nil, s.corrupt("document table checksum mismatch")
	}
	for range nk {
		k := kindSection{kind: Kind(r.U32())}
		flags := r.U32()
		indexOff := r.U64()
		k.blocks = int(r.U32())
		indexCRC := r.U32()
		k.terms, k.postings = r.U64(), r.U64()
		if r.Bad {
			return nil, s.corrupt("trailer unreadable")
		}
		k.positional = flags&1 != 0
		if indexOff > body || uint64(k.blocks)*indexSize > body-indexOff {
			return nil, s.corrupt("%s index out of bounds", k.kind)
		}
		k.index = data[indexOff : indexOff+uint64(k.blocks)*indexSize]
		if crc(k.index) != indexCRC {
			return nil, s.corrupt("%s index checksum mismatch", k.kind)
		}
		for b := range k.blocks {
			e := k.index[b*indexSize:]
			first, off, n := binary.LittleEndian.Uint64(e), binary.LittleEndian.Uint64(e[8:]), uint64(binary.LittleEndian.Uint32(e[16:]))
			if off < uint64(len(segMagic)) || off > body || n > body-off || n == 0 {
				return nil, s.corrupt("%s block %d out of bounds", k.kind, b)
			}
			if b > 0 && first <= binary.LittleEndian.Uint64(k.index[(b-1)*indexSize:]) {
				return nil, s.corrupt("%s blocks out of order", k.kind)
			}
		}
		if k.kind.positional() != k.positional {
			return nil, s.corrupt("%s with the wrong flags", k.kind)
		}
		s.kinds = append(s.kinds, k)
	}
	for _, want := range kinds {
		if s.section(want) == nil {
			return nil, s.corrupt("no %s", want)
		}
	}
	return s, nil
}

// section returns the postings of kind k, nil when the segment has none.
func (s *segment) section(k Kind) *kindSection {
	for i := range s.kinds {
		if s.kinds[i].kind == k {
			return &s.kinds[i]
		}
	}
	return nil
}

// entry returns document d's entry of the document table.
func (s *segment) entry(d uint32) (off uint64, n, sum uint32, idOff uint64, idLen, words uint32) {
	e := s.table[int(d)*tableSize:]
	return binary.LittleEndian.Uint64(e), binary.LittleEndian.Uint32(e[8:]), binary.LittleEndian.Uint32(e[12:]),
		binary.LittleEndian.Uint64(e[16:]), binary.LittleEndian.Uint32(e[24:]), binary.LittleEndian.Uint32(e[28:])
}

// id returns document d's id, in place (nil if its entry is damaged).
func (s *segment) id(d uint32) []byte {
	_, _, _, off, n, _ := s.entry(d)
	if off > uint64(len(s.data)) || uint64(n) > uint64(len(s.data))-off {
		return nil
	}
	return s.data[off : off+uint64(n)]
}

// words returns document d's words, from the document table.
func (s *segment) words(d uint32) int {
	_, _, _, _, _, w := s.entry(d)
	return int(w)
}

// find returns the document of the given id, removed or not.
func (s *segment) find(id string) (uint32, bool) {
	i := sort.Search(s.docs, func(i int) bool { return string(s.id(uint32(i))) >= id })
	return uint32(i), i < s.docs && string(s.id(uint32(i))) == id
}

// records returns document d's records, checked against their checksum,
// in place in the mapping: for readers of every document in order.
func (s *segment) records(d uint32) ([]byte, error) {
	rec, _, err := s.readRecords(d, nil, false)
	return rec, err
}

// readRecords is records read into buf (pread, buf grown as needed and
// returned) when copy is set and the segment's file is open, else in
// place: for readers of a few documents at random places (Index.Doc).
func (s *segment) readRecords(d uint32, buf []byte, copy bool) (rec, grown []byte, err error) {
	off, n, sum, _, _, _ := s.entry(d)
	if off > uint64(len(s.data)) || uint64(n) > uint64(len(s.data))-off {
		return nil, buf, s.corrupt("document %d out of bounds", d)
	}
	rec = s.data[off : off+uint64(n)]
	if copy && s.file != nil {
		if uint32(cap(buf)) < n {
			buf = make([]byte, n)
		}
		rec = buf[:n]
		if _, err := s.file.ReadAt(rec, int64(off)); err != nil {
			return nil, buf, fmt.Errorf("%s: document %d: %w", s.name, d, err)
		}
	}
	if crc(rec) != sum {
		return nil, buf, s.corrupt("document %d checksum mismatch", d)
	}
	return rec, buf, nil
}

// removed reports whether document d is removed.
func (s *segment) removed(d uint32) bool { return s.dead != nil && s.dead[d] }

// docMeta is a document's meta record.
type docMeta struct {
	bytes, words, header, line, distinct int
	plain                                bool
	crc                                  uint64
	id, path, date                       string
}

// decodeDoc decodes a document's records into dst (its path as stored),
// reusing dst's slices. The records are not kept.
func decodeDoc(s *segment, d uint32, rec []byte, dst *index.Doc) error {
	seen := 0
	dst.Text = nil
	dst.Fingerprints = dst.Fingerprints[:0]
	dst.Signature = dst.Signature[:0]
	dst.Seeds = dst.Seeds[:0]
	dst.Reworded, dst.Keys = dst.Reworded[:0], nil
	r := reader{B: rec}
	for len(r.B) > 0 {
		kind := r.Bytes(1)
		body := r.Bytes(r.Uvarint())
		if r.Bad {
			return s.corrupt("document %d: records unreadable", d)
		}
		switch kind[0] {
		case recMeta:
			m, ok := decodeMeta(body)
			if !ok {
				return s.corrupt("document %d: meta record unreadable", d)
			}
			dst.ID, dst.Path, dst.Date = m.id, m.path, m.date
			dst.Bytes, dst.Words, dst.Header, dst.Line, dst.Distinct = m.bytes, m.words, m.header, m.line, m.distinct
			dst.Plain, dst.CRC = m.plain, m.crc
			seen |= 1
		case recSeeds:
			dst.Seeds = append(dst.Seeds, body...)
			seen |= 2
		case recFingerprints:
			fr := reader{B: body}
			n := fr.Uvarint()
			if n > uint64(len(body)) {
				return s.corrupt("document %d: fingerprints unreadable", d)
			}
			dst.Fingerprints = slices.Grow(dst.Fingerprints, int(n))
			var pos uint64
			for range n {
				pos += fr.Uvarint()
				h := fr.U64()
				if fr.Bad || pos > 1<<32-1 {
					return s.corrupt("document %d: fingerprints unreadable", d)
				}
				dst.Fingerprints = append(dst.Fingerprints, shingle.Fingerprint{Pos: uint32(pos), Hash: h})
			}
			seen |= 4
		case recSignature:
			if len(body)%8 != 0 {
				return s.corrupt("document %d: signature unreadable", d)
			}
			for i := 0; i < len(body); i += 8 {
				dst.Signature = append(dst.Signature, binary.LittleEndian.Uint64(body[i:]))
			}
			seen |= 8
		case recText:
			// Not nil when empty: an empty text extracted (an empty
			// file in a tar) is a text, and nil says none is stored.
			dst.Text = append(make([]byte, 0, len(body)), body...)
		case recReworded:
			dst.Reworded = append(dst.Reworded, body...)
		}
	}
	if seen != 15 {
		return s.corrupt("document %d: records missing", d)
	}
	if !dst.Plain && dst.Text == nil {
		return s.corrupt("document %d: text missing", d)
	}
	// The places of repeated fingerprints are not stored: they follow
	// from the fingerprints (and there are none when every hash is
	// distinct, the meta record says).
	dst.Repeats = dst.Repeats[:0]
	if dst.Distinct < len(dst.Fingerprints) {
		dst.Repeats = shingle.Repeats(dst.Repeats, dst.Fingerprints)
	}
	return nil
}

// decodeMeta decodes a meta record.
func decodeMeta(b []byte) (docMeta, bool) {
	r := reader{B: b}
	var v [6]uint64
	for i := range v {
		v[i] = r.Uvarint()
	}
	m := docMeta{crc: r.U64()}
	m.id, m.path, m.date = r.Str(), r.Str(), r.Str()
	for _, x := range v[:5] {
		if x > 1<<32-1 {
			return m, false
		}
	}
	m.bytes, m.words, m.header, m.line, m.distinct = int(v[0]), int(v[1]), int(v[2]), int(v[3]), int(v[4])
	m.plain = v[5]&1 != 0
	return m, !r.Bad
}

// terms iterates over the terms of one kind of a segment, in order of
// key. It is NOT safe for concurrent use.
type terms struct {
	s     *segment
	k     *kindSection
	block int    // the block loaded; -1 before the first
	rest  []byte // the block's terms not yet read
	left  int    // their number
	// The current term:
	key          uint64
	docs, npost  int
	postingBytes []byte
	valid        bool
	// copy reads blocks into buf (pread) rather than in place: for
	// lookups at random places (segment.file).
	copy bool
	buf  []byte
}

// terms returns an iterator over the terms of kind k: none when the
// segment has no section of it (see written).
func (s *segment) terms(k Kind) *terms {
	sec := s.section(k)
	if sec == nil {
		sec = &kindSection{kind: k, positional: k.positional()}
	}
	return &terms{s: s, k: sec, block: -1}
}

// blockFirst returns the first key of block b.
func (t *terms) blockFirst(b int) uint64 {
	return binary.LittleEndian.Uint64(t.k.index[b*indexSize:])
}

// load loads block b, checking its checksum.
func (t *terms) load(b int) error {
	e := t.k.index[b*indexSize:]
	off, n, sum := binary.LittleEndian.Uint64(e[8:]), uint64(binary.LittleEndian.Uint32(e[16:])), binary.LittleEndian.Uint32(e[20:])
	blk := t.s.data[off : off+n] // bounds checked when the segment was opened
	if t.copy && t.s.file != nil {
		if uint64(cap(t.buf)) < n {
			t.buf = make([]byte, n)
		}
		blk = t.buf[:n]
		if _, err := t.s.file.ReadAt(blk, int64(off)); err != nil {
			return fmt.Errorf("%s: block %d: %w", t.s.name, b, err)
		}
	}
	if crc(blk) != sum {
		return t.s.corrupt("%s block %d checksum mismatch", t.k.kind, b)
	}
	r := reader{B: blk}
	count := r.Uvarint()
	if r.Bad || count == 0 || count > n {
		return t.s.corrupt("%s block %d unreadable", t.k.kind, b)
	}
	t.block, t.rest, t.left = b, r.B, int(count)
	t.key, t.valid = t.blockFirst(b), false
	return nil
}

// next moves to the next term, loading the next block when needed; it
// returns false after the last.
func (t *terms) next() (bool, error) {
	for t.left == 0 {
		if t.block+1 >= t.k.blocks {
			t.valid = false
			return false, nil
		}
		if err := t.load(t.block + 1); err != nil {
			return false, err
		}
	}
	first := !t.valid && t.key == t.blockFirst(t.block) && t.rest != nil
	r := reader{B: t.rest}
	gap := r.Uvarint()
	docs, npost, n := r.Uvarint(), r.Uvarint(), r.Uvarint()
	pb := r.Bytes(n)
	if r.Bad || docs == 0 || docs > npost || npost > n || (gap == 0) != first {
		return false, t.s.corrupt("%s block %d unreadable", t.k.kind, t.block)
	}
	if t.key+gap < t.key {
		return false, t.s.corrupt("%s block %d: keys overflow", t.k.kind, t.block)
	}
	t.key += gap
	t.docs, t.npost, t.postingBytes = int(docs), int(npost), pb
	t.rest, t.left, t.valid = r.B, t.left-1, true
	if t.block+1 < t.k.blocks && t.key >= t.blockFirst(t.block+1) {
		return false, t.s.corrupt("%s block %d: keys out of order", t.k.kind, t.block)
	}
	return true, nil
}

// prefetch asks the system to read in the background the blocks that
// seeks of keys (ascending) will load, neighbours within prefetchGap
// bytes in one request (mmap.WillNeed). A check looks up thousands of
// keys at random places of a segment larger than the page cache may
// hold: without it, a cold check waits for the disk once a block, one
// block after another (about 1.3 s for 5,700 blocks of the 1 GB
// archive's index; docs/benchmarks.md). On a warm cache it costs a
// system call a block or so.
func (t *terms) prefetch(keys []uint64) {
	if t.k == nil || t.k.blocks == 0 {
		return
	}
	lo, hi, last := 0, 0, -1
	for _, key := range keys {
		b := max(sort.Search(t.k.blocks, func(b int) bool { return t.blockFirst(b) > key })-1, 0)
		if b == last {
			continue
		}
		last = b
		e := t.k.index[b*indexSize:]
		off := int(binary.LittleEndian.Uint64(e[8:]))
		end := off + int(binary.LittleEndian.Uint32(e[16:]))
		if hi > 0 && off <= hi+prefetchGap {
			hi = max(hi, end)
			continue
		}
		if hi > 0 {
			mmap.WillNeed(t.s.data, lo, hi)
		}
		lo, hi = off, end
	}
	if hi > 0 {
		mmap.WillNeed(t.s.data, lo, hi)
	}
}

// prefetchGap is the most bytes between two blocks that prefetch asks
// for together, reading the bytes between too.
const prefetchGap = 16 << 10

// seek moves to the first term whose key is at least key, and reports
// whether it is key. Keys sought in increasing order read each block
// once.
func (t *terms) seek(key uint64) (bool, error) {
	if t.k.blocks == 0 {
		return false, nil
	}
	// The block that would hold key: the last whose first key ≤ key.
	b := sort.Search(t.k.blocks, func(b int) bool { return t.blockFirst(b) > key }) - 1
	if b < 0 {
		b = 0
	}
	if b != t.block || (t.valid && t.key > key) || (!t.valid && t.left == 0) || t.block < 0 {
		if err := t.load(b); err != nil {
			return false, err
		}
	}
	for !t.valid || t.key < key {
		ok, err := t.next()
		if err != nil || !ok {
			return false, err
		}
	}
	return t.key == key, nil
}

// postings appends the current term's postings to dst.
func (t *terms) postings(dst []posting) ([]posting, error) {
	r := reader{B: t.postingBytes}
	var doc, pos, quoted uint64
	dst = slices.Grow(dst, min(t.npost, len(r.B))) // a posting takes a byte or more
	for i := range t.npost {
		g := r.Uvarint()
		if i > 0 && g == 0 {
			if t.k.positional {
				v := r.Uvarint()
				pos, quoted = pos+v>>1, v&1
			}
		} else {
			doc += g
			pos, quoted = 0, 0
			if t.k.positional {
				v := r.Uvarint()
				pos, quoted = v>>1, v&1
			}
		}
		if r.Bad || doc >= uint64(t.s.docs) || pos > 1<<32-1 || quoted != 0 && pos >= 1<<30 {
			return dst, t.s.corrupt("%s block %d: postings unreadable", t.k.kind, t.block)
		}
		dst = append(dst, posting{doc: uint32(doc), pos: joinPos(pos, quoted)})
	}
	if len(r.B) != 0 {
		return dst, t.s.corrupt("%s block %d: postings unreadable", t.k.kind, t.block)
	}
	return dst, nil
}
