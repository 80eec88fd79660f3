package postings

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// seedsOf returns the seeds of toks as the aligner's are: a hash of the s
// tokens at every place.
func seedsOf(toks []uint32, s int) []uint32 {
	var seeds []uint32
	for i := 0; i+s <= len(toks); i++ {
		h := uint64(0x9e3779b97f4a7c15)
		for _, t := range toks[i : i+s] {
			h = (h ^ uint64(t)) * 0xbf58476d1ce4e5b9
			h ^= h >> 31
		}
		seeds = append(seeds, uint32(h))
	}
	return seeds
}

// runAround is Shared by its definition: the tokens before and after the
// shingles of k tokens at pa in a and pb in b that the two texts share in
// one run through them, up to AroundTokens on either side.
func runAround(a, b []uint32, pa, pb, k int) int {
	n := 0
	for j := 1; j <= AroundTokens && pa-j >= 0 && pb-j >= 0 && a[pa-j] == b[pb-j]; j++ {
		n++
	}
	for j := 0; j < AroundTokens && pa+k+j < len(a) && pb+k+j < len(b) && a[pa+k+j] == b[pb+k+j]; j++ {
		n++
	}
	return n
}

// TestSharedAround: Shared of two places' digests against the run the
// two texts share through them, for texts that share a shingle and some
// tokens around it, near their ends or not, with seeds of 1 to 6 tokens
// and shingles of 5 (and of the seed's length): never fewer tokens than
// the run, and more only where a token that differs has the same bits,
// about once in 15.
func TestSharedAround(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct{ k, s int }{{5, 3}, {5, 1}, {5, 5}, {5, 6}, {3, 3}, {9, 3}} {
		t.Run(fmt.Sprintf("k%d_s%d", tc.k, tc.s), func(t *testing.T) {
			over, cases, exact := 0, 0, 0
			for range 20000 {
				// a: random tokens of a small vocabulary; b: a's tokens
				// from lo to hi around the shingle at p, its own elsewhere.
				n := tc.k + r.IntN(14)
				a := make([]uint32, n)
				for i := range a {
					a[i] = r.Uint32N(50)
				}
				p := r.IntN(n - tc.k + 1)
				lo, hi := p-r.IntN(6), p+tc.k+r.IntN(6)
				shift := r.IntN(3) // b holds it at p+shift
				b := make([]uint32, n+shift)
				for i := range b {
					if j := i - shift; j >= max(lo, 0) && j < min(hi, n) {
						b[i] = a[j]
					} else {
						b[i] = 50 + r.Uint32N(50) // differs from a's
					}
				}
				pb := p + shift
				got := Shared(Around(seedsOf(a, tc.s), p, tc.k, tc.s), Around(seedsOf(b, tc.s), pb, tc.k, tc.s))
				want := runAround(a, b, p, pb, tc.k)
				cases++
				switch {
				case got < want:
					t.Fatalf("a %v, b %v, shingles at %d and %d: Shared = %d, fewer than the run's %d tokens", a, b, p, pb, got, want)
				case got > want:
					over++
				default:
					exact++
				}
			}
			// A token that differs counts with chance 1/15, each side.
			if over > cases/10 || exact == 0 {
				t.Errorf("%d of %d cases counted more than the run (%d exact), want about 2 in 15 at most", over, cases, exact)
			}
		})
	}
}

// TestAroundEdges: a document's first and last tokens have no neighbours
// on one side: their bits are 0, which Shared never counts.
func TestAroundEdges(t *testing.T) {
	toks := []uint32{1, 2, 3, 4, 5, 6, 7}
	seeds := seedsOf(toks, 3)
	if d := Around(seeds, 0, 5, 3); d&0xffff != 0 || d>>16&15 == 0 || d>>20&15 == 0 || d>>24 != 0 {
		t.Errorf("Around at 0 of 7 tokens = %08x, want no token before, 2 after", d)
	}
	if d := Around(seeds, 0, 5, 3); Shared(d, d) != 2 {
		t.Errorf("Shared(d, d) = %d at the start of 7 tokens, want 2", Shared(d, d))
	}
	if Shared(0, 0) != 0 {
		t.Errorf("Shared(0, 0) = %d, want 0", Shared(0, 0))
	}
}

// TestSharedAll: Shared against its definition, nibble by nibble, for
// digests of every kind of nibble on either side.
func TestSharedAll(t *testing.T) {
	slow := func(a, b uint32) int {
		n := 0
		for _, half := range [2]uint{0, 16} {
			for j := range uint(AroundTokens) {
				x, y := a>>(half+4*j)&15, b>>(half+4*j)&15
				if x == 0 || x != y {
					break
				}
				n++
			}
		}
		return n
	}
	r := rand.New(rand.NewPCG(3, 4))
	nibble := func() uint32 { return []uint32{0, 1, 2, 8, 15}[r.IntN(5)] }
	for range 200000 {
		var a, b uint32
		for j := range 2 * AroundTokens {
			a |= nibble() << (4 * j)
			if r.IntN(3) == 0 {
				b |= nibble() << (4 * j)
			} else {
				b |= a >> (4 * j) & 15 << (4 * j)
			}
		}
		if got, want := Shared(a, b), slow(a, b); got != want {
			t.Fatalf("Shared(%08x, %08x) = %d, want %d", a, b, got, want)
		}
	}
}
