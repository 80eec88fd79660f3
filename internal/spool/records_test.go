package spool

import (
	"context"
	"encoding/binary"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
)

// writeConcurrently writes records 0..n-1 to s with put, from three
// workers of their own writers, each taking every third record.
func writeConcurrently(t *testing.T, s *Records, n int, put func(rw *RecordWriter, i int) error) {
	t.Helper()
	var wg sync.WaitGroup
	for w := range 3 {
		wg.Go(func() {
			rw := s.NewWriter()
			for i := w; i < n; i += 3 {
				if err := put(rw, i); err != nil {
					t.Error(err)
					return
				}
			}
			if err := rw.Flush(); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
}

// TestVarRecordsRoundTrip: records of varying size, written by concurrent
// workers, read back by partition range in their partitions (Each's
// part), whether the spool keeps them in memory, on disk, or both.
func TestVarRecordsRoundTrip(t *testing.T) {
	const n, parts, maxSize = 30000, 16, 40
	r := rand.New(rand.NewPCG(7, 8))
	type rec struct{ part, id, v uint32 }
	all := make([]rec, n)
	for i := range all {
		all[i] = rec{uint32(r.IntN(parts)), uint32(i), r.Uint32N(1 << 20)}
	}
	// A record: its length, then the fields as uvarints and padding.
	encode := func(x rec) []byte {
		b := []byte{0}
		for _, f := range []uint32{x.part, x.id, x.v} {
			b = binary.AppendUvarint(b, uint64(f))
		}
		b = append(b, make([]byte, int(x.id)%(maxSize-len(b)+1))...)
		b[0] = byte(len(b))
		return b
	}
	for _, memory := range []int64{0, 1 << 40, n * maxSize / 6} {
		s := NewVarRecords("reuse-test-*", maxSize, parts, memory)
		writeConcurrently(t, s, n, func(rw *RecordWriter, i int) error {
			return rw.Append(int(all[i].part), encode(all[i]))
		})
		if c := s.Count(0, parts); c != n {
			t.Errorf("memory %d: %d records counted of %d", memory, c, n)
		}
		var mu sync.Mutex
		var got []rec
		for _, cut := range [][2]int{{0, 3}, {3, 4}, {4, parts}} {
			err := s.Each(context.Background(), cut[0], cut[1], 2, func(_, part int, _ int64, recs []byte) error {
				for len(recs) > 0 {
					var f [3]uint32
					b := recs[1:recs[0]]
					for j := range f {
						v, m := binary.Uvarint(b)
						f[j], b = uint32(v), b[m:]
					}
					if int(f[0]) != part {
						t.Errorf("memory %d: a record of partition %d read as of %d", memory, f[0], part)
					}
					mu.Lock()
					got = append(got, rec{f[0], f[1], f[2]})
					mu.Unlock()
					recs = recs[recs[0]:]
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		slices.SortFunc(got, func(x, y rec) int { return int(x.id) - int(y.id) })
		if !slices.Equal(got, all) {
			t.Fatalf("memory %d: %d records read back, differing from the %d written", memory, len(got), n)
		}
		s.Close()
	}
}

// TestRecordsRoundTrip: records written by concurrent workers read back by
// partition range, each in its partition, whether the spool keeps them in
// memory, on disk, or both.
func TestRecordsRoundTrip(t *testing.T) {
	const n, parts, size = 30000, 16, 12
	r := rand.New(rand.NewPCG(5, 6))
	type rec struct{ part, id, v uint32 }
	all := make([]rec, n)
	for i := range all {
		p := uint32(r.IntN(parts))
		if i%7 == 0 {
			p = uint32(r.IntN(2)) // crowd two partitions
		}
		all[i] = rec{p, uint32(i), r.Uint32()}
	}
	for _, memory := range []int64{0, 1 << 40, n * size / 3} {
		s := NewRecords("reuse-test-*", size, parts, memory)
		writeConcurrently(t, s, n, func(rw *RecordWriter, i int) error {
			b, err := rw.Next(int(all[i].part))
			if err != nil {
				return err
			}
			binary.LittleEndian.PutUint32(b, all[i].part)
			binary.LittleEndian.PutUint32(b[4:], all[i].id)
			binary.LittleEndian.PutUint32(b[8:], all[i].v)
			return nil
		})
		for _, cut := range [][]int{{0, parts}, {0, 1, 2, 9, parts}} {
			var got []rec
			for i := 0; i+1 < len(cut); i++ {
				from, to := cut[i], cut[i+1]
				part := make([]rec, s.Count(from, to))
				err := s.Each(context.Background(), from, to, 2, func(w, _ int, start int64, recs []byte) error {
					for j := 0; j < len(recs); j += size {
						x := rec{binary.LittleEndian.Uint32(recs[j:]), binary.LittleEndian.Uint32(recs[j+4:]), binary.LittleEndian.Uint32(recs[j+8:])}
						if int(x.part) < from || int(x.part) >= to {
							t.Errorf("memory %d: partitions [%d, %d) gave a record of %d", memory, from, to, x.part)
						}
						part[start+int64(j/size)] = x
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, part...)
			}
			slices.SortFunc(got, func(x, y rec) int { return int(x.id) - int(y.id) })
			if !slices.Equal(got, all) {
				t.Fatalf("memory %d, cut %v: records read back differ from those written", memory, cut)
			}
		}
		s.Close()
		if k := s.kept.Load(); k != 0 {
			t.Errorf("memory %d: %d bytes kept after Close", memory, k)
		}
	}
}
