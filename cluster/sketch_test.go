package cluster

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSketchSame: the rules of Sketch.Same on texts built to overlap by
// known shares.
func TestSketchSame(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	words := func(n int) []uint32 {
		s := make([]uint32, n)
		for i := range s {
			s[i] = r.Uint32()
		}
		return s
	}
	a, b := words(200), words(200)
	tests := []struct {
		name string
		x, y []uint32
		want bool
	}{
		{"the same text", a, a, true},
		{"the same text in another order", a, slices.Concat(a[100:], a[:100]), true},
		{"all but a few seeds", a, slices.Concat(a[:196], b[:4]), true},
		{"half of it", a, slices.Concat(a[:100], b[:100]), false},
		{"a tenth of it", a, slices.Concat(a[:20], b[:180]), false},
		{"nothing in common", a, b, false},
		{"no seeds on one side", a, nil, true},
		{"no seeds on either side", nil, nil, true},
	}
	for _, tt := range tests {
		if got := SketchOf(tt.x).Same(SketchOf(tt.y)); got != tt.want {
			t.Errorf("%s: SketchOf(x).Same(SketchOf(y)) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestSketchAgainstJaccard compares Same with the exact Jaccard
// similarity of random seed sets: it must agree far from its threshold
// (3/4) and may err near it, as 8 bins allow.
func TestSketchAgainstJaccard(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, tt := range []struct {
		share        float64 // of each side's seeds common to both
		wantSame     bool
		agreeAtLeast float64
	}{
		{1.0, true, 1.0},
		{0.98, true, 0.97},
		{0.6, false, 0.85},
		{0.3, false, 0.99},
		{0, false, 1.0},
	} {
		t.Run(fmt.Sprint(tt.share), func(t *testing.T) {
			agree := 0
			const trials = 2000
			for range trials {
				n := 20 + r.IntN(300)
				common := int(tt.share * float64(n))
				var x, y []uint32
				for range common {
					h := r.Uint32()
					x, y = append(x, h), append(y, h)
				}
				for range n - common {
					x, y = append(x, r.Uint32()), append(y, r.Uint32())
				}
				if SketchOf(x).Same(SketchOf(y)) == tt.wantSame {
					agree++
				}
			}
			if got := float64(agree) / trials; got < tt.agreeAtLeast {
				t.Errorf("sides sharing %.0f%% of their seeds: Same is %v in %.3f of %d trials, want at least %.2f", 100*tt.share, tt.wantSame, got, trials, tt.agreeAtLeast)
			}
		})
	}
}

// TestSketchOfAllocs: SketchOf allocates nothing.
func TestSketchOfAllocs(t *testing.T) {
	seeds := make([]uint32, 1000)
	for i := range seeds {
		seeds[i] = uint32(i * 2654435761)
	}
	if n := testing.AllocsPerRun(100, func() { _ = SketchOf(seeds) }); n != 0 {
		t.Errorf("SketchOf allocates %v times, want 0", n)
	}
}

// BenchmarkSketchOf sketches a passage side of 200 seeds.
func BenchmarkSketchOf(b *testing.B) {
	seeds := make([]uint32, 200)
	for i := range seeds {
		seeds[i] = uint32(i * 2654435761)
	}
	b.SetBytes(int64(4 * len(seeds)))
	b.ReportAllocs()
	for b.Loop() {
		_ = SketchOf(seeds)
	}
}
