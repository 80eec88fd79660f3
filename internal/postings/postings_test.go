package postings

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

func byAll(x, y Posting) int {
	if c := cmp.Compare(x.Hash, y.Hash); c != 0 {
		return c
	}
	return ByDocPos(x, y)
}

// TestSort compares Sort, a radix sort from 256 postings up, with a
// comparison sort, around the cutoff and on large input, for hashes that
// differ in every digit, with many ties, and in the top digit only, on 1
// to 3 workers: the same postings, ordered by hash.
func TestSort(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	gens := map[string]func(i int) uint64{
		"uniform":    func(int) uint64 { return r.Uint64() },
		"ties":       func(int) uint64 { return uint64(r.IntN(7)) << (16 * r.IntN(4)) },
		"high digit": func(int) uint64 { return uint64(r.IntN(1<<16)) << 48 },
		"descending": func(i int) uint64 { return ^uint64(i) },
		"equal":      func(int) uint64 { return 42 },
	}
	old := sortPerWorker
	defer func() { sortPerWorker = old }()
	sortPerWorker = 1
	for name, gen := range gens {
		for _, n := range []int{0, 1, 2, 100, 254, 255, 256, 257, 300, 1000, 100_000} {
			ps := make([]Posting, n)
			for i := range ps {
				ps[i] = Posting{Hash: gen(i), Doc: uint32(i), Pos: uint32(n - i)}
			}
			want := slices.Clone(ps)
			slices.SortFunc(want, byAll)
			for workers := 1; workers <= 3; workers++ {
				got := slices.Clone(ps)
				Sort(got, workers)
				if !slices.IsSortedFunc(got, byHash) {
					t.Fatalf("%s, n=%d: Sort with %d workers left postings unsorted", name, n, workers)
				}
				slices.SortFunc(got, byAll)
				if !slices.Equal(got, want) {
					t.Fatalf("%s, n=%d: Sort with %d workers changed the postings", name, n, workers)
				}
			}
		}
	}
}

// BenchmarkSort sorts 1M random postings with Sort and with
// slices.SortFunc.
func BenchmarkSort(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	ps := make([]Posting, 1<<20)
	for i := range ps {
		ps[i] = Posting{Hash: r.Uint64(), Doc: uint32(i)}
	}
	for _, s := range []struct {
		name string
		sort func([]Posting)
	}{
		{"radix", func(x []Posting) { Sort(x, 2) }},
		{"slices", func(x []Posting) { slices.SortFunc(x, byHash) }},
	} {
		b.Run(s.name, func(b *testing.B) {
			work := make([]Posting, len(ps))
			b.SetBytes(int64(len(ps) * Size))
			for b.Loop() {
				copy(work, ps)
				s.sort(work)
			}
		})
	}
}
