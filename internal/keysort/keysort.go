// Package keysort sorts slices by an integer key computed once per
// element: each key is packed with its element's index into one uint64,
// the integers are sorted, and the elements gathered in their order.
//
// It exists because sorting structs through a comparison function
// (slices.SortFunc) calls that function n·log n times, none of them
// inlined: on the Linux tree such sorts took an eighth of the scan's CPU
// time. An ordered sort of integers (pdqsort, or LSD radix passes from
// radixFrom elements on) is four to five times faster (BenchmarkStable),
// and the index makes the result stable.
//
// A Sorter keeps its scratch memory from call to call; it is NOT safe for
// concurrent use.
package keysort

import (
	"math/bits"
	"slices"
)

// Sorter sorts slices of T.
type Sorter[T any] struct {
	packed []uint64
	spare  []uint64 // the radix sort's other buffer
	tmp    []T
}

// Stable sorts xs by key, keeping the order of elements of equal keys,
// and reports whether it could: a key and an index must fit in 64 bits
// together (keys below 2^40 always do for up to 2^24 elements). When it
// reports false xs is unchanged, and the caller sorts another way.
func (s *Sorter[T]) Stable(xs []T, key func(T) uint64) bool {
	n := len(xs)
	if n < 2 {
		return true
	}
	packed, top := s.keys(xs, key)
	wi := bits.Len(uint(n - 1))
	if bits.Len64(top)+wi > 64 {
		s.packed = packed
		return false
	}
	for i := range packed {
		packed[i] = packed[i]<<wi | uint64(i)
	}
	if n >= radixFrom {
		packed = s.radix(packed, bits.Len64(top)+wi)
	} else {
		slices.Sort(packed)
	}
	tmp := slices.Grow(s.tmp[:0], n)[:n]
	mask := uint64(1)<<wi - 1
	for i, p := range packed {
		tmp[i] = xs[p&mask]
	}
	copy(xs, tmp)
	clear(tmp) // no references kept to what T may point to
	s.packed, s.tmp = packed, tmp
	return true
}

// Whole sorts xs by a key that holds all of an element: decode(key(x))
// is x, so elements of equal keys are equal and no index is packed
// beside the key (Stable's limit). For slices too long for Stable: an
// anchor of a pair of documents of tens of millions of tokens takes 62
// bits, and millions of them were sorted by a comparison function for
// seconds (docs/benchmarks.md, "One large document").
func (s *Sorter[T]) Whole(xs []T, key func(T) uint64, decode func(uint64) T) {
	n := len(xs)
	if n < 2 {
		return
	}
	packed, top := s.keys(xs, key)
	if n >= radixFrom {
		packed = s.radix(packed, bits.Len64(top))
	} else {
		slices.Sort(packed)
	}
	for i, k := range packed {
		xs[i] = decode(k)
	}
	s.packed = packed
}

// keys returns the keys of xs, in s.packed's array, and their bits or'ed.
func (s *Sorter[T]) keys(xs []T, key func(T) uint64) ([]uint64, uint64) {
	packed := slices.Grow(s.packed[:0], len(xs))[:len(xs)]
	var top uint64
	for i, x := range xs {
		k := key(x)
		packed[i] = k
		top |= k
	}
	return packed, top
}

// radixFrom is the length from which the packed integers are sorted by
// radix (BenchmarkStable: 4 times faster than pdqsort at 5,000, as fast
// at 256 with the widest keys).
const radixFrom = 256

// radix sorts packed, whose values hold width bits, by LSD radix passes
// of 8 bits, through s.spare, and returns the sorted slice (packed or
// s.spare, the other kept as spare).
func (s *Sorter[T]) radix(packed []uint64, width int) []uint64 {
	src := packed
	dst := slices.Grow(s.spare[:0], len(packed))[:len(packed)]
	var count [256]int
	for shift := 0; shift < width; shift += 8 {
		clear(count[:])
		for _, v := range src {
			count[v>>shift&255]++
		}
		sum := 0
		for i, c := range count {
			count[i] = sum
			sum += c
		}
		for _, v := range src {
			d := v >> shift & 255
			dst[count[d]] = v
			count[d]++
		}
		src, dst = dst, src
	}
	s.spare = dst
	return src
}

// Width returns the number of bits of x, for packing several fields into
// one key: Width(max) bits hold every value from 0 to max.
func Width(x uint64) int { return bits.Len64(x) }
