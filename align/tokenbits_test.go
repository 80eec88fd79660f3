package align

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestTokenBits checks set, unset, any and next against a slice of bools,
// on random ranges around word boundaries.
func TestTokenBits(t *testing.T) {
	const n = 200
	r := rand.New(rand.NewPCG(1, 2))
	for round := range 500 {
		b := tokenBits(nil).ensure(n)
		ref := make([]bool, n)
		for range 1 + r.IntN(6) {
			lo := int32(r.IntN(n))
			hi := lo + int32(r.IntN(n-int(lo)+1))
			on := r.IntN(3) != 0
			b.fill(lo, hi, on)
			for i := lo; i < hi; i++ {
				ref[i] = on
			}
		}
		for lo := int32(0); lo <= n; lo += 1 + int32(r.IntN(7)) {
			for hi := lo; hi <= n; hi += 1 + int32(r.IntN(9)) {
				wantAny := slices.Contains(ref[lo:hi], true)
				if got := b.any(lo, hi); got != wantAny {
					t.Fatalf("round %d: any(%d, %d) = %v, want %v", round, lo, hi, got, wantAny)
				}
				for _, want := range []bool{false, true} {
					w := hi
					if i := slices.Index(ref[lo:hi], want); i >= 0 {
						w = lo + int32(i)
					}
					if got := b.next(lo, hi, want); got != w {
						t.Fatalf("round %d: next(%d, %d, %v) = %d, want %d", round, lo, hi, want, got, w)
					}
				}
			}
		}
		b.unset(0, n)
		if b.any(0, n) {
			t.Fatalf("round %d: bits left after unset(0, %d)", round, n)
		}
	}
}

// TestClipSides checks that clipping a run against claimed bits and
// against reservation counts marking the same tokens gives the same
// pieces: the maximal parts of the run whose tokens are free on both
// sides.
func TestClipSides(t *testing.T) {
	const n = 150
	r := rand.New(rand.NewPCG(3, 4))
	for round := range 2000 {
		bitsA, bitsB := tokenBits(nil).ensure(n), tokenBits(nil).ensure(n)
		countA, countB := make([]int32, n), make([]int32, n)
		for range r.IntN(5) {
			lo := int32(r.IntN(n))
			hi := min(lo+int32(1+r.IntN(20)), n)
			bitsA.set(lo, hi)
			for i := lo; i < hi; i++ {
				countA[i]++
			}
			lo = int32(r.IntN(n))
			hi = min(lo+int32(1+r.IntN(20)), n)
			bitsB.set(lo, hi)
			for i := lo; i < hi; i++ {
				countB[i] += 2
			}
		}
		rn := int32(1 + r.IntN(60))
		rr := run{a: int32(r.IntN(n - int(rn) + 1)), b: int32(r.IntN(n - int(rn) + 1)), n: rn}
		got := clipBits(nil, rr, bitsA, bitsB)
		if want := clipCounts(nil, rr, countA, countB); !slices.Equal(got, want) {
			t.Fatalf("round %d: clipBits(%v) = %v, clipCounts = %v", round, rr, got, want)
		}
		// The reference: every free token of the run, one at a time.
		var want []run
		for i := range rr.n {
			if countA[rr.a+i] != 0 || countB[rr.b+i] != 0 {
				continue
			}
			if k := len(want) - 1; k >= 0 && want[k].a+want[k].n == rr.a+i && want[k].b+want[k].n == rr.b+i {
				want[k].n++
				continue
			}
			want = append(want, run{rr.a + i, rr.b + i, 1})
		}
		if !slices.Equal(normalizeRuns(got), want) {
			t.Fatalf("round %d: clipBits(%v) = %v, want %v", round, rr, got, want)
		}
	}
}

// normalizeRuns sorts runs by a and joins touching ones on one diagonal:
// clipping side by side may cut a free stretch where only the other side
// was claimed.
func normalizeRuns(rs []run) []run {
	rs = slices.Clone(rs)
	slices.SortFunc(rs, func(x, y run) int { return int(x.a - y.a) })
	var out []run
	for _, r := range rs {
		if k := len(out) - 1; k >= 0 && out[k].a+out[k].n == r.a && out[k].b+out[k].n == r.b {
			out[k].n += r.n
			continue
		}
		out = append(out, r)
	}
	return out
}
