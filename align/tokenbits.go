package align

import "math/bits"

// tokenBits is a set of token positions, a bit each: the tokens of one
// side that passages have claimed. Setting, clearing and testing a range
// cost O(range/64).
type tokenBits []uint64

// ensure returns b with room for positions [0, n), all of them unset if b
// was empty of set bits.
func (b tokenBits) ensure(n int) tokenBits {
	if words := (n + 63) / 64; len(b) < words {
		return make(tokenBits, words)
	}
	return b
}

// set adds positions [lo, hi).
func (b tokenBits) set(lo, hi int32) { b.fill(lo, hi, true) }

// unset removes positions [lo, hi).
func (b tokenBits) unset(lo, hi int32) { b.fill(lo, hi, false) }

func (b tokenBits) fill(lo, hi int32, on bool) {
	for lo < hi {
		w, off := lo>>6, uint(lo&63)
		n := min(hi-lo, 64-int32(off))
		mask := ^uint64(0)
		if n < 64 {
			mask = (1<<uint(n) - 1) << off
		}
		if on {
			b[w] |= mask
		} else {
			b[w] &^= mask
		}
		lo += n
	}
}

// any reports whether a position of [lo, hi) is in the set.
func (b tokenBits) any(lo, hi int32) bool {
	return lo < hi && b.next(lo, hi, true) < hi
}

// next returns the first position of [from, hi) that is in the set (want
// true) or not in it (want false), or hi when there is none.
func (b tokenBits) next(from, hi int32, want bool) int32 {
	for from < hi {
		w := b[from>>6]
		if !want {
			w = ^w
		}
		w >>= uint(from & 63)
		if w != 0 {
			return min(from+int32(bits.TrailingZeros64(w)), hi)
		}
		from = (from | 63) + 1
	}
	return hi
}
