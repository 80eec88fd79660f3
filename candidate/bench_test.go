package candidate

import (
	"context"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/reuse-tool/reuse/internal/postings"
	"github.com/reuse-tool/reuse/shingle"
)

// benchPostings returns n postings of docs documents whose fingerprints
// have a realistic document frequency: most are held by one document,
// 1 in 8 by 2 to 6 (reuse), 1 in 5,000 by 100 to 1,000 (boilerplate:
// about 7% of the postings).
func benchPostings(n, docs int) []postings.Posting {
	r := rand.New(rand.NewPCG(15, 16))
	ps := make([]postings.Posting, 0, n)
	for h := uint64(1); len(ps) < n; h++ {
		df := 1
		switch x := r.IntN(5000); {
		case x < 1:
			df = 100 + r.IntN(901)
		case x < 626:
			df = 2 + r.IntN(5)
		}
		hash := shingle.Mix64(h)
		for range min(df, n-len(ps)) {
			ps = append(ps, postings.Posting{Hash: hash, Doc: uint32(r.IntN(docs)), Pos: r.Uint32N(5000)})
		}
	}
	r.Shuffle(len(ps), func(i, j int) { ps[i], ps[j] = ps[j], ps[i] })
	return ps
}

// BenchmarkShuffle finds the candidate pairs of 1M postings of 20,000
// documents, maxDF 50, keys in memory. Each iteration sorts a fresh copy
// (not timed).
func BenchmarkShuffle(b *testing.B) {
	ps := benchPostings(1_000_000, 20_000)
	work := make([]postings.Posting, len(ps))
	rules := DefaultRules(9, 5)
	rules.MaxDF = 50
	var pairs, boiler int
	b.SetBytes(int64(postings.Size * len(ps)))
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		copy(work, ps)
		b.StartTimer()
		s := NewShuffle(rules, 20_000, 1<<30)
		if err := s.Add(context.Background(), work, 2); err != nil {
			b.Fatal(err)
		}
		pairs = 0
		for r := range s.Ranges() {
			cands, err := s.Pairs(context.Background(), r, 2)
			if err != nil {
				b.Fatal(err)
			}
			pairs += len(cands.Pairs)
		}
		bp, _, err := s.Boilerplate(context.Background(), 2, 1<<40)
		if err != nil {
			b.Fatal(err)
		}
		boiler = bp.Len()
		s.Close()
	}
	b.ReportMetric(float64(pairs), "pairs")
	b.ReportMetric(float64(boiler), "boilerplate")
}

// BenchmarkSortByB sorts the keys of one first document by B: lists
// below 256 keys take the packed sort, longer ones the radix passes.
func BenchmarkSortByB(b *testing.B) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, n := range []int{8, 32, 128, 4096} {
		src := make([]Key, n)
		for i := range src {
			src[i] = Key{A: 1, B: uint32(r.IntN(n/3 + 1)), PosA: r.Uint32(), PosB: r.Uint32(), DF: 2}
		}
		keys := make([]Key, n)
		var scratch []Key
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			for b.Loop() {
				copy(keys, src)
				scratch = sortByB(keys, scratch)
			}
		})
	}
}

// BenchmarkAnchors lists the anchors of one pair's keys: short lists take
// the insertion sort, longer ones the comparison sort.
func BenchmarkAnchors(b *testing.B) {
	r := rand.New(rand.NewPCG(9, 10))
	for _, n := range []int{4, 16, 32, 33, 100, 1000} {
		src := make([]Key, n)
		for i := range src {
			src[i] = Key{A: 1, B: 2, PosA: r.Uint32() % 10000, PosB: r.Uint32() % 10000, DF: 2}
		}
		keys := make([]Key, n)
		var dst []Anchor
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			for b.Loop() {
				copy(keys, src)
				dst = Anchors(dst[:0], keys)
			}
		})
	}
}

// BenchmarkSketch counts and looks up random pairs in a sketch of 2²⁸ and
// 2³¹ counters (64 and 512 MiB, the sizes of a 1 GB scan with --memory
// 1GiB and of a 10 GB scan at the default budget): through the buckets
// (sketchWriter) or each at its place, and looked up (several). A
// benchmark of looking keys up through buckets too, since removed, gave
// 58 and 67 ns a key against 35 and 43 (docs/benchmarks.md, "Session 10").
func BenchmarkSketch(b *testing.B) {
	const keys = 1 << 22
	r := rand.New(rand.NewPCG(1, 2))
	pairs := make([][2]uint32, keys)
	for i := range pairs {
		pairs[i] = [2]uint32{r.Uint32N(1 << 22), r.Uint32N(1 << 22)}
	}
	for _, bytes := range []int64{64 << 20, 512 << 20} {
		s := newPairSketch(bytes)
		name := strconv.Itoa(int(bytes>>20)) + "MiB"
		b.Run("count/buckets/"+name, func(b *testing.B) {
			for b.Loop() {
				w := newSketchWriter(s)
				for _, p := range pairs {
					w.add(p[0], p[1], false)
				}
				w.close()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*keys), "ns/key")
		})
		b.Run("count/direct/"+name, func(b *testing.B) {
			for b.Loop() {
				for _, p := range pairs {
					c := s.counter(p[0], p[1])
					w, shift := &s.words[c/32], c%32*2
					if *w>>shift&3 != 0 {
						*w |= 2 << shift
					} else {
						*w |= 1 << shift
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*keys), "ns/key")
		})
		var kept int
		keep := func(Key) error { kept++; return nil }
		b.Run("lookup/direct/"+name, func(b *testing.B) {
			for b.Loop() {
				for _, p := range pairs {
					if s.several(p[0], p[1]) {
						keep(Key{})
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*keys), "ns/key")
		})
	}
}
