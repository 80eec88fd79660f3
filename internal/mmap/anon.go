package mmap

import "sync/atomic"

// anonBytes is the size of every anonymous mapping not yet unmapped.
var anonBytes atomic.Int64

// Anonymous returns n bytes of zeroed memory mapped from the system
// (n > 0), and a function that unmaps them once (later calls do
// nothing), after which the bytes must not be used; ok is false where
// the system maps no memory this way, or the mapping fails. A page of
// it costs memory, and the fault that zeroes it, only once touched: a
// large array indexed sparsely costs what is used of it, where a Go
// slice is cleared whole when the heap hands it out again, every page
// faulted in (docs/benchmarks.md, "Diagonals mapped from the system").
// The memory lies outside the Go heap: the collector neither scans nor
// counts it, so it must hold no pointers; AnonymousBytes counts it.
func Anonymous(n int) (data []byte, unmap func(), ok bool) {
	if n <= 0 {
		return nil, nil, false
	}
	data, release, ok := mapAnonymous(n)
	if !ok {
		return nil, nil, false
	}
	anonBytes.Add(int64(n))
	var done atomic.Bool
	return data, func() {
		if done.CompareAndSwap(false, true) {
			release()
			anonBytes.Add(-int64(n))
		}
	}, true
}

// AnonymousBytes returns the size of the anonymous mappings of
// Anonymous not yet unmapped: an upper bound of the resident memory they
// hold, for a memory budget to count beside the Go heap.
func AnonymousBytes() int64 { return anonBytes.Load() }
