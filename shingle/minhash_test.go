package shingle

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func randSet(r *rand.Rand, n int) []uint64 {
	s := make([]uint64, n)
	for i := range s {
		s[i] = r.Uint64()
	}
	return s
}

func TestSignDeterministic(t *testing.T) {
	set := randSet(rand.New(rand.NewPCG(21, 22)), 500)
	a := NewSigner(128).Sign(nil, set)
	b := NewSigner(128).Sign(nil, set)
	if !slices.Equal(a, b) {
		t.Fatalf("Sign(set) differs between two Signers:\n%x\n%x", a, b)
	}
	// Order and duplicates do not matter: it is the signature of a set.
	shuffled := slices.Concat(set, set[:100])
	rand.New(rand.NewPCG(23, 24)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	if c := NewSigner(128).Sign(nil, shuffled); !slices.Equal(a, c) {
		t.Errorf("Sign(set shuffled with duplicates) = %x, want %x", c, a)
	}
	if len(a) != 128 {
		t.Errorf("NewSigner(128).Sign: %d values, want 128", len(a))
	}
}

// TestSignStable pins a signature: it must not change between runs,
// machines or go-minhash versions without notice.
func TestSignStable(t *testing.T) {
	got := NewSigner(4).Sign(nil, []uint64{1, 2, 3})
	want := []uint64{0x1c47002835a53ba6, 0x60f225ee345253d3, 0x1131fb08105aecba, 0x58c8bcf201ba42b7}
	if !slices.Equal(got, want) {
		t.Errorf("NewSigner(4).Sign({1,2,3}) = %#x, want %#x", got, want)
	}
	// The same by definition: value i is the minimum over the set of
	// h1(x) + i·h2(x), h1 and h2 seeded SplitMix64 of x, h2 made odd.
	for i := range want {
		ref := uint64(math.MaxUint64)
		for _, x := range []uint64{1, 2, 3} {
			ref = min(ref, splitMix64(x^minhashSeed1)+uint64(i)*(splitMix64(x^minhashSeed2)|1))
		}
		if got[i] != ref {
			t.Errorf("NewSigner(4).Sign({1,2,3})[%d] = %#x, want %#x by definition", i, got[i], ref)
		}
	}
}

func TestSimilarityExtremes(t *testing.T) {
	r := rand.New(rand.NewPCG(25, 26))
	s := NewSigner(256)
	a, b := randSet(r, 1000), randSet(r, 1000)
	sa, sb := s.Sign(nil, a), s.Sign(nil, b)
	if got := Similarity(sa, sa); got != 1 {
		t.Errorf("Similarity(sig(A), sig(A)) = %v, want 1", got)
	}
	if got := Similarity(sa, s.Sign(nil, slices.Clone(a))); got != 1 {
		t.Errorf("Similarity(sig(A), sig(copy of A)) = %v, want 1", got)
	}
	if got := Similarity(sa, sb); got > 0.02 {
		t.Errorf("Similarity(sig(A), sig(B)) for disjoint A, B = %v, want about 0", got)
	}
	empty := s.Sign(nil, nil)
	for i, v := range empty {
		if v != math.MaxUint64 {
			t.Fatalf("Sign(empty set)[%d] = %#x, want MaxUint64", i, v)
		}
	}
	if got := Similarity(empty, empty); got != 0 {
		t.Errorf("Similarity(sig(∅), sig(∅)) = %v, want 0", got)
	}
	if got := Similarity(empty, sa); got != 0 {
		t.Errorf("Similarity(sig(∅), sig(A)) = %v, want 0", got)
	}
	if got := Similarity(sa, empty); got != 0 {
		t.Errorf("Similarity(sig(A), sig(∅)) = %v, want 0", got)
	}
	if got := Similarity(nil, nil); got != 0 {
		t.Errorf("Similarity(nil, nil) = %v, want 0", got)
	}
}

// TestSimilarityEstimate builds sets with a known Jaccard similarity J and
// checks the estimate from 256-value signatures. Its standard deviation is
// sqrt(J(1-J)/256) <= 0.031, so 0.1 is more than 3 deviations.
func TestSimilarityEstimate(t *testing.T) {
	r := rand.New(rand.NewPCG(27, 28))
	s := NewSigner(256)
	const union = 2000
	for _, j := range []float64{0.2, 0.5, 0.8} {
		for trial := range 10 {
			all := randSet(r, union)
			common := int(j * union)
			onlyA := (union - common) / 2
			a := all[:common+onlyA]
			b := slices.Concat(all[:common], all[common+onlyA:])
			got := Similarity(s.Sign(nil, a), s.Sign(nil, b))
			if math.Abs(got-j) > 0.1 {
				t.Errorf("trial %d: Similarity of sets with Jaccard %.1f (|A|=%d, |B|=%d) = %.3f, want within 0.1", trial, j, len(a), len(b), got)
			}
		}
	}
}

// TestSignNoAlias checks that a signature shares no memory with the Signer
// or with another signature.
func TestSignNoAlias(t *testing.T) {
	r := rand.New(rand.NewPCG(29, 30))
	s := NewSigner(64)
	set := randSet(r, 100)
	first := s.Sign(nil, set)
	want := slices.Clone(first)
	second := s.Sign(make([]uint64, 0, 64), set)
	if !slices.Equal(first, second) {
		t.Fatalf("Sign(set) twice = %x then %x", first, second)
	}
	for i := range second {
		second[i] = 0
	}
	s.Sign(nil, randSet(r, 100))
	if !slices.Equal(first, want) {
		t.Errorf("first signature changed after writing to the second and signing again: %x, want %x", first, want)
	}
	// Sign appends after what dst holds.
	got := s.Sign([]uint64{42}, set)
	if got[0] != 42 || !slices.Equal(got[1:], want) {
		t.Errorf("Sign([42], set) = %x, want 42 then %x", got, want)
	}
}

func TestSignerPanics(t *testing.T) {
	tests := []struct {
		name string
		f    func()
	}{
		{"NewSigner(0)", func() { NewSigner(0) }},
		{"NewSigner(-1)", func() { NewSigner(-1) }},
		{"Similarity(4 values, 5 values)", func() { Similarity(make([]uint64, 4), make([]uint64, 5)) }},
		{"Similarity(nil, 1 value)", func() { Similarity(nil, make([]uint64, 1)) }},
	}
	for _, tt := range tests {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s did not panic", tt.name)
				}
			}()
			tt.f()
		}()
	}
}

// TestSignAllocs measures Sign's allocations with a grown dst. go-minhash
// allocates a slice of minimums (size·8 bytes) for every sketch and has no
// way to reset one; the MinWise itself stays on the stack. Measured with
// Go 1.26: 1 allocation per call, whatever the set's size.
func TestSignAllocs(t *testing.T) {
	s := NewSigner(128)
	set := randSet(rand.New(rand.NewPCG(31, 32)), 1000)
	dst := s.Sign(nil, set)
	n := testing.AllocsPerRun(100, func() {
		dst = s.Sign(dst[:0], set)
	})
	t.Logf("Signer(128).Sign(grown dst, 1000 hashes): %v allocs", n)
	if n > 2 {
		t.Errorf("Signer(128).Sign(grown dst, 1000 hashes): %v allocs, want at most 2", n)
	}
}
