//go:build linux

package spool

import (
	"context"
	"encoding/binary"
	"sync/atomic"
	"syscall"
	"testing"
)

// TestDropPunchesHoles: dropping partitions written to disk gives their
// disk space back at once (not only at Close), and the partitions left
// read back whole.
func TestDropPunchesHoles(t *testing.T) {
	const parts, size, perPart = 4, 20, 20000
	s := NewRecords("reuse-test-*", size, parts, 0)
	defer s.Close()
	w := s.NewWriter()
	for p := range parts {
		for i := range perPart {
			b, err := w.Next(p)
			if err != nil {
				t.Fatal(err)
			}
			binary.LittleEndian.PutUint32(b, uint32(p))
			binary.LittleEndian.PutUint32(b[4:], uint32(i))
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	allocated := func() int64 {
		fi, err := s.f.current().Stat()
		if err != nil {
			t.Fatal(err)
		}
		return fi.Sys().(*syscall.Stat_t).Blocks * 512
	}
	before := allocated()
	if before < parts*perPart*size*9/10 {
		t.Fatalf("%d bytes allocated for %d bytes of records", before, parts*perPart*size)
	}
	s.Drop(0, 3)
	after := allocated()
	if after == before {
		t.Skipf("the file system of $TMPDIR keeps dropped blocks (%d bytes allocated)", after)
	}
	if want := int64(perPart * size * 12 / 10); after > want {
		t.Errorf("after dropping 3 of 4 partitions, %d bytes allocated (of %d), want at most %d", after, before, want)
	}
	var n atomic.Int64 // two workers call back
	err := s.Each(context.Background(), 3, 4, 2, func(_, _ int, start int64, recs []byte) error {
		for j := 0; j < len(recs); j += size {
			if p := binary.LittleEndian.Uint32(recs[j:]); p != 3 {
				t.Errorf("partition 3 holds a record of partition %d", p)
			}
		}
		n.Add(int64(len(recs) / size))
		return nil
	})
	if err != nil || n.Load() != int64(perPart) {
		t.Errorf("partition 3 read back %d records (%v), want %d", n.Load(), err, perPart)
	}
}
