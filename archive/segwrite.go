package archive

import (
	"bufio"
	"cmp"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math"
	"os"
	"slices"

	"github.com/reuse-tool/reuse/index"
	"github.com/reuse-tool/reuse/internal/postings"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func crc(b []byte) uint32 { return crc32.Checksum(b, castagnoli) }

// segWriter writes one segment file (see the format in format.go):
// documents first, in order, then each kind's terms in order of key,
// then the tables it kept in memory. It is NOT safe for concurrent use.
type segWriter struct {
	path  string
	f     *os.File
	w     *bufio.Writer
	off   int64
	err   error
	docs  int
	table []byte // the document table
	kinds []*kindWriter
	rec   []byte // scratch for a document's records
}

// newSegWriter creates the file at path (to be renamed when done).
func newSegWriter(path string) (*segWriter, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, err
	}
	w := &segWriter{path: path, f: f, w: bufio.NewWriterSize(f, 1<<20)}
	w.write([]byte(segMagic))
	return w, nil
}

func (w *segWriter) write(b []byte) {
	if w.err != nil {
		return
	}
	if _, err := w.w.Write(b); err != nil {
		w.err = fmt.Errorf("%s: %w", w.path, err)
		return
	}
	w.off += int64(len(b))
}

// addDoc writes the records of one document (the next in order of id):
// the Doc's parts, path given as it is to be stored.
func (w *segWriter) addDoc(d *index.Doc, path string) {
	w.rec = encodeDoc(w.rec[:0], d, path)
	if int64(len(w.rec)) > math.MaxUint32 && w.err == nil {
		w.err = fmt.Errorf("archive: %s: the records of %q take %d bytes, more than a segment holds for a document (4 GiB)", w.path, d.ID, len(w.rec))
		return
	}
	w.addRecords(w.rec, len(d.ID), d.Words)
}

// addRecords writes a document's records, encoded (its meta record first,
// the id first in it, idLen bytes).
func (w *segWriter) addRecords(rec []byte, idLen, words int) {
	at, ok := idInRecords(rec)
	if !ok {
		panic("archive: records without a meta record first")
	}
	idOff := w.off + int64(at)
	w.table = binary.LittleEndian.AppendUint64(w.table, uint64(w.off))
	w.table = binary.LittleEndian.AppendUint32(w.table, uint32(len(rec)))
	w.table = binary.LittleEndian.AppendUint32(w.table, crc(rec))
	w.table = binary.LittleEndian.AppendUint64(w.table, uint64(idOff))
	w.table = binary.LittleEndian.AppendUint32(w.table, uint32(idLen))
	w.table = binary.LittleEndian.AppendUint32(w.table, uint32(words))
	w.write(rec)
	w.docs++
}

// idInRecords is the offset of the id in records encoded by encodeDoc:
// after the meta record's kind and length, its uvarints and CRC, and the
// id's length.
func idInRecords(rec []byte) (int, bool) {
	if len(rec) == 0 || rec[0] != recMeta {
		return 0, false
	}
	r := reader{B: rec[1:]}
	r.Uvarint()
	for range 6 {
		r.Uvarint()
	}
	r.U64()
	r.Uvarint()
	return len(rec) - len(r.B), !r.Bad
}

// encodeDoc appends the records of a document to dst.
func encodeDoc(dst []byte, d *index.Doc, path string) []byte {
	var meta []byte
	flags := uint64(0)
	if d.Plain {
		flags |= 1
	}
	for _, v := range []uint64{uint64(d.Bytes), uint64(d.Words), uint64(d.Header), uint64(d.Line), uint64(d.Distinct), flags} {
		meta = binary.AppendUvarint(meta, v)
	}
	meta = binary.LittleEndian.AppendUint64(meta, d.CRC)
	for _, s := range []string{d.ID, path, d.Date} {
		meta = binary.AppendUvarint(meta, uint64(len(s)))
		meta = append(meta, s...)
	}
	dst = appendRecord(dst, recMeta, meta)
	dst = appendRecord(dst, recSeeds, d.Seeds)
	var fps []byte
	fps = binary.AppendUvarint(fps, uint64(len(d.Fingerprints)))
	var last uint32
	for _, fp := range d.Fingerprints {
		fps = binary.AppendUvarint(fps, uint64(fp.Pos-last))
		fps = binary.LittleEndian.AppendUint64(fps, fp.Hash)
		last = fp.Pos
	}
	dst = appendRecord(dst, recFingerprints, fps)
	sig := make([]byte, 0, 8*len(d.Signature))
	for _, v := range d.Signature {
		sig = binary.LittleEndian.AppendUint64(sig, v)
	}
	dst = appendRecord(dst, recSignature, sig)
	if len(d.Reworded) > 0 {
		dst = appendRecord(dst, recReworded, d.Reworded)
	}
	if !d.Plain {
		dst = appendRecord(dst, recText, d.Text)
	}
	return dst
}

func appendRecord(dst []byte, kind byte, b []byte) []byte {
	dst = append(dst, kind)
	dst = binary.AppendUvarint(dst, uint64(len(b)))
	return append(dst, b...)
}

// posting is one posting of a term: a document of the segment and a
// position (0 for kinds without positions).
type posting struct{ doc, pos uint32 }

// A posting's pos is a postings.Posting's: a place, flagged
// postings.Quoted. placeOf and quotedOf part them, joinPos joins them.
func placeOf(pos uint32) uint32 {
	if pos >= 1<<31 { // a place the rules do not know: never flagged
		return pos
	}
	return pos &^ postings.Quoted
}

func quotedOf(pos uint32) uint64 {
	if pos >= 1<<31 {
		return 0
	}
	return uint64(pos>>30) & 1
}

func joinPos(place, quoted uint64) uint32 { return uint32(place) | uint32(quoted)<<30 }

func byDocPos(x, y posting) int {
	return cmp.Or(cmp.Compare(x.doc, y.doc), cmp.Compare(placeOf(x.pos), placeOf(y.pos)))
}

// kindWriter writes the terms of one kind of posting, in order of key,
// into blocks.
type kindWriter struct {
	sw              *segWriter
	kind            Kind
	index           []byte
	blocks          int
	terms, postings uint64
	block           []byte // the block being filled, after its count
	count           int    // terms in it
	first, last     uint64
	started         bool
	ps              []byte // scratch: a term's encoded postings
}

// newKind starts the terms of kind k; the kinds are written one after
// the other.
func (w *segWriter) newKind(k Kind) *kindWriter {
	kw := &kindWriter{sw: w, kind: k}
	w.kinds = append(w.kinds, kw)
	return kw
}

// add writes the term key (greater than the previous one) with its
// postings, sorted by (doc, pos).
func (kw *kindWriter) add(key uint64, ps []posting) {
	if len(ps) == 0 {
		return
	}
	if kw.started && key <= kw.last {
		panic("archive: terms out of order")
	}
	if kw.count == 0 {
		kw.first = key
	}
	gap := key - kw.first
	if kw.count > 0 {
		gap = key - kw.last
	}
	kw.started, kw.last = true, key
	kw.ps = kw.ps[:0]
	docs := 0
	for i, p := range ps {
		if i == 0 || p.doc != ps[i-1].doc {
			docs++
			prev := uint32(0)
			if i > 0 {
				prev = ps[i-1].doc
			}
			kw.ps = binary.AppendUvarint(kw.ps, uint64(p.doc-prev))
			if kw.kind.positional() {
				kw.ps = binary.AppendUvarint(kw.ps, uint64(placeOf(p.pos))<<1|quotedOf(p.pos))
			}
		} else {
			kw.ps = binary.AppendUvarint(kw.ps, 0)
			if kw.kind.positional() {
				kw.ps = binary.AppendUvarint(kw.ps, uint64(placeOf(p.pos)-placeOf(ps[i-1].pos))<<1|quotedOf(p.pos))
			}
		}
	}
	b := kw.block
	b = binary.AppendUvarint(b, gap)
	b = binary.AppendUvarint(b, uint64(docs))
	b = binary.AppendUvarint(b, uint64(len(ps)))
	b = binary.AppendUvarint(b, uint64(len(kw.ps)))
	kw.block = append(b, kw.ps...)
	kw.count++
	kw.terms++
	kw.postings += uint64(len(ps))
	if len(kw.block) >= blockSize {
		kw.flush()
	}
}

// flush writes out the block being filled.
func (kw *kindWriter) flush() {
	if kw.count == 0 {
		return
	}
	blk := binary.AppendUvarint(make([]byte, 0, len(kw.block)+4), uint64(kw.count))
	blk = append(blk, kw.block...)
	kw.index = binary.LittleEndian.AppendUint64(kw.index, kw.first)
	kw.index = binary.LittleEndian.AppendUint64(kw.index, uint64(kw.sw.off))
	kw.index = binary.LittleEndian.AppendUint32(kw.index, uint32(len(blk)))
	kw.index = binary.LittleEndian.AppendUint32(kw.index, crc(blk))
	kw.sw.write(blk)
	kw.blocks++
	kw.block, kw.count = kw.block[:0], 0
}

// finish writes the tables and the trailer, syncs and closes the file.
func (w *segWriter) finish() error {
	for _, kw := range w.kinds {
		kw.flush()
	}
	tableOff := w.off
	w.write(w.table)
	indexOff := make([]int64, len(w.kinds))
	for i, kw := range w.kinds {
		indexOff[i] = w.off
		w.write(kw.index)
	}
	var t []byte
	t = binary.LittleEndian.AppendUint32(t, uint32(w.docs))
	t = binary.LittleEndian.AppendUint64(t, uint64(tableOff))
	t = binary.LittleEndian.AppendUint32(t, crc(w.table))
	t = binary.LittleEndian.AppendUint32(t, uint32(len(w.kinds)))
	for i, kw := range w.kinds {
		flags := uint32(0)
		if kw.kind.positional() {
			flags = 1
		}
		t = binary.LittleEndian.AppendUint32(t, uint32(kw.kind))
		t = binary.LittleEndian.AppendUint32(t, flags)
		t = binary.LittleEndian.AppendUint64(t, uint64(indexOff[i]))
		t = binary.LittleEndian.AppendUint32(t, uint32(kw.blocks))
		t = binary.LittleEndian.AppendUint32(t, crc(kw.index))
		t = binary.LittleEndian.AppendUint64(t, kw.terms)
		t = binary.LittleEndian.AppendUint64(t, kw.postings)
	}
	t = binary.LittleEndian.AppendUint32(t, uint32(len(t)))
	t = binary.LittleEndian.AppendUint32(t, crc(t))
	t = append(t, segEnd...)
	w.write(t)
	if w.err == nil {
		if err := w.w.Flush(); err != nil {
			w.err = fmt.Errorf("%s: %w", w.path, err)
		}
	}
	if w.err == nil {
		if err := w.f.Sync(); err != nil {
			w.err = fmt.Errorf("%s: %w", w.path, err)
		}
	}
	if err := w.f.Close(); err != nil && w.err == nil {
		w.err = fmt.Errorf("%s: %w", w.path, err)
	}
	return w.err
}

// abort closes and removes the file.
func (w *segWriter) abort() {
	w.f.Close()
	os.Remove(w.path)
}

// sortPostings sorts a term's postings by (doc, pos).
func sortPostings(ps []posting) { slices.SortFunc(ps, byDocPos) }
