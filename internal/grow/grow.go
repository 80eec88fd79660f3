// Package grow grows slices the way slices.Grow does, but takes the new
// capacity from make instead of appending zeroed elements: memory fresh
// from the operating system is then not cleared by the program, and the
// pages of the capacity that are never written are never touched.
//
// slices.Grow(s, n) compiles to append(s[:cap(s)], make([]E, n)...),
// which clears all n new elements at once: every page of a generous
// estimate faults in, and on this project's machine a page fault costs
// 3 to 10 µs (docs/benchmarks.md, "Pages touched by a large document").
// A large document's buffers (its text, tokens, seeds, shingle hashes,
// seed record) are sized by estimates, some well above what is written.
//
// The old elements are copied a few MiB at a time, and the goroutine
// yields between two pieces: the runtime's copy and clear are assembly
// that no signal can preempt, and a loop of them has no other point
// where the goroutine stops, so the collector, which must stop each
// goroutine to scan its stack, spun on the other core for up to a
// second and a half while a large document's tokens were copied
// (docs/benchmarks.md, "A copy the collector could not stop").
package grow

import (
	"runtime"
	"unsafe"
)

// piece is the number of bytes copied between two points where the
// goroutine may be preempted.
const piece = 4 << 20

// yield lets the scheduler stop the goroutine between two pieces (a
// test counts the calls).
var yield = runtime.Gosched

// Slice returns s with room for at least n more elements, as slices.Grow
// does, and with its length and elements unchanged. When it grows, the
// new capacity is at least len(s)+n and at least that append would give
// (about twice the old capacity when small, 1.25 times when large). It
// panics if n is negative.
func Slice[S ~[]E, E any](s S, n int) S {
	if n < 0 {
		panic("grow: negative count")
	}
	if cap(s)-len(s) >= n {
		return s
	}
	c := cap(s)
	switch {
	case c < 256:
		c *= 2
	default:
		c += c/4 + 192
	}
	ns := make(S, len(s), max(c, len(s)+n))
	Copy(ns, s)
	return ns
}

// Copy is copy(dst, src), a few MiB at a time.
func Copy[S ~[]E, E any](dst, src S) int {
	n := min(len(dst), len(src))
	if n == 0 {
		return 0
	}
	step := n
	if size := int(unsafe.Sizeof(src[0])); size > 0 {
		step = max(piece/size, 1)
	}
	for i := 0; i < n; i += step {
		if i > 0 {
			yield()
		}
		j := min(i+step, n)
		copy(dst[i:j], src[i:j])
	}
	return n
}

// Clear is clear(s), a few MiB at a time.
func Clear[S ~[]E, E any](s S) {
	step := len(s)
	if size := int(unsafe.Sizeof(*new(E))); size > 0 {
		step = max(piece/size, 1)
	}
	for i := 0; i < len(s); i += step {
		if i > 0 {
			yield()
		}
		clear(s[i:min(i+step, len(s))])
	}
}

// Append is append(dst, src...), the elements copied a few MiB at a time.
func Append[S ~[]E, E any](dst S, src ...E) S {
	dst = Slice(dst, len(src))
	n := len(dst)
	dst = dst[:n+len(src)]
	Copy(dst[n:], S(src))
	return dst
}

// Drop sets *s to nil when its capacity holds more than maxBytes: a
// buffer grown for one large input is then not held through the small
// ones after it.
func Drop[S ~[]E, E any](s *S, maxBytes int) {
	if cap(*s)*int(unsafe.Sizeof(*new(E))) > maxBytes {
		*s = nil
	}
}
