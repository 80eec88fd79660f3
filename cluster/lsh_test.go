package cluster

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/reuse-tool/reuse/shingle"
)

// bruteBands tries every b×r ≤ size: the one with the least P(t/2) among
// those with P(t) ≥ 0.95, and whether there is one.
func bruteBands(size int, t float64) (bb, br int, ok bool) {
	best := math.Inf(1)
	for r := 1; r <= size; r++ {
		for b := 1; b*r <= size; b++ {
			if p := collide(t/2, b, r); collide(t, b, r) >= 0.95 && p < best {
				best, bb, br, ok = p, b, r, true
			}
		}
	}
	return bb, br, ok
}

// thresholds are 0.30, 0.35, ..., 0.95.
func thresholds() []float64 {
	var ts []float64
	for i := 30; i <= 95; i += 5 {
		ts = append(ts, float64(i)/100)
	}
	return ts
}

// TestBands checks the promise of Bands for thresholds 0.3 to 0.95:
// b·r ≤ size and P(t) ≥ 0.95 wherever some b×r can reach it.
func TestBands(t *testing.T) {
	for _, size := range []int{8, 16, 32, 64, 100, 128, 256} {
		for _, th := range thresholds() {
			b, r := Bands(size, th)
			if b < 1 || r < 1 || b*r > size {
				t.Errorf("Bands(%d, %v) = %d, %d: want b, r ≥ 1, b·r ≤ %d", size, th, b, r, size)
				continue
			}
			if _, _, ok := bruteBands(size, th); ok && collide(th, b, r) < 0.95 {
				t.Errorf("Bands(%d, %v) = %d×%d: P(t) = %.3f < 0.95", size, th, b, r, collide(th, b, r))
			}
		}
	}
}

// TestBandsOptimal checks the rest of the promise: no b×r ≤ size with
// P(t) ≥ 0.95 has a smaller P(t/2).
func TestBandsOptimal(t *testing.T) {
	for _, size := range []int{8, 16, 32, 64, 100, 128, 256} {
		for _, th := range thresholds() {
			b, r := Bands(size, th)
			if bb, br, ok := bruteBands(size, th); ok && collide(th/2, b, r) > collide(th/2, bb, br)+1e-12 {
				t.Errorf("Bands(%d, %v) = %d×%d: P(t/2) = %.4f, but %d×%d has P(t) = %.4f, P(t/2) = %.4f",
					size, th, b, r, collide(th/2, b, r), bb, br, collide(th, bb, br), collide(th/2, bb, br))
			}
		}
	}
}

// TestBandsTable checks the table in the doc comment of Bands.
func TestBandsTable(t *testing.T) {
	for _, tt := range []struct {
		t          float64
		b, r       int
		pt, ptHalf float64
	}{
		{0.5, 11, 2, 0.958, 0.508},
		{0.67, 14, 4, 0.957, 0.163},
		{0.8, 10, 6, 0.952, 0.040},
		{0.9, 7, 9, 0.968, 0.005},
	} {
		b, r := Bands(64, tt.t)
		pt, ph := collide(tt.t, b, r), collide(tt.t/2, b, r)
		if b != tt.b || r != tt.r || math.Abs(pt-tt.pt) > 5e-4 || math.Abs(ph-tt.ptHalf) > 5e-4 {
			t.Errorf("Bands(64, %v) = %d×%d with P(t) %.3f, P(t/2) %.3f; doc says %d×%d, %.3f, %.3f",
				tt.t, b, r, pt, ph, tt.b, tt.r, tt.pt, tt.ptHalf)
		}
	}
}

func TestBandsPanics(t *testing.T) {
	for _, c := range []struct {
		size int
		t    float64
	}{{0, 0.5}, {-1, 0.5}, {64, 0}, {64, -0.1}, {64, 1.01}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Bands(%d, %v) did not panic", c.size, c.t)
				}
			}()
			Bands(c.size, c.t)
		}()
	}
	t.Run("NaN", func(t *testing.T) {
		defer func() {
			if recover() == nil {
				t.Errorf("Bands(64, NaN) did not panic")
			}
		}()
		Bands(64, math.NaN())
	})
}

func TestCollide(t *testing.T) {
	tests := []struct {
		s    float64
		b, r int
		want float64
	}{
		{0, 4, 4, 0},
		{1, 4, 4, 1},
		{0.5, 1, 1, 0.5},
		{0.5, 2, 1, 0.75},
		{0.5, 1, 2, 0.25},
		{0.8, 16, 4, 1 - math.Pow(1-0.4096, 16)},
	}
	for _, tt := range tests {
		if got := collide(tt.s, tt.b, tt.r); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("collide(%v, %d, %d) = %v, want %v", tt.s, tt.b, tt.r, got, tt.want)
		}
	}
}

// sig builds a signature of size values from a function of the index.
func sig(size int, f func(i int) uint64) []uint64 {
	s := make([]uint64, size)
	for i := range s {
		s[i] = f(i)
	}
	return s
}

func TestBuckets(t *testing.T) {
	const size, b, r = 8, 4, 2
	empty := sig(size, func(int) uint64 { return math.MaxUint64 })
	own := func(d int) []uint64 { return sig(size, func(i int) uint64 { return uint64(1000*d + i) }) }
	// shares returns doc d's own signature with the rows of band k from x.
	shares := func(d, k int, x []uint64) []uint64 {
		s := own(d)
		copy(s[k*r:(k+1)*r], x[k*r:(k+1)*r])
		return s
	}
	tests := []struct {
		name string
		sigs [][]uint64
		want [][]uint32
	}{
		{"none", nil, nil},
		{"one", [][]uint64{own(0)}, nil},
		{"identical", [][]uint64{own(0), own(1), own(0)}, [][]uint32{{0, 2}}},
		{"three identical: one bucket", [][]uint64{own(5), own(5), own(5)}, [][]uint32{{0, 1, 2}}},
		{"disjoint", [][]uint64{own(0), own(1), own(2)}, nil},
		{"one band", [][]uint64{own(0), shares(1, 3, own(0))}, [][]uint32{{0, 1}}},
		{"one row is not a band", [][]uint64{own(0), sig(size, func(i int) uint64 {
			if i == 0 {
				return 0
			}
			return uint64(5000 + i)
		})}, nil},
		{"rows past b·r are ignored", [][]uint64{
			sig(size, func(i int) uint64 { return uint64(i) }),
			sig(size, func(i int) uint64 { return uint64(i + 100*(i/(b*r))) }),
		}, [][]uint32{{0, 1}}},
		{"chain: no transitive merge", [][]uint64{own(0), shares(1, 0, own(0)), shares(2, 2, shares(1, 0, own(0)))},
			[][]uint32{{0, 1}, {1, 2}}},
		{"sorted", [][]uint64{own(7), own(8), own(8), own(7)}, [][]uint32{{0, 3}, {1, 2}}},
		{"empty signatures excluded", [][]uint64{empty, own(3), empty, own(3), empty}, [][]uint32{{1, 3}}},
		{"same band in different positions", [][]uint64{
			sig(size, func(i int) uint64 { return uint64(i % r) }),
			sig(size, func(i int) uint64 { return uint64(i%r) + uint64(100*(i/r)) }),
		}, [][]uint32{{0, 1}}},
	}
	for _, tt := range tests {
		var flat []uint64
		for _, s := range tt.sigs {
			flat = append(flat, s...)
		}
		got := Buckets(flat, size, b, r)
		if !slices.EqualFunc(got, tt.want, slices.Equal) {
			t.Errorf("%s: Buckets(%v, %d, %d, %d) = %v, want %v", tt.name, tt.sigs, size, b, r, got, tt.want)
		}
	}
}

// bruteBuckets groups documents by the exact values of each band.
func bruteBuckets(sigs []uint64, size, b, r int) [][]uint32 {
	seen := make(map[string]bool)
	var out [][]uint32
	for band := range b {
		groups := make(map[string][]uint32)
		var keys []string
		for d := 0; d < len(sigs)/size; d++ {
			s := sigs[d*size : (d+1)*size]
			if s[0] == math.MaxUint64 {
				continue
			}
			k := fmt.Sprint(s[band*r : (band+1)*r])
			if groups[k] == nil {
				keys = append(keys, k)
			}
			groups[k] = append(groups[k], uint32(d))
		}
		for _, k := range keys {
			if g := groups[k]; len(g) >= 2 && !seen[fmt.Sprint(g)] {
				seen[fmt.Sprint(g)] = true
				out = append(out, g)
			}
		}
	}
	sortBuckets(out)
	return out
}

// TestBucketsBrute compares Buckets with exact band grouping on random
// signatures over tiny value ranges, so that bands agree often.
func TestBucketsBrute(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, shape := range [][3]int{{4, 4, 1}, {4, 2, 2}, {6, 2, 3}, {8, 2, 4}, {16, 4, 4}, {9, 4, 2}} {
		size, b, r := shape[0], shape[1], shape[2]
		for _, vals := range []int{1, 2, 3, 5} {
			for range 50 {
				n := rng.IntN(30)
				sigs := make([]uint64, n*size)
				for i := range sigs {
					sigs[i] = uint64(rng.IntN(vals))
				}
				for d := range n {
					if rng.IntN(10) == 0 {
						for i := range size {
							sigs[d*size+i] = math.MaxUint64
						}
					}
				}
				got, want := Buckets(sigs, size, b, r), bruteBuckets(sigs, size, b, r)
				if !slices.EqualFunc(got, want, slices.Equal) {
					t.Fatalf("Buckets(%v, %d, %d, %d) = %v, want %v", sigs, size, b, r, got, want)
				}
			}
		}
	}
}

func TestBucketsPanics(t *testing.T) {
	for _, c := range []struct {
		n, size, b, r int
	}{{8, 8, 3, 3}, {10, 4, 2, 2}, {0, 0, 1, 1}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Buckets(len %d, %d, %d, %d) did not panic", c.n, c.size, c.b, c.r)
				}
			}()
			Buckets(make([]uint64, c.n), c.size, c.b, c.r)
		}()
	}
}

// TestBucketsSCurve checks the S-curve on real MinHash signatures: pairs
// of sets with Jaccard similarity s share a bucket with probability close
// to P(s) for the bands Bands chooses.
func TestBucketsSCurve(t *testing.T) {
	const size, pairs = 64, 400
	b, r := Bands(size, 0.8)
	signer := shingle.NewSigner(size)
	rng := rand.New(rand.NewPCG(9, 10))
	for _, s := range []float64{0.3, 0.5, 0.7, 0.8, 0.9} {
		// |A∩B| = c, |A∪B| = 100: J = c/100.
		c := int(s * 100)
		hits := 0
		for range pairs {
			x, y := make([]uint64, 0, 100), make([]uint64, 0, 100)
			for i := range 100 {
				v := rng.Uint64()
				switch {
				case i < c:
					x, y = append(x, v), append(y, v)
				case i%2 == 0:
					x = append(x, v)
				default:
					y = append(y, v)
				}
			}
			sigs := signer.Sign(signer.Sign(nil, x), y)
			if len(Buckets(sigs, size, b, r)) > 0 {
				hits++
			}
		}
		got, want := float64(hits)/pairs, collide(s, b, r)
		t.Logf("J=%.1f: %d×%d shares a bucket %.3f, P(s) = %.3f", s, b, r, got, want)
		if math.Abs(got-want) > 0.08 {
			t.Errorf("J=%.1f: pairs sharing a bucket with %d×%d = %.3f, want P(s) = %.3f ± 0.08", s, b, r, got, want)
		}
	}
}
