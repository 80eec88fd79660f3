package align

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/reuse-tool/reuse/shingle"
)

// TestSeedTable checks positions against a map of every seed's positions,
// on tables of every shape: empty, one hash repeated, few distinct hashes
// (large buckets), all distinct, hashes at the ends of the range, and a
// table rebuilt smaller after a large one.
func TestSeedTable(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	gen := func(n int, distinct uint32) []uint32 {
		s := make([]uint32, n)
		for i := range s {
			if distinct == 0 {
				s[i] = r.Uint32()
			} else {
				s[i] = r.Uint32N(distinct) * 0x9E3779B1
			}
		}
		return s
	}
	tests := []struct {
		name  string
		seeds []uint32
	}{
		{"empty", nil},
		{"one", []uint32{7}},
		{"zero and max", []uint32{0, ^uint32(0), 0, 1, ^uint32(0) - 1, ^uint32(0)}},
		{"one hash repeated", slices.Repeat([]uint32{42}, 1000)},
		{"few hashes", gen(3000, 5)},
		{"some repeats", gen(5000, 2000)},
		{"distinct", gen(20000, 0)},
		{"small after large", gen(33, 0)},
	}
	var tab seedTable // reused, as an Aligner reuses it
	for _, tt := range tests {
		tab.build(tt.seeds)
		want := map[uint32][]int32{}
		for i, h := range tt.seeds {
			want[h] = append(want[h], int32(i))
		}
		if tab.len() != len(tt.seeds) {
			t.Errorf("%s: len() = %d, want %d", tt.name, tab.len(), len(tt.seeds))
		}
		for h, ps := range want {
			if !tab.mayHave(h) {
				t.Errorf("%s: mayHave(%#x) = false", tt.name, h)
			}
			if got := tab.positions(h); !slices.Equal(got, ps) {
				t.Errorf("%s: positions(%#x) = %v, want %v", tt.name, h, got, ps)
			}
			for _, p := range ps {
				if tab.repeats[p] != int32(len(ps)) {
					t.Errorf("%s: repeats[%d] = %d, want %d", tt.name, p, tab.repeats[p], len(ps))
				}
			}
		}
		for range 2000 {
			h := r.Uint32()
			if _, ok := want[h]; !ok && tab.positions(h) != nil {
				t.Errorf("%s: positions(%#x) = %v, want none", tt.name, h, tab.positions(h))
			}
		}
	}
}

// TestSeedTableFilter: the filter answers yes for every seed in the
// table and for few others (8 bits a seed: about 12% of them), whatever
// the table's size, also after a larger table; a table never built
// holds nothing.
func TestSeedTableFilter(t *testing.T) {
	var tab seedTable
	if tab.mayHave(7) {
		t.Error("mayHave(7) of a table never built = true")
	}
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{1000, 500000, 100000, 10} {
		seeds := make([]uint32, n)
		in := make(map[uint32]bool, n)
		for i := range seeds {
			seeds[i] = r.Uint32()
			in[seeds[i]] = true
		}
		tab.build(seeds)
		for _, h := range seeds {
			if !tab.mayHave(h) {
				t.Fatalf("%d seeds: mayHave(%#x) = false for a seed in the table", n, h)
			}
		}
		yes, tries := 0, 100000
		for range tries {
			if h := r.Uint32(); !in[h] && tab.mayHave(h) {
				yes++
			}
		}
		if rate := float64(yes) / float64(tries); rate > 0.15 {
			t.Errorf("%d seeds: mayHave says yes for %.1f%% of absent seeds, want at most 15%%", n, 100*rate)
		}
	}
}

// TestSeedTableAllocs: a table rebuilt no larger than before allocates
// nothing.
func TestSeedTableAllocs(t *testing.T) {
	seeds := make([]uint32, 10000)
	for i := range seeds {
		seeds[i] = uint32(i%300) * 0x9E3779B1
	}
	var tab seedTable
	tab.build(seeds)
	if n := testing.AllocsPerRun(10, func() { tab.build(seeds) }); n != 0 {
		t.Errorf("build allocates %v times a call, want 0", n)
	}
}

// BenchmarkSeedTable builds the seed table of the seeds of generated text
// of several sizes (Zipf words: seeds repeat as in prose), and looks up
// each seed of another text in it.
func BenchmarkSeedTable(b *testing.B) {
	for _, n := range []int{300, 3000, 30000, 300000} {
		ta, tb := benchTexts(n, 3)
		seed := New(Options{}).Options().Seed
		sa, _ := shingle.Seeds(nil, tokens(ta), seed, nil)
		sb, _ := shingle.Seeds(nil, tokens(tb), seed, nil)
		var tab seedTable
		b.Run(fmt.Sprintf("build/%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(sa)))
			b.ReportAllocs()
			for b.Loop() {
				tab.build(sa)
			}
		})
		tab.build(sa)
		b.Run(fmt.Sprintf("lookup/%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(sb)))
			found := 0
			for b.Loop() {
				for _, h := range sb {
					if tab.mayHave(h) {
						found += len(tab.positions(h))
					}
				}
			}
			if found == 0 {
				b.Fatal("no seed of B found in A")
			}
		})
	}
}
