package spool

import (
	"context"
	"encoding/binary"
	"math/bits"
	"sort"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/reuse-tool/reuse/internal/grow"
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
	Off, Bytes int64  // a document of shingle.MaxText bytes may need more than 2 GB
	Repeats    uint32 // pairs of places of repeated fingerprints at its end
}

// checkpointEvery is the number of tokens between two checkpoints of a
// record's offsets: a token's offsets are found by decoding at most
// checkpointEvery-1 others.
const checkpointEvery = 64

// NewSeeds returns an empty store; its file is created on the first Put.
func NewSeeds() *Seeds { return &Seeds{f: file{pattern: "reuse-seeds-*"}} }

// Put encodes toks (tokens of text), their seeds (the aligner's 32-bit
// seeds of toks) and the places of the fingerprints the document holds
// more than once (shingle.Analysis.Repeats) into buf, writes the record,
// and returns it and buf for reuse. text gives each token's sentence
// stop (shingle.SentenceStop); nil records none.
func (s *Seeds) Put(text []byte, toks []shingle.Token, seeds, repeats []uint32, buf []byte) (Record, []byte, error) {
	return s.PutWith(text, toks, seeds, repeats, nil, buf)
}

// PutWith is Put, writing extra (another record of the same document:
// its analysis for reworded reuse) right after the seed record, in the
// same write. Record covers the seed record only; ReadExtra gives extra
// back, knowing its length.
func (s *Seeds) PutWith(text []byte, toks []shingle.Token, seeds, repeats []uint32, extra, buf []byte) (Record, []byte, error) {
	buf = AppendSeedRecord(buf[:0], text, toks, seeds, repeats)
	r, buf, err := s.write(buf, len(buf), extra)
	r.Repeats = uint32(len(repeats) / 2)
	return r, buf, err
}

// PutRecord writes a record made before, as SeedView.Bytes and Repeats
// give it back (of another store, or an archive's copy), with extra as
// PutWith writes it, and returns where it lies. It copies rec and repeats, which the caller keeps, through buf,
// which it returns for reuse.
func (s *Seeds) PutRecord(rec []byte, repeats []uint32, extra, buf []byte) (Record, []byte, error) {
	if len(repeats) < 2 && len(rec)%4 == 0 && len(extra) == 0 {
		r, _, err := s.write(rec, len(rec), nil)
		return r, buf, err
	}
	buf = appendRepeats(append(buf[:0], rec...), repeats)
	r, buf, err := s.write(buf, len(buf), extra)
	r.Repeats = uint32(len(repeats) / 2)
	return r, buf, err
}

// appendRepeats appends the trailer of a record: the pairs of places of
// repeats (an odd last value is dropped).
func appendRepeats(buf []byte, repeats []uint32) []byte {
	buf = grow.Slice(buf, 4*len(repeats))
	for _, p := range repeats[:len(repeats)&^1] {
		buf = binary.LittleEndian.AppendUint32(buf, p)
	}
	return buf
}

// write writes rec, padded to a multiple of 4 bytes when it is not, then
// extra (if any), padded the same way, and returns the Record of rec's
// first n bytes and rec, which it may have extended in place. A rec
// already aligned and no extra are written as they are (rec may be the
// caller's).
func (s *Seeds) write(rec []byte, n int, extra []byte) (Record, []byte, error) {
	if len(rec) == 0 && len(extra) == 0 {
		return Record{}, rec, nil
	}
	for len(rec)%4 != 0 { // records start 4-byte aligned: seeds are read in place
		rec = append(rec, 0)
	}
	if len(extra) > 0 {
		rec = grow.Append(rec, extra...) // preemptible: a large document's is hundreds of MB
		for len(rec)%4 != 0 {
			rec = append(rec, 0)
		}
	}
	off := s.size.Add(int64(len(rec))) - int64(len(rec))
	if err := s.f.writeAt(rec, off); err != nil {
		return Record{}, rec, err
	}
	return Record{Off: off, Bytes: int64(n)}, rec, nil
}

// SeedWriter places one worker's records in a buffer and writes them in
// chunks of about seedChunk bytes, each at a range of the file it
// reserved: a write a document cost a system call a document, a tenth
// of a scan's system time on a corpus of small files. Records are not
// readable before Flush. A range's unused end (less than one record) is
// left as a hole. A SeedWriter is NOT safe for concurrent use; several
// may write to one Seeds at once.
type SeedWriter struct {
	s    *Seeds
	buf  []byte // records placed at base, base+len(buf)...
	base int64  // the file offset of buf[0]
	room int64  // bytes reserved from base on
	rec  []byte // scratch: the record being made
}

// seedChunk is the size of a SeedWriter's writes.
const seedChunk = 1 << 20

// NewWriter returns a writer of records to s. Call Flush before Seal.
func (s *Seeds) NewWriter() *SeedWriter { return &SeedWriter{s: s} }

// DropScratch lets the record buffer go (after a large document: kept,
// it would hold that document's memory); Last is empty until the next
// PutWith.
func (w *SeedWriter) DropScratch() { w.rec = nil }

// Last returns the seed record of the last PutWith (without the extra
// bytes), until the next call.
func (w *SeedWriter) Last(r Record) []byte { return w.rec[:r.Bytes] }

// PutWith is Seeds.PutWith, through the writer's buffer, giving up with
// ctx.Err() when ctx is done while a large document's record is made or
// written.
func (w *SeedWriter) PutWith(ctx context.Context, text []byte, toks []shingle.Token, seeds, repeats []uint32, extra []byte) (Record, error) {
	// Room for extra and the padding too: a large document's record
	// grown to take extra was copied whole.
	rec, err := appendSeedRecord(ctx, w.rec[:0], text, toks, seeds, repeats, len(extra)+6)
	if err != nil {
		w.rec = rec
		return Record{}, err
	}
	n := len(rec)
	for len(rec)%4 != 0 {
		rec = append(rec, 0)
	}
	// A large document's extra is hundreds of MB: copied a piece at a
	// time, a look between two (each faults in fresh pages).
	for lo := 0; lo < len(extra); lo += writePiece {
		if lo > 0 {
			if err := ctx.Err(); err != nil {
				w.rec = rec
				return Record{}, err
			}
		}
		rec = grow.Append(rec, extra[lo:min(lo+writePiece, len(extra))]...)
	}
	for len(rec)%4 != 0 {
		rec = append(rec, 0)
	}
	w.rec = rec
	if n == 0 && len(extra) == 0 {
		return Record{}, nil
	}
	off, err := w.place(ctx, rec)
	if err != nil {
		return Record{}, err
	}
	return Record{Off: off, Bytes: int64(n), Repeats: uint32(len(repeats) / 2)}, nil
}

// place puts rec (whose length is a multiple of 4) in the buffer, or
// writes it at once when it is as large as a chunk, and returns its
// offset.
func (w *SeedWriter) place(ctx context.Context, rec []byte) (int64, error) {
	if int64(len(w.buf)+len(rec)) > w.room {
		if err := w.Flush(); err != nil {
			return 0, err
		}
		w.room = max(seedChunk, int64(len(rec)))
		w.base = w.s.size.Add(w.room) - w.room
	}
	off := w.base + int64(len(w.buf))
	if len(w.buf) == 0 && len(rec) >= seedChunk {
		w.base, w.room = off+int64(len(rec)), w.room-int64(len(rec))
		return off, w.s.f.writeAtContext(ctx, rec, off)
	}
	w.buf = append(w.buf, rec...)
	return off, nil
}

// Flush writes the records placed so far.
func (w *SeedWriter) Flush() error {
	if len(w.buf) == 0 {
		return nil
	}
	err := w.s.f.writeAt(w.buf, w.base)
	w.base += int64(len(w.buf))
	w.room -= int64(len(w.buf))
	w.buf = w.buf[:0]
	return err
}

// ReadExtra returns the n bytes PutWith wrote after record r: in place
// in the mapped file (valid until Close), or in buf, which it returns
// for reuse.
func (s *Seeds) ReadExtra(r Record, n int, buf []byte) ([]byte, []byte, error) {
	return s.readExtra(r, n, buf, true)
}

// ReadExtraCopy is ReadExtra into buf, even when the file is mapped: for
// reads scattered over the file, as ReadCopy.
func (s *Seeds) ReadExtraCopy(r Record, n int, buf []byte) ([]byte, []byte, error) {
	return s.readExtra(r, n, buf, false)
}

func (s *Seeds) readExtra(r Record, n int, buf []byte, inPlace bool) ([]byte, []byte, error) {
	off := r.Off + (r.Bytes+3)&^3
	if s.mapped != nil && inPlace {
		if off < 0 || off+int64(n) > int64(len(s.mapped)) {
			return nil, buf, ErrCorrupt
		}
		return s.mapped[off : off+int64(n) : off+int64(n)], buf, nil
	}
	if cap(buf) < n {
		buf = make([]byte, n)
	}
	rec := buf[:n]
	if n > 0 {
		if err := s.f.readAt(rec, off); err != nil {
			return nil, buf, err
		}
	}
	return rec, buf[:0], nil
}

// Seal ends writing and maps the file for reading.
func (s *Seeds) Seal() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f := s.f.current(); f != nil && s.mapped == nil {
		// A SeedWriter's last range may end in a hole past the end of
		// the file: the mapping must not reach beyond it.
		if fi, err := f.Stat(); err == nil && fi.Size() < s.size.Load() {
			f.Truncate(s.size.Load())
		}
		s.mapped = mapFile(f, s.size.Load())
	}
}

// Mapped reports whether records are read in place.
func (s *Seeds) Mapped() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.mapped != nil
}

// Read returns a view of record r, the record of n tokens and count
// seeds: in place in the mapped file (valid until Close), or in buf,
// which it returns for reuse.
func (s *Seeds) Read(r Record, count, n int, buf []byte) (SeedView, []byte, error) {
	return s.read(r, count, n, buf, true)
}

// ReadCopy is Read into buf, even when the file is mapped: for reads
// scattered over a file larger than the pages a scan may keep resident,
// which would fault their pages in again after each Release.
func (s *Seeds) ReadCopy(r Record, count, n int, buf []byte) (SeedView, []byte, error) {
	return s.read(r, count, n, buf, false)
}

// ReadTokens is Read without the seeds: a view of the record's token
// offsets and word classes (Token, TokenStop, Words, Tokens), which has
// no Seeds, no Repeats and no Places, and reads about a third of the
// record's bytes. inPlace reads it in place when the file is mapped (as
// Read does), else into buf (as ReadCopy does). For a cluster member's
// byte offsets, which need no seeds.
func (s *Seeds) ReadTokens(r Record, count, n int, buf []byte, inPlace bool) (SeedView, []byte, error) {
	from, to := r.Off+4*int64(count), r.Off+r.Bytes-8*int64(r.Repeats)
	if count < 0 || from > to {
		return SeedView{}, buf, ErrCorrupt
	}
	var rec []byte
	if s.mapped != nil && inPlace {
		if r.Off < 0 || to > int64(len(s.mapped)) {
			return SeedView{}, buf, ErrCorrupt
		}
		rec = s.mapped[from:to:to]
	} else {
		if int64(cap(buf)) < to-from {
			buf = make([]byte, to-from)
		}
		rec, buf = buf[:to-from], buf[:0]
		if len(rec) > 0 {
			if err := s.f.readAt(rec, from); err != nil {
				return SeedView{}, buf, err
			}
		}
	}
	v, err := NewSeedView(rec, 0, n)
	return v, buf, err
}

// Size is the extent of the store so far: the bytes written, and the
// holes SeedWriters leave (less than a record at the end of each of
// their ranges, and the rest of the last one).
func (s *Seeds) Size() int64 { return s.size.Load() }

func (s *Seeds) read(r Record, count, n int, buf []byte, inPlace bool) (SeedView, []byte, error) {
	var rec []byte
	if s.mapped != nil && inPlace {
		if r.Off < 0 || r.Off+r.Bytes > int64(len(s.mapped)) {
			return SeedView{}, buf, ErrCorrupt
		}
		rec = s.mapped[r.Off : r.Off+r.Bytes : r.Off+r.Bytes]
	} else {
		if int64(cap(buf)) < r.Bytes {
			buf = make([]byte, r.Bytes)
		}
		rec, buf = buf[:r.Bytes], buf[:0]
		if r.Bytes > 0 {
			if err := s.f.readAt(rec, r.Off); err != nil {
				return SeedView{}, buf, err
			}
		}
	}
	m := 8 * int64(r.Repeats)
	if m > r.Bytes {
		return SeedView{}, buf, ErrCorrupt
	}
	v, err := NewSeedView(rec[:r.Bytes-m], count, n)
	if err != nil {
		return SeedView{}, buf, err
	}
	v.repeats, v.placed = rec[r.Bytes-m:], true
	return v, buf, nil
}

// MappedBytes is the length of the file's mapping, 0 when it is not
// mapped: the most of it a scan's reads can make resident.
func (s *Seeds) MappedBytes() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return int64(len(s.mapped))
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

// AppendSeedRecord appends to dst the record of toks (tokens of text),
// their seeds (the aligner's 32-bit seeds of toks) and the places of the
// fingerprints the document holds more than once
// (shingle.Analysis.Repeats; an odd last value is dropped), in the format
// of a Seeds store (see the package documentation): about 6.3 bytes a
// token. Each token's sentence stop (shingle.SentenceStop) and word class
// (shingle.ClassOf) come from text; with text nil, none is recorded (every
// token is shingle.OtherWord). NewSeedView reads a record
// without repeats; for callers that keep records themselves (the
// distributed pipeline carries them between its stages).
func AppendSeedRecord(dst, text []byte, toks []shingle.Token, seeds, repeats []uint32) []byte {
	dst, _ = appendSeedRecord(context.Background(), dst, text, toks, seeds, repeats, 0)
	return dst
}

// checkTokens is how many tokens appendSeedRecord encodes between two
// looks at its context: a few milliseconds of work.
const checkTokens = 1 << 18

// appendSeedRecord is AppendSeedRecord, leaving room for room more bytes
// in dst and giving up with ctx.Err() when ctx is done.
func appendSeedRecord(ctx context.Context, dst, text []byte, toks []shingle.Token, seeds, repeats []uint32, room int) ([]byte, error) {
	// Its size, exact for a large document: a record of millions of
	// tokens grown by append was copied whole (the runtime's copy, which
	// the collector cannot interrupt, so it spun on the other core), and
	// more than once. A small document's varints are counted as one
	// byte each (varintBytes).
	varintSize, err := varintBytes(ctx, toks)
	if err != nil {
		return dst, err
	}
	dst = grow.Slice(dst, 4*len(seeds)+8*((len(toks)+checkpointEvery-1)/checkpointEvery)+classBytes(len(toks))+varintSize+4*len(repeats)+room)
	for lo := 0; lo < len(seeds); lo += checkTokens {
		if lo > 0 {
			if err := ctx.Err(); err != nil {
				return dst, err
			}
		}
		for _, h := range seeds[lo:min(lo+checkTokens, len(seeds))] {
			dst = binary.LittleEndian.AppendUint32(dst, h)
		}
	}
	// Checkpoints, filled in below: the varint offset and start of every
	// checkpointEvery-th token.
	marks := len(dst)
	dst = append(dst, make([]byte, 8*((len(toks)+checkpointEvery-1)/checkpointEvery))...)
	dst, err = shingle.AppendWordClassesContext(ctx, dst, text, toks)
	if err != nil {
		return dst, err
	}
	varints := len(dst)
	var end uint32
	for i, t := range toks {
		if i%checkpointEvery == 0 {
			if i%checkTokens == 0 && i > 0 {
				if err := ctx.Err(); err != nil {
					return dst, err
				}
			}
			c := marks + 8*(i/checkpointEvery)
			binary.LittleEndian.PutUint32(dst[c:], uint32(len(dst)-varints))
			binary.LittleEndian.PutUint32(dst[c+4:], t.Start)
		}
		dst = binary.AppendUvarint(dst, uint64(t.Start-end))
		stop := uint64(shingle.StopCode(shingle.SentenceStop(text, int(t.End))))
		dst = binary.AppendUvarint(dst, uint64(t.End-t.Start)<<2|stop)
		end = t.End
	}
	return appendRepeats(dst, repeats), nil
}

// exactVarints is the number of tokens from which varintBytes counts
// the varints' bytes one by one (a pass over the tokens, a few percent
// of the encoding's time) instead of taking one byte each.
const exactVarints = 1 << 16

// varintBytes is the size of the varints of toks in a record (exact when
// there are at least exactVarints of them), or two bytes a token (a
// lower bound). It gives up with ctx.Err() when ctx is done.
func varintBytes(ctx context.Context, toks []shingle.Token) (int, error) {
	if len(toks) < exactVarints {
		return 2 * len(toks), nil
	}
	n := 0
	var end uint32
	for i, t := range toks {
		if i%checkTokens == 0 && i > 0 {
			if err := ctx.Err(); err != nil {
				return 0, err
			}
		}
		// A stop code takes the length's two low bits: the largest, 3,
		// gives the varint its size whatever the code.
		n += uvarintLen(uint64(t.Start-end)) + uvarintLen(uint64(t.End-t.Start)<<2|3)
		end = t.End
	}
	return n, nil
}

// uvarintLen is the length of binary.AppendUvarint's encoding of x.
func uvarintLen(x uint64) int { return (bits.Len64(x|1) + 6) / 7 }

// classBytes is the size of the word classes of n tokens in a record.
func classBytes(n int) int { return (n + 1) / 2 }

// SeedCount is the number of k-token seeds of n tokens.
func SeedCount(n, k int) int { return max(n-k+1, 0) }

// SeedView reads one record of a Seeds store.
type SeedView struct {
	rec      []byte
	count, n int
	varints  int    // where the varints start
	repeats  []byte // pairs (first, later place) of repeated fingerprints
	placed   bool   // whether repeats lists them all
}

// NewSeedView returns a view of rec, the record of n tokens and count
// seeds, checking its size.
func NewSeedView(rec []byte, count, n int) (SeedView, error) {
	if count < 0 || n < 0 {
		return SeedView{}, ErrCorrupt
	}
	v := SeedView{rec: rec, count: count, n: n, varints: 4*count + 8*((n+checkpointEvery-1)/checkpointEvery) + classBytes(n)}
	if v.varints > len(rec) || v.varints+2*n > len(rec) {
		return SeedView{}, ErrCorrupt
	}
	return v, nil
}

// Len returns the number of tokens.
func (v SeedView) Len() int { return v.n }

// Bytes returns the record itself, without the places of repeated
// fingerprints (not to be modified; valid as the view is), for PutRecord
// or an archive.
func (v SeedView) Bytes() []byte { return v.rec }

// Repeats appends to dst the places of the fingerprints the document holds
// more than once, as Put was given them (shingle.Analysis.Repeats): pairs
// (first place, later place), flat, sorted. A view made with NewSeedView
// lists none.
func (v SeedView) Repeats(dst []uint32) []uint32 {
	for i := 0; i+8 <= len(v.repeats); i += 8 {
		dst = append(dst, binary.LittleEndian.Uint32(v.repeats[i:]), binary.LittleEndian.Uint32(v.repeats[i+4:]))
	}
	return dst
}

// littleEndian reports whether this machine stores uint32 as the records
// do, so that seeds can be read in place.
var littleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// InPlace reports whether Seeds reads the seeds in place, not into dst:
// the caller that keeps dst as scratch must not keep the result then.
func (v SeedView) InPlace() bool {
	return littleEndian && v.count > 0 && uintptr(unsafe.Pointer(&v.rec[0]))%4 == 0
}

// Seeds returns the record's seeds: in place when the record is aligned
// (a mapped store), else decoded into dst.
func (v SeedView) Seeds(dst []uint32) []uint32 {
	if v.count == 0 {
		return dst[:0]
	}
	if v.InPlace() {
		return unsafe.Slice((*uint32)(unsafe.Pointer(&v.rec[0])), v.count)
	}
	dst = dst[:0]
	for i := range v.count {
		dst = append(dst, binary.LittleEndian.Uint32(v.rec[4*i:]))
	}
	return dst
}

// Token returns the byte offsets of token i: decoding at most
// checkpointEvery-1 others.
func (v SeedView) Token(i int) (start, end uint32, err error) {
	start, end, _, err = v.token(i)
	return start, end, err
}

// TokenStop is Token, with stop the token's end and the punctuation that
// ends a sentence right after it (shingle.SentenceStop), as the record's
// text gave it: the token's end when there is none.
func (v SeedView) TokenStop(i int) (start, end, stop uint32, err error) {
	start, end, n, err := v.token(i)
	return start, end, end + uint32(n), err
}

// token returns the byte offsets of token i and the bytes of its
// sentence stop.
func (v SeedView) token(i int) (start, end uint32, stop int, err error) {
	if i < 0 || i >= v.n {
		return 0, 0, 0, ErrCorrupt
	}
	c := 4*v.count + 8*(i/checkpointEvery)
	at := v.varints + int(binary.LittleEndian.Uint32(v.rec[c:]))
	start = binary.LittleEndian.Uint32(v.rec[c+4:])
	rec := v.rec
	for k := i - i%checkpointEvery; ; k++ {
		// Most gaps and sizes take one byte: read it before calling
		// Uvarint (decoding to a token took 3% of the Linux tree's scan).
		var gap, size uint64
		if at < len(rec) && rec[at] < 0x80 {
			gap = uint64(rec[at])
			at++
		} else {
			var g int
			if gap, g = binary.Uvarint(rec[min(at, len(rec)):]); g <= 0 {
				return 0, 0, 0, ErrCorrupt
			}
			at += g
		}
		if at < len(rec) && rec[at] < 0x80 {
			size = uint64(rec[at])
			at++
		} else {
			var z int
			if size, z = binary.Uvarint(rec[at:]); z <= 0 {
				return 0, 0, 0, ErrCorrupt
			}
			at += z
		}
		if k > i-i%checkpointEvery {
			start = end + uint32(gap)
		}
		end = start + uint32(size>>2)
		if k == i {
			return start, end, shingle.StopBytes(uint8(size)), nil
		}
	}
}

// Words counts the word classes of tokens [from, to), clipped to the
// record's, and tells whether quotation marks open or close them
// (shingle.CountWords) and whether they begin or end a sentence.
func (v SeedView) Words(from, to int) shingle.Words {
	at := v.varints - classBytes(v.n)
	w := shingle.CountWords(v.rec[at:v.varints], from, min(to, v.n))
	if from = max(from, 0); from < min(to, v.n) {
		w.Opens = from == 0 || v.stopAfter(from-1)
		w.Closes = v.stopAfter(min(to, v.n) - 1)
	}
	return w
}

// stopAfter reports whether a sentence stop follows token i (false for
// a token out of range or a corrupt record).
func (v SeedView) stopAfter(i int) bool {
	_, end, stop, err := v.TokenStop(i)
	return err == nil && stop > end
}

// Quotations appends to dst the record's quotations
// (shingle.AppendQuotations).
func (v SeedView) Quotations(dst [][2]int32) [][2]int32 {
	at := v.varints - classBytes(v.n)
	return shingle.AppendQuotations(dst, v.rec[at:v.varints], v.n)
}

// Tokens appends to dst every token's byte offsets (Hash zero).
func (v SeedView) Tokens(dst []shingle.Token) ([]shingle.Token, error) {
	err := v.eachToken(func(start, end uint64) {
		dst = append(dst, shingle.Token{Start: uint32(start), End: uint32(end)})
	})
	return dst, err
}

// CheckTokens reports ErrCorrupt where Tokens would, without keeping the
// tokens: a check of a record read (index.FromDocs) allocated them, 16
// bytes a word.
func (v SeedView) CheckTokens() error {
	return v.eachToken(func(_, _ uint64) {})
}

// eachToken calls fn with every token's byte offsets, in order.
func (v SeedView) eachToken(fn func(start, end uint64)) error {
	rec := v.rec[v.varints:]
	var end uint64
	for range v.n {
		gap, g := binary.Uvarint(rec)
		if g <= 0 {
			return ErrCorrupt
		}
		size, z := binary.Uvarint(rec[g:])
		if z <= 0 {
			return ErrCorrupt
		}
		rec = rec[g+z:]
		start := end + gap
		end = start + size>>2
		fn(start, end)
	}
	return nil
}

// Places appends to dst the later places of the fingerprint whose first
// place in the document is first, and reports whether the record lists
// them: a Seeds store's records do (Put); a view made with NewSeedView
// does not.
func (v SeedView) Places(dst []uint32, first uint32) ([]uint32, bool) {
	later, ok := v.Later(first)
	for i := range later.Len() {
		dst = append(dst, later.At(i))
	}
	return dst, ok
}

// LaterPlaces are the later places of one fingerprint in a record
// (SeedView.Later), read where the record holds them.
type LaterPlaces struct {
	pairs []byte // (first, later place), 8 bytes each
}

// Len returns the number of places.
func (p LaterPlaces) Len() int { return len(p.pairs) / 8 }

// At returns the i-th place, in order.
func (p LaterPlaces) At(i int) uint32 { return binary.LittleEndian.Uint32(p.pairs[8*i+4:]) }

// Later is Places without a copy: the later places of the fingerprint
// whose first place is first, found by binary search (a line of a
// generated table is held at hundreds of thousands of places, of which
// the aligner reads a few: align.Spread).
func (v SeedView) Later(first uint32) (LaterPlaces, bool) {
	if !v.placed {
		return LaterPlaces{}, false
	}
	m := len(v.repeats) / 8
	at := func(i int) uint32 { return binary.LittleEndian.Uint32(v.repeats[8*i:]) }
	lo := sort.Search(m, func(i int) bool { return at(i) >= first })
	hi := lo + sort.Search(m-lo, func(i int) bool { return at(lo+i) > first })
	return LaterPlaces{pairs: v.repeats[8*lo : 8*hi]}, true
}
