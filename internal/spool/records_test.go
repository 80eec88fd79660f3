package spool

import (
	"context"
	"encoding/binary"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
)

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
		var wg sync.WaitGroup
		for w := range 3 {
			wg.Go(func() {
				rw := s.NewWriter()
				for i := w; i < n; i += 3 {
					b, err := rw.Next(int(all[i].part))
					if err != nil {
						t.Error(err)
						return
					}
					binary.LittleEndian.PutUint32(b, all[i].part)
					binary.LittleEndian.PutUint32(b[4:], all[i].id)
					binary.LittleEndian.PutUint32(b[8:], all[i].v)
				}
				if err := rw.Flush(); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		for _, cut := range [][]int{{0, parts}, {0, 1, 2, 9, parts}} {
			var got []rec
			for i := 0; i+1 < len(cut); i++ {
				from, to := cut[i], cut[i+1]
				part := make([]rec, s.Count(from, to))
				err := s.Each(context.Background(), from, to, 2, func(w int, start int64, recs []byte) error {
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
