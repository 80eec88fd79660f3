package reword

import (
	"context"
	"encoding/binary"
	"errors"
	"math/bits"
	"sort"

	"github.com/reuse-tool/reuse/internal/grow"
)

// ErrCorrupt is returned by ReadDoc for a record AppendDoc did not write.
var ErrCorrupt = errors.New("reword: corrupt Doc record")

// docVersion is the first byte of a Doc record.
const docVersion = 1

// AppendDoc appends the record of d to dst and returns it: what a scan
// spools for each document in its first stage, for ReadDoc in its third.
//
// Format (uvarint: encoding/binary's unsigned varint):
//
//	version    1 byte (1)
//	tokens     uvarint: len(Terms)
//	vocab      uvarint: len(Vocab)
//	sentences  uvarint: len(Sentences)
//	Vocab      4 bytes each, little-endian
//	Sentences  zigzag varint each: the difference from the previous start
//	           (from 0 for the first)
//	Terms      uvarint each
//
// Size, measured (TestScanCost): 2.9 bytes a token on generated news,
// 2.2 on the Linux kernel's Documentation (.rst): a term number is one
// byte up to 127 and two up to 16,383, a term costs 4 bytes once per
// document (most of the bytes of short documents), a sentence start one
// or two. Cost: 2 to 5 ns a token each way.
func AppendDoc(dst []byte, d Doc) []byte {
	dst, _ = AppendDocContext(context.Background(), dst, d)
	return dst
}

// AppendDocContext is AppendDoc, giving up with ctx.Err() when ctx is
// done: it looks at ctx every checkTokens terms. The record's room is
// taken at once, at its largest size for terms numbered within Vocab (as
// the Analyzer numbers them; a larger number only grows it again), by
// grow.Slice, whose room not written costs no memory: a large document's
// record grown by append was copied, a few hundred MB at a time, in
// copies no interrupt could stop.
func AppendDocContext(ctx context.Context, dst []byte, d Doc) ([]byte, error) {
	dst = grow.Slice(dst, 1+3*binary.MaxVarintLen64+4*len(d.Vocab)+
		len(d.Sentences)*uvarintLen(2*uint64(len(d.Terms)))+len(d.Terms)*uvarintLen(uint64(len(d.Vocab))))
	dst = append(dst, docVersion)
	dst = binary.AppendUvarint(dst, uint64(len(d.Terms)))
	dst = binary.AppendUvarint(dst, uint64(len(d.Vocab)))
	dst = binary.AppendUvarint(dst, uint64(len(d.Sentences)))
	for _, t := range d.Vocab {
		dst = binary.LittleEndian.AppendUint32(dst, t)
	}
	prev := int64(0)
	for _, s := range d.Sentences {
		dst = binary.AppendVarint(dst, int64(s)-prev)
		prev = int64(s)
	}
	for lo := 0; lo < len(d.Terms); lo += checkTokens {
		if lo > 0 {
			if err := ctx.Err(); err != nil {
				return dst, err
			}
		}
		for _, t := range d.Terms[lo:min(lo+checkTokens, len(d.Terms))] {
			dst = binary.AppendUvarint(dst, uint64(t))
		}
	}
	return dst, nil
}

// uvarintLen is the size of binary.AppendUvarint's encoding of x.
func uvarintLen(x uint64) int { return max(1, (bits.Len64(x)+6)/7) }

// CheckRecord reports whether rec is a record of AppendDoc of a document
// of the given number of tokens (ErrCorrupt otherwise): a record kept
// apart from its document (an archive index's) is checked against it
// before it is trusted.
func CheckRecord(rec []byte, tokens int) error {
	d, err := ReadDoc(Doc{}, rec)
	if err != nil {
		return err
	}
	if len(d.Terms) != tokens {
		return ErrCorrupt
	}
	return nil
}

// ReadDocOrNone is ReadDoc, giving an empty Doc (dst's slices emptied)
// for an empty rec: a document not analyzed (a scan analyzes prose only,
// Prose).
func ReadDocOrNone(dst Doc, rec []byte) (Doc, error) {
	if len(rec) == 0 {
		return Doc{Terms: dst.Terms[:0], Vocab: dst.Vocab[:0], Sentences: dst.Sentences[:0]}, nil
	}
	return ReadDoc(dst, rec)
}

// ReadDoc decodes a record of AppendDoc into dst's slices (grown as
// needed) and returns the Doc. The Doc does not refer to rec. A record
// that is not one gives ErrCorrupt, never a panic or an allocation beyond
// what its length allows.
func ReadDoc(dst Doc, rec []byte) (Doc, error) { return readDoc(dst, rec, nil, 0) }

// ReadDocNear is ReadDoc decoding the terms of the sentences within
// radius sentences of the tokens at only (and of one sentence more on
// each side); the other tokens read as stop words (NoTerm). Those terms
// are skipped, not checked: give it records this process wrote, or
// checked (CheckRecord). An empty rec gives an empty Doc, as
// ReadDocOrNone; no tokens at all (at empty), the whole Doc, as ReadDoc.
// A pair aligned near a few places of a long document
// (PairAligner.AlignPair: its traces) needs no more.
func ReadDocNear(dst Doc, rec []byte, at []int32, radius int) (Doc, error) {
	if len(rec) == 0 || len(at) == 0 {
		return ReadDocOrNone(dst, rec)
	}
	return readDoc(dst, rec, at, max(radius, 0))
}

// readDoc is ReadDoc, and ReadDocNear with at (not nil) and radius.
func readDoc(dst Doc, rec []byte, at []int32, radius int) (Doc, error) {
	if len(rec) == 0 || rec[0] != docVersion {
		return dst, ErrCorrupt
	}
	r := rec[1:]
	var counts [3]uint64
	for i := range counts {
		v, n := binary.Uvarint(r)
		if n <= 0 {
			return dst, ErrCorrupt
		}
		counts[i], r = v, r[n:]
	}
	tokens, vocab, sentences := counts[0], counts[1], counts[2]
	// Each token, sentence and term takes at least 1, 1 and 4 bytes.
	if vocab > uint64(len(r))/4 || tokens > uint64(len(r)) || sentences > uint64(len(r)) ||
		4*vocab+tokens+sentences > uint64(len(r)) || tokens > 1<<31 {
		return dst, ErrCorrupt
	}
	dst.Vocab = resize(dst.Vocab, int(vocab))
	for i := range dst.Vocab {
		dst.Vocab[i] = binary.LittleEndian.Uint32(r)
		r = r[4:]
	}
	dst.Sentences = resize(dst.Sentences, int(sentences))
	prev := int64(0)
	for i := range dst.Sentences {
		v, n := binary.Varint(r)
		if n <= 0 {
			return dst, ErrCorrupt
		}
		prev += v
		if prev < -1<<31 || prev > 1<<31-1 {
			return dst, ErrCorrupt
		}
		dst.Sentences[i], r = int32(prev), r[n:]
	}
	dst.Terms = resize(dst.Terms, int(tokens))
	from, to := 0, len(dst.Terms)
	if at != nil {
		from, to = dst.near(at, radius+1)
	}
	pos := skipVarints(r, 0, from)
	if pos < 0 {
		return dst, ErrCorrupt
	}
	clear(dst.Terms[:from])
	pos, err := decodeTerms(dst.Terms[from:to], r, pos)
	if err != nil {
		return dst, err
	}
	clear(dst.Terms[to:])
	if pos = skipVarints(r, pos, len(dst.Terms)-to); pos != len(r) {
		return dst, ErrCorrupt
	}
	return dst, nil
}

// near returns the tokens [from, to) of the sentences within radius
// sentences of the tokens at, of a Doc whose Sentences and number of
// Terms are known.
func (d *Doc) near(at []int32, radius int) (from, to int) {
	n := len(d.Sentences)
	lo, hi := n, -1
	for _, t := range at {
		// The sentence holding t: the last starting at or before it.
		i := sort.Search(n, func(i int) bool { f, _ := d.Sentence(i); return f > t }) - 1
		lo, hi = min(lo, i), max(hi, i)
	}
	if n == 0 {
		return 0, len(d.Terms)
	}
	lo, hi = max(lo-radius, 0), min(max(hi, 0)+radius, n-1)
	f, _ := d.Sentence(lo)
	_, e := d.Sentence(hi)
	if lo == 0 {
		f = 0
	}
	if hi == n-1 {
		e = int32(len(d.Terms))
	}
	return int(f), max(int(e), int(f))
}

// decodeTerms decodes len(terms) terms from r at pos and returns the
// position after them. Terms of one byte (most) and of two (a document of
// more than 127 terms) are decoded without a call: the decoding of second
// documents' analyses is a tenth of a scan's reworded alignment on
// technical prose.
func decodeTerms(terms []uint32, r []byte, pos int) (int, error) {
	for i := range terms {
		if pos+1 < len(r) {
			// One byte or two, without a branch on which: they mix
			// unpredictably in a document of more than 127 terms.
			c, d := uint32(r[pos]), uint32(r[pos+1])
			if c&d&0x80 == 0 {
				two := c >> 7 // 1 when c continues into d
				terms[i] = c&0x7f | d<<7&-two
				pos += 1 + int(two)
				continue
			}
		}
		v, n := binary.Uvarint(r[pos:])
		if n <= 0 || v > 1<<32-1 {
			return pos, ErrCorrupt
		}
		terms[i] = uint32(v)
		pos += n
	}
	return pos, nil
}

// skipVarints returns the position in r after n varints from pos, by
// their last bytes (the bytes below 0x80), eight bytes at a time; -1 when
// r ends first.
func skipVarints(r []byte, pos, n int) int {
	for n > 0 && pos+8 <= len(r) {
		ends := bits.OnesCount64(^binary.LittleEndian.Uint64(r[pos:]) & 0x8080808080808080)
		if ends >= n {
			break
		}
		n -= ends
		pos += 8
	}
	for ; n > 0 && pos < len(r); pos++ {
		if r[pos] < 0x80 {
			n--
		}
	}
	if n > 0 {
		return -1
	}
	return pos
}
