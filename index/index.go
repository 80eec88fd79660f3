package index

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc64"
	"slices"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/reuse-tool/reuse/corpus"
	"github.com/reuse-tool/reuse/internal/spool"
)

// Index is what stage 1 hands on: the documents' records, sorted by id,
// and the spools of their postings, band keys, signatures, seeds and
// texts.
type Index struct {
	docs     []docRecord
	ids      []byte // the documents' ids, an arena (docRecord.idOff), only ever appended to
	names    *names
	docOf    []uint32       // number in docs of the document of each sequence number
	sigs     *spool.Array   // MinHash signatures, by sequence number
	bands    *spool.Records // LSH band keys as postings (key, sequence number)
	postings *spool.Records
	seeds    *spool.Seeds
	texts    *spool.Texts
	keys     *spool.Records // reworded keys as postings (Options.Reword)
	fps      *spool.Texts   // each document's fingerprints, when kept (Options.KeepFingerprints)
	seedK    int            // tokens per seed
	shingleK int            // tokens per fingerprint shingle
	sigSize  int            // values per signature
	reword   bool

	// The mapped spools' pages are dropped from resident memory each time
	// the reads since the last drop can have made releaseEvery bytes of
	// them resident (touched; they stay in the page cache): a scan's
	// memory holds at most that much of its spools.
	read         atomic.Int64 // of the seed spool
	sigRead      atomic.Int64 // of the signature spool
	releaseEvery int64
	seedsMapped  int64 // the mapped spools' lengths (seal)
	sigsMapped   int64
	sigNext      atomic.Int64 // Signature's windowBytes state
	docNext      atomic.Int64 // Doc's windowBytes state, over the seed spool

	// checked marks the plain documents whose file Text has read again
	// and found unchanged (made on first use), for TextRange.
	checked     []atomic.Bool
	checkedOnce sync.Once
}

// ErrNoReword reports a call that needs an Index built with
// Options.Reword.
var ErrNoReword = errors.New("index: documents not analyzed for reworded reuse (Options.Reword)")

// ErrChanged reports a file that changed between its reading in Build and
// a later reading of its text.
var ErrChanged = errors.New("index: file changed during the scan")

// Len returns the number of documents.
func (x *Index) Len() int { return len(x.docs) }

// SeedTokens returns the number of tokens per seed of the SeedReader's
// views: the aligner's seed length (align.Options.Seed).
func (x *Index) SeedTokens() int { return x.seedK }

// ShingleTokens returns the number of tokens a fingerprint covers, from
// its position on: the text an anchor (candidate.Anchor) stands for.
func (x *Index) ShingleTokens() int { return x.shingleK }

// idBytes returns document d's id as bytes of the arena (not to be
// modified).
func (x *Index) idBytes(d *docRecord) []byte {
	return x.ids[d.idOff : d.idOff+int64(d.idLen)]
}

// ID returns document d's id. It allocates nothing: the string is a view
// of the ids' arena, whose bytes are never written again (the last step
// asks for an id per cluster member and per pair, tens of millions at 10
// GB of news).
func (x *Index) ID(d uint32) string {
	id := x.idBytes(&x.docs[d])
	return unsafe.String(unsafe.SliceData(id), len(id))
}

// Path returns the path document d was read from.
func (x *Index) Path(d uint32) string { return x.path(&x.docs[d]) }

func (x *Index) path(d *docRecord) string {
	return x.pathOf(x.idBytes(d), d.path)
}

// pathOf is the path of a document of this id and docRecord.path.
func (x *Index) pathOf(id []byte, path uint32) string {
	p := x.names.prefixes[path>>1]
	if path&1 != 0 {
		return p + string(id)
	}
	return p
}

// Date returns document d's date, "" when undated.
func (x *Index) Date(d uint32) string {
	if k := x.docs[d].date; k != 0 {
		return x.names.dates[k-1]
	}
	return ""
}

// Bytes returns the length of document d's text.
func (x *Index) Bytes(d uint32) int { return int(x.docs[d].bytes) }

// Words returns the number of document d's tokens.
func (x *Index) Words(d uint32) int { return int(x.docs[d].words) }

// Fingerprints returns the number of document d's distinct fingerprint
// hashes.
func (x *Index) Fingerprints(d uint32) int { return int(x.docs[d].fingerprints) }

// Extracted reports whether document d's text is not the file it was read
// from as it is (extracted from HTML or JSONL, decompressed, decoded from
// another encoding, read from an archive or standard input).
func (x *Index) Extracted(d uint32) bool { return !x.docs[d].plain }

// Find returns the number of the document with the given id.
func (x *Index) Find(id string) (uint32, bool) {
	i, ok := slices.BinarySearchFunc(x.docs, id, func(d docRecord, id string) int {
		return bytes.Compare(x.idBytes(&d), []byte(id))
	})
	return uint32(i), ok
}

var crcTable = crc64.MakeTable(crc64.ECMA)

// Checksum is the checksum of a document's text (CRC-64, ECMA) that
// orders documents of one id, path and line (Key.CRC), and tells a file
// changed since Build read it.
func Checksum(text []byte) uint64 { return crc64.Checksum(text, crcTable) }

// Text returns document d's text: the file read again (and checked
// against what Build read, ErrChanged), or the spooled text, in buf when
// it has room.
func (x *Index) Text(d uint32, buf []byte) ([]byte, error) {
	r := &x.docs[d]
	if r.plain {
		path := x.path(r)
		text, err := corpus.ReadFile(path, buf)
		if err != nil {
			return nil, err
		}
		if len(text) != int(r.bytes) || Checksum(text) != r.crc {
			return nil, fmt.Errorf("%s: %w", path, ErrChanged)
		}
		x.markChecked(d)
		return text, nil
	}
	return x.texts.Get(r.textOff, int(r.bytes), buf)
}

// TextRange returns bytes [start, end) of document d's text, as Text
// would, decoded into buf when it has room. A plain document's file is
// read whole and checked once (by Text, on the first call for it); later
// calls read only the range, after checking the file's size: the passage
// texts of JSON Lines read every pair's second document, and reading and
// checksumming it whole for each pair took 80 s of the Linux tree's 192
// (docs/benchmarks.md, "JSON Lines").
func (x *Index) TextRange(d uint32, start, end int, buf []byte) ([]byte, error) {
	r := &x.docs[d]
	if start < 0 || end < start || end > int(r.bytes) {
		return nil, fmt.Errorf("index: bytes %d-%d of document %d of %d bytes", start, end, d, r.bytes)
	}
	if !r.plain {
		return x.texts.Get(r.textOff+int64(start), end-start, buf)
	}
	if !x.isChecked(d) {
		text, err := x.Text(d, buf)
		if err != nil {
			return nil, err
		}
		return text[start:end], nil
	}
	path := x.path(r)
	text, err := corpus.ReadFileRange(path, int64(r.bytes), int64(start), end-start, buf)
	if errors.Is(err, corpus.ErrSizeChanged) {
		return nil, fmt.Errorf("%s: %w", path, ErrChanged)
	}
	return text, err
}

func (x *Index) markChecked(d uint32) {
	x.checkedOnce.Do(func() { x.checked = make([]atomic.Bool, len(x.docs)) })
	if int(d) < len(x.checked) {
		x.checked[d].Store(true)
	}
}

func (x *Index) isChecked(d uint32) bool {
	x.checkedOnce.Do(func() { x.checked = make([]atomic.Bool, len(x.docs)) })
	return int(d) < len(x.checked) && x.checked[d].Load()
}

// Signature returns document d's MinHash signature, decoded into dst.
func (x *Index) Signature(dst []uint64, d uint32) ([]uint64, error) {
	seq := int64(x.docs[d].seq)
	rec, err := x.sigs.Get(int(seq), nil)
	if err != nil {
		return dst, err
	}
	// Counted as the pages it can make resident, as SeedReader.touch
	// counts: the groups read the signatures of LSH buckets' members,
	// scattered over the spool (docs/benchmarks.md, "What the last step
	// holds at 10 GB").
	x.touchedWindows(&x.sigNext, &x.sigRead, seq*int64(len(rec)), int64(len(rec)))
	dst = dst[:0]
	for i := 0; i < len(rec); i += 8 {
		dst = append(dst, binary.LittleEndian.Uint64(rec[i:]))
	}
	return dst, nil
}

// touchedWindows counts a read of n bytes at off of a mapped spool
// (read: x.read or x.sigRead) by the fault-around windows it reaches
// (windowBytes), next holding the state of one reader of it. Concurrent
// readers sharing next: a race miscounts a window, no more.
func (x *Index) touchedWindows(next, read *atomic.Int64, off, n int64) {
	w := next.Load()
	b := windowBytes(&w, off, n)
	next.Store(w)
	x.touched(read, b)
}

// seal ends the writing of the seed and signature spools and maps them.
func (x *Index) seal() {
	x.seeds.Seal()
	x.sigs.Seal()
	x.seedsMapped, x.sigsMapped = x.seeds.MappedBytes(), x.sigs.MappedBytes()
}

// touched counts n bytes read from the mapped seed spool (read) or
// signature spool (sigRead), and drops both spools' pages from resident
// memory once the reads since the last drop can have made releaseEvery
// bytes resident: each spool's reads, but no more than its mapping.
// Spools that fit in releaseEvery whole are then never dropped. Counting
// a scattered read by its fault-around windows had made drops 16 times
// as frequent, and at the default budget the seed spool's pages were
// dropped and faulted in again all through the alignment
// (docs/benchmarks.md, "Drops only where the spools outgrow the share").
func (x *Index) touched(read *atomic.Int64, n int64) {
	read.Add(n)
	if min(x.read.Load(), x.seedsMapped)+min(x.sigRead.Load(), x.sigsMapped) < x.releaseEvery {
		return
	}
	x.read.Store(0)
	x.sigRead.Store(0)
	x.seeds.Release()
	x.sigs.Release()
}

// Reworded reports whether the documents were analyzed for reworded
// reuse (Options.Reword): SeedReader.Reworded and EachKeyLoad work.
func (x *Index) Reworded() bool { return x.reword }

// Prose reports whether document d reads as prose (reword.Prose, which
// Build asks of every document; an Index of FromDocs knows only that a
// document was analyzed for reworded reuse, as a scan analyzes the
// documents that read as prose).
func (x *Index) Prose(d uint32) bool { return x.docs[d].prose }

// KeepTexts removes every spool but the texts': afterwards only the
// documents' records and Text may be used.
func (x *Index) KeepTexts() {
	if x.keys != nil {
		x.keys.Close()
	}
	x.postings.Close()
	x.bands.Close()
	x.sigs.Close()
	x.seeds.Close()
	if x.fps != nil {
		x.fps.Close()
	}
}

// Close removes the spools.
func (x *Index) Close() {
	x.KeepTexts()
	x.texts.Close()
}
