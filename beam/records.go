package reusebeam

import (
	"encoding/binary"
	"errors"

	"github.com/reuse-tool/reuse/candidate"
	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/internal/postings"
	"github.com/reuse-tool/reuse/shingle"
)

// The records the pipeline shuffles in bulk are batches encoded by hand
// into []byte (Beam's bytes coder: a length and the bytes), not Go
// structs (Beam's row coder, a header and a varint per field) one per
// element. A runner's cost is per element and per key as much as per
// byte: Prism keeps about 200 bytes of bookkeeping for each element it
// holds and about 500 for each key a GroupByKey has seen, until the
// pipeline ends (measured in README.md). So postings and band keys go
// to a few partitions, and everything keyed by document goes to a
// block of documents. All integers are little endian.
//
//	posting       20 bytes: hash uint64, document uint32, position uint32,
//	              the digest of the words around uint32 (band keys:
//	              the key, the document, 0, 0)
//	key           20 bytes: candidate.EncodeKey
//	rare          12 bytes: document, position, document frequency
//	occurrence    12 bytes: document, start, end (cluster.Occurrence)
//	candidate     A, B, Shared (uint32 each), check (a byte), then
//	              uvarint n and n anchors of 8 bytes (PosA, PosB)
//	align doc     uvarints: document, words, seeds, repeats (pairs),
//	              rare entries, boilerplate occurrences, signature
//	              values; then the seeds (uint32), repeats (first,
//	              later place: uint32 each), rare entries (position,
//	              df: uint32 each), occurrences (start, end: int32
//	              each) and the signature (uint64 each): about 4 bytes
//	              a word

const (
	postingBytes = 20
	keyBytes     = candidate.KeyBytes
	rareBytes    = 12
	occBytes     = 12
)

var errCorrupt = errors.New("reuse-beam: corrupt record")

// partitionOf is the partition of n that a posting hash or band key goes
// to.
func partitionOf(hash uint64, n int) uint32 { return uint32((hash >> 32) * uint64(n) >> 32) }

func appendPosting(dst []byte, p postings.Posting) []byte {
	dst = binary.LittleEndian.AppendUint64(dst, p.Hash)
	dst = binary.LittleEndian.AppendUint32(dst, p.Doc)
	dst = binary.LittleEndian.AppendUint32(dst, p.Pos)
	return binary.LittleEndian.AppendUint32(dst, p.Around)
}

func decodePostings(dst []postings.Posting, b []byte) []postings.Posting {
	for ; len(b) >= postingBytes; b = b[postingBytes:] {
		dst = append(dst, postings.Posting{
			Hash: binary.LittleEndian.Uint64(b), Doc: binary.LittleEndian.Uint32(b[8:]), Pos: binary.LittleEndian.Uint32(b[12:]),
			Around: binary.LittleEndian.Uint32(b[16:]),
		})
	}
	return dst
}

func appendKey(dst []byte, k candidate.Key) []byte {
	n := len(dst)
	dst = append(dst, make([]byte, keyBytes)...)
	candidate.EncodeKey(dst[n:], k)
	return dst
}

func decodeKeys(dst []candidate.Key, b []byte) []candidate.Key {
	for ; len(b) >= keyBytes; b = b[keyBytes:] {
		dst = append(dst, candidate.DecodeKey(b))
	}
	return dst
}

func appendRare(dst []byte, doc, pos, df uint32) []byte {
	dst = binary.LittleEndian.AppendUint32(dst, doc)
	dst = binary.LittleEndian.AppendUint32(dst, pos)
	return binary.LittleEndian.AppendUint32(dst, df)
}

// eachRare calls fn with every rare entry of b.
func eachRare(b []byte, fn func(doc uint32, e candidate.RareEntry)) {
	for ; len(b) >= rareBytes; b = b[rareBytes:] {
		fn(binary.LittleEndian.Uint32(b), candidate.RareEntry{Pos: binary.LittleEndian.Uint32(b[4:]), DF: binary.LittleEndian.Uint32(b[8:])})
	}
}

func appendOcc(dst []byte, o cluster.Occurrence) []byte {
	dst = binary.LittleEndian.AppendUint32(dst, o.Doc)
	dst = binary.LittleEndian.AppendUint32(dst, uint32(o.Start))
	return binary.LittleEndian.AppendUint32(dst, uint32(o.End))
}

func eachOcc(b []byte, fn func(o cluster.Occurrence)) {
	for ; len(b) >= occBytes; b = b[occBytes:] {
		fn(cluster.Occurrence{
			Doc: binary.LittleEndian.Uint32(b), Start: int32(binary.LittleEndian.Uint32(b[4:])), End: int32(binary.LittleEndian.Uint32(b[8:])),
		})
	}
}

// cand is a pair of documents (A < B) to align: a candidate of the
// shuffle with the places of the fingerprints it shares, or (Check) a
// pair of documents whose signatures share an LSH bucket, to check for
// near-duplicates.
type cand struct {
	A, B    uint32
	Shared  int32
	Check   bool
	Anchors []candidate.Anchor
	Keys    []candidate.Anchor // the places of the reworded keys it shares (candidate.Merge)
	Whole   bool               // a listed pair (Settings.Pairs), aligned whole
}

func appendCand(dst []byte, c *cand) []byte {
	dst = binary.LittleEndian.AppendUint32(dst, c.A)
	dst = binary.LittleEndian.AppendUint32(dst, c.B)
	dst = binary.LittleEndian.AppendUint32(dst, uint32(c.Shared))
	flags := byte(0)
	if c.Check {
		flags |= 1
	}
	if c.Whole {
		flags |= 2
	}
	dst = append(dst, flags)
	dst = appendAnchors(dst, c.Anchors)
	return appendAnchors(dst, c.Keys)
}

// appendAnchors appends the number of anchors, then each (PosA, PosB, DF).
func appendAnchors(dst []byte, as []candidate.Anchor) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(as)))
	for _, a := range as {
		dst = binary.LittleEndian.AppendUint32(dst, a.PosA)
		dst = binary.LittleEndian.AppendUint32(dst, a.PosB)
		dst = binary.LittleEndian.AppendUint32(dst, a.DF)
	}
	return dst
}

// decodeAnchors reads what appendAnchors wrote at the start of b, into
// memory of their own (nil when none), and returns the rest of b.
func decodeAnchors(b []byte) ([]candidate.Anchor, []byte, error) {
	n, k := binary.Uvarint(b)
	if k <= 0 {
		return nil, b, errCorrupt
	}
	b = b[k:]
	if uint64(len(b))/anchorBytes < n {
		return nil, b, errCorrupt
	}
	if n == 0 {
		return nil, b, nil
	}
	as := make([]candidate.Anchor, n)
	for i := range as {
		a := b[anchorBytes*i:]
		as[i] = candidate.Anchor{PosA: binary.LittleEndian.Uint32(a), PosB: binary.LittleEndian.Uint32(a[4:]), DF: binary.LittleEndian.Uint32(a[8:])}
	}
	return as, b[anchorBytes*n:], nil
}

// anchorBytes is the size of an encoded anchor: PosA, PosB, DF.
const anchorBytes = 12

// decodeCands appends the candidates of b to dst (their anchors and keys
// in memory of their own).
func decodeCands(dst []cand, b []byte) ([]cand, error) {
	for len(b) > 0 {
		if len(b) < 13 {
			return dst, errCorrupt
		}
		c := cand{
			A: binary.LittleEndian.Uint32(b), B: binary.LittleEndian.Uint32(b[4:]),
			Shared: int32(binary.LittleEndian.Uint32(b[8:])), Check: b[12]&1 != 0, Whole: b[12]&2 != 0,
		}
		var err error
		if c.Anchors, b, err = decodeAnchors(b[13:]); err != nil {
			return dst, err
		}
		if c.Keys, b, err = decodeAnchors(b); err != nil {
			return dst, err
		}
		dst = append(dst, c)
	}
	return dst, nil
}

// alignDoc is what aligning a pair needs of each of its documents: its
// seeds and the places of the fingerprints it holds more than once
// (shingle.Analysis.Repeats, which a scan keeps at the end of its seed
// record: pairs.Aligner.AlignSeeds), what the evidence filter knows of it (its rare
// fingerprints, its boilerplate and its tokens' word classes,
// pairs.Evidence), and, for a check of
// near-duplicates, its MinHash signature. Its token offsets are not
// there: passages are converted to bytes later, where each document is
// (TokenBytes), so that a pair's second document travels at 4 bytes a
// word rather than 6.
type alignDoc struct {
	Doc, Words uint32
	Key        uint64 // cluster.DocKey of its id, for the references of boilerplate (widen.go)
	Seeds      []uint32
	Repeats    []uint32 // pairs (first place, later place), flat, sorted
	Rare       []candidate.RareEntry
	Boiler     []cluster.Occurrence // Doc unset
	Sig        []uint64
	Reworded   []byte // the analysis for reworded reuse (reword.AppendDoc); empty when not analyzed
	Classes    []byte // the tokens' word classes (shingle.AppendWordClasses), for the evidence filter
}

// words counts the word classes of tokens [from, to) of d and their
// quotation marks (spool.SeedView.Words).
func (d *alignDoc) words(from, to int) shingle.Words {
	return shingle.CountWords(d.Classes, from, min(to, int(d.Words)))
}

// append encodes d, without its signature unless sig.
func (d *alignDoc) append(dst []byte, sig bool) []byte {
	nSig := 0
	if sig {
		nSig = len(d.Sig)
	}
	repeats := d.Repeats[:len(d.Repeats)&^1]
	for _, v := range [...]int{int(d.Doc), int(d.Words), len(d.Seeds), len(repeats) / 2, len(d.Rare), len(d.Boiler), nSig, len(d.Reworded), len(d.Classes)} {
		dst = binary.AppendUvarint(dst, uint64(v))
	}
	dst = binary.LittleEndian.AppendUint64(dst, d.Key)
	for _, s := range d.Seeds {
		dst = binary.LittleEndian.AppendUint32(dst, s)
	}
	for _, p := range repeats {
		dst = binary.LittleEndian.AppendUint32(dst, p)
	}
	for _, e := range d.Rare {
		dst = binary.LittleEndian.AppendUint32(dst, e.Pos)
		dst = binary.LittleEndian.AppendUint32(dst, e.DF)
	}
	for _, o := range d.Boiler {
		dst = binary.LittleEndian.AppendUint32(dst, uint32(o.Start))
		dst = binary.LittleEndian.AppendUint32(dst, uint32(o.End))
	}
	for _, v := range d.Sig[:nSig] {
		dst = binary.LittleEndian.AppendUint64(dst, v)
	}
	dst = append(dst, d.Reworded...)
	return append(dst, d.Classes...)
}

// decodeAlignDoc decodes the first record of b and returns the rest.
func decodeAlignDoc(b []byte) (alignDoc, []byte, error) {
	var n [9]uint64
	for i := range n {
		v, k := binary.Uvarint(b)
		if k <= 0 || i >= 2 && v > uint64(len(b)) { // no count exceeds the bytes left
			return alignDoc{}, nil, errCorrupt
		}
		n[i], b = v, b[k:]
	}
	if uint64(len(b)) < 8+4*n[2]+8*n[3]+8*n[4]+8*n[5]+8*n[6]+n[7]+n[8] {
		return alignDoc{}, nil, errCorrupt
	}
	d := alignDoc{Doc: uint32(n[0]), Words: uint32(n[1]), Key: binary.LittleEndian.Uint64(b), Seeds: make([]uint32, n[2])}
	b = b[8:]
	for i := range d.Seeds {
		d.Seeds[i] = binary.LittleEndian.Uint32(b[4*i:])
	}
	b = b[4*n[2]:]
	if n[3] > 0 {
		d.Repeats = make([]uint32, 2*n[3])
		for i := range d.Repeats {
			d.Repeats[i] = binary.LittleEndian.Uint32(b[4*i:])
		}
		b = b[8*n[3]:]
	}
	if n[4] > 0 {
		d.Rare = make([]candidate.RareEntry, n[4])
		for i := range d.Rare {
			d.Rare[i] = candidate.RareEntry{Pos: binary.LittleEndian.Uint32(b[8*i:]), DF: binary.LittleEndian.Uint32(b[8*i+4:])}
		}
		b = b[8*n[4]:]
	}
	if n[5] > 0 {
		d.Boiler = make([]cluster.Occurrence, n[5])
		for i := range d.Boiler {
			d.Boiler[i] = cluster.Occurrence{Start: int32(binary.LittleEndian.Uint32(b[8*i:])), End: int32(binary.LittleEndian.Uint32(b[8*i+4:]))}
		}
		b = b[8*n[5]:]
	}
	if n[6] > 0 {
		d.Sig = make([]uint64, n[6])
		for i := range d.Sig {
			d.Sig[i] = binary.LittleEndian.Uint64(b[8*i:])
		}
		b = b[8*n[6]:]
	}
	if n[7] > 0 {
		d.Reworded, b = append([]byte(nil), b[:n[7]]...), b[n[7]:]
	}
	if n[8] > 0 {
		d.Classes, b = append([]byte(nil), b[:n[8]]...), b[n[8]:]
	}
	return d, b, nil
}

// blockDocs gathers, from a CoGroupByKey by block, the align docs of the
// block's documents (each a record of its own) with their rare entries
// and boilerplate occurrences.
func blockDocs(data, rare, boiler func(*[]byte) bool) (map[uint32]*alignDoc, error) {
	docs := make(map[uint32]*alignDoc)
	var b []byte
	for data(&b) {
		d, _, err := decodeAlignDoc(b)
		if err != nil {
			return nil, err
		}
		docs[d.Doc] = &d
	}
	for rare(&b) {
		eachRare(b, func(doc uint32, e candidate.RareEntry) {
			if d := docs[doc]; d != nil {
				d.Rare = append(d.Rare, e)
			}
		})
	}
	for boiler(&b) {
		eachOcc(b, func(o cluster.Occurrence) {
			if d := docs[o.Doc]; d != nil {
				d.Boiler = append(d.Boiler, cluster.Occurrence{Start: o.Start, End: o.End})
			}
		})
	}
	return docs, nil
}
