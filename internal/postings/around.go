package postings

import "math/bits"

// AroundTokens is the number of tokens on either side of a fingerprint's
// shingle that Around digests.
const AroundTokens = 4

// Around returns the digest of the tokens around the shingle of k tokens
// at place pos of a document, given the document's seeds (hashes of s
// tokens at every place, s ≤ k+1, as the aligner's are): 4 bits for each
// of the AroundTokens tokens before the shingle, nearest first, in the
// low 16 bits, and for each of those after it, nearest first, in the high
// 16 bits; 0 where the document has no such token. The bits of the j-th
// token before come from the seed starting there, those of the j-th after
// from the seed ending there: of two documents that agree from the
// shingle on up to that token, the seeds differ only if the token does.
// So Shared of two postings' digests tells, from the postings alone,
// how long a run of tokens through the shingle two documents may share
// (docs/benchmarks.md, "Quotations need a run of 9 words").
func Around(seeds []uint32, pos, k, s int) uint32 {
	var d uint32
	for j := 1; j <= AroundTokens; j++ {
		if i := pos - j; i >= 0 && i < len(seeds) {
			d |= nibble(seeds[i]) << (4 * (j - 1))
		}
		if i := pos + k + j - s; i >= 0 && i < len(seeds) {
			d |= nibble(seeds[i]) << (16 + 4*(j-1))
		}
	}
	return d
}

// nibble maps a seed to 1..15, about evenly: 0 is no token.
func nibble(seed uint32) uint32 { return 1 + uint32(uint64(seed)*15>>32) }

// Shared returns the number of tokens around a fingerprint's shingle, up
// to 2·AroundTokens, that two documents holding it may share in one run
// through it, given their postings' digests (Around): the tokens before
// the shingle whose bits agree up to the first that differs or is
// missing, and likewise after it. It never counts fewer than the run two
// documents share (a token that agrees agrees in its bits); it counts
// more about once in 15 tokens that differ.
func Shared(a, b uint32) int {
	return agreeing(uint16(a), uint16(b)) + agreeing(uint16(a>>16), uint16(b>>16))
}

// agreeing returns the number of the low nibbles of a and b, from the
// lowest, that are equal and not 0, up to the first that is not: the
// lower of the trailing zero nibbles of a^b and the nibbles below a's
// lowest zero one. A shuffle compares two digests for each pair holding a
// fingerprint (1 GB of news: tens of millions), so without a loop.
func agreeing(a, b uint16) int {
	// The top bit of each nibble of a that is 0 (exactly so for the
	// lowest such nibble: the borrow runs only above it).
	// Bits 16 and 19 stand for a fifth nibble that differs and is 0.
	zero := uint32((a-0x1111)&^a&0x8888) | 1<<19
	differ := uint32(a^b) | 1<<16
	return min(bits.TrailingZeros32(differ), bits.TrailingZeros32(zero)-3) / 4
}
