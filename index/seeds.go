package index

import (
	"github.com/reuse-tool/reuse/internal/grow"
	"github.com/reuse-tool/reuse/internal/spool"
	"github.com/reuse-tool/reuse/reword"
)

// SeedReader reads documents' seeds and token offsets back from the seed
// spool, with buffers of its own. It is NOT safe for concurrent use: give
// each worker its own.
type SeedReader struct {
	x     *Index
	buf   []byte // records, when the spool is not mapped
	rwBuf []byte // reword records, likewise
	copy  bool   // records of less than large bytes read into buf (NewScatteredSeedReader)
	large int64
	// next is the fault-around window after the last one counted
	// (touch), 0 before the first.
	next int64
}

// Release lets go of the reader's buffers that hold more than maxBytes
// each (grow.Drop): views it returned stay valid, and are the only
// references left to them.
func (r *SeedReader) Release(maxBytes int) {
	grow.Drop(&r.buf, maxBytes)
	grow.Drop(&r.rwBuf, maxBytes)
}

// faultAround is the span Linux maps around a page fault of a mapped
// file (fault_around_bytes, 64 KiB by default): reading a record of a
// few hundred bytes makes up to that much of the spool resident.
const faultAround = 64 << 10

// touch counts a read of n bytes at off of the mapped seed spool as the
// pages it can make resident (Index.touched): the fault-around windows
// it reaches, each counted once by a reader that goes on through it.
// Counting the record's bytes alone, a last step reading one small
// record in each few windows of a 1 GB corpus's spool (its clusters'
// members) held 16 times the resident share (docs/benchmarks.md,
// "Mapped reads counted by the pages they fault in").
func (r *SeedReader) touch(off, n int64) {
	r.x.touched(&r.x.read, windowBytes(&r.next, off, n))
}

// windowBytes returns the bytes of the fault-around windows a read of n
// bytes at off reaches, but the one the last read ended in (*next-1),
// and sets *next past the read's last window.
func windowBytes(next *int64, off, n int64) int64 {
	first, last := off/faultAround, (off+max(n, 1)-1)/faultAround
	if first == *next-1 {
		first = *next
	}
	*next = last + 1
	return max(last-first+1, 0) * faultAround
}

// NewSeedReader returns a SeedReader of x.
func (x *Index) NewSeedReader() *SeedReader { return &SeedReader{x: x} }

// NewScatteredSeedReader returns a SeedReader for documents read in no
// particular order (the second documents of pairs): when the seed spool
// is larger than the pages a scan keeps resident (Options.ResidentBytes),
// it reads each record of less than largeRecord bytes into its own
// buffer, so that no mapped page is faulted in again after each release,
// nor counts in the scan's memory.
func (x *Index) NewScatteredSeedReader() *SeedReader {
	return &SeedReader{x: x, copy: x.seeds.Size() > x.releaseEvery, large: largeRecord}
}

// largeRecord is the size from which even a scattered reader reads a
// record in place in the mapped spool. A pair reads its second
// document's seeds only around what the two share (align.Aligner's
// anchors), and a copy of a large record cost more than the rest of the
// pair: Go's src tree holds a 64 MB text, the second document of 60
// pairs, whose copies (and the buffers grown again for them once the
// heap was tight) took more than half of the scan (docs/benchmarks.md,
// "Large records read in place").
const largeRecord = 8 << 20

// View returns document d's record: its seeds (of SeedTokens tokens
// each) and the byte offsets of its tokens. The view is valid until the
// next call of View.
func (r *SeedReader) View(d uint32) (spool.SeedView, error) {
	x := r.x
	info := &x.docs[d]
	count := spool.SeedCount(int(info.words), x.seedK)
	if r.copy && info.seeds.Bytes < r.large {
		v, buf, err := x.seeds.ReadCopy(info.seeds, count, int(info.words), r.buf)
		r.buf = buf
		return v, err
	}
	v, buf, err := x.seeds.Read(info.seeds, count, int(info.words), r.buf)
	r.buf = buf
	r.touch(info.seeds.Off, info.seeds.Bytes)
	return v, err
}

// TokenView is View without the seeds (spool.Seeds.ReadTokens): the
// byte offsets and word classes of document d's tokens, about a third of
// its record. The view is valid until the next call of View or
// TokenView.
func (r *SeedReader) TokenView(d uint32) (spool.SeedView, error) {
	x := r.x
	info := &x.docs[d]
	count := spool.SeedCount(int(info.words), x.seedK)
	v, buf, err := x.seeds.ReadTokens(info.seeds, count, int(info.words), r.buf, !r.copy)
	r.buf = buf
	if !r.copy {
		skip := 4 * int64(count)
		r.touch(info.seeds.Off+skip, info.seeds.Bytes-skip)
	}
	return v, err
}

// RewordedNear is Reworded, reading the terms of the sentences within
// radius sentences of the tokens at only (reword.ReadDocNear).
func (r *SeedReader) RewordedNear(dst reword.Doc, d uint32, at []int32, radius int) (reword.Doc, error) {
	rec, err := r.rewordRecord(d)
	if err != nil {
		return dst, err
	}
	return reword.ReadDocNear(dst, rec, at, radius)
}

// Reworded decodes document d's analysis for reworded reuse into dst's
// slices (reword.ReadDoc) and returns it; it needs Options.Reword
// (ErrNoReword otherwise). A document not analyzed (Options.ProseOnly)
// gives an empty Doc: no terms. The Doc does not refer to the spool.
func (r *SeedReader) Reworded(dst reword.Doc, d uint32) (reword.Doc, error) {
	rec, err := r.rewordRecord(d)
	if err != nil {
		return dst, err
	}
	return reword.ReadDocOrNone(dst, rec)
}

// rewordRecord reads document d's record of reword.AppendDoc (empty when
// it was not analyzed), valid until the next call.
func (r *SeedReader) rewordRecord(d uint32) ([]byte, error) {
	x := r.x
	if !x.reword {
		return nil, ErrNoReword
	}
	return r.extra(&x.docs[d])
}

// extra reads the record PutWith wrote after a document's seed record
// (its reword.AppendDoc), valid until the next call: into r's buffer for
// a scattered reader, as View reads the seeds.
func (r *SeedReader) extra(info *docRecord) ([]byte, error) {
	x := r.x
	if r.copy && info.seeds.Bytes < r.large {
		rec, buf, err := x.seeds.ReadExtraCopy(info.seeds, int(info.rwBytes), r.rwBuf)
		r.rwBuf = buf
		return rec, err
	}
	rec, buf, err := x.seeds.ReadExtra(info.seeds, int(info.rwBytes), r.rwBuf)
	r.rwBuf = buf
	if err != nil {
		return nil, err
	}
	r.touch(info.seeds.Off+((info.seeds.Bytes+3)&^3), int64(info.rwBytes))
	return rec, nil
}
