package spool

import (
	"context"
	"encoding/binary"
	"fmt"
	"testing"
)

// BenchmarkRecordsEachCold reads back, a range of partitions at a time as
// a shuffle does, records spooled to disk and dropped from the page cache
// (Linux; elsewhere they stay cached), with Each's read-ahead off and at
// several windows: a large scan's keys and postings come back so.
func BenchmarkRecordsEachCold(b *testing.B) {
	const (
		size       = 16
		partitions = 64
		records    = 16 << 20 // 256 MiB
	)
	s := NewRecords("reuse-bench-*", size, partitions, 0)
	defer s.Close()
	w := s.NewWriter()
	for i := range records {
		rec, err := w.Next(int(uint32(i)*2654435761>>16) % partitions)
		if err != nil {
			b.Fatal(err)
		}
		binary.LittleEndian.PutUint64(rec, uint64(i))
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f := s.f.current()
	if f == nil {
		b.Fatal("no block went to disk")
	}
	defer func(a, h int) { readAhead, readHinters = a, h }(readAhead, readHinters)
	for _, ahead := range []int{0, 32, 128, 512} {
		b.Run(fmt.Sprintf("ahead=%d", ahead), func(b *testing.B) {
			readAhead = ahead
			b.SetBytes(records * size)
			for b.Loop() {
				b.StopTimer()
				dontNeed(f, 0, s.end.Load())
				b.StartTimer()
				var sum [2]uint64
				for from := 0; from < partitions; from += 8 {
					err := s.Each(context.Background(), from, from+8, 2, func(w, _ int, _ int64, recs []byte) error {
						sum[w] += uint64(recs[0]) // a byte of each block: the reads are what is measured
						return nil
					})
					if err != nil {
						b.Fatal(err)
					}
				}
				_ = sum
			}
		})
	}
}
