package reword

import (
	"encoding/binary"
	"errors"
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
	for _, t := range d.Terms {
		dst = binary.AppendUvarint(dst, uint64(t))
	}
	return dst
}

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
func ReadDoc(dst Doc, rec []byte) (Doc, error) {
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
	dst.Vocab = grow(dst.Vocab, int(vocab))
	for i := range dst.Vocab {
		dst.Vocab[i] = binary.LittleEndian.Uint32(r)
		r = r[4:]
	}
	dst.Sentences = grow(dst.Sentences, int(sentences))
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
	dst.Terms = grow(dst.Terms, int(tokens))
	// Terms of one byte (most) and of two (a document of more than 127
	// terms) without a call: the decoding of second documents' analyses
	// is a tenth of a scan's reworded alignment on technical prose.
	terms, at := dst.Terms, 0
	for i := range terms {
		if at+1 < len(r) {
			if c := r[at]; c < 0x80 {
				terms[i] = uint32(c)
				at++
				continue
			} else if d := r[at+1]; d < 0x80 {
				terms[i] = uint32(c&0x7f) | uint32(d)<<7
				at += 2
				continue
			}
		}
		v, n := binary.Uvarint(r[at:])
		if n <= 0 || v > 1<<32-1 {
			return dst, ErrCorrupt
		}
		terms[i] = uint32(v)
		at += n
	}
	if at != len(r) {
		return dst, ErrCorrupt
	}
	return dst, nil
}
