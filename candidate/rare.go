package candidate

import (
	"context"
	"encoding/binary"
	"slices"

	"github.com/reuse-tool/reuse/internal/grow"
	"github.com/reuse-tool/reuse/internal/spool"
	"github.com/reuse-tool/reuse/internal/work"
)

// rareBytes is the size of a spooled rare posting: document, position,
// document frequency.
const rareBytes = 12

// Rare lists, per document, the positions of its rare fingerprints (held
// by 2 to RareDF documents) and their document frequencies: 8 bytes each,
// in a temporary file read in place (the whole index held in memory was
// the largest array of a large scan after the postings). Measured on
// generated news, most false passages of 9 to 13 words were stock
// phrases whose every fingerprint was held by 10 or more documents, while
// true ones of that length held a fingerprint of 2 documents (one copy)
// in most cases (docs/benchmarks.md). A Rare is valid until the Shuffle
// that made it is closed; it is safe for concurrent use.
type Rare struct {
	start []int64 // document d's entries: [start[d], start[d+1])
	file  *spool.Array
	mem   []byte // the entries, when held in memory (RareOf)
}

// RareEntry is one rare fingerprint of a document: its position (a
// posting's Pos) and the number of documents holding it.
type RareEntry struct{ Pos, DF uint32 }

// RareOf returns the Rare index of len(entries) documents held in memory,
// entries[d] holding the rare fingerprints of document d in any order (a
// record for every posting of a fingerprint held by 2 to RareDF
// documents, as Shuffle.Add keeps them): for callers that gather the
// entries of a few documents themselves, numbered as they like (the
// distributed pipeline gives a pair's documents 0 and 1). Within answers
// as it does for the Shuffle's Rare of the same entries.
func RareOf(entries [][]RareEntry) Rare {
	out := Rare{start: make([]int64, len(entries)+1)}
	var at []uint64
	for d, es := range entries {
		from := len(at)
		for _, e := range es {
			at = append(at, uint64(e.Pos)<<32|uint64(e.DF))
		}
		slices.Sort(at[from:])
		out.start[d+1] = int64(len(at))
	}
	out.mem = make([]byte, 0, entryBytes*len(at))
	for _, x := range at {
		out.mem = binary.LittleEndian.AppendUint64(out.mem, x)
	}
	return out
}

// entry: position<<32 | document frequency; a document's ascending.
const entryBytes = 8

// Rare gathers the rare postings of every load added, by document. Call
// it once, after the last Add.
func (s *Shuffle) Rare(ctx context.Context, workers int) (Rare, error) {
	out := Rare{start: make([]int64, s.docs+1), file: spool.NewArray("reuse-rare-*", entryBytes)}
	s.rareIndex = out.file
	counts := make([]int64, s.docs)
	for r := range s.rare.Partitions() {
		err := s.rare.Each(ctx, r, r+1, 1, func(_, _ int, _ int64, recs []byte) error {
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
	}
	// A range of documents at a time: laid out, sorted, written.
	var at []uint64
	var buf []byte
	for r := range s.rare.Partitions() {
		lo, hi := min(r*s.rangeDocs, s.docs), min((r+1)*s.rangeDocs, s.docs)
		base := out.start[lo]
		at = grow.Slice(at[:0], int(out.start[hi]-base))[:out.start[hi]-base] // each written below
		next := counts[lo:hi]
		for d := lo; d < hi; d++ {
			next[d-lo] = out.start[d] - base
		}
		err := s.rare.Each(ctx, r, r+1, 1, func(_, _ int, _ int64, recs []byte) error {
			for i := 0; i < len(recs); i += rareBytes {
				d := int(binary.LittleEndian.Uint32(recs[i:])) - lo
				at[next[d]] = uint64(binary.LittleEndian.Uint32(recs[i+4:]))<<32 | uint64(binary.LittleEndian.Uint32(recs[i+8:]))
				next[d]++
			}
			return nil
		})
		if err != nil {
			return Rare{}, err
		}
		s.rare.Drop(r, r+1)
		const block = 1024
		err = work.Each(ctx, work.Blocks(hi-lo, block), workers, func(_, t int) error {
			for d := lo + t*block; d < min(hi, lo+(t+1)*block); d++ {
				slices.Sort(at[out.start[d]-base : out.start[d+1]-base])
			}
			return nil
		})
		if err != nil {
			return Rare{}, err
		}
		buf = grow.Slice(buf[:0], entryBytes*len(at))
		for _, x := range at {
			buf = binary.LittleEndian.AppendUint64(buf, x)
		}
		if err := out.file.PutRange(int(base), buf); err != nil {
			return Rare{}, err
		}
	}
	out.file.Seal()
	return out, nil
}

// Within reports whether document d has a rare fingerprint held by at
// most maxDF documents whose k-token shingle lies inside tokens [from, to).
func (r Rare) Within(d uint32, from, to int32, k, maxDF int) bool {
	if int(d)+1 >= len(r.start) || r.start[d] == r.start[d+1] {
		return false
	}
	n := int(r.start[d+1] - r.start[d])
	var b []byte
	if r.mem != nil {
		b = r.mem[entryBytes*r.start[d] : entryBytes*r.start[d+1]]
	} else {
		var err error
		if b, err = r.file.GetRange(int(r.start[d]), n, nil); err != nil {
			return false
		}
	}
	entry := func(i int) uint64 { return binary.LittleEndian.Uint64(b[i*entryBytes:]) }
	// The first entry at or after from.
	first := uint64(max(from, 0)) << 32
	lo, hi := 0, n
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if entry(m) < first {
			lo = m + 1
		} else {
			hi = m
		}
	}
	for i := lo; i < n; i++ {
		x := entry(i)
		if int64(x>>32)+int64(k) > int64(to) {
			break
		}
		if int(uint32(x)) <= maxDF {
			return true
		}
	}
	return false
}

// Release drops the index's pages read so far from resident memory (they
// stay in the page cache).
func (r Rare) Release() {
	if r.file != nil {
		r.file.Release()
	}
}
