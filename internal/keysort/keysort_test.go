package keysort

import (
	"cmp"
	"context"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/reuse-tool/reuse/internal/testctx"
)

type item struct {
	k   uint64
	tag int
}

// TestStable: against slices.SortStableFunc, on keys with many ties,
// wide keys, and keys too wide to pack with the index (false, xs
// unchanged), with the Sorter reused across sizes.
func TestStable(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var s Sorter[item]
	for _, n := range []int{0, 1, 2, 3, 12, 13, 100, 255, 256, 1000, 70000, 5} {
		for _, keyMax := range []uint64{1, 7, 1 << 20, 1 << 40, 1 << 63} {
			xs := make([]item, n)
			for i := range xs {
				xs[i] = item{k: r.Uint64N(keyMax), tag: i}
			}
			want := slices.Clone(xs)
			slices.SortStableFunc(want, func(x, y item) int { return cmp.Compare(x.k, y.k) })
			before := slices.Clone(xs)
			ok := s.Stable(xs, func(x item) uint64 { return x.k })
			switch {
			case ok && !slices.Equal(xs, want):
				t.Fatalf("n %d, keys below %d: not sorted stably", n, keyMax)
			case !ok && !slices.Equal(xs, before):
				t.Fatalf("n %d, keys below %d: refused but changed xs", n, keyMax)
			case !ok && Width(keyMax-1)+Width(uint64(n-1)) <= 64:
				t.Fatalf("n %d, keys below %d: refused keys that fit", n, keyMax)
			}
		}
	}
}

// TestWhole: keys that hold all of an element, sorted by radix (from
// radixFrom) or by comparison, decoded back, against a comparison sort.
func TestWhole(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	type pair struct{ hi, lo uint32 }
	var s Sorter[pair]
	key := func(p pair) uint64 { return uint64(p.hi)<<32 | uint64(p.lo) }
	decode := func(k uint64) pair { return pair{uint32(k >> 32), uint32(k)} }
	for _, n := range []int{0, 1, 2, 255, 256, 5000} {
		for _, max := range []uint32{3, 1 << 31, 1<<32 - 1} {
			xs := make([]pair, n)
			for i := range xs {
				xs[i] = pair{r.Uint32N(max), r.Uint32N(max)}
			}
			want := slices.Clone(xs)
			slices.SortFunc(want, func(x, y pair) int { return cmp.Compare(key(x), key(y)) })
			if err := s.WholeContext(context.Background(), xs, key, decode); err != nil || !slices.Equal(xs, want) {
				t.Fatalf("n %d, fields below %d: Whole did not sort", n, max)
			}
		}
	}
}

// TestContext: a sort of n elements looks at its context once per
// lookEvery elements of each pass (keys, each radix pass of 8 bits, the
// gather), gives up at the look that finds it done, and leaves xs
// unchanged when Stable gives up; with a context never done it sorts.
func TestContext(t *testing.T) {
	n := 2*lookEvery + 5 // three looks a pass
	xs := make([]uint64, n)
	r := rand.New(rand.NewPCG(7, 8))
	for i := range xs {
		xs[i] = r.Uint64N(1 << 20) // 20 bits: Stable packs 42 bits, 6 passes
	}
	id := func(x uint64) uint64 { return x }
	want := slices.Clone(xs)
	slices.Sort(want)
	var s Sorter[uint64]
	for _, tc := range []struct {
		name  string
		looks int // 3 a loop: keys, 2 a radix pass of 8 bits, gather or decode
		sort  func(ctx context.Context, xs []uint64) error
	}{
		{"StableContext", 3 * (1 + 6*2 + 1), func(ctx context.Context, xs []uint64) error {
			ok, err := s.StableContext(ctx, xs, id)
			if err == nil && !ok {
				t.Fatalf("StableContext refused %d keys of 20 bits", n)
			}
			return err
		}},
		{"WholeContext", 3 * (1 + 3*2 + 1), func(ctx context.Context, xs []uint64) error {
			return s.WholeContext(ctx, xs, id, id)
		}},
	} {
		ctx := testctx.NewDoneAfter(0)
		got := slices.Clone(xs)
		if err := tc.sort(ctx, got); err != nil || !slices.Equal(got, want) {
			t.Fatalf("%s: err %v, sorted %v", tc.name, err, slices.Equal(got, want))
		}
		if ctx.Calls != tc.looks {
			t.Errorf("%s: %d looks, want %d", tc.name, ctx.Calls, tc.looks)
		}
		for _, at := range []int{1, 4, tc.looks / 2, tc.looks} {
			ctx := testctx.NewDoneAfter(at)
			got := slices.Clone(xs)
			if err := tc.sort(ctx, got); err != context.Canceled || ctx.Calls != at {
				t.Errorf("%s done at look %d: err %v after %d looks", tc.name, at, err, ctx.Calls)
			}
			if tc.name == "StableContext" && !slices.Equal(got, xs) {
				t.Errorf("%s done at look %d: xs changed", tc.name, at)
			}
		}
	}
}

func BenchmarkStable(b *testing.B) {
	type run struct{ a, b, n int32 }
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{8, 64, 500, 1024, 5000, 50000} {
		src := make([]run, n)
		for i := range src {
			src[i] = run{a: r.Int32N(5000), b: r.Int32N(5000), n: 3}
		}
		xs := make([]run, n)
		b.Run("keysort/"+strconv.Itoa(n), func(b *testing.B) {
			var s Sorter[run]
			for b.Loop() {
				copy(xs, src)
				s.Stable(xs, func(x run) uint64 { return uint64(x.a) })
			}
		})
		b.Run("SortStableFunc/"+strconv.Itoa(n), func(b *testing.B) {
			for b.Loop() {
				copy(xs, src)
				slices.SortStableFunc(xs, func(x, y run) int { return int(x.a - y.a) })
			}
		})
	}
}
