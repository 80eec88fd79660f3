package shingle

import (
	"context"

	"github.com/reuse-tool/reuse/internal/grow"
)

// shingleBase is the multiplier of the polynomial rolling hash. Token hashes
// are already uniform 64-bit values, so any odd multiplier of full width
// keeps distinct token sequences apart; the result is mixed again so that
// shingle hashes are uniform too (winnowing and MinHash rely on that).
const shingleBase = 0x9e3779b97f4a7c15

// Shingles appends to dst the hash of every run of k consecutive tokens,
// len(toks)-k+1 values (none when there are fewer than k tokens), and
// returns it. Shingle i covers toks[i:i+k]. It panics if k < 1.
func Shingles(dst []uint64, toks []Token, k int) []uint64 {
	dst, _ = shinglesContext(context.Background(), dst, toks, k)
	return dst
}

// shinglesContext is Shingles, giving up with ctx.Err() when ctx is done:
// it looks at ctx once every checkShingles shingles (a document of 60
// million tokens took seconds between two looks).
func shinglesContext(ctx context.Context, dst []uint64, toks []Token, k int) ([]uint64, error) {
	if k < 1 {
		panic("shingle: k < 1")
	}
	if len(toks) < k {
		return dst, nil
	}
	dst = grow.Slice(dst, len(toks)-k+1)
	// basePow = shingleBase^(k-1): the weight of the token leaving the window.
	basePow := uint64(1)
	for range k - 1 {
		basePow *= shingleBase
	}
	var h uint64
	for i := range k {
		h = h*shingleBase + toks[i].Hash
	}
	dst = append(dst, Mix64(h))
	// Pieces of checkShingles, a look between two: the inner loop stays
	// as tight as without looks.
	for lo := k; lo < len(toks); lo += checkShingles {
		if lo > k {
			if err := ctx.Err(); err != nil {
				return dst, err
			}
		}
		piece := toks[:min(lo+checkShingles, len(toks))]
		for i := lo; i < len(piece); i++ {
			h = (h-piece[i-k].Hash*basePow)*shingleBase + piece[i].Hash
			dst = append(dst, Mix64(h))
		}
	}
	return dst, nil
}
