// Package binread decodes little-endian integers, uvarints and byte
// strings from a slice, remembering the first failure instead of
// returning an error at every step: a decoder reads a whole record, then
// checks Bad once. It does not allocate; a Reader is NOT safe for
// concurrent use.
package binread

import "encoding/binary"

// Reader reads from B, which each read shortens. Once a read runs past
// the end, Bad is set, B is emptied and every later read returns zero.
type Reader struct {
	B   []byte
	Bad bool
}

func (r *Reader) fail() { r.Bad, r.B = true, nil }

// U32 reads a little-endian uint32.
func (r *Reader) U32() uint32 {
	if len(r.B) < 4 {
		r.fail()
		return 0
	}
	v := binary.LittleEndian.Uint32(r.B)
	r.B = r.B[4:]
	return v
}

// U64 reads a little-endian uint64.
func (r *Reader) U64() uint64 {
	if len(r.B) < 8 {
		r.fail()
		return 0
	}
	v := binary.LittleEndian.Uint64(r.B)
	r.B = r.B[8:]
	return v
}

// Uvarint reads a uvarint (encoding/binary's).
func (r *Reader) Uvarint() uint64 {
	v, n := binary.Uvarint(r.B)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.B = r.B[n:]
	return v
}

// UvarintUpTo reads a uvarint of at most max; a larger one sets Bad.
func (r *Reader) UvarintUpTo(max uint64) uint64 {
	v := r.Uvarint()
	if v > max {
		r.fail()
		return 0
	}
	return v
}

// Byte reads one byte.
func (r *Reader) Byte() byte {
	if len(r.B) < 1 {
		r.fail()
		return 0
	}
	v := r.B[0]
	r.B = r.B[1:]
	return v
}

// Bytes reads n bytes, a view of B with no room beyond them.
func (r *Reader) Bytes(n uint64) []byte {
	if uint64(len(r.B)) < n {
		r.fail()
		return nil
	}
	v := r.B[:n:n]
	r.B = r.B[n:]
	return v
}

// Str reads a string of a uvarint length.
func (r *Reader) Str() string { return string(r.Bytes(r.Uvarint())) }
