// Package postings holds the record of the scan's shuffle, a fingerprint
// of a document at a position, and the one radix sort that orders
// postings by hash.
//
// A Posting has no pointers, so that tens of millions of them cost the
// garbage collector nothing to scan: 24 bytes in memory, Size encoded.
// Winnowing in windows of w shingles selects about 2/(w+1) of them: a
// third of the words with the default window (5) (docs/benchmarks.md
// gives the postings of a large scan).
package postings

import (
	"cmp"
	"slices"
	"sync/atomic"
	"unsafe"

	"github.com/reuse-tool/reuse/internal/work"
)

// Posting is one fingerprint of one document: its hash, the document,
// the place of its shingle (flagged Quoted), and the digest of the words
// around the shingle there (Around; 0 for postings that are not a
// fingerprint's).
type Posting struct {
	Hash   uint64
	Doc    uint32
	Pos    uint32
	Around uint32
}

// Place returns p's document and position.
func (p Posting) Place() (doc, pos uint32) { return p.Doc, p.Pos }

// Numbered is a posting whose hash is replaced by a dense number, the
// fingerprint's among a set of them: 12 bytes in memory instead of 24,
// for the boilerplate's postings, which the last step of a scan holds all
// at once.
type Numbered struct {
	FP, Doc, Pos uint32
}

// Place returns p's document and position.
func (p Numbered) Place() (doc, pos uint32) { return p.Doc, p.Pos }

// Quoted flags a fingerprint's Pos when its shingle lies inside a
// quotation of its document (shingle.AppendQuotations): the candidate
// rules pair the documents holding such a fingerprint, as they do for
// one few documents hold. A place from Quoted (2³⁰ tokens) on is never
// flagged, and is written with bit 31 set: a place the rules do not know
// (candidate.Repeated), in documents over a gigabyte.
const Quoted = 1 << 30

// Size is the encoded size of a Posting in bytes.
const Size = 20

// MemSize is the size of a Posting in memory.
const MemSize = int(unsafe.Sizeof(Posting{}))

// ByDocPos orders postings by document, then position.
func ByDocPos(x, y Posting) int {
	if x.Doc != y.Doc {
		return cmp.Compare(x.Doc, y.Doc)
	}
	return cmp.Compare(x.Pos, y.Pos)
}

func byHash(x, y Posting) int { return cmp.Compare(x.Hash, y.Hash) }

// Sort sorts ps by hash, not stably, on up to workers goroutines, with one
// small scratch buffer per worker instead of a copy of ps: an in-place MSD
// pass on the top 8 bits (American flag sort), then the 256 buckets by the
// low 56 bits, 14 a pass (histograms that fit in L1), workers taking
// buckets in turn; four passes end back in ps. About 5 times faster than
// a comparison sort on tens of millions of postings, and the scratch copy
// of a plain radix sort was the largest allocation of a scan.
func Sort(ps []Posting, workers int) {
	if len(ps) < 256 {
		slices.SortFunc(ps, byHash)
		return
	}
	workers = max(1, min(workers, len(ps)/sortPerWorker))
	stripes := make([][256]int, workers)
	work.Parallel(workers, func(w int) {
		for _, p := range ps[len(ps)*w/workers : len(ps)*(w+1)/workers] {
			stripes[w][p.Hash>>56]++
		}
	})
	var bucket [257]int
	for b := range 256 {
		n := 0
		for w := range workers {
			n += stripes[w][b]
		}
		bucket[b+1] = bucket[b] + n
	}
	var next [256]int
	copy(next[:], bucket[:256])
	for b := range 256 {
		for next[b] < bucket[b+1] {
			v := ps[next[b]]
			for d := v.Hash >> 56; d != uint64(b); d = v.Hash >> 56 {
				ps[next[d]], v = v, ps[next[d]]
				next[d]++
			}
			ps[next[b]] = v
			next[b]++
		}
	}
	var turn atomic.Int32
	work.Parallel(workers, func(int) {
		var (
			count   [1 << 14]int32
			scratch []Posting
		)
		for b := int(turn.Add(1)) - 1; b < 256; b = int(turn.Add(1)) - 1 {
			part := ps[bucket[b]:bucket[b+1]]
			if len(part) < 256 {
				slices.SortFunc(part, byHash)
				continue
			}
			scratch = slices.Grow(scratch[:0], len(part))[:len(part)]
			radixPasses(part, scratch, count[:], 56, 14) // four passes: back in part
		}
	})
}

// radixPasses sorts src stably by the hash bits below top, width bits a
// pass (count has 1<<width entries), moving postings between src and dst
// each pass: the result is in src after an even number of passes, in dst
// after an odd one.
func radixPasses(src, dst []Posting, count []int32, top, width uint) {
	mask := uint64(1)<<width - 1
	for shift := uint(0); shift < top; shift += width {
		clear(count)
		for i := range src {
			count[src[i].Hash>>shift&mask]++
		}
		var sum int32
		for i, c := range count {
			count[i] = sum
			sum += c
		}
		for i := range src {
			k := src[i].Hash >> shift & mask
			dst[count[k]] = src[i]
			count[k]++
		}
		src, dst = dst, src
	}
}

// sortPerWorker is the least number of postings worth a sorting worker
// (a variable for tests).
var sortPerWorker = 1 << 16
