package shingle

import "github.com/reuse-tool/reuse/internal/grow"

// shingleBase is the multiplier of the polynomial rolling hash. Token hashes
// are already uniform 64-bit values, so any odd multiplier of full width
// keeps distinct token sequences apart; the result is mixed again so that
// shingle hashes are uniform too (winnowing and MinHash rely on that).
const shingleBase = 0x9e3779b97f4a7c15

// Shingles appends to dst the hash of every run of k consecutive tokens,
// len(toks)-k+1 values (none when there are fewer than k tokens), and
// returns it. Shingle i covers toks[i:i+k]. It panics if k < 1.
func Shingles(dst []uint64, toks []Token, k int) []uint64 {
	if k < 1 {
		panic("shingle: k < 1")
	}
	if len(toks) < k {
		return dst
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
	for i := k; i < len(toks); i++ {
		h = (h-toks[i-k].Hash*basePow)*shingleBase + toks[i].Hash
		dst = append(dst, Mix64(h))
	}
	return dst
}
