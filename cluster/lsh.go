package cluster

import (
	"math"
	"runtime"

	"github.com/reuse-tool/reuse/internal/postings"
	"github.com/reuse-tool/reuse/shingle"
)

// Bands chooses how to cut a MinHash signature of size values into b bands
// of r rows for locality-sensitive hashing at Jaccard threshold t.
//
// Two documents with Jaccard similarity s share at least one band with
// probability P(s) = 1 - (1 - s^r)^b, an S-curve whose steepest point is
// near (1/b)^(1/r). Bands returns the (b, r) with b·r ≤ size whose
// P(t) ≥ 0.95 (few misses at the threshold) and whose P(t/2) is smallest
// (few pairs far below it). For size 64 (computed by TestBandsTable):
//
//	t     b×r    P(t)    P(t/2)
//	0.5   11×2   0.958   0.508  (low thresholds cannot be sharp with 64 values)
//	0.67  14×4   0.957   0.163
//	0.8   10×6   0.952   0.040
//	0.9   7×9    0.968   0.005
//
// It panics unless size ≥ 1 and 0 < t ≤ 1.
func Bands(size int, t float64) (b, r int) {
	if size < 1 || !(t > 0 && t <= 1) {
		panic("cluster: Bands needs size ≥ 1 and 0 < t ≤ 1")
	}
	best := math.Inf(1)
	b, r = size, 1
	for rows := 1; rows <= size; rows++ {
		for bands := 1; bands*rows <= size; bands++ {
			if collide(t, bands, rows) < 0.95 {
				continue
			}
			if p := collide(t/2, bands, rows); p < best {
				best, b, r = p, bands, rows
			}
		}
	}
	return b, r
}

// collide is the LSH S-curve: the chance that sets of Jaccard similarity s
// agree on every row of at least one of b bands of r rows.
func collide(s float64, b, r int) float64 {
	return 1 - math.Pow(1-math.Pow(s, float64(r)), float64(b))
}

// Buckets returns the groups of documents whose signatures agree on every
// row of at least one band. sigs holds n signatures of size values each,
// document i at sigs[i*size:]. Each bucket is sorted and has two or more
// documents; buckets are sorted by their documents; the same set is not
// returned twice. Cost: O(n·b) to hash bands, O(n·b) to sort them.
func Buckets(sigs []uint64, size, b, r int) [][]uint32 {
	if size < 1 || b*r > size || len(sigs)%size != 0 {
		panic("cluster: Buckets needs b·r ≤ size and whole signatures")
	}
	n := len(sigs) / size
	keys := make([]postings.Posting, 0, n*b)
	for d := range n {
		sig := sigs[d*size : (d+1)*size]
		if sig[0] == math.MaxUint64 {
			continue // empty document
		}
		for band := range b {
			h := uint64(band+1) * 0x9e3779b97f4a7c15
			for _, v := range sig[band*r : (band+1)*r] {
				h = shingle.Mix64(h ^ v)
			}
			keys = append(keys, postings.Posting{Hash: h, Doc: uint32(d)})
		}
	}
	postings.Sort(keys, runtime.GOMAXPROCS(0))
	var out [][]uint32
	seen := make(map[string]bool)
	for lo := 0; lo < len(keys); {
		hi := lo + 1
		for hi < len(keys) && keys[hi].Hash == keys[lo].Hash {
			hi++
		}
		if hi-lo >= 2 {
			docs := make([]uint32, 0, hi-lo)
			for _, k := range keys[lo:hi] {
				docs = append(docs, k.Doc)
			}
			docs = sortedUnique(docs)
			if len(docs) >= 2 {
				if id := bucketID(docs); !seen[id] {
					seen[id] = true
					out = append(out, docs)
				}
			}
		}
		lo = hi
	}
	sortBuckets(out)
	return out
}
