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
// The Context variants look at their context every lookEvery elements of
// each pass, so that sorting tens of millions of elements (seconds) can be
// given up within milliseconds.
//
// A Sorter keeps its scratch memory from call to call; it is NOT safe for
// concurrent use.
package keysort

import (
	"context"
	"math/bits"
	"slices"

	"github.com/reuse-tool/reuse/internal/grow"
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
	ok, _ := s.StableContext(context.Background(), xs, key)
	return ok
}

// StableContext is Stable, giving up with ctx's error (and false) when
// ctx is done, xs then unchanged.
func (s *Sorter[T]) StableContext(ctx context.Context, xs []T, key func(T) uint64) (bool, error) {
	n := len(xs)
	if n < 2 {
		return true, nil
	}
	packed, top, err := s.keys(ctx, xs, key)
	if err != nil {
		return false, err
	}
	wi := bits.Len(uint(n - 1))
	if bits.Len64(top)+wi > 64 {
		return false, nil
	}
	for i := range packed {
		packed[i] = packed[i]<<wi | uint64(i)
	}
	if n >= radixFrom {
		if packed, err = s.radix(ctx, packed, bits.Len64(top)+wi); err != nil {
			return false, err
		}
	} else {
		slices.Sort(packed)
	}
	tmp := grow.Slice(s.tmp[:0], n)[:n]
	s.tmp = tmp
	mask := uint64(1)<<wi - 1
	for from := 0; from < n; from += lookEvery {
		if err := ctx.Err(); err != nil {
			return false, err
		}
		for i, p := range packed[from:min(from+lookEvery, n)] {
			tmp[from+i] = xs[p&mask]
		}
	}
	grow.Copy(xs, tmp)
	grow.Clear(tmp) // no references kept to what T may point to
	return true, nil
}

// WholeContext sorts xs by a key that holds all of an element: decode(key(x))
// is x, so elements of equal keys are equal and no index is packed
// beside the key (Stable's limit). For slices too long for Stable: an
// anchor of a pair of documents of tens of millions of tokens takes 62
// bits, and millions of them were sorted by a comparison function for
// seconds (docs/benchmarks.md, "One large document"). It gives up with
// ctx's error when ctx is done, the contents of xs then unspecified.
func (s *Sorter[T]) WholeContext(ctx context.Context, xs []T, key func(T) uint64, decode func(uint64) T) error {
	n := len(xs)
	if n < 2 {
		return nil
	}
	packed, top, err := s.keys(ctx, xs, key)
	if err != nil {
		return err
	}
	if n >= radixFrom {
		if packed, err = s.radix(ctx, packed, bits.Len64(top)); err != nil {
			return err
		}
	} else {
		slices.Sort(packed)
	}
	for from := 0; from < n; from += lookEvery {
		if err := ctx.Err(); err != nil {
			return err
		}
		for i, k := range packed[from:min(from+lookEvery, n)] {
			xs[from+i] = decode(k)
		}
	}
	return nil
}

// lookEvery is the number of elements a pass handles between two looks
// at the context (a few milliseconds).
const lookEvery = 1 << 20

// keys returns the keys of xs, in s.packed's array, and their bits or'ed.
func (s *Sorter[T]) keys(ctx context.Context, xs []T, key func(T) uint64) ([]uint64, uint64, error) {
	packed := grow.Slice(s.packed[:0], len(xs))[:len(xs)]
	s.packed = packed
	var top uint64
	for from := 0; from < len(xs); from += lookEvery {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		for i, x := range xs[from:min(from+lookEvery, len(xs))] {
			k := key(x)
			packed[from+i] = k
			top |= k
		}
	}
	return packed, top, nil
}

// radixFrom is the length from which the packed integers are sorted by
// radix (BenchmarkStable: 4 times faster than pdqsort at 5,000, as fast
// at 256 with the widest keys).
const radixFrom = 256

// radix sorts packed, whose values hold width bits, by LSD radix passes
// of 8 bits, through s.spare, and returns the sorted slice (packed or
// s.spare, the other kept as spare, both kept on error).
func (s *Sorter[T]) radix(ctx context.Context, packed []uint64, width int) ([]uint64, error) {
	src := packed
	dst := grow.Slice(s.spare[:0], len(packed))[:len(packed)]
	s.spare = dst
	n := len(src)
	var count [256]int
	for shift := 0; shift < width; shift += 8 {
		clear(count[:])
		for from := 0; from < n; from += lookEvery {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			for _, v := range src[from:min(from+lookEvery, n)] {
				count[v>>shift&255]++
			}
		}
		sum := 0
		for i, c := range count {
			count[i] = sum
			sum += c
		}
		for from := 0; from < n; from += lookEvery {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			for _, v := range src[from:min(from+lookEvery, n)] {
				d := v >> shift & 255
				dst[count[d]] = v
				count[d]++
			}
		}
		src, dst = dst, src
	}
	s.packed, s.spare = src, dst
	return src, nil
}

// Width returns the number of bits of x, for packing several fields into
// one key: Width(max) bits hold every value from 0 to max.
func Width(x uint64) int { return bits.Len64(x) }

// Release lets go of the scratch buffers that hold more than maxBytes
// each (grow.Drop): the next sort grows them again.
func (s *Sorter[T]) Release(maxBytes int) {
	grow.Drop(&s.packed, maxBytes)
	grow.Drop(&s.spare, maxBytes)
	grow.Drop(&s.tmp, maxBytes)
}
