package binread

import (
	"encoding/binary"
	"testing"
)

func TestReader(t *testing.T) {
	var b []byte
	b = binary.LittleEndian.AppendUint32(b, 7)
	b = binary.LittleEndian.AppendUint64(b, 1<<40)
	b = binary.AppendUvarint(b, 300)
	b = append(b, 9)
	b = binary.AppendUvarint(b, 3)
	b = append(b, "abc"...)
	b = binary.AppendUvarint(b, 5)
	r := Reader{B: b}
	if got := r.U32(); got != 7 {
		t.Errorf("U32 = %d, want 7", got)
	}
	if got := r.U64(); got != 1<<40 {
		t.Errorf("U64 = %d, want 2^40", got)
	}
	if got := r.Uvarint(); got != 300 {
		t.Errorf("Uvarint = %d, want 300", got)
	}
	if got := r.Byte(); got != 9 {
		t.Errorf("Byte = %d, want 9", got)
	}
	if got := r.Str(); got != "abc" || r.Bad {
		t.Errorf("Str = %q (bad %v), want abc", got, r.Bad)
	}
	if got := r.UvarintUpTo(4); got != 0 || !r.Bad || len(r.B) != 0 {
		t.Errorf("UvarintUpTo(4) of 5 = %d, bad %v, %d left; want 0, bad, none left", got, r.Bad, len(r.B))
	}
	// Past the end: every read is zero, and Bad stays set.
	for name, read := range map[string]func() uint64{
		"U32": func() uint64 { return uint64(r.U32()) }, "U64": r.U64, "Uvarint": r.Uvarint,
		"Byte": func() uint64 { return uint64(r.Byte()) }, "Bytes": func() uint64 { return uint64(len(r.Bytes(1))) },
	} {
		if got := read(); got != 0 || !r.Bad {
			t.Errorf("%s past the end = %d, bad %v", name, got, r.Bad)
		}
	}
	short := Reader{B: []byte{0x80}}
	if short.Uvarint(); !short.Bad {
		t.Errorf("a truncated uvarint is not Bad")
	}
}
