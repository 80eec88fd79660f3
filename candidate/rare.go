package candidate

import (
	"context"
	"encoding/binary"
	"slices"

	"github.com/reuse-tool/reuse/internal/work"
)

// rareBytes is the size of a spooled rare posting: document, position,
// document frequency.
const rareBytes = 12

// Rare lists, per document, the positions of its rare fingerprints (held
// by 2 to RareDF documents) and their document frequencies: 8 bytes each.
// Measured on generated news, most false passages of 9 to 13 words were
// stock phrases whose every fingerprint was held by 10 or more documents,
// while true ones of that length held a fingerprint of 2 documents (one
// copy) in most cases (docs/benchmarks.md).
type Rare struct {
	start []int    // document d's: at[start[d]:start[d+1]]
	at    []uint64 // position<<32 | document frequency, ascending
}

// Rare gathers the rare postings of every load added, by document. Call
// it once, after the last Add.
func (s *Shuffle) Rare(ctx context.Context, workers int) (Rare, error) {
	out := Rare{start: make([]int, s.docs+1)}
	counts := make([]int, s.docs)
	for r := range s.rare.Partitions() {
		err := s.rare.Each(ctx, r, r+1, 1, func(_ int, _ int64, recs []byte) error {
			for i := 0; i < len(recs); i += rareBytes {
				counts[binary.LittleEndian.Uint32(recs[i:])]++
			}
			return nil
		})
		if err != nil {
			return Rare{}, err
		}
	}
	for d, c := range counts {
		out.start[d+1] = out.start[d] + c
		counts[d] = out.start[d]
	}
	out.at = make([]uint64, out.start[s.docs])
	for r := range s.rare.Partitions() {
		err := s.rare.Each(ctx, r, r+1, 1, func(_ int, _ int64, recs []byte) error {
			for i := 0; i < len(recs); i += rareBytes {
				d := binary.LittleEndian.Uint32(recs[i:])
				out.at[counts[d]] = uint64(binary.LittleEndian.Uint32(recs[i+4:]))<<32 | uint64(binary.LittleEndian.Uint32(recs[i+8:]))
				counts[d]++
			}
			return nil
		})
		if err != nil {
			return Rare{}, err
		}
		s.rare.Drop(r, r+1)
	}
	const block = 1024
	err := work.Each(ctx, work.Blocks(s.docs, block), workers, func(_, t int) error {
		for d := t * block; d < min(s.docs, (t+1)*block); d++ {
			slices.Sort(out.at[out.start[d]:out.start[d+1]])
		}
		return nil
	})
	if err != nil {
		return Rare{}, err
	}
	return out, nil
}

// Within reports whether document d has a rare fingerprint held by at
// most maxDF documents whose k-token shingle lies inside tokens [from, to).
func (r Rare) Within(d uint32, from, to int32, k, maxDF int) bool {
	if int(d)+1 >= len(r.start) {
		return false
	}
	at := r.at[r.start[d]:r.start[d+1]]
	i, _ := slices.BinarySearch(at, uint64(max(from, 0))<<32)
	for _, x := range at[i:] {
		if int64(x>>32)+int64(k) > int64(to) {
			break
		}
		if int(uint32(x)) <= maxDF {
			return true
		}
	}
	return false
}
