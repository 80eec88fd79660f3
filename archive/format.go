package archive

// The index is a folder:
//
//	MANIFEST              what the index holds: its format version, its
//	                      settings, its root and its segments; replaced
//	                      whole, by rename, at every change
//	LOCK                  held (flock) by the one process changing the
//	                      index; readers never take it
//	s000001.seg           segments: immutable, written to a temporary
//	s000002.seg           name, synced, then renamed
//	s000001.000007.del    documents removed from segment 1 as of manifest
//	                      generation 7: immutable too, replaced by a new
//	                      file when more are removed
//	a000007.aln           optional: the alignments of the archive's own
//	                      pairs as of generation 7, and the joins and
//	                      clusters of its boilerplate (reuse index align;
//	                      alignments.go):
//	                      kept through additions and removals (with the
//	                      removal files it names), stale and removed when
//	                      its segments are merged
//
// A change writes new files, syncs them, and publishes them by writing a
// new MANIFEST (internal/atomicfile: a temporary file, synced, renamed
// over the old one, the folder synced). Files no manifest names are
// debris of a change that did not finish: the next writer deletes them.
// A reader reads MANIFEST, then opens the files it names; a file missing
// because a writer replaced it in between (a compaction) makes it read
// MANIFEST again.
//
// # Manifest
//
// Three lines of text:
//
//	reuse-index 1
//	{"generation":7,"root":"/data/news",...}
//	crc32c 1a2b3c4d
//
// The first names the format version (FormatVersion): a reader refuses
// any other. The second is the manifest as JSON (type manifest). The
// third is the CRC-32C (Castagnoli) of the second line's bytes, in hex.
//
// # Segments
//
// All integers are little endian; uvarint is encoding/binary's. A
// segment holds documents numbered 0..n-1 in order of id, and for each
// kind of posting (fingerprints; LSH band keys) the sorted list of keys
// with the documents (and positions) holding them.
//
//	"reuse seg 1\n"         12 bytes
//	records                 every document's records, in order
//	postings                every kind's blocks, kind after kind
//	document table          n entries of 32 bytes
//	block index             every kind's index, kind after kind
//	trailer
//
// A document's records are a sequence of (kind byte, length uvarint,
// bytes); readers skip kinds they do not know:
//
//	'm' meta          uvarints: text bytes, words, header bytes (metadata
//	                  not tokenized), JSONL line, distinct fingerprint
//	                  hashes, flags (1: plain, the text is its file as it
//	                  is); uint64 CRC-64 (ECMA) of the text; then three
//	                  strings (uvarint length, bytes): id, path, date.
//	                  The path is relative to the index's root when the
//	                  file lies inside it, absolute otherwise ("-" for
//	                  standard input).
//	's' seeds         the aligner's seeds and the tokens' byte offsets,
//	                  in the format of package internal/spool (Seeds):
//	                  about 6 bytes a word
//	'f' fingerprints  uvarint count, then for each fingerprint the gap
//	                  from the previous one's position (uvarint) and its
//	                  hash (uint64): about 3 bytes a word. The places of
//	                  the fingerprints a document holds more than once,
//	                  which a scan's seed records list, follow from these
//	                  (shingle.Repeats) and are not stored.
//	'g' signature     the MinHash signature, uint64s (512 bytes)
//	't' text          the text, when it is not plain (extracted from
//	                  HTML or JSONL, decompressed, decoded, read from an
//	                  archive or standard input)
//	'w' reworded      the analysis for reworded reuse, in the format of
//	                  package reword (AppendDoc): about 3 bytes a word;
//	                  only for a document that reads as prose
//	                  (reword.Prose), which a default scan analyzes,
//	                  or for every document in an index made for
//	                  reworded reuse (Params.Reworded), as a scan
//	                  with --reworded analyzes them
//
// A kind of posting ('f' fingerprints with positions, 'b' LSH band keys
// without, 'k' keys of reworded sentences with positions: none unless the
// index is made for reworded reuse, Params.Reworded) is a list of terms sorted by key, cut into blocks of about
// 4 KiB (a term is never split). A block is a uvarint count of terms,
// then each term:
//
//	key gap     uvarint: the key less the previous term's key (the
//	            block's first: less the block's first key, 0)
//	documents   uvarint: documents holding the key (in this segment,
//	            removed ones included)
//	postings    uvarint: postings of the key
//	bytes       uvarint: length of the postings that follow
//	postings    ordered by (document, position), each a uvarint gap
//	            from the previous posting's document (the first: the
//	            document), then, for a kind with positions, the
//	            position: a uvarint, the gap from the previous
//	            posting's position in the same document (else the
//	            position) shifted left by one, its low bit set when the
//	            fingerprint lies inside a quotation of the document
//	            there (postings.Quoted; never for keys)
//
// For 1 GB of generated news (337,837 documents, 56 million distinct
// fingerprints) a fingerprint held by one document takes 12 to 13 bytes,
// against 16 in the scan's temporary files (docs/benchmarks.md, "archive
// index").
//
// The document table has an entry of 32 bytes per document:
//
//	off    uint64  offset of the document's records in the file
//	len    uint32  their length
//	crc    uint32  their CRC-32C
//	idOff  uint64  offset of the id (inside the records), for binary search
//	idLen  uint32
//	words  uint32  the document's words, for stats
//
// A kind's block index has an entry of 24 bytes per block, in order of
// key: the block's first key (uint64), its offset (uint64), its length
// (uint32) and its CRC-32C (uint32). A lookup binary-searches it, and
// checks and decodes one block.
//
// The trailer locates the rest:
//
//	docs        uint32  documents
//	tableOff    uint64  offset of the document table
//	tableCRC    uint32  its CRC-32C
//	kinds       uint32  number of kinds of posting, then for each:
//	  kind      uint32  'f', 'b' or 'k' (segments written before 'k'
//	                    existed have none: they read as holding no keys)
//	  flags     uint32  1: postings have positions
//	  indexOff  uint64  offset of its block index
//	  blocks    uint32  entries in its block index
//	  indexCRC  uint32  CRC-32C of its block index
//	  terms     uint64  distinct keys
//	  postings  uint64  postings
//	length      uint32  bytes of the trailer before this field
//	crc         uint32  CRC-32C of the trailer before it, length included
//	"rsegEND\n" 8 bytes
//
// Opening a segment checks the trailer, the document table and the block
// indexes against their checksums (a few milliseconds at 1 GB); a
// document's records and a block are checked when they are read, and
// `reuse index verify` (Index.Verify) checks and decodes everything.
//
// # Removed documents
//
// A removal file names the documents of one segment that are removed:
//
//	"reuse del 1\n"   12 bytes
//	count             uvarint
//	documents         uvarint gaps, ascending
//	crc               uint32: CRC-32C of everything before it
//
// Removed documents are skipped by every reader. Compaction writes the
// segments again without them, which reclaims their space.
//
// # Adding to the format
//
// A new kind of record (as 'w' was) is a kind byte, written by encodeDoc
// and read by decodeDoc into a field of index.Doc; a new kind of posting
// (keys of another kind) is a Kind in kinds, written by Writer.writeIndex
// from the Index's postings of that kind and merged, verified and looked
// up as the others are. Readers skip record kinds they do not know, and
// a segment without a kind of posting in kinds is refused; count
// FormatVersion up with either change when an index made before it would
// give other results, so that it is made again rather than read as one
// that lacks what the change added.

// The keys of reworded sentences ('k') are chosen from the documents'
// analyses with reword's default KeyOptions (index.Keyer; Verify chooses
// them again): a change of how keys are chosen changes FormatVersion.

// FormatVersion is the version of the index format this package reads
// and writes (the first line of MANIFEST). Version 2 added the 'w'
// record: an index of version 1 holds no analysis for reworded reuse,
// and a check against it would find less than a scan. Version 3 records
// each token's sentence stop in the seed record's offsets (package
// spool's format): an index of version 2 would read token lengths four
// times too long. Version 4 adds each token's word class to the seed
// record (shingle.WordClass), which the evidence filter reads
// (align.Evidence.Mention): an index of version 3 would read its
// offsets from the wrong place. Version 5 gives each token four bits
// there, not two: its class and the quotation marks beside it
// (shingle.QuoteMarks), so an index of version 4 too would be misread.
// Version 6 flags the fingerprints' postings that lie inside a quotation
// (the low bit of a position's varint): an index of version 5 would read
// its positions twice too large.
const FormatVersion = 6

const (
	segMagic  = "reuse seg 1\n"
	segEnd    = "rsegEND\n"
	delMagic  = "reuse del 1\n"
	tableSize = 32 // bytes per entry of the document table
	indexSize = 24 // bytes per entry of a block index
	blockSize = 4 << 10
)

// Record kinds of a document.
const (
	recMeta         = 'm'
	recSeeds        = 's'
	recFingerprints = 'f'
	recSignature    = 'g'
	recText         = 't'
	recReworded     = 'w'
)

// Kind is a kind of posting: a key that documents hold, which a lookup
// finds them by.
type Kind uint32

const (
	// Fingerprints are winnowing fingerprints, with positions.
	Fingerprints Kind = 'f'
	// Bands are the LSH band keys of MinHash signatures.
	Bands Kind = 'b'
	// Keys are the keys of reworded sentences (reword.Keyer), with
	// positions: an index made with Params.Reworded holds them, and the
	// segments of others hold none.
	Keys Kind = 'k'
)

// kinds are the kinds every segment holds, in the order of its sections;
// written are those a segment is written with. A segment made before
// Keys existed reads as one holding none: an index without
// Params.Reworded looks none up.
var (
	kinds   = []Kind{Fingerprints, Bands}
	written = []Kind{Fingerprints, Bands, Keys}
)

func (k Kind) positional() bool { return k == Fingerprints || k == Keys }

func (k Kind) String() string {
	switch k {
	case Fingerprints:
		return "fingerprints"
	case Bands:
		return "band keys"
	case Keys:
		return "reworded keys"
	}
	return "kind " + string(rune(k))
}
