package shingle

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// bruteWinnow is winnowing by its definition: for every window of w
// consecutive hashes (one window of all of them if there are fewer than
// w), the rightmost minimum; a position chosen by consecutive windows is
// recorded once.
func bruteWinnow(hashes []uint64, w int) []Fingerprint {
	var out []Fingerprint
	if len(hashes) == 0 {
		return out
	}
	w = min(w, len(hashes))
	for s := 0; s+w <= len(hashes); s++ {
		m := s
		for i := s; i < s+w; i++ {
			if hashes[i] <= hashes[m] {
				m = i
			}
		}
		if len(out) == 0 || out[len(out)-1].Pos != uint32(m) {
			out = append(out, Fingerprint{Hash: hashes[m], Pos: uint32(m)})
		}
	}
	return out
}

// TestWinnowBinary compares Winnow with bruteWinnow on every sequence over
// {0,1} up to length 12, for w = 1..6: ties everywhere.
func TestWinnowBinary(t *testing.T) {
	var scratch []uint32
	var got []Fingerprint
	for n := 0; n <= 12; n++ {
		for bitsv := range 1 << n {
			h := make([]uint64, n)
			for i := range h {
				h[i] = uint64(bitsv >> i & 1)
			}
			for w := 1; w <= 6; w++ {
				got, scratch = Winnow(got[:0], scratch, h, w)
				if want := bruteWinnow(h, w); !slices.Equal(got, want) {
					t.Fatalf("Winnow(%v, %d) = %v, want %v", h, w, got, want)
				}
			}
		}
	}
}

// TestWinnowRandom compares Winnow with bruteWinnow on random hashes from
// small value ranges (many ties) and the full range, all lengths 0..40,
// w = 1..8.
func TestWinnowRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	var scratch []uint32
	for _, vals := range []uint64{1, 2, 3, 5, 1 << 63} {
		for n := 0; n <= 40; n++ {
			for w := 1; w <= 8; w++ {
				for range 20 {
					h := make([]uint64, n)
					for i := range h {
						h[i] = r.Uint64N(vals)
					}
					var got []Fingerprint
					got, scratch = Winnow(nil, scratch, h, w)
					if want := bruteWinnow(h, w); !slices.Equal(got, want) {
						t.Fatalf("Winnow(%v, %d) = %v, want %v", h, w, got, want)
					}
				}
			}
		}
	}
}

// TestWinnowLong covers long inputs, where Winnow compacts its queue, and
// checks that the scratch it returns stays bounded by the window.
func TestWinnowLong(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	const n = 5000
	random := make([]uint64, n)
	for i := range random {
		random[i] = r.Uint64()
	}
	ascending := slices.Clone(random)
	slices.Sort(ascending)
	descending := slices.Clone(ascending)
	slices.Reverse(descending)
	sawtooth := make([]uint64, n)
	for i := range sawtooth {
		sawtooth[i] = uint64(i % 1500)
	}
	for name, h := range map[string][]uint64{"random": random, "ascending": ascending, "descending": descending, "sawtooth": sawtooth} {
		for _, w := range []int{1, 3, 50, 1100, 2000, n, n + 1} {
			got, scratch := Winnow(nil, nil, h, w)
			if want := bruteWinnow(h, w); !slices.Equal(got, want) {
				t.Errorf("Winnow(%s %d hashes, %d) = %d fingerprints, want %d (brute force)", name, n, w, len(got), len(want))
			}
			if c := cap(scratch); c > 4*(w+1100) {
				t.Errorf("Winnow(%s %d hashes, %d) scratch cap = %d, want at most %d", name, n, w, c, 4*(w+1100))
			}
		}
	}
}

func TestWinnowAppends(t *testing.T) {
	h := []uint64{5, 1, 4, 1, 3}
	prefix := Fingerprint{Hash: 99, Pos: 99}
	got, _ := Winnow([]Fingerprint{prefix}, nil, h, 2)
	if got[0] != prefix || !slices.Equal(got[1:], bruteWinnow(h, 2)) {
		t.Errorf("Winnow([%v], %v, 2) = %v, want the prefix then %v", prefix, h, got, bruteWinnow(h, 2))
	}
}

func TestWinnowPanics(t *testing.T) {
	for _, w := range []int{0, -3} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Winnow(hashes, %d) did not panic", w)
				}
			}()
			Winnow(nil, nil, []uint64{1, 2}, w)
		}()
	}
}

// TestWinnowDensity checks the documented density 2/(w+1) on random hashes.
func TestWinnowDensity(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	h := make([]uint64, 200000)
	for i := range h {
		h[i] = r.Uint64()
	}
	for _, w := range []int{2, 4, 8, 16, 32} {
		got, _ := Winnow(nil, nil, h, w)
		density := float64(len(got)) / float64(len(h))
		if want := 2 / float64(w+1); density < 0.95*want || density > 1.05*want {
			t.Errorf("Winnow(%d random hashes, %d): density %.4f, want %.4f ± 5%%", len(h), w, density, want)
		}
	}
}

// randWords returns n random lower-case words of 3 to 8 letters: random
// enough that two texts share no run of words by chance.
func randWords(r *rand.Rand, n int) []string {
	words := make([]string, n)
	for i := range words {
		b := make([]byte, 3+r.IntN(6))
		for j := range b {
			b[j] = byte('a' + r.IntN(26))
		}
		words[i] = string(b)
	}
	return words
}

// TestWinnowGuarantee plants a run of w+k-1 words in two random texts and
// checks the winnowing guarantee end to end: the texts share a fingerprint
// whose shingle lies inside the planted run, at the same place in the run
// in both texts.
func TestWinnowGuarantee(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 18))
	tk := NewTokenizer()
	for k := 1; k <= 8; k++ {
		for w := 1; w <= 8; w++ {
			for trial := range 10 {
				run := randWords(r, w+k-1)
				preA, preB := r.IntN(60), r.IntN(60)
				a := slices.Concat(randWords(r, preA), run, randWords(r, r.IntN(60)))
				b := slices.Concat(randWords(r, preB), run, randWords(r, r.IntN(60)))
				// Vary the spacing and case of B: tokens, not bytes, are shared.
				textA := strings.Join(a, " ")
				textB := strings.ToUpper(strings.Join(b, ",\n"))
				fa, _ := Winnow(nil, nil, Shingles(nil, tk.Tokenize(nil, []byte(textA)), k), w)
				fb, _ := Winnow(nil, nil, Shingles(nil, tk.Tokenize(nil, []byte(textB)), k), w)
				found := false
				for _, x := range fa {
					for _, y := range fb {
						if x.Hash == y.Hash && int(x.Pos)-preA == int(y.Pos)-preB && int(x.Pos)-preA >= 0 && int(x.Pos)-preA < w {
							found = true
						}
					}
				}
				if !found {
					t.Errorf("k=%d w=%d trial %d: texts sharing %d words at %d and %d share no fingerprint in that run\nA: %v\nB: %v", k, w, trial, len(run), preA, preB, fa, fb)
				}
			}
		}
	}
}

func TestWinnowAllocs(t *testing.T) {
	r := rand.New(rand.NewPCG(19, 20))
	h := make([]uint64, 5000)
	for i := range h {
		h[i] = r.Uint64()
	}
	dst, scratch := Winnow(nil, nil, h, 8) // grow dst and scratch
	n := testing.AllocsPerRun(100, func() {
		dst, scratch = Winnow(dst[:0], scratch, h, 8)
	})
	if n != 0 {
		t.Errorf("Winnow(grown dst and scratch, %d hashes, 8): %v allocs, want 0", len(h), n)
	}
}
